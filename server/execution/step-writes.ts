/**
 * The locked path's writes: a step's plan (write-plan.ts) carried out in the transaction that
 * stores the step, so that the instance, its tasks, jobs, subscriptions and timers always change
 * together or not at all; and the instances a step starts (the runs and called instances of its
 * activities), inserted with their first steps in the same transaction. The two call each other
 * (a started instance's first step may start instances), so they live together here.
 */
import type { Knex } from 'knex';
import type { CompiledProcess, InstanceInput } from '../../engine/compile/index.ts';
import { isQuyTrinhError, QuyTrinhError } from '../../engine/errors.ts';
import { startInstance, type Step } from '../../engine/runtime/instance.ts';
import { agencyCalendars } from './agency-calendars.ts';
import { cancelCalledProcesses, notifyCaller } from './calls.ts';
import { compiledInstance, latestDefinition } from './definitions.ts';
import { addJobs, removeJobs, type JobSpec } from './job-kinds.ts';
import { historyColumns, planEffects, stepColumns, type Caller, type EventMeta, type PlannedWrite } from './write-plan.ts';

/** Carries out a plan's writes in order, in the step's transaction. */
export async function carryOutWrites(trx: Knex.Transaction, writes: readonly PlannedWrite[], now: Date): Promise<void> {
  for (const write of writes) {
    switch (write.kind) {
      case 'task.open':
        await trx('user_tasks').insert(write.row);
        break;
      case 'task.cancel':
        await trx('user_tasks').where({ instance_id: write.instanceId, element_id: write.elementId, status: 'open' }).modify(onlyInstance(write.index)).update({ status: 'cancelled', ended_at: now });
        break;
      case 'job.open':
        await trx('service_jobs').insert(write.row);
        if (write.queued) await addJobs(trx, [write.queued]);
        break;
      case 'job.cancel':
        await trx('service_jobs').where({ instance_id: write.instanceId, element_id: write.elementId, status: 'open' }).modify(onlyInstance(write.index)).update({ status: 'cancelled', ended_at: now });
        break;
      case 'queue.add':
        await addJobs(trx, [write.job]);
        break;
      case 'queue.remove':
        await removeJobs(trx, [write.key]);
        break;
      case 'subscribe':
        await trx('message_subscriptions').insert(write.row);
        break;
      case 'unsubscribe':
        await trx('message_subscriptions').where({ instance_id: write.instanceId, element_id: write.elementId }).delete();
        break;
      case 'signal.subscribe':
        await trx('signal_subscriptions').insert(write.row);
        break;
      case 'signal.unsubscribe':
        await trx('signal_subscriptions').where({ instance_id: write.instanceId, element_id: write.elementId }).delete();
        break;
      case 'signal.throw':
        await trx('signals').insert(write.row);
        await addJobs(trx, [write.job]);
        break;
      case 'children.start':
        if (write.calledKey === undefined) await startChildren(trx, undefined, write.children, now);
        else await startCalledProcesses(trx, write.calledKey, write.children, now);
        break;
      case 'call.cancel':
        await cancelCalledProcesses(trx, write.caller, now);
        break;
    }
  }
}

/** Narrows a close to one instance of a multi-instance activity. */
function onlyInstance(index: number | null) {
  return (query: Knex.QueryBuilder) => {
    if (index !== null) void query.where({ multi_index: index });
  };
}

/**
 * Starts the child instances of one multi-instance activity at once, in the caller's transaction:
 * the runs of a parallel sub-process (children of its inside, on the caller's definition), or the
 * called instances of a call activity (the latest version of `calledKey`).
 */
export async function startChildren(trx: Knex.Transaction, calledKey: string | undefined, children: Array<{ caller: Caller; variables: Record<string, unknown> }>, now: Date): Promise<string[]> {
  const first = children[0];
  if (!first) return [];
  let instance: StartedInstance;
  if (calledKey === undefined) {
    const caller = await trx('process_instances').where({ id: first.caller.instanceId }).first<{ definition_id: string }>('definition_id');
    instance = { definition_id: caller.definition_id, scope_element_id: first.caller.elementId };
  } else {
    instance = { definition_id: (await latestDefinition(trx, calledKey)).id, scope_element_id: null };
  }
  const compiled = await compiledInstance(instance, trx);
  return insertInstances(trx, instance, compiled, children.map(({ caller, variables }) => ({ input: { variables }, caller })), { at: now });
}

/** Starts the called process once per caller (once per item of a multi-instance call activity), together. */
async function startCalledProcesses(trx: Knex.Transaction, calledKey: string, children: Array<{ caller: Caller; variables: Record<string, unknown> }>, now: Date): Promise<void> {
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

/** The definition (and, for a run, the sub-process) instances are started on, and who owns them. */
export interface StartedInstance {
  definition_id: string;
  scope_element_id: string | null;
  owner_account_id?: string | null;
}

/**
 * Inserts instances of one machine with their first steps: one statement for the instances, one
 * for their history, their first tasks and timers together (a list of a thousand runs is a
 * handful of statements, not thousands).
 */
export async function insertInstances(
  trx: Knex.Transaction,
  instance: StartedInstance,
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
  await carryOutFirstSteps(trx, ids.map((id, i) => ({ instanceId: id, step: steps[i]! })), now);
  for (const [i, id] of ids.entries()) if (starts[i]!.caller && steps[i]!.status !== 'active') await notifyCaller(trx, id);
  return ids;
}

/**
 * The first steps of instances just started, together: their tasks in one insert and their
 * timers in one statement, any other write as carryOutWrites does it.
 */
async function carryOutFirstSteps(trx: Knex.Transaction, started: Array<{ instanceId: string; step: Step }>, now: Date): Promise<void> {
  const calendars = await agencyCalendars(trx);
  const tasks: Array<Record<string, unknown>> = [];
  const timers: JobSpec[] = [];
  for (const { instanceId, step } of started) {
    const others: PlannedWrite[] = [];
    for (const write of planEffects(instanceId, step.effects, step.variables, { now, calendars })) {
      if (write.kind === 'task.open') tasks.push(write.row);
      else if (write.kind === 'queue.add') timers.push(write.job);
      else others.push(write);
    }
    if (others.length > 0) await carryOutWrites(trx, others, now);
  }
  await insertInChunks(trx, 'user_tasks', tasks);
  await addJobs(trx, timers);
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
