import type { Knex } from 'knex';
import type { InstanceInput, ProcessEvent } from '../../engine/compile/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { applyEvent, changedVariables, startInstance, type Step, type StoredSnapshot } from '../../engine/runtime/instance.ts';
import type { Database } from '../db/connect.ts';
import type { CompiledProcess } from '../../engine/compile/index.ts';
import { compiledDefinition, compiledInstance, latestDefinition } from './definitions.ts';
import { notifyCaller } from './calls.ts';
import { carryOutEffects, carryOutFirstEffects } from './effects.ts';

export interface InstanceRow {
  id: string;
  parent_instance_id: string | null;
  /** Which instance of the caller's multi-instance activity started this one. */
  parent_multi_index: number | null;
  definition_id: string;
  /** For a run of a parallel multi-instance sub-process: that sub-process (its inside is what runs). */
  scope_element_id: string | null;
  business_key: string | null;
  status: Step['status'];
  snapshot: StoredSnapshot;
  variables: Record<string, unknown>;
  active_element_ids: string[];
  failure: unknown;
  revision: number;
}

export interface EventMeta {
  /** Unique per event: the same id applied twice changes nothing the second time. */
  eventId: string;
  actor?: string | undefined;
  at?: Date | undefined;
}

/**
 * What became of an event: applied; a redelivery of one already applied; one the instance cannot
 * take (it ended, or is not waiting there); or one whose builder found nothing left to apply.
 */
export type ApplyOutcome = { kind: 'applied'; step: Step } | { kind: 'duplicate' } | { kind: 'not-applicable' } | { kind: 'nothing-to-apply' };

/** Who started a child instance: the caller's instance and element, and which of its multi-instance runs. */
export interface Caller {
  instanceId: string;
  elementId: string;
  index?: number | undefined;
}

/** Starts an instance of the latest version of a key, in one transaction with its first effects. */
export async function startProcessInstance(
  db: Database | Knex.Transaction,
  key: string,
  input: InstanceInput & { businessKey?: string | undefined },
  meta: Partial<EventMeta> = {},
  applicant?: Applicant,
): Promise<{ id: string }> {
  const definition = await latestDefinition(db, key);
  const compiled = await compiledDefinition(definition.id, db);
  if (input.startEventId !== undefined && !compiled.startEventIds.includes(input.startEventId)) throw unknownStartEvent(key, input.startEventId, compiled.startEventIds);
  const required = compiled.graph.procedure.assuranceLevel ?? 1;
  if (applicant && applicant.assuranceLevel < required) throw assuranceTooLow(key, required);
  const instance = { definition_id: definition.id, scope_element_id: null, owner_account_id: applicant?.accountId ?? null };
  const [id] = await db.transaction((trx) => insertInstances(trx, instance, compiled, [{ input }], meta));
  return { id: id! };
}

/**
 * Starts the child instances of one multi-instance activity at once, in the caller's transaction:
 * the runs of a parallel sub-process (children of its inside, on the caller's definition), or the
 * called instances of a call activity (the latest version of `calledKey`).
 */
export async function startChildren(trx: Knex.Transaction, calledKey: string | undefined, children: Array<{ caller: Caller; variables: Record<string, unknown> }>, now: Date): Promise<string[]> {
  const first = children[0];
  if (!first) return [];
  let instance: Pick<InstanceRow, 'definition_id' | 'scope_element_id'>;
  if (calledKey === undefined) {
    const caller = await trx('process_instances').where({ id: first.caller.instanceId }).first<{ definition_id: string }>('definition_id');
    instance = { definition_id: caller.definition_id, scope_element_id: first.caller.elementId };
  } else {
    instance = { definition_id: (await latestDefinition(trx, calledKey)).id, scope_element_id: null };
  }
  const compiled = await compiledInstance(instance, trx);
  return insertInstances(trx, instance, compiled, children.map(({ caller, variables }) => ({ input: { variables }, caller })), { at: now });
}

/**
 * Inserts instances of one machine with their first steps: one statement for the instances, one
 * for their history, their first tasks and timers together (a list of a thousand runs is a
 * handful of statements, not thousands).
 */
async function insertInstances(
  trx: Knex.Transaction,
  instance: Pick<InstanceRow, 'definition_id' | 'scope_element_id'> & { owner_account_id?: string | null },
  compiled: CompiledProcess,
  starts: Array<{ input: InstanceInput & { businessKey?: string | undefined }; caller?: Caller | undefined }>,
  meta: Partial<EventMeta>,
): Promise<string[]> {
  const now = meta.at ?? new Date();
  const steps = starts.map(({ input }) => startInstance(compiled, { variables: input.variables, startEventId: input.startEventId }));
  const rows = await insertInChunks<{ id: string; parent_multi_index: number | null }>(trx, 'process_instances', starts.map(({ input, caller }, i) => ({
    ...instance,
    business_key: input.businessKey ?? null,
    parent_instance_id: caller?.instanceId ?? null,
    parent_element_id: caller?.elementId ?? null,
    parent_multi_index: caller?.index ?? null,
    ...stepColumns(steps[i]!, now),
  })), ['id', 'parent_multi_index']);
  // Several children of one activity differ by index: each id is matched to its start by it.
  const byIndex = new Map(rows.map((row) => [row.parent_multi_index, row.id]));
  const ids = rows.length === 1 ? [rows[0]!.id] : starts.map(({ caller }) => byIndex.get(caller?.index ?? null)!);
  await insertInChunks(trx, 'instance_history', ids.map((id, i) => historyColumns(id, { eventId: meta.eventId ?? 'start', actor: meta.actor, at: now }, 'start', starts[i]!.input.startEventId, {}, steps[i]!)));
  await carryOutFirstEffects(trx, ids.map((id, i) => ({ instanceId: id, effects: steps[i]!.effects, variables: steps[i]!.variables })), now);
  for (const [i, id] of ids.entries()) if (starts[i]!.caller && steps[i]!.status !== 'active') await notifyCaller(trx, id);
  return ids;
}

/**
 * Inserts rows a thousand at a time: one statement may bind at most 65,535 values (PostgreSQL's
 * protocol), which the 10,000 runs a multi-instance activity may open would exceed.
 */
export async function insertInChunks<Returned = never>(trx: Knex.Transaction, table: string, rows: Array<Record<string, unknown>>, returning?: string[]): Promise<Returned[]> {
  const returned: Returned[] = [];
  for (let from = 0; from < rows.length; from += 1000) {
    const chunk = trx(table).insert(rows.slice(from, from + 1000));
    if (returning) returned.push(...((await chunk.returning(returning)) as Returned[]));
    else await chunk;
  }
  return returned;
}

/** The applicant whose dossier an instance is: its owner, and how surely they were identified (Decree 45 Art. 8). */
export interface Applicant {
  accountId: string;
  assuranceLevel: 1 | 2;
}

function assuranceTooLow(key: string, required: number): QuyTrinhError {
  return new QuyTrinhError('forbidden', 'instance.assurance-too-low', {
    vi: `Thủ tục ${key} yêu cầu tài khoản định danh mức ${required} (xác thực trực tiếp hoặc qua hệ thống định danh quốc gia, Nghị định 45/2020 Điều 8)`,
    en: `Procedure ${key} requires an account identified at level ${required} (verified in person or through the national identity provider, Decree 45/2020 Art. 8)`,
  });
}

/** A start event the process does not have would leave an instance with nowhere to go: refused, nothing stored. */
function unknownStartEvent(key: string, startEventId: string, startEventIds: string[]): QuyTrinhError {
  return new QuyTrinhError('invalid-input', 'instance.start-event-unknown', {
    vi: `Quy trình ${key} không có sự kiện bắt đầu ${startEventId} (có: ${startEventIds.join(', ')})`,
    en: `Process ${key} has no start event ${startEventId} (it has: ${startEventIds.join(', ')})`,
  }, [{ field: 'body.startEventId', message: `not a start event of ${key}` }]);
}

/**
 * Builds the event under the instance lock; may write (e.g. mark the task completed) in the same
 * transaction. `undefined` means there is nothing to apply any more (the job was cancelled, the
 * timer disarmed, since the event was sent): no event then reaches the machine or the history.
 */
export type PrepareEvent = (trx: Knex.Transaction, instance: InstanceRow) => Promise<ProcessEvent | undefined>;

/** Ends the transaction without a step, rolling back whatever `prepare` wrote. */
class Unapplied extends Error {
  constructor(readonly outcome: { kind: 'not-applicable' } | { kind: 'nothing-to-apply' }) {
    super(outcome.kind);
  }
}

/**
 * Applies one event to an instance in one transaction (DESIGN, "The engine", step 1): lock the
 * instance row, skip a redelivered event, build the event (running `prepare` under the lock),
 * compute the pure transition, and store snapshot, history and effects. When the instance cannot
 * take the event, or `prepare` finds nothing to apply, everything `prepare` wrote is rolled back
 * and nothing changes.
 */
export async function applyInstanceEvent(db: Database, instanceId: string, event: ProcessEvent | PrepareEvent, meta: EventMeta): Promise<ApplyOutcome> {
  const now = meta.at ?? new Date();
  // The machine is resolved before the transaction (an instance never changes definition): on a
  // cold cache it reads the model over a pooled connection, and a transaction waiting for a second
  // connection while it holds the instance's lock starves a pool whose other connections all
  // wait for that lock.
  const definition = await db<InstanceRow>('process_instances').where({ id: instanceId }).first('definition_id', 'scope_element_id');
  if (!definition) throw instanceNotFound(instanceId);
  const compiled = await compiledInstance(definition, db);
  try {
    return await db.transaction(async (trx) => {
      const instance = await trx<InstanceRow>('process_instances').where({ id: instanceId }).forUpdate().first();
      if (!instance) throw instanceNotFound(instanceId);
      if (instance.status !== 'active') throw new Unapplied({ kind: 'not-applicable' }); // ended, possibly terminated by its caller
      const seen = await trx('instance_history').where({ instance_id: instanceId, event_id: meta.eventId }).first<{ id: number } | undefined>('id');
      if (seen) return { kind: 'duplicate' } as const;
      const prepared = typeof event === 'function' ? await event(trx, instance) : event;
      if (!prepared) throw new Unapplied({ kind: 'nothing-to-apply' });
      const step = applyEvent(compiled, instance.snapshot, prepared);
      if (!step) throw new Unapplied({ kind: 'not-applicable' });
      await trx('process_instances').where({ id: instanceId }).update({ ...stepColumns(step, now), revision: instance.revision + 1 });
      await appendHistory(trx, instanceId, { ...meta, at: now }, prepared.type, prepared.elementId, changedVariables(instance.variables, step.variables), step);
      await carryOutEffects(trx, instanceId, step.effects, step.variables, now);
      if (instance.parent_instance_id && step.status !== 'active') await notifyCaller(trx, instanceId);
      return { kind: 'applied', step } as const;
    });
  } catch (error) {
    if (error instanceof Unapplied) return error.outcome;
    throw error;
  }
}

function instanceNotFound(instanceId: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'instance.not-found', { vi: `Không có hồ sơ quy trình ${instanceId}`, en: `No process instance ${instanceId}` });
}

export function stepColumns(step: Step, now: Date) {
  return {
    status: step.status,
    snapshot: JSON.stringify(step.snapshot),
    variables: JSON.stringify(step.variables),
    active_element_ids: step.activeElementIds,
    failure: step.failure ? JSON.stringify(step.failure) : null,
    ended_at: step.status === 'active' ? null : now,
  };
}

/** One history row per state change: element, event, actor, time, variables changed (issue 3). */
export function historyColumns(instanceId: string, meta: EventMeta, eventType: string, elementId: string | undefined, variablesChanged: Record<string, unknown>, step: Step) {
  return {
    instance_id: instanceId,
    event_id: meta.eventId,
    event_type: eventType,
    element_id: elementId ?? null,
    actor: meta.actor ?? null,
    at: meta.at,
    variables_changed: JSON.stringify(variablesChanged),
    status_after: step.status,
    active_after: step.activeElementIds,
  };
}

async function appendHistory(trx: Knex.Transaction, instanceId: string, meta: EventMeta, eventType: string, elementId: string | undefined, variablesChanged: Record<string, unknown>, step: Step): Promise<void> {
  await trx('instance_history').insert(historyColumns(instanceId, meta, eventType, elementId, variablesChanged, step));
}
