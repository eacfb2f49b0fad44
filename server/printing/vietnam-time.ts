/**
 * Dates and times on printed documents, in Vietnam's time (UTC+7, Asia/Ho_Chi_Minh) whatever the
 * server's zone, written the Vietnamese way: dates dd/mm/yyyy, a time of day as "14 giờ 30 phút"
 * on the page and as "14:30" in the compact QR payload. Arithmetic on the engine's clock rather
 * than Intl, so the text never depends on the ICU data Node was built with.
 */
import { vietnamDateOf, vietnamMinuteOfDay } from '../../engine/calendar/civil-date.ts';

const twoDigits = (value: number) => String(value).padStart(2, '0');

function clock(instant: Date): { hours: string; minutes: string } {
  const minuteOfDay = Math.floor(vietnamMinuteOfDay(instant));
  return { hours: twoDigits(Math.floor(minuteOfDay / 60)), minutes: twoDigits(minuteOfDay % 60) };
}

/** 10/03/2025: the Vietnamese civil date of an instant. */
export function vietnamDate(instant: Date): string {
  const [year, month, day] = vietnamDateOf(instant).split('-');
  return `${day}/${month}/${year}`;
}

/** 10/03/2025 14:30: compact, for the QR payload. */
export function vietnamDateTime(instant: Date): string {
  const { hours, minutes } = clock(instant);
  return `${vietnamDate(instant)} ${hours}:${minutes}`;
}

/** 14 giờ 30 phút, ngày 10/03/2025: as an official writes a moment on a notice. */
export function vietnamMoment(instant: Date): string {
  const { hours, minutes } = clock(instant);
  return `${hours} giờ ${minutes} phút, ngày ${vietnamDate(instant)}`;
}

/** 16:20:05 ngày 10/03/2025 (GMT+7): a signing time to the second, as a visible signature shows it. */
export function vietnamSigningTime(instant: Date): string {
  const { hours, minutes } = clock(instant);
  // Vietnam's offset is whole hours: the seconds are the instant's own.
  return `${hours}:${minutes}:${twoDigits(instant.getUTCSeconds())} ngày ${vietnamDate(instant)} (GMT+7)`;
}
