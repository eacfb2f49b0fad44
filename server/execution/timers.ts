import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
import { applyInstanceEvent, type ApplyOutcome } from './instances.ts';

/**
 * Business timers are graphile-worker jobs with a run-at time (DESIGN: never XState `after` or
 * setTimeout, which do not survive a restart). The job key names the instance and element, so
 * arming replaces and disarming removes exactly that timer, in the caller's transaction.
 */
export const TIMER_TASK = 'qt.timer';

export interface TimerPayload {
  instanceId: string;
  elementId: string;
}

export const timerJobKey = (instanceId: string, elementId: string) => `timer:${instanceId}:${elementId}`;

export async function scheduleTimer(trx: Knex.Transaction, instanceId: string, elementId: string, dueAt: Date): Promise<void> {
  await scheduleTimers(trx, [{ instanceId, elementId, dueAt }]);
}

/** Arms several timers in one statement (the first timers of many runs of a multi-instance sub-process). */
export async function scheduleTimers(trx: Knex.Transaction, timers: Array<TimerPayload & { dueAt: Date }>): Promise<void> {
  if (timers.length === 0) return;
  const specs = timers.map(({ instanceId, elementId, dueAt }) => ({ payload: { instanceId, elementId } satisfies TimerPayload, run_at: dueAt.toISOString(), key: timerJobKey(instanceId, elementId) }));
  await trx.raw(
    'select graphile_worker.add_job(?, t.payload, run_at => t.run_at, job_key => t.key, max_attempts => 10) from json_to_recordset(?::json) as t(payload json, run_at timestamptz, key text)',
    [TIMER_TASK, JSON.stringify(specs)],
  );
}

export async function cancelTimer(trx: Knex.Transaction, instanceId: string, elementId: string): Promise<void> {
  await trx.raw('select graphile_worker.remove_job(?)', [timerJobKey(instanceId, elementId)]);
}

/**
 * Fires the timer a queue job stands for, under the job's id as event id (a retried job never
 * fires twice). The job's id is its timer's identity: a job already running when its timer is
 * disarmed (an interrupting event moved the instance on) or armed again (the activity entered
 * anew, a cycle's next round) loses the key to nothing or to a new job (graphile-worker's
 * `remove_job` and `add_job` in replace mode), so a job that no longer holds its key under the
 * instance lock is stale: it must neither fire the newer timer early nor act on the old one.
 */
export async function fireTimer(db: Database, payload: TimerPayload, jobId: string, actor: string): Promise<ApplyOutcome> {
  const { instanceId, elementId } = payload;
  return applyInstanceEvent(
    db,
    instanceId,
    async (trx) => {
      const armed = await trx.raw<{ rows: unknown[] }>('select 1 from graphile_worker.jobs where id = ? and key = ?', [jobId, timerJobKey(instanceId, elementId)]);
      return armed.rows.length > 0 ? { type: 'timer', elementId } : undefined;
    },
    { eventId: `timer:${jobId}`, actor },
  );
}
