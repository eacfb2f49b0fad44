import { agencyCalendars } from './agency-calendars.ts';
import { timerDueAt, timerRounds } from '../../engine/calendar/index.ts';
import type { Database } from '../db/connect.ts';
import { compiledDefinition, latestDefinition } from './definitions.ts';
import { startProcessInstance } from './instances.ts';
import type { TimerStartPayload } from './job-kinds.ts';
import { addTimerStartJob } from './timer-starts.ts';

/**
 * Instances that start themselves: a timer start event is armed when its version is deployed
 * (replacing the previous version's), a message start event starts one on a matching message.
 * The id of the timer job or message is the id of the instance's start, which is unique: a job
 * re-run after a crash, or a redelivered message, starts nothing twice. Timer starts are armed at
 * deployment by timer-starts.ts.
 */
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
