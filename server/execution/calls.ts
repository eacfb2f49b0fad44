import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
import { addJobs, CALL_DONE_JOB, jobSpec } from './job-kinds.ts';
import type { Caller } from './write-plan.ts';

/**
 * Call activities: the called procedure runs as an instance of its own, started in the caller's
 * transaction. Its end reaches the caller through a job (never by locking the caller from the
 * child's transaction), and an interrupted call terminates the child in the caller's transaction:
 * locks are always taken caller first, so the two can never deadlock. The called instances are
 * started by step-writes.ts; their outcome is delivered by call-outcomes.ts.
 */

/** The caller waiting for a called instance's outcome. */
export async function callerOf(db: Database, childInstanceId: string): Promise<{ instanceId: string; elementId: string } | undefined> {
  const child = await db('process_instances').where({ id: childInstanceId }).first<{ parent_instance_id: string | null; parent_element_id: string | null } | undefined>('parent_instance_id', 'parent_element_id');
  return child?.parent_instance_id && child.parent_element_id ? { instanceId: child.parent_instance_id, elementId: child.parent_element_id } : undefined;
}

/** Called when an instance with a caller ends: queue the delivery of its outcome to the caller. */
export async function notifyCaller(trx: Knex.Transaction, childInstanceId: string): Promise<void> {
  await addJobs(trx, [jobSpec(CALL_DONE_JOB, { childInstanceId })]);
}

/** An interrupted call activity (or parallel multi-instance sub-process) terminates the instances it started, and everything those called in turn. */
export async function cancelCalledProcesses(trx: Knex.Transaction, caller: Caller, now: Date): Promise<void> {
  const children = await trx('process_instances').where({ parent_instance_id: caller.instanceId, parent_element_id: caller.elementId, status: 'active' }).forUpdate().pluck('id') as string[];
  await terminateInstances(trx, children, now);
}

/** Terminates instances and what they called, a generation at a time (all the runs of a sub-process in a few statements). */
export async function terminateInstances(trx: Knex.Transaction, instanceIds: string[], now: Date, eventId = 'terminated-by-caller', actor: string | null = null): Promise<void> {
  if (instanceIds.length === 0) return;
  // A new revision, so a completion read before this (single-statement-step.ts) cannot land after it.
  await trx('process_instances').whereIn('id', instanceIds).update({ status: 'terminated', ended_at: now, active_element_ids: [], revision: trx.raw('revision + 1') });
  await trx('user_tasks').whereIn('instance_id', instanceIds).where({ status: 'open' }).update({ status: 'cancelled', ended_at: now });
  await trx('service_jobs').whereIn('instance_id', instanceIds).where({ status: 'open' }).update({ status: 'cancelled', ended_at: now });
  await trx('message_subscriptions').whereIn('instance_id', instanceIds).delete();
  await trx('signal_subscriptions').whereIn('instance_id', instanceIds).delete();
  // Their timers (keys timer:<instance>:<element>), found by a join rather than one pattern per instance.
  await trx.raw("select graphile_worker.remove_job(j.key) from graphile_worker.jobs j join unnest(?::text[]) as i(id) on split_part(j.key, ':', 2) = i.id where starts_with(j.key, 'timer:')", [instanceIds]);
  await trx('instance_history').insert(instanceIds.map((id) => ({ instance_id: id, event_id: eventId, event_type: 'terminate', actor, at: now, status_after: 'terminated', active_after: [] })));
  const grandchildren = await trx('process_instances').whereIn('parent_instance_id', instanceIds).where({ status: 'active' }).forUpdate().pluck('id') as string[];
  await terminateInstances(trx, grandchildren, now);
}
