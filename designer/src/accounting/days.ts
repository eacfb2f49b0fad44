/** Days as officials write them (dd/mm/yyyy) and as the API takes them (yyyy-mm-dd), in Vietnam time. */
import { vietnamDateOf } from '../../../engine/calendar/index.ts';

/** yyyy-mm-dd of `dd/mm/yyyy` (or of yyyy-mm-dd itself); undefined when it is no date. */
export function isoDay(text: string): string | undefined {
  const trimmed = text.trim();
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
  const iso = match ? `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}` : trimmed;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

/** dd/mm/yyyy of a yyyy-mm-dd day. */
export function vietnameseDay(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** Yesterday in Vietnam, dd/mm/yyyy: the day the T-1 review reconciles. */
export function yesterday(): string {
  return vietnameseDay(vietnamDateOf(new Date(Date.now() - 86_400_000)));
}
