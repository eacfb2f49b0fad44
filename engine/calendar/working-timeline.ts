import { addDays, vietnamDateOf, vietnamInstant } from './civil-date.ts';
import type { WorkingCalendar } from './working-time.ts';

/**
 * The office periods of a stretch of days laid end to end, so that "the instant N working hours
 * after the start" is a binary search instead of a walk through the calendar. The simulation
 * asks it hundreds of thousands of times; its answers are those of addWorkingHours (a time that
 * ends exactly at a closing time stays there).
 */
export interface WorkingTimeline {
  /** Working hours the timeline holds. */
  readonly totalHours: number;
  /** Epoch milliseconds of the instant `hours` working hours after the timeline's start. */
  instantAfter(hours: number): number;
}

export function workingTimeline(calendar: WorkingCalendar, from: Date, days: number): WorkingTimeline {
  const starts: number[] = [];
  const ends: number[] = [];
  const hoursBefore: number[] = [];
  let total = 0;
  let date = vietnamDateOf(from);
  for (let day = 0; day < days; day++, date = addDays(date, 1)) {
    for (const [start, end] of calendar.periodsOn(date)) {
      const begin = Math.max(vietnamInstant(date, start).getTime(), from.getTime());
      const finish = vietnamInstant(date, end).getTime();
      if (finish <= begin) continue;
      starts.push(begin);
      ends.push(finish);
      hoursBefore.push(total);
      total += (finish - begin) / 3_600_000;
    }
  }
  return {
    totalHours: total,
    instantAfter(hours: number): number {
      if (!(hours >= 0 && hours <= total)) throw new RangeError(`${hours} working hours lie outside a timeline of ${total}`);
      // The last period whose working time starts at or before `hours`, leaving it at a closing time rather than the next opening.
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (hoursBefore[middle]! < hours) low = middle;
        else high = middle - 1;
      }
      return starts[low]! + Math.round((hours - hoursBefore[low]!) * 3_600_000);
    },
  };
}
