import type { Database } from '../db/connect.ts';
import { applyInstanceEvent, type ApplyOutcome } from './instances.ts';
import { timerJobKey, type TimerPayload } from './job-kinds.ts';

/**
 * Business timers are graphile-worker jobs with a run-at time (DESIGN: never XState `after` or
 * setTimeout, which do not survive a restart). The job key names the instance and element, so
 * arming replaces and disarming removes exactly that timer, in the caller's transaction (job-kinds.ts,
 * TIMER_JOB; armed and disarmed by the step's write plan, write-plan.ts).
 */

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
