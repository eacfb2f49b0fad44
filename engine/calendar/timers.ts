import { Temporal } from 'temporal-polyfill';
import type { TimerDefinition } from '../bpmn/process-graph.ts';
import { QuyTrinhError } from '../errors.ts';
import { VIETNAM_TIME_ZONE } from './civil-date.ts';
import { addWorkingHours, type WorkingCalendar } from './working-time.ts';

/**
 * When a timer falls due. A `qt:workingHours` timer counts office hours on the working calendar
 * (Decree 45 deadlines); an ISO 8601 duration (PT8H, P2D, P1M) counts clock time on Vietnam's
 * calendar, with the Temporal polyfill FEEL itself uses, so months have their real lengths; a
 * date is absolute, read in Vietnam's time zone when it names none (see parseDate).
 */
export function timerDueAt(calendar: WorkingCalendar, now: Date, timer: TimerDefinition): Date {
  switch (timer.kind) {
    case 'workingHours':
      return addWorkingHours(calendar, now, timer.hours);
    case 'date':
      return parseDate(timer.expression);
    case 'duration':
      return dueAfter(now, parseTimeDuration(timer.expression));
    case 'cycle':
      // Each round falls due one interval after the previous one fired (or the timer was armed).
      return dueAfter(now, parseCycle(timer.expression).interval);
  }
}

/**
 * How many times a timer fires while its activity lasts: a cycle `R3/PT24H` three times (a
 * reminder each day for three days), `R/PT24H` as long as the activity lasts (undefined); any
 * other timer once.
 */
export function timerRounds(timer: TimerDefinition): number | undefined {
  return timer.kind === 'cycle' ? parseCycle(timer.expression).repetitions : 1;
}

/**
 * An ISO 8601 repeating interval `R[n]/<duration>`; the forms with a start or end date are not
 * taken. A timeCycle holding a plain duration (`P1Y`, no `R`) is one round, as ISO 8601 reads an
 * interval without repetitions and as bpmn-engine runs it (timers-feature.js "timer delay does not
 * fit into a 32-bit signed integer": due once, a year later).
 */
function parseCycle(expression: string): { repetitions: number | undefined; interval: Temporal.Duration } {
  const match = /^(?:R(\d*)\/)?(P[^/]+)$/.exec(expression.trim());
  if (!match) throw invalidTimer(expression);
  const interval = parseDuration(match[2]!);
  if (interval.blank) throw invalidTimer(expression);
  const repetitions = match[1] === undefined ? 1 : match[1] === '' ? undefined : Number(match[1]);
  if (repetitions === 0) throw invalidTimer(expression);
  return { repetitions, interval };
}

/**
 * The longest `qt:workingHours` timer: five years of office hours (about 2,000 a year), beyond
 * any legal deadline and well inside the ten years the working calendar searches; a longer one
 * would pass deployment and then fail every step that arms it.
 */
export const MAX_TIMER_WORKING_HOURS = 10_000;

/** Why a timer cannot be armed, or undefined: checked at deployment so that no step fails on it later. */
export function timerProblem(timer: TimerDefinition): string | undefined {
  try {
    if (timer.kind === 'cycle') {
      dueAfter(new Date(), parseCycle(timer.expression).interval);
      return undefined;
    }
    if (timer.kind === 'workingHours') {
      const valid = Number.isFinite(timer.hours) && timer.hours >= 0 && timer.hours <= MAX_TIMER_WORKING_HOURS;
      return valid ? undefined : `qt:workingHours must be a number of hours from 0 to ${MAX_TIMER_WORKING_HOURS} (got ${timer.hours})`;
    }
    if (timer.kind === 'date') parseDate(timer.expression);
    else {
      const duration = parseTimeDuration(timer.expression);
      // Armed now, as a step would: a duration past the end of the calendar (P300000Y) fails here, not there.
      try {
        dueAfter(new Date(), duration);
      } catch {
        return `the duration ${timer.expression} falls due past the end of the calendar`;
      }
    }
    return undefined;
  } catch (error) {
    return error instanceof QuyTrinhError ? error.text.en : String(error);
  }
}

/**
 * An ISO 8601 `timeDate`. With `Z` or an offset it is that instant, with a time zone annotation
 * (`[Asia/Ho_Chi_Minh]`) that zone's wall-clock time; without either it is a wall-clock time in
 * Vietnam, the product's time zone, never the server's (`2026-01-01T08:00:00` is 08:00 in Hà Nội
 * whatever TZ the process runs under), and a date alone is its midnight there. JavaScript's Date
 * is not used: it reads such a time in the host's zone and also accepts "12" or "March 7" (as
 * dates in 2001, due at once).
 */
function parseDate(expression: string): Date {
  const text = expression.trim();
  const readings = [
    () => Temporal.Instant.from(text),
    () => Temporal.ZonedDateTime.from(text).toInstant(),
    () => Temporal.PlainDateTime.from(text).toZonedDateTime(VIETNAM_TIME_ZONE).toInstant(),
  ];
  for (const read of readings) {
    try {
      return new Date(read().epochMilliseconds);
    } catch {
      // not this form: try the next
    }
  }
  throw invalidTimer(expression);
}

/** A duration after `now`, in clock time on Vietnam's calendar. */
function dueAfter(now: Date, duration: Temporal.Duration): Date {
  const start = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(VIETNAM_TIME_ZONE);
  return new Date(start.add(duration).epochMilliseconds);
}

/**
 * A timeDuration: an ISO 8601 duration. One written as a repeating interval (`R3/PT0.01S`) is a
 * duration all the same: timeDuration says "once, after this long" (BPMN 2.0 §10.4.5, Table
 * 10.90), repetitions belong to timeCycle, so it falls due once after its interval, as bpmn-engine
 * runs it (timers-feature.js "repeated time duration timer": only one timer event).
 */
function parseTimeDuration(expression: string): Temporal.Duration {
  const repeated = /^R\d*\/(P[^/]+)$/.exec(expression.trim());
  return parseDuration(repeated ? repeated[1]! : expression);
}

function parseDuration(expression: string): Temporal.Duration {
  let duration: Temporal.Duration;
  try {
    duration = Temporal.Duration.from(expression.trim());
  } catch {
    throw invalidTimer(expression);
  }
  if (duration.sign < 0) {
    throw new QuyTrinhError('invalid-model', 'bpmn.invalid-timer', {
      vi: `Khoảng thời gian hẹn giờ "${expression}" là số âm: hẹn giờ không thể đến hạn trước lúc được đặt`,
      en: `Timer duration "${expression}" is negative: a timer cannot fall due before it is armed`,
    });
  }
  return duration;
}

function invalidTimer(expression: string): QuyTrinhError {
  return new QuyTrinhError('invalid-model', 'bpmn.invalid-timer', {
    vi: `Biểu thức hẹn giờ "${expression}" không được hỗ trợ (dùng khoảng thời gian ISO 8601 như PT8H, một thời điểm, chu kỳ như R3/PT24H, hoặc qt:workingHours)`,
    en: `Timer expression "${expression}" is not supported (use an ISO 8601 duration such as PT8H, a date-time, a cycle such as R3/PT24H, or qt:workingHours)`,
  });
}
