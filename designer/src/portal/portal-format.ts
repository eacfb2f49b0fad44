/** File sizes as a Vietnamese reader writes them (1,5 MB); numbers, days and moments are format.ts's. */
import { formatNumber } from '../format.ts';
import type { Language } from '../i18n.ts';

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
