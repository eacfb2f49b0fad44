import { Temporal } from 'temporal-polyfill';
import type { TimerDefinition } from '../bpmn/process-graph.ts';
import { QuyTrinhError } from '../errors.ts';
import { VIETNAM_TIME_ZONE } from './civil-date.ts';
import { addWorkingHours, type WorkingCalendar } from './working-time.ts';

/**
 * When a timer falls due. A `qt:workingHours` timer counts office hours on the working calendar
 * (Decree 45 deadlines); an ISO 8601 duration (PT8H, P2D, P1M) counts clock time on Vietnam's
 * calendar, with the Temporal polyfill FEEL itself uses, so months have their real lengths; a
 * date is absolute.
 */
export function timerDueAt(calendar: WorkingCalendar, now: Date, timer: TimerDefinition): Date {
  switch (timer.kind) {
    case 'workingHours':
      return addWorkingHours(calendar, now, timer.hours);
    case 'date':
      return parseDate(timer.expression);
    case 'duration': {
      const start = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(VIETNAM_TIME_ZONE);
      return new Date(start.add(parseDuration(timer.expression)).epochMilliseconds);
    }
    case 'cycle':
      throw invalidTimer(timer.expression);
  }
}

/** Why a timer cannot be armed, or undefined: checked at deployment so that no step fails on it later. */
export function timerProblem(timer: TimerDefinition): string | undefined {
  try {
    if (timer.kind === 'cycle') return `timer cycles (${timer.expression}) are not supported yet`;
    if (timer.kind === 'workingHours') return Number.isFinite(timer.hours) && timer.hours >= 0 ? undefined : 'qt:workingHours must be a number of hours ≥ 0';
    if (timer.kind === 'date') parseDate(timer.expression);
    else parseDuration(timer.expression);
    return undefined;
  } catch (error) {
    return error instanceof QuyTrinhError ? error.text.en : String(error);
  }
}

function parseDate(expression: string): Date {
  const date = new Date(expression.trim());
  if (Number.isNaN(date.getTime())) throw invalidTimer(expression);
  return date;
}

function parseDuration(expression: string): Temporal.Duration {
  try {
    return Temporal.Duration.from(expression.trim());
  } catch {
    throw invalidTimer(expression);
  }
}

function invalidTimer(expression: string): QuyTrinhError {
  return new QuyTrinhError('invalid-model', 'bpmn.invalid-timer', {
    vi: `Biểu thức hẹn giờ "${expression}" không được hỗ trợ (dùng khoảng thời gian ISO 8601 như PT8H, một thời điểm, hoặc qt:workingHours)`,
    en: `Timer expression "${expression}" is not supported (use an ISO 8601 duration such as PT8H, a date-time, or qt:workingHours)`,
  });
}
