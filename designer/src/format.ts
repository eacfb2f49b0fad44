/** Numbers as the designer shows them: Vietnamese grouping (1.234.567 đ) or English (1,234,567 VND). */
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

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** A moment as Vietnamese officials write it, dd/mm/yyyy HH:mm in local time (the same in English, as en-GB does). */
export function formatDateTime(moment: string | Date): string {
  const date = typeof moment === 'string' ? new Date(moment) : moment;
  return `${twoDigits(date.getDate())}/${twoDigits(date.getMonth() + 1)}/${date.getFullYear()} ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
}

/** A civil day sent as YYYY-MM-DD (a period's first or last day), as officials write it: dd/mm/yyyy. */
export function formatDay(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year}`;
}
