import type { Knex } from 'knex';
import type { InstanceInput, ProcessEvent } from '../../engine/compile/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { applyEvent, type Step, type StoredSnapshot } from '../../engine/runtime/instance.ts';
import type { Database } from '../db/connect.ts';
import { agencyCalendars } from './agency-calendars.ts';
import { notifyCaller } from './calls.ts';
import { compiledDefinition, compiledInstance, latestDefinition } from './definitions.ts';
import { carryOutWrites, insertInstances } from './step-writes.ts';
import { planStep, type EventMeta } from './write-plan.ts';

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

/**
 * What became of an event: applied; a redelivery of one already applied; one the instance cannot
 * take (it ended, or is not waiting there); or one whose builder found nothing left to apply.
 */
export type ApplyOutcome = { kind: 'applied'; step: Step } | { kind: 'duplicate' } | { kind: 'not-applicable' } | { kind: 'nothing-to-apply' };

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
      await storeStep(trx, instance, { step, eventType: prepared.type, elementId: prepared.elementId, meta }, now);
      return { kind: 'applied', step } as const;
    });
  } catch (error) {
    if (error instanceof Unapplied) return error.outcome;
    throw error;
  }
}

/**
 * Stores a step computed under the instance's lock: the instance's new state and revision, its
 * history row, its effects' writes, and the caller told when a called instance ended. The
 * events' path above, and an operator's token move (monitoring/interventions.ts).
 */
export async function storeStep(trx: Knex.Transaction, instance: InstanceRow, input: { step: Step; eventType: string; elementId: string | undefined; meta: EventMeta }, now: Date): Promise<void> {
  const { step } = input;
  const plan = planStep({ instanceId: instance.id, ...input, variablesBefore: instance.variables }, { now, calendars: await agencyCalendars(trx) });
  await trx('process_instances').where({ id: instance.id }).update({ ...plan.instance, revision: instance.revision + 1 });
  await trx('instance_history').insert(plan.history);
  await carryOutWrites(trx, plan.writes, now);
  if (instance.parent_instance_id && step.status !== 'active') await notifyCaller(trx, instance.id);
}

export function instanceNotFound(instanceId: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'instance.not-found', { vi: `Không có hồ sơ quy trình ${instanceId}`, en: `No process instance ${instanceId}` });
}
