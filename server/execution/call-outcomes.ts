import type { Database } from '../db/connect.ts';
import { applyInstanceEvent, type InstanceRow } from './instances.ts';

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
