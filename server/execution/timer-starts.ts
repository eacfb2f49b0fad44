import type { Knex } from 'knex';
import { timerDueAt } from '../../engine/calendar/index.ts';
import type { Database } from '../db/connect.ts';
import type { TimerStart } from '../workers/compile-tasks.ts';
import { agencyCalendars } from './agency-calendars.ts';
import { addJobs, jobSpec, removeJobs, TIMER_START_JOB, type TimerStartPayload } from './job-kinds.ts';

/**
 * A timer start event is armed when its version is deployed, replacing the previous version's
 * (start-events.ts starts the instance when it fires and arms a cycle's next round).
 */
export async function armTimerStarts(trx: Knex.Transaction, key: string, timerStarts: TimerStart[], now: Date): Promise<void> {
  // starts_with, not LIKE: process ids are full of `_`, which LIKE reads as any character.
  const previous = (await trx.raw<{ rows: Array<{ key: string }> }>('select key from graphile_worker.jobs where starts_with(key, ?)', [`timer-start:${key}:`])).rows;
  await removeJobs(trx, previous.map((job) => job.key));
  const calendars = await agencyCalendars(trx);
  for (const { startEventId, timer, lane } of timerStarts) {
    // A working-time timer start counts the office hours of the agency whose lane it lies in.
    await addTimerStartJob(trx, { key, startEventId, round: 1 }, timerDueAt(calendars.calendarFor(lane), now, timer));
  }
}

/** Arms a timer start's next firing; its job key replaces the one armed before (graphile-worker detaches a running job from its key). */
export async function addTimerStartJob(db: Database | Knex.Transaction, payload: TimerStartPayload, runAt: Date): Promise<void> {
  await addJobs(db, [jobSpec(TIMER_START_JOB, payload, runAt)]);
}
