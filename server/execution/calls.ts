import type { Knex } from 'knex';
import { isQuyTrinhError, QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { applyInstanceEvent, startProcessInstance, type Caller, type InstanceRow } from './instances.ts';

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
  const { elementId } = caller;
  try {
    await startProcessInstance(trx, calledKey, { variables }, { at: now }, caller);
  } catch (error) {
    // Not "no such resource" (a 404 for the task whose completion reached the call): the model
    // names a procedure that is not deployed yet. The step is refused; once it is deployed, the
    // same request (or the incident's retry) goes through.
    if (isQuyTrinhError(error) && error.code === 'definition.not-found') {
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

/** An interrupted call activity terminates the instances it called (only the one of `index`, when given), and everything those called in turn. */
export async function cancelCalledProcesses(trx: Knex.Transaction, caller: Caller, now: Date): Promise<void> {
  const children = await trx('process_instances')
    .where({ parent_instance_id: caller.instanceId, parent_element_id: caller.elementId, status: 'active' })
    .modify((query) => {
      if (caller.index !== undefined) void query.where({ parent_multi_index: caller.index });
    })
    .forUpdate()
    .pluck('id') as string[];
  for (const childId of children) await terminateInstance(trx, childId, now);
}

async function terminateInstance(trx: Knex.Transaction, instanceId: string, now: Date): Promise<void> {
  // A new revision, so a completion read before this (single-statement-step.ts) cannot land after it.
  await trx('process_instances').where({ id: instanceId }).update({ status: 'terminated', ended_at: now, active_element_ids: [], revision: trx.raw('revision + 1') });
  await trx('user_tasks').where({ instance_id: instanceId, status: 'open' }).update({ status: 'cancelled', ended_at: now });
  await trx('service_jobs').where({ instance_id: instanceId, status: 'open' }).update({ status: 'cancelled', ended_at: now });
  await trx('message_subscriptions').where({ instance_id: instanceId }).delete();
  const timers = (await trx.raw<{ rows: Array<{ key: string }> }>('select key from graphile_worker.jobs where starts_with(key, ?)', [`timer:${instanceId}:`])).rows;
  for (const { key } of timers) await trx.raw('select graphile_worker.remove_job(?)', [key]);
  await trx('instance_history').insert({ instance_id: instanceId, event_id: `terminated-by-caller`, event_type: 'terminate', at: now, status_after: 'terminated', active_after: [] });
  const grandchildren = await trx('process_instances').where({ parent_instance_id: instanceId, status: 'active' }).forUpdate().pluck('id') as string[];
  for (const childId of grandchildren) await terminateInstance(trx, childId, now);
}
