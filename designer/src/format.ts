/**
 * Numbers, days and moments as the product shows and reads them: Vietnamese grouping
 * (1.234.567 đ) or English (1,234,567 VND); days dd/mm/yyyy and moments dd/mm/yyyy HH:mm on
 * Vietnam's clock (UTC+7) in both languages, whatever the browser's zone, since every deadline of
 * Decree 45 is counted on it.
 */
import { vietnamDate, vietnamDateTime } from '../../server/printing/vietnam-time.ts';
import type { Language } from './i18n.ts';

const locales: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

// Creating an Intl.NumberFormat costs far more than formatting with one, and the cost badges of a
// large model format hundreds of numbers after every edit: one formatter per language and precision.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(language: Language, fractionDigits: number): Intl.NumberFormat {
  const key = `${language}:${fractionDigits}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.NumberFormat(locales[language], { maximumFractionDigits: fractionDigits })));
  return format;
}

/** An amount of money, rounded to the đồng: the cost model's figures are expected values. */
export function formatVnd(amount: number, language: Language): string {
  // `+ 0` turns the -0 of a rounded tiny negative into 0: "-0 đ" is no amount.
  const digits = formatter(language, 0).format(Math.round(amount) + 0);
  return language === 'vi' ? `${digits} đ` : `${digits} VND`;
}

/** A count or a number of hours, with at most `fractionDigits` decimals (1,5 giờ; 1.5 hours). */
export function formatNumber(value: number, language: Language, fractionDigits = 2): string {
  return formatter(language, fractionDigits).format(value);
}

/**
 * A moment as Vietnamese officials write it, dd/mm/yyyy HH:mm on Vietnam's clock (the same in
 * English, as en-GB does): the printed notices' own formatting, so the screen and the paper agree.
 */
export function formatDateTime(moment: string | Date): string {
  return vietnamDateTime(typeof moment === 'string' ? new Date(moment) : moment);
}

/** The day in Vietnam of a moment (today by default), dd/mm/yyyy. */
export function formatVietnamDay(moment: Date = new Date()): string {
  return vietnamDate(moment);
}

/** A civil day sent as YYYY-MM-DD (or a year alone: a birth year), as officials write it: dd/mm/yyyy. */
export const formatDay = (day: string): string => day.split('-').reverse().join('/');

/** A day typed dd/mm/yyyy (or yyyy-mm-dd) to the API's yyyy-mm-dd; undefined when it is no real day (31/02/2026). */
export function parseDay(typed: string): string | undefined {
  const trimmed = typed.trim();
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
  const iso = match ? `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}` : trimmed;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : iso;
}
