import { z } from 'zod';
import { QuyTrinhError } from '../errors.ts';
import { addDays, epochDay, vietnamDateOf, vietnamInstant, vietnamMinuteOfDay, weekday, type CivilDate } from './civil-date.ts';
import { daysOff, officialDaysSchema, shippedOfficialDays, type DayOff, type OfficialDays } from './holidays.ts';

/**
 * Working time: the clock every legal deadline runs on. "Within 08 working hours" (Decree 45
 * Art. 11.4 for receipt) counts only office hours on working days; a dossier received on a
 * Friday at 16:00 is due on Monday at 16:00, and one received on the eve of Tết after Tết.
 */
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a HH:MM time');
export const calendarSettingsSchema = z.object({
  /** The agency's office hours, the same on every working day, in order and not overlapping. */
  officeHours: z
    .array(z.object({ start: clock, end: clock }))
    .min(1)
    .default([
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]),
  /** Weekdays with office hours, 0 = Sunday … 6 = Saturday. */
  workingWeekdays: z.array(z.number().int().min(0).max(6)).min(1).default([1, 2, 3, 4, 5]),
  /** Yearly official decisions; the shipped file when absent. */
  officialDays: officialDaysSchema.optional(),
});
export type CalendarSettings = z.input<typeof calendarSettingsSchema>;

const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export interface WorkingCalendar {
  /** The office periods of a civil date, in minutes after local midnight; empty on a day off. */
  periodsOn(date: CivilDate): ReadonlyArray<readonly [number, number]>;
  isWorkingDay(date: CivilDate): boolean;
  /** Why a date has no office hours (a holiday), if it is a holiday. */
  holiday(date: CivilDate): DayOff | undefined;
  /** Minutes of office time on a working day. */
  readonly minutesPerDay: number;
}

/** Builds an agency's working calendar; the defaults are Mon–Fri 08:00–12:00 and 13:00–17:00. */
export function createWorkingCalendar(settings: CalendarSettings = {}): WorkingCalendar {
  const parsed = calendarSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
    throw new QuyTrinhError('invalid-input', 'calendar.invalid-settings', {
      vi: `Cấu hình lịch làm việc không hợp lệ: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      en: `Invalid working calendar settings: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
    }, details);
  }
  const periods = parsed.data.officeHours.map(({ start, end }) => [toMinutes(start), toMinutes(end)] as const);
  periods.forEach(([start, end], i) => {
    if (end <= start || (i > 0 && start < periods[i - 1]![1])) {
      throw new QuyTrinhError('invalid-input', 'calendar.invalid-settings', {
        vi: `Giờ làm việc thứ ${i + 1} phải kết thúc sau khi bắt đầu và sau khoảng trước nó`,
        en: `Office period ${i + 1} must end after it starts and start after the period before it`,
      }, [{ field: `officeHours.${i}`, message: 'periods must be in order and not overlap' }]);
    }
  });
  const working = new Set(parsed.data.workingWeekdays);
  const rest = [0, 1, 2, 3, 4, 5, 6].filter((d) => !working.has(d));
  const official: OfficialDays = parsed.data.officialDays ?? shippedOfficialDays;

  const years = new Map<number, { off: Map<CivilDate, DayOff>; extra: Set<CivilDate> }>();
  const yearOf = (date: CivilDate) => {
    const year = Number(date.slice(0, 4));
    let entry = years.get(year);
    if (!entry) {
      const computed = daysOff(year, { weeklyRestDays: rest, officialDays: official });
      entry = { off: new Map(computed.off.map((day) => [day.date, day])), extra: new Set(computed.extraWorkingDays) };
      years.set(year, entry);
    }
    return entry;
  };

  const isWorkingDay = (date: CivilDate) => {
    const { off, extra } = yearOf(date);
    return extra.has(date) || (working.has(weekday(date)) && !off.has(date));
  };
  return {
    periodsOn: (date) => (isWorkingDay(date) ? periods : []),
    isWorkingDay,
    holiday: (date) => yearOf(date).off.get(date),
    minutesPerDay: periods.reduce((sum, [start, end]) => sum + end - start, 0),
  };
}

/** Far enough for any legal deadline; a loop that runs past it means a calendar with no working days. */
const MAX_SEARCH_DAYS = 3660;

function noWorkingTime(): QuyTrinhError {
  return new QuyTrinhError('invalid-input', 'calendar.no-working-time', {
    vi: 'Lịch làm việc không có ngày làm việc nào trong mười năm tới',
    en: 'The working calendar has no working day in the next ten years',
  });
}

function assertHours(hours: number, field: string): void {
  if (!Number.isFinite(hours) || hours < 0) {
    throw new QuyTrinhError('invalid-input', 'calendar.invalid-duration', {
      vi: `Số giờ/ngày làm việc phải là số không âm (nhận được ${hours})`,
      en: `Working hours/days must be a non-negative number (got ${hours})`,
    }, [{ field, message: 'must be a finite number ≥ 0' }]);
  }
}

/**
 * The instant `hours` working hours after `from`. Time outside office hours does not count;
 * a deadline that ends exactly at a closing time stays there (12:00, not 13:00).
 */
export function addWorkingHours(calendar: WorkingCalendar, from: Date, hours: number): Date {
  assertHours(hours, 'hours');
  let remaining = Math.round(hours * 60 * 60_000); // milliseconds of office time still to count
  let date = vietnamDateOf(from);
  let minute = vietnamMinuteOfDay(from);
  for (let searched = 0; searched < MAX_SEARCH_DAYS; searched++) {
    for (const [start, end] of calendar.periodsOn(date)) {
      if (minute >= end) continue;
      const begin = Math.max(minute, start);
      const available = (end - begin) * 60_000;
      if (remaining <= available) return new Date(vietnamInstant(date, begin).getTime() + remaining);
      remaining -= available;
      minute = end;
    }
    date = addDays(date, 1);
    minute = 0;
  }
  throw noWorkingTime();
}

/**
 * The close of office on the `days`-th working day after the day of `from` (Civil Code 2015
 * Art. 147–148: a period in days starts on the next day and ends at the end of its last day,
 * which for an agency is the end of office hours).
 */
export function addWorkingDays(calendar: WorkingCalendar, from: Date, days: number): Date {
  assertHours(days, 'days');
  if (!Number.isInteger(days)) {
    throw new QuyTrinhError('invalid-input', 'calendar.invalid-duration', {
      vi: `Số ngày làm việc phải là số nguyên (nhận được ${days})`,
      en: `Working days must be a whole number (got ${days})`,
    }, [{ field: 'days', message: 'must be an integer' }]);
  }
  let date = vietnamDateOf(from);
  for (let counted = 0, searched = 0; counted < days; searched++) {
    if (searched > MAX_SEARCH_DAYS) throw noWorkingTime();
    date = addDays(date, 1);
    if (calendar.isWorkingDay(date)) counted++;
  }
  const periods = calendar.periodsOn(date);
  return vietnamInstant(date, periods.at(-1)?.[1] ?? vietnamMinuteOfDay(from));
}

/** Working hours between two instants (negative when `to` is before `from`). */
export function workingHoursBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  if (to < from) return -workingHoursBetween(calendar, to, from);
  const lastDate = vietnamDateOf(to);
  let total = 0;
  for (let date = vietnamDateOf(from); epochDay(date) <= epochDay(lastDate); date = addDays(date, 1)) {
    for (const [start, end] of calendar.periodsOn(date)) {
      const begin = Math.max(vietnamInstant(date, start).getTime(), from.getTime());
      const finish = Math.min(vietnamInstant(date, end).getTime(), to.getTime());
      if (finish > begin) total += finish - begin;
    }
  }
  return total / 3_600_000;
}
