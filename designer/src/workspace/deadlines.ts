/**
 * Deadlines as officials read them: moments in Vietnam time (dd/mm/yyyy HH:mm, whatever the
 * browser's zone), and what is left of a task's time in working hours on the engine's own
 * calendar (Decree 45 Art. 11.4 counts "08 giờ làm việc"), so the inbox and the engine agree.
 */
import { createWorkingCalendar, workingHoursBetween } from '../../../engine/calendar/index.ts';
import { vietnamDateOf, vietnamMinuteOfDay } from '../../../engine/calendar/civil-date.ts';
import { formatNumber } from '../format.ts';
import type { Language } from '../i18n.ts';
import { workspaceText } from './messages.ts';

const calendar = createWorkingCalendar();
const two = (value: number) => String(value).padStart(2, '0');

/** dd/mm/yyyy HH:mm on Vietnam's clock (UTC+7). */
export function vietnamDateTime(moment: string | Date): string {
  const instant = typeof moment === 'string' ? new Date(moment) : moment;
  const [year, month, day] = vietnamDateOf(instant).split('-');
  const minutes = Math.floor(vietnamMinuteOfDay(instant));
  return `${day}/${month}/${year} ${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

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
