import { MakeTime, SearchMoonPhase, Seasons, SunPosition } from 'astronomy-engine';
import { addDays, vietnamDateOf, vietnamInstant, epochDay, type CivilDate } from './civil-date.ts';

/**
 * The Vietnamese lunisolar calendar (âm lịch), computed for UTC+7.
 *
 * Astronomy (new moons, the winter solstice, the Sun's longitude) comes from astronomy-engine;
 * the calendar rules are ours:
 * - a month begins on the civil day (UTC+7) of a new moon;
 * - month 11 is the month containing the winter solstice;
 * - a year from one month 11 to the next with 13 months has a leap month: the first month after
 *   month 11 in which the Sun enters no new 30° sign (no principal term, "trung khí").
 * Because Vietnam counts days in UTC+7 and China in UTC+8, the two calendars differ in some
 * years (Tết 1985 fell on 21 January in Vietnam, 20 February in China; Tết 2007 on 17 vs 18
 * February). No maintained npm package computes the UTC+7 calendar, hence this module.
 */

export interface LunarMonth {
  /** 1–12 */
  month: number;
  leap: boolean;
  /** The civil date of day 1. */
  start: CivilDate;
  /** 29 or 30 */
  length: number;
}

const SEARCH_DAYS = 40;

/** The civil date (UTC+7) of the first new moon at or after `from`. */
function newMoonOnOrAfter(from: Date): CivilDate {
  const time = SearchMoonPhase(0, from, SEARCH_DAYS);
  if (!time) throw new Error(`no new moon within ${SEARCH_DAYS} days of ${from.toISOString()}`);
  return vietnamDateOf(time.date);
}

/** Day 1 of the lunar month containing the civil date. */
function monthStartContaining(date: CivilDate): CivilDate {
  // New moons are 29.5 days apart: the one starting this month lies within the 31 days before.
  let start = newMoonOnOrAfter(vietnamInstant(addDays(date, -31)));
  for (;;) {
    const next = newMoonOnOrAfter(vietnamInstant(addDays(start, 1)));
    if (epochDay(next) > epochDay(date)) return start;
    start = next;
  }
}

/** Day 1 of month 11 of the lunar year that ends in Gregorian year `year` (it contains the December solstice). */
function eleventhMonthStart(year: number): CivilDate {
  return monthStartContaining(vietnamDateOf(Seasons(year).dec_solstice.date));
}

/** Which 30° sign the Sun is in at local midnight of a civil date. */
function sunSign(date: CivilDate): number {
  return Math.floor(SunPosition(MakeTime(vietnamInstant(date))).elon / 30);
}

const cache = new Map<number, LunarMonth[]>();

/**
 * The lunar months from month 11 of the year ending in Gregorian `year - 1` up to (not
 * including) month 11 of the year ending in `year`: they hold Tết and the whole spring of `year`.
 */
export function lunarMonthsAround(year: number): LunarMonth[] {
  const cached = cache.get(year);
  if (cached) return cached;

  const first = eleventhMonthStart(year - 1);
  const last = eleventhMonthStart(year);
  const starts: CivilDate[] = [first];
  while (starts.at(-1) !== last) starts.push(newMoonOnOrAfter(vietnamInstant(addDays(starts.at(-1)!, 1))));
  // starts holds 13 dates (12 months) or 14 (13 months: a leap year)
  const leapIndex =
    starts.length === 14 ? starts.findIndex((start, i) => i > 0 && i < 13 && sunSign(start) === sunSign(starts[i + 1]!)) : -1;

  const months: LunarMonth[] = [];
  let number = 11;
  for (let i = 0; i < starts.length - 1; i++) {
    const leap = i === leapIndex;
    if (i > 0 && !leap) number = (number % 12) + 1;
    months.push({ month: number, leap, start: starts[i]!, length: epochDay(starts[i + 1]!) - epochDay(starts[i]!) });
  }
  cache.set(year, months);
  return months;
}

/** The Gregorian date of a lunar date in the lunar year that begins in Gregorian `year`. */
export function lunarToSolar(year: number, month: number, day: number, leap = false): CivilDate {
  // Months 11 and 12 of a lunar year begin late in the Gregorian year, with the next run of months.
  const months = lunarMonthsAround(month >= 11 ? year + 1 : year);
  const found = months.find((m) => m.month === month && m.leap === leap);
  if (!found || !Number.isInteger(day) || day < 1 || day > found.length) {
    throw new RangeError(`no lunar date ${day}/${month}${leap ? ' (leap)' : ''} in the lunar year beginning in ${year}`);
  }
  return addDays(found.start, day - 1);
}

/** Tết Nguyên đán: day 1 of month 1 of the lunar year beginning in Gregorian `year`. */
export function lunarNewYear(year: number): CivilDate {
  return lunarToSolar(year, 1, 1);
}
