/**
 * Deadlines as officials read them: what is left of a task's time in working hours on the engine's
 * own calendar (Decree 45 Art. 11.4 counts "08 giờ làm việc"), so the inbox and the engine agree.
 * The moments themselves are written by format.ts (Vietnam time).
 */
import { createWorkingCalendar, workingHoursBetween } from '../../../engine/calendar/index.ts';
import { formatNumber } from '../format.ts';
import type { Language } from '../i18n.ts';
import { workspaceText } from './messages.ts';

const calendar = createWorkingCalendar();

/** Working hours from now to the due moment: negative once overdue. */
export function workingHoursLeft(dueAt: string, now: Date = new Date()): number {
  return workingHoursBetween(calendar, now, new Date(dueAt));
}

/** "còn 3,5 giờ làm việc" or "quá hạn 2 giờ", to the half hour an official plans by. */
export function deadlineText(dueAt: string, language: Language, now: Date = new Date()): { text: string; overdue: boolean } {
  const hours = workingHoursLeft(dueAt, now);
  const rounded = Math.round(Math.abs(hours) * 2) / 2;
  const n = formatNumber(rounded, language, 1);
  // Past due outside office hours (a weekend) is overdue by no working time yet: said without a figure.
  if (hours < 0 || new Date(dueAt) <= now) return { text: workspaceText(language, rounded === 0 ? 'overdueNow' : 'overdueBy', { n }), overdue: true };
  return { text: workspaceText(language, rounded === 0 ? 'remainingLittle' : 'remaining', { n }), overdue: false };
}
