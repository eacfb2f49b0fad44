import type { Knex } from 'knex';
import { addWorkingHours, timerDueAt } from '../../engine/calendar/index.ts';
import type { Effect } from '../../engine/compile/index.ts';
import { childVariables, type MultiInstanceItem } from '../../engine/compile/effects.ts';
import { evaluate } from 'feelin';
import { normalizeExpression } from '../../engine/compile/conditions.ts';
import { agencyCalendars, type AgencyCalendars } from './agency-calendars.ts';
import { enqueueBuiltinJob, isBuiltinJobType } from './builtin-jobs.ts';
import { cancelCalledProcesses, startCalledProcess, startCalledProcesses } from './calls.ts';
import { insertInChunks, startChildren } from './instances.ts';
import { cancelTimer, scheduleTimer, scheduleTimers } from './timers.ts';


/**
 * Carries out a step's effects inside the transaction that stores the step, so that the
 * instance, its tasks, jobs, subscriptions and timers always change together or not at all.
 */
export async function carryOutEffects(trx: Knex.Transaction, instanceId: string, effects: readonly Effect[], variables: Record<string, unknown>, now: Date): Promise<void> {
  const calendars = await agencyCalendars(trx);
  // The child instances a multi-instance activity opens at once are started together, where the
  // first of them comes (after a cancel of the same element's earlier children, if the step has one).
  const children = effects.filter((effect): effect is ChildStart => effect.type === 'qt.run.start' || (effect.type === 'qt.call.start' && effect.params.index !== undefined));
  const childrenOf = new Set(children.map((effect) => effect.params.elementId));
  const isChild = new Set<Effect>(children);
  for (const effect of effects) {
    const { elementId } = effect.params;
    if (isChild.has(effect)) {
      if (childrenOf.delete(elementId)) await startChildrenOf(trx, instanceId, children.filter((child) => child.params.elementId === elementId), variables, now);
      continue;
    }
    switch (effect.type) {
      case 'qt.task.open':
        await trx('user_tasks').insert(openTaskRow(instanceId, effect.params, now, calendars));
        break;
      case 'qt.task.close':
        // A task completed by a person was marked so before the event; what is still open was interrupted.
        await trx('user_tasks').where({ instance_id: instanceId, element_id: elementId, status: 'open' }).modify(onlyInstance(effect.params.index)).update({ status: 'cancelled', ended_at: now });
        break;
      case 'qt.job.start': {
        const builtin = isBuiltinJobType(effect.params.jobType);
        const [job] = await trx('service_jobs')
          .insert({ instance_id: instanceId, element_id: elementId, job_type: effect.params.jobType, handler: builtin ? 'builtin' : 'external', status: 'open', ...multiColumns(effect.params) })
          .returning<Array<{ id: string }>>('id');
        if (builtin) await enqueueBuiltinJob(trx, job!.id);
        break;
      }
      case 'qt.job.cancel':
        await trx('service_jobs').where({ instance_id: instanceId, element_id: elementId, status: 'open' }).modify(onlyInstance(effect.params.index)).update({ status: 'cancelled', ended_at: now });
        break;
      case 'qt.timer.start':
        await scheduleTimer(trx, instanceId, elementId, timerDue(effect.params, now, calendars));
        break;
      case 'qt.timer.cancel':
        await cancelTimer(trx, instanceId, elementId);
        break;
      case 'qt.message.subscribe':
        await trx('message_subscriptions').insert(subscriptionRow(instanceId, effect.params, variables));
        break;
      case 'qt.message.unsubscribe':
        await trx('message_subscriptions').where({ instance_id: instanceId, element_id: elementId }).delete();
        break;
      case 'qt.call.start':
        await startCalledProcess(trx, { instanceId, elementId }, effect.params.calledElement, variables, now);
        break;
      case 'qt.call.cancel':
        await cancelCalledProcesses(trx, { instanceId, elementId }, now);
        break;
    }
  }
}

type ChildStart = Extract<Effect, { type: 'qt.run.start' | 'qt.call.start' }>;

/** Starts the runs or called instances one multi-instance activity opens, each with its item. */
async function startChildrenOf(trx: Knex.Transaction, instanceId: string, effects: ChildStart[], variables: Record<string, unknown>, now: Date): Promise<void> {
  const first = effects[0]!;
  const children = effects.map((effect) => ({ caller: { instanceId, elementId: effect.params.elementId, index: effect.params.index }, variables: childVariables(effect.params, variables) }));
  if (first.type === 'qt.call.start') await startCalledProcesses(trx, first.params.calledElement, children, now);
  else await startChildren(trx, undefined, children, now);
}

/**
 * The first effects of instances just started, together: their tasks in one insert and their
 * timers in one statement, anything else as carryOutEffects does it.
 */
export async function carryOutFirstEffects(trx: Knex.Transaction, started: Array<{ instanceId: string; effects: readonly Effect[]; variables: Record<string, unknown> }>, now: Date): Promise<void> {
  const calendars = await agencyCalendars(trx);
  const tasks: Array<ReturnType<typeof openTaskRow>> = [];
  const timers: Array<{ instanceId: string; elementId: string; dueAt: Date }> = [];
  for (const { instanceId, effects, variables } of started) {
    const others: Effect[] = [];
    for (const effect of effects) {
      if (effect.type === 'qt.task.open') tasks.push(openTaskRow(instanceId, effect.params, now, calendars));
      else if (effect.type === 'qt.timer.start') timers.push({ instanceId, elementId: effect.params.elementId, dueAt: timerDue(effect.params, now, calendars) });
      else others.push(effect);
    }
    if (others.length > 0) await carryOutEffects(trx, instanceId, others, variables, now);
  }
  await insertInChunks(trx, 'user_tasks', tasks);
  await scheduleTimers(trx, timers);
}

type EffectParams<Type extends Effect['type']> = Extract<Effect, { type: Type }>['params'];

/**
 * The row of a user task an effect opens; its due date in the working time of the agency doing
 * it, its lane (Decree 45 Art. 11.4: receipt within 08 working hours).
 */
export function openTaskRow(instanceId: string, params: EffectParams<'qt.task.open'>, now: Date, calendars: AgencyCalendars) {
  return {
    instance_id: instanceId,
    element_id: params.elementId,
    name: params.name ?? null,
    candidate_group: params.candidateGroup ?? null,
    due_at: params.dueWorkingHours === undefined ? null : addWorkingHours(calendars.calendarFor(params.candidateGroup), now, params.dueWorkingHours),
    status: 'open' as const,
    ...multiColumns(params),
  };
}

/** The row of a message subscription; a declared key that evaluates to null stays keyed: it then matches no message (see correlateMessage). */
export function subscriptionRow(instanceId: string, params: EffectParams<'qt.message.subscribe'>, variables: Record<string, unknown>) {
  return {
    instance_id: instanceId,
    element_id: params.elementId,
    message_name: params.messageName,
    keyed: Boolean(params.correlationKey),
    correlation_key: params.correlationKey ? correlationValue(params.correlationKey, variables) : null,
  };
}

/** When a timer falls due; a working-time one counts the office hours of its element's agency. */
export function timerDue(params: EffectParams<'qt.timer.start'>, now: Date, calendars: AgencyCalendars): Date {
  return timerDueAt(calendars.calendarFor(params.agency), now, params.timer);
}

/** A subscription's correlation key: its FEEL expression evaluated on the instance's variables at that moment. */
function correlationValue(expression: string, variables: Record<string, unknown>): string | null {
  try {
    const { value } = evaluate(normalizeExpression(expression), variables);
    if (value === null || value === undefined) return null;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  } catch {
    return null;
  }
}

/** The index and item of one instance of a multi-instance activity, as stored with its task or job. */
function multiColumns(params: MultiInstanceItem): { multi_index: number | null; item: string | null } {
  return { multi_index: params.index ?? null, item: params.index === undefined ? null : JSON.stringify(params.item ?? null) };
}

/** Narrows a close to one instance of a multi-instance activity. */
function onlyInstance(index: number | undefined) {
  return (query: Knex.QueryBuilder) => {
    if (index !== undefined) void query.where({ multi_index: index });
  };
}
