import type { Knex } from 'knex';
import { isQuyTrinhError, QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { applyInstanceEvent, startChildren, type Caller, type InstanceRow } from './instances.ts';

/**
 * Call activities: the called procedure runs as an instance of its own, started in the caller's
 * transaction. Its end reaches the caller through a job (never by locking the caller from the
 * child's transaction), and an interrupted call terminates the child in the caller's transaction:
 * locks are always taken caller first, so the two can never deadlock.
 */
export const CALL_DONE_TASK = 'qt.call-done';

export interface CallDonePayload {
  childInstanceId: string;
}

export async function startCalledProcess(trx: Knex.Transaction, caller: Caller, calledKey: string, variables: Record<string, unknown>, now: Date): Promise<void> {
  await startCalledProcesses(trx, calledKey, [{ caller, variables }], now);
}

/** Starts the called process once per caller (once per item of a multi-instance call activity), together. */
export async function startCalledProcesses(trx: Knex.Transaction, calledKey: string, children: Array<{ caller: Caller; variables: Record<string, unknown> }>, now: Date): Promise<void> {
  try {
    await startChildren(trx, calledKey, children, now);
  } catch (error) {
    // Not "no such resource" (a 404 for the task whose completion reached the call): the model
    // names a procedure that is not deployed yet. The step is refused; once it is deployed, the
    // same request (or the incident's retry) goes through.
    if (isQuyTrinhError(error) && error.code === 'definition.not-found') {
      const { elementId } = children[0]!.caller;
      throw new QuyTrinhError('invalid-model', 'call.not-deployed', {
        vi: `Hoạt động gọi ${elementId} gọi quy trình ${calledKey}, nhưng quy trình này chưa được triển khai`,
        en: `Call activity ${elementId} calls process ${calledKey}, which is not deployed`,
      }, [{ elementId, message: `${calledKey} is not deployed` }], { cause: error });
    }
    throw error;
  }
}

/** The caller waiting for a called instance's outcome. */
export async function callerOf(db: Database, childInstanceId: string): Promise<{ instanceId: string; elementId: string } | undefined> {
  const child = await db('process_instances').where({ id: childInstanceId }).first<{ parent_instance_id: string | null; parent_element_id: string | null } | undefined>('parent_instance_id', 'parent_element_id');
  return child?.parent_instance_id && child.parent_element_id ? { instanceId: child.parent_instance_id, elementId: child.parent_element_id } : undefined;
}

/** Called when an instance with a caller ends: queue the delivery of its outcome to the caller. */
export async function notifyCaller(trx: Knex.Transaction, childInstanceId: string): Promise<void> {
  const payload: CallDonePayload = { childInstanceId };
  await trx.raw('select graphile_worker.add_job(?, ?::json, max_attempts => 10)', [CALL_DONE_TASK, JSON.stringify(payload)]);
}

/**
 * The job: the caller takes `call.complete` (with the child's variables) or `call.error`, once.
 * One instance of a multi-instance activity says which it was, and hands back only the variables
 * its run set (from its history): the rest of its copy of the caller's variables may be stale by
 * now, another run having changed them meanwhile.
 */
export async function deliverCallOutcome(db: Database, childInstanceId: string): Promise<void> {
  const child = await db<InstanceRow & { parent_element_id: string | null }>('process_instances').where({ id: childInstanceId }).first();
  if (!child?.parent_instance_id || !child.parent_element_id || child.status === 'active') return;
  const elementId = child.parent_element_id;
  const index = child.parent_multi_index ?? undefined;
  const errorCode = (child.failure as { errorCode?: string } | null)?.errorCode;
  await applyInstanceEvent(
    db,
    child.parent_instance_id,
    child.status === 'failed'
      ? { type: 'call.error', elementId, index, errorCode: errorCode ?? 'CALLED_PROCESS_FAILED' }
      : { type: 'call.complete', elementId, index, variables: index === undefined ? child.variables : await variablesSet(db, childInstanceId) },
    { eventId: `call:${childInstanceId}`, actor: `worker:${process.pid}` },
  );
}

/** The variables an instance set after its start, from its history rows, the later winning. */
async function variablesSet(db: Database, instanceId: string): Promise<Record<string, unknown>> {
  const rows = await db('instance_history').where({ instance_id: instanceId }).whereNot({ event_type: 'start' }).orderBy('id').pluck('variables_changed') as Array<Record<string, unknown> | null>;
  return Object.assign({}, ...rows) as Record<string, unknown>;
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
  // Their timers (keys timer:<instance>:<element>), found by a join rather than one pattern per instance.
  await trx.raw("select graphile_worker.remove_job(j.key) from graphile_worker.jobs j join unnest(?::text[]) as i(id) on split_part(j.key, ':', 2) = i.id where starts_with(j.key, 'timer:')", [instanceIds]);
  await trx('instance_history').insert(instanceIds.map((id) => ({ instance_id: id, event_id: eventId, event_type: 'terminate', actor, at: now, status_after: 'terminated', active_after: [] })));
  const grandchildren = await trx('process_instances').whereIn('parent_instance_id', instanceIds).where({ status: 'active' }).forUpdate().pluck('id') as string[];
  await terminateInstances(trx, grandchildren, now);
}
