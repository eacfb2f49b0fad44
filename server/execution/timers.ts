import type { Knex } from 'knex';

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
  const payload: TimerPayload = { instanceId, elementId };
  await trx.raw('select graphile_worker.add_job(?, ?::json, run_at => ?, job_key => ?, max_attempts => 10)', [TIMER_TASK, JSON.stringify(payload), dueAt.toISOString(), timerJobKey(instanceId, elementId)]);
}

export async function cancelTimer(trx: Knex.Transaction, instanceId: string, elementId: string): Promise<void> {
  await trx.raw('select graphile_worker.remove_job(?)', [timerJobKey(instanceId, elementId)]);
}
