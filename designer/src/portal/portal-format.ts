/**
 * What the portal shows besides numbers (designer/src/format.ts): moments in Vietnam time whatever
 * the browser's zone (deadlines are the agency's, Decree 45 Art. 11.4), and file sizes as a
 * Vietnamese reader writes them (1,5 MB).
 */
import { vietnamDateTime } from '../../../server/printing/vietnam-time.ts';
import { formatNumber } from '../format.ts';
import type { Language } from '../i18n.ts';

/** dd/mm/yyyy HH:mm, Vietnam time (UTC+7): the printed notices' own formatting, so the screen and the paper agree. */
export function formatVietnamTime(moment: string | Date): string {
  return vietnamDateTime(typeof moment === 'string' ? new Date(moment) : moment);
}

/** A civil date (YYYY-MM-DD, or a year alone) as dd/mm/yyyy. */
export const formatCivilDate = (date: string) => date.split('-').reverse().join('/');

const UNITS = ['B', 'KB', 'MB', 'GB'];

/** 1.024 bytes to the kilobyte, one decimal past the first unit (820 KB, 2,5 MB). */
export function formatFileSize(bytes: number, language: Language): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(value, language, unit === 0 ? 0 : 1)} ${UNITS[unit]}`;
}
