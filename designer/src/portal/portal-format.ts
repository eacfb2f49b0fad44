/**
 * What the portal shows besides numbers (designer/src/format.ts): moments in Vietnam time whatever
 * the browser's zone (deadlines are the agency's, Decree 45 Art. 11.4), and file sizes as a
 * Vietnamese reader writes them (1,5 MB).
 */
import { formatNumber } from '../format.ts';
import type { Language } from '../i18n.ts';

const vietnamTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** dd/mm/yyyy HH:mm, Vietnam time (UTC+7). */
export function formatVietnamTime(moment: string | Date): string {
  const parts = Object.fromEntries(vietnamTime.formatToParts(typeof moment === 'string' ? new Date(moment) : moment).map((part) => [part.type, part.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

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
