import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../designer/src/format.ts';
import { deadlineText } from '../../designer/src/workspace/deadlines.ts';
import { inboxOrder } from '../../designer/src/workspace/Inbox.tsx';
import type { TaskSummary } from '../../designer/src/workspace/workspace-api.ts';

/** Moments on Vietnam's clock (UTC+7), whatever zone the test runs in. */
const vn = (local: string) => new Date(`${local}+07:00`);

describe('deadlines as the workspace shows them', () => {
  it('writes moments dd/mm/yyyy HH:mm in Vietnam time', () => {
    expect(formatDateTime('2026-12-04T09:05:00Z')).toBe('04/12/2026 16:05');
    expect(formatDateTime(vn('2027-01-01T00:30'))).toBe('01/01/2027 00:30');
  });

  it('counts what is left in working hours across a weekend (Decree 45 Art. 11.4)', () => {
    // Friday 16:00 to Monday 10:00: one hour on Friday, two on Monday.
    expect(deadlineText(vn('2026-12-07T10:00').toISOString(), 'vi', vn('2026-12-04T16:00'))).toEqual({ text: 'còn 3 giờ làm việc', overdue: false });
    expect(deadlineText(vn('2026-12-07T09:30').toISOString(), 'en', vn('2026-12-04T16:00'))).toEqual({ text: '2.5 working hours left', overdue: false });
  });

  it('says how late an overdue task is, in working hours, lunch break left out', () => {
    // Due at 11:00, now 14:30: one hour before lunch and one and a half after.
    expect(deadlineText(vn('2026-12-08T11:00').toISOString(), 'vi', vn('2026-12-08T14:30'))).toEqual({ text: 'quá hạn 2,5 giờ', overdue: true });
  });

  it('says a task is overdue without a figure when no working time has passed since (a weekend)', () => {
    // Due on Friday 17:00, seen on Saturday.
    expect(deadlineText(vn('2026-12-04T17:00').toISOString(), 'vi', vn('2026-12-05T10:00'))).toEqual({ text: 'đã quá hạn', overdue: true });
    expect(deadlineText(vn('2026-12-07T08:10').toISOString(), 'vi', vn('2026-12-05T10:00'))).toEqual({ text: 'còn dưới 0,5 giờ làm việc', overdue: false });
  });

  it('orders the inbox overdue first, then soonest due, no deadline last', () => {
    const task = (id: string, dueAt: string | null, overdue?: boolean): TaskSummary => ({ id, instanceId: id, elementId: 'Task', name: null, candidateGroup: null, dueAt, ...(overdue === undefined ? {} : { overdue }) });
    const now = vn('2026-12-08T09:00');
    const ordered = inboxOrder([task('none', null), task('later', vn('2026-12-10T09:00').toISOString()), task('late', vn('2026-12-07T09:00').toISOString()), task('soon', vn('2026-12-08T10:00').toISOString()), task('flagged', vn('2026-12-09T09:00').toISOString(), true)], now);
    expect(ordered.map((item) => item.id)).toEqual(['late', 'flagged', 'soon', 'later', 'none']);
  });
});
