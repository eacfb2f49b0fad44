import { z } from 'zod';
import { addDays, civilDate, dateRange, weekday, type CivilDate } from './civil-date.ts';
import { lunarNewYear, lunarToSolar } from './lunar.ts';
import officialDaysFile from './official-days.json' with { type: 'json' };

/**
 * Public holidays (Labour Code 2019 Art. 112.1), each group with the compensatory days of
 * Art. 111.3, and the yearly official decisions that replace a group's computed days.
 */
export type HolidayGroup = 'newYear' | 'tet' | 'hungKings' | 'reunificationAndLabour' | 'nationalDay';

export interface DayOff {
  date: CivilDate;
  group: HolidayGroup;
  /** `law`: a day Art. 112 names; `compensatory`: Art. 111.3; `decided`: from a yearly decision. */
  kind: 'law' | 'compensatory' | 'decided';
}

const dateOrRange = z.string().regex(/^\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?$/, 'a YYYY-MM-DD date or a YYYY-MM-DD..YYYY-MM-DD range');
const decisionSchema = z.object({
  off: z.array(dateOrRange).min(1),
  work: z.array(dateOrRange).default([]),
  source: z.string().min(1),
});
const groupSchema = z.enum(['newYear', 'tet', 'hungKings', 'reunificationAndLabour', 'nationalDay']);
export const officialDaysSchema = z.object({
  years: z.record(z.string().regex(/^\d{4}$/), z.partialRecord(groupSchema, decisionSchema)),
});
export type OfficialDays = z.infer<typeof officialDaysSchema>;
export type OfficialDecision = z.infer<typeof decisionSchema>;

/** The decisions shipped with the product (engine/calendar/official-days.json). */
export const shippedOfficialDays: OfficialDays = officialDaysSchema.parse(officialDaysFile);

function expand(entries: string[]): CivilDate[] {
  return entries.flatMap((entry) => {
    const [first, last] = entry.split('..') as [string, string | undefined];
    return last ? dateRange(first, last) : [first];
  });
}

/**
 * The day next to 2 September (Art. 112.1.đ: "02 September and one day immediately before or
 * after it"), as decided yearly. Without a decision: the one that is a weekday, preferring the
 * one that joins the break to a weekend, else 1 September. This reproduces the decisions of
 * 2022 (1/9), 2023 (1/9), 2024 (3/9) and 2025 (1/9).
 */
export function nationalDayAdjacent(year: number): CivilDate {
  const before = civilDate(year, 9, 1);
  const after = civilDate(year, 9, 3);
  const isWeekday = (date: CivilDate) => weekday(date) >= 1 && weekday(date) <= 5;
  const joinsWeekend = (date: CivilDate) => weekday(date) === 1 || weekday(date) === 5;
  if (isWeekday(before) !== isWeekday(after)) return isWeekday(before) ? before : after;
  if (joinsWeekend(after) && !joinsWeekend(before)) return after;
  return before;
}

/** The days each holiday group of Art. 112.1 names for Gregorian `year`. */
export function lawHolidays(year: number): Record<HolidayGroup, CivilDate[]> {
  const tet = lunarNewYear(year);
  return {
    newYear: [civilDate(year, 1, 1)],
    // Art. 112.1.b: five days of Tết; the specific days are decided yearly (Art. 112.3). Without
    // a decision: the last day of the old year and the first four of the new.
    tet: [addDays(tet, -1), ...[0, 1, 2, 3].map((d) => addDays(tet, d))],
    hungKings: [lunarToSolar(year, 3, 10)],
    reunificationAndLabour: [civilDate(year, 4, 30), civilDate(year, 5, 1)],
    nationalDay: [civilDate(year, 9, 2), nationalDayAdjacent(year)].sort(),
  };
}

export interface HolidayRules {
  /** Weekly days off, 0 = Sunday … 6 = Saturday (default Saturday and Sunday). */
  weeklyRestDays?: readonly number[];
  officialDays?: OfficialDays;
}

/**
 * Every day off in `year` for an agency with the given weekly rest days, and the working days a
 * decision moved onto a rest day (làm bù).
 */
export function daysOff(year: number, rules: HolidayRules = {}): { off: DayOff[]; extraWorkingDays: CivilDate[] } {
  const rest = new Set(rules.weeklyRestDays ?? [0, 6]);
  const decisions = (rules.officialDays ?? shippedOfficialDays).years[String(year)] ?? {};
  const law = lawHolidays(year);
  const off = new Map<CivilDate, DayOff>();
  const extraWorkingDays: CivilDate[] = [];

  const groups = Object.keys(law) as HolidayGroup[];
  for (const group of groups) {
    const decision = decisions[group];
    if (!decision) continue;
    for (const date of expand(decision.off)) off.set(date, { date, group, kind: 'decided' });
    extraWorkingDays.push(...expand(decision.work));
  }
  for (const group of groups) {
    if (decisions[group]) continue;
    for (const date of law[group]) if (!off.has(date)) off.set(date, { date, group, kind: 'law' });
  }
  // Art. 111.3: a holiday on a weekly rest day is compensated by the next working day.
  for (const group of groups) {
    if (decisions[group]) continue;
    for (const date of law[group]) {
      if (!rest.has(weekday(date))) continue;
      let compensation = addDays(date, 1);
      while (rest.has(weekday(compensation)) || off.has(compensation)) compensation = addDays(compensation, 1);
      off.set(compensation, { date: compensation, group, kind: 'compensatory' });
    }
  }
  return { off: [...off.values()].sort((a, b) => a.date.localeCompare(b.date)), extraWorkingDays: extraWorkingDays.sort() };
}
