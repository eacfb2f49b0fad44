import { describe, expect, it } from 'vitest';
import { addWorkingHours, createWorkingCalendar, workingTimeline } from '../../engine/calendar/index.ts';

describe('the working timeline', () => {
  it('answers as addWorkingHours does, across weekends, Tết and closing times', () => {
    const calendar = createWorkingCalendar();
    const from = new Date('2025-01-20T10:30:00+07:00');
    const timeline = workingTimeline(calendar, from, 60);
    // Every quarter hour of 200 working hours, including the exact closing times (4, 8, 12 … hours).
    for (let hours = 0; hours <= 200; hours += 0.25) {
      expect(new Date(timeline.instantAfter(hours)).toISOString(), `${hours} h`).toBe(addWorkingHours(calendar, from, hours).toISOString());
    }
  });

  it('refuses an instant beyond what it holds', () => {
    const timeline = workingTimeline(createWorkingCalendar(), new Date('2025-03-03T08:00:00+07:00'), 1);
    expect(timeline.totalHours).toBe(8);
    expect(() => timeline.instantAfter(8.5)).toThrow(RangeError);
  });
});
