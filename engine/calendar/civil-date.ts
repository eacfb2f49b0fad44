/**
 * Civil (wall-calendar) dates and Vietnam's clock.
 *
 * A civil date is an ISO `YYYY-MM-DD` string: holidays and working days are facts about dates
 * on the wall calendar, not instants. Vietnam keeps UTC+7 all year (no daylight saving since
 * 1975), so the local clock is UTC shifted by a fixed seven hours; Asia/Ho_Chi_Minh is named
 * for display only.
 */
export type CivilDate = string;

export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a civil date. */
export function epochDay(date: CivilDate): number {
  const match = CIVIL_DATE.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  if (new Date(ms).getUTCDate() !== day) throw new RangeError(`no such date: ${date}`);
  return ms / MS_PER_DAY;
}

export function fromEpochDay(day: number): CivilDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function civilDate(year: number, month: number, day: number): CivilDate {
  return fromEpochDay(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return fromEpochDay(epochDay(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: CivilDate): number {
  return new Date(epochDay(date) * MS_PER_DAY).getUTCDay();
}

/** Every date from `first` to `last`, both included. */
export function dateRange(first: CivilDate, last: CivilDate): CivilDate[] {
  const dates: CivilDate[] = [];
  for (let day = epochDay(first); day <= epochDay(last); day++) dates.push(fromEpochDay(day));
  return dates;
}

/** The Vietnamese civil date of an instant. */
export function vietnamDateOf(instant: Date): CivilDate {
  return new Date(instant.getTime() + VIETNAM_UTC_OFFSET_MINUTES * MS_PER_MINUTE).toISOString().slice(0, 10);
}

/** Minutes since local (UTC+7) midnight of an instant. */
export function vietnamMinuteOfDay(instant: Date): number {
  const local = instant.getTime() + VIETNAM_UTC_OFFSET_MINUTES * MS_PER_MINUTE;
  return (((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_MINUTE;
}

/** The instant at `minutes` past local midnight of a Vietnamese civil date. */
export function vietnamInstant(date: CivilDate, minutes = 0): Date {
  return new Date(epochDay(date) * MS_PER_DAY + (minutes - VIETNAM_UTC_OFFSET_MINUTES) * MS_PER_MINUTE);
}
