import { agencyCalendars } from './agency-calendars.ts';
import type { Knex } from 'knex';
import { timerDueAt, timerRounds } from '../../engine/calendar/index.ts';
import type { Database } from '../db/connect.ts';
import { compiledDefinition, latestDefinition } from './definitions.ts';
import { startProcessInstance } from './instances.ts';
import type { TimerStart } from '../workers/compile-tasks.ts';

/**
 * Instances that start themselves: a timer start event is armed when its version is deployed
 * (replacing the previous version's), a message start event starts one on a matching message.
 * The id of the timer job or message is the id of the instance's start, which is unique: a job
 * re-run after a crash, or a redelivered message, starts nothing twice.
 */
export const TIMER_START_TASK = 'qt.timer-start';

export interface TimerStartPayload {
  key: string;
  startEventId: string;
  /** Which firing of a cycle this job is (1 for the first; absent in jobs armed before cycles ran). */
  round?: number;
}

export async function armTimerStarts(trx: Knex.Transaction, key: string, timerStarts: TimerStart[], now: Date): Promise<void> {
  // starts_with, not LIKE: process ids are full of `_`, which LIKE reads as any character.
  const previous = (await trx.raw<{ rows: Array<{ key: string }> }>('select key from graphile_worker.jobs where starts_with(key, ?)', [`timer-start:${key}:`])).rows;
  for (const job of previous) await trx.raw('select graphile_worker.remove_job(?)', [job.key]);
  const calendars = await agencyCalendars(trx);
  for (const { startEventId, timer, lane } of timerStarts) {
    // A working-time timer start counts the office hours of the agency whose lane it lies in.
    await addTimerStartJob(trx, { key, startEventId, round: 1 }, timerDueAt(calendars.calendarFor(lane), now, timer));
  }
}

async function addTimerStartJob(db: Database | Knex.Transaction, payload: TimerStartPayload, runAt: Date): Promise<void> {
  // The job key names the process and start event: redeploying replaces it, and a cycle's next
  // round replaces the job that is running (graphile-worker detaches a running job from its key).
  await db.raw('select graphile_worker.add_job(?, ?::json, run_at => ?, job_key => ?, max_attempts => 10)', [
    TIMER_START_TASK,
    JSON.stringify(payload),
    runAt.toISOString(),
    `timer-start:${payload.key}:${payload.startEventId}`,
  ]);
}

/**
 * After a cycle (`R3/P1W`: every week, three times) has started its instance, arms its next
 * round, if the latest version of the process still starts that way and rounds are left. Run
 * again after a crash it arms the same next round (the job key is the same).
 */
export async function armNextTimerStartRound(db: Database, payload: TimerStartPayload, now: Date): Promise<void> {
  const compiled = await compiledDefinition((await latestDefinition(db, payload.key)).id, db);
  const start = compiled.graph.nodes.get(payload.startEventId);
  const trigger = start?.trigger;
  if (!start || trigger?.kind !== 'timer' || trigger.timer.kind !== 'cycle') return;
  const round = payload.round ?? 1;
  const rounds = timerRounds(trigger.timer);
  if (rounds !== undefined && round >= rounds) return;
  const calendars = await agencyCalendars(db);
  await addTimerStartJob(db, { ...payload, round: round + 1 }, timerDueAt(calendars.calendarFor(start.lane), now, trigger.timer));
}

/** Starts an instance through a given start event, once per trigger id. */
export async function startOnce(db: Database, key: string, startEventId: string, triggerId: string, variables?: Record<string, unknown>): Promise<boolean> {
  try {
    await startProcessInstance(db, key, { variables, startEventId }, { eventId: triggerId });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return false; // this trigger already started its instance
    throw error;
  }
}
