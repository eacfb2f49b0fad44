/**
 * What one step of an instance writes, planned without a database: the instance's new columns,
 * its history row, and its effects as rows per table and queue jobs, in the order the machine
 * produced them. Both write paths carry out the same plan: the locked transaction
 * (step-writes.ts, one statement per write, in order) and the single statement of task
 * completions (single-statement-step.ts, one data-modifying CTE per table over all the plans of a
 * batch, for the plans it covers).
 */
import { randomUUID } from 'node:crypto';
import { addWorkingHours, timerDueAt } from '../../engine/calendar/index.ts';
import { childVariables, correlationKeyValue, type MultiInstanceItem } from '../../engine/compile/effects.ts';
import type { Effect } from '../../engine/compile/index.ts';
import { changedVariables, type Step } from '../../engine/runtime/instance.ts';
import { isBuiltinJobType } from '../workers/job-types.ts';
import type { AgencyCalendars } from './agency-calendars.ts';
import { jobSpec, MESSAGE_JOB, SERVICE_TASK_JOB, SIGNAL_JOB, TIMER_JOB, timerJobKey, type JobSpec } from './job-kinds.ts';

export interface EventMeta {
  /** Unique per event: the same id applied twice changes nothing the second time. */
  eventId: string;
  actor?: string | undefined;
  at?: Date | undefined;
}

/** Who started a child instance: the caller's instance and element, and which of its multi-instance runs. */
export interface Caller {
  instanceId: string;
  elementId: string;
  index?: number | undefined;
}

type EffectParams<Type extends Effect['type']> = Extract<Effect, { type: Type }>['params'];

export type TaskRow = ReturnType<typeof openTaskRow>;
export type SubscriptionRow = ReturnType<typeof subscriptionRow>;
export interface SignalSubscriptionRow {
  instance_id: string;
  element_id: string;
  signal_name: string;
}
/** A signal an instance threw, to broadcast to the others (signals.ts). */
export interface SignalRow {
  id: string;
  name: string;
  source_instance_id: string;
  source_element_id: string;
}
export interface ServiceJobInsert {
  id: string;
  instance_id: string;
  element_id: string;
  job_type: string;
  handler: 'builtin' | 'external';
  status: 'open';
  multi_index: number | null;
  item: string | null;
}

/** One write of a step; `elementId` is the element it concerns. */
export type PlannedWrite =
  | { kind: 'task.open'; elementId: string; row: TaskRow }
  | { kind: 'task.cancel'; elementId: string; instanceId: string; index: number | null }
  | { kind: 'job.open'; elementId: string; row: ServiceJobInsert; queued: JobSpec | undefined }
  | { kind: 'job.cancel'; elementId: string; instanceId: string; index: number | null }
  | { kind: 'queue.add'; elementId: string; instanceId: string; job: JobSpec }
  | { kind: 'queue.remove'; elementId: string; instanceId: string; key: string }
  | { kind: 'subscribe'; elementId: string; row: SubscriptionRow }
  | { kind: 'unsubscribe'; elementId: string; instanceId: string }
  | { kind: 'signal.subscribe'; elementId: string; row: SignalSubscriptionRow }
  | { kind: 'signal.unsubscribe'; elementId: string; instanceId: string }
  | { kind: 'signal.throw'; elementId: string; row: SignalRow; job: JobSpec }
  | { kind: 'children.start'; elementId: string; calledKey: string | undefined; children: Array<{ caller: Caller; variables: Record<string, unknown> }> }
  | { kind: 'call.cancel'; elementId: string; caller: Caller };

export interface WritePlan {
  instance: ReturnType<typeof stepColumns>;
  history: ReturnType<typeof historyColumns>;
  writes: PlannedWrite[];
}

export interface PlanContext {
  now: Date;
  calendars: AgencyCalendars;
  /** The ids the plan draws: of the service jobs it opens (their queue jobs name them), the signals and messages it throws. */
  newId?: () => string;
}

/** The plan of one step taken by an instance on an event. */
export function planStep(
  input: { instanceId: string; step: Step; eventType: string; elementId: string | undefined; meta: EventMeta; variablesBefore: Record<string, unknown> },
  context: PlanContext,
): WritePlan {
  const { instanceId, step } = input;
  return {
    instance: stepColumns(step, context.now),
    history: historyColumns(instanceId, { ...input.meta, at: context.now }, input.eventType, input.elementId, changedVariables(input.variablesBefore, step.variables), step),
    writes: planEffects(instanceId, step.effects, step.variables, context),
  };
}

/**
 * The writes of a step's effects, in order. The child instances a multi-instance activity opens
 * at once are started together, where the first of them comes (after a cancel of the same
 * element's earlier children, if the step has one).
 */
export function planEffects(instanceId: string, effects: readonly Effect[], variables: Record<string, unknown>, { now, calendars, newId = randomUUID }: PlanContext): PlannedWrite[] {
  const children = effects.filter((effect): effect is ChildStart => effect.type === 'qt.run.start' || (effect.type === 'qt.call.start' && effect.params.index !== undefined));
  const childrenOf = new Set(children.map((effect) => effect.params.elementId));
  const isChild = new Set<Effect>(children);
  const writes: PlannedWrite[] = [];
  for (const effect of effects) {
    const { elementId } = effect.params;
    if (isChild.has(effect)) {
      if (childrenOf.delete(elementId)) writes.push(childrenStart(instanceId, children.filter((child) => child.params.elementId === elementId), variables));
      continue;
    }
    switch (effect.type) {
      case 'qt.task.open':
        writes.push({ kind: 'task.open', elementId, row: openTaskRow(instanceId, effect.params, now, calendars) });
        break;
      case 'qt.task.close':
        // A task completed by a person was marked so before the event; what is still open was interrupted.
        writes.push({ kind: 'task.cancel', elementId, instanceId, index: effect.params.index ?? null });
        break;
      case 'qt.job.start': {
        const builtin = isBuiltinJobType(effect.params.jobType);
        const row: ServiceJobInsert = { id: newId(), instance_id: instanceId, element_id: elementId, job_type: effect.params.jobType, handler: builtin ? 'builtin' : 'external', status: 'open', ...multiColumns(effect.params) };
        writes.push({ kind: 'job.open', elementId, row, queued: builtin ? jobSpec(SERVICE_TASK_JOB, { serviceJobId: row.id }) : undefined });
        break;
      }
      case 'qt.job.cancel':
        writes.push({ kind: 'job.cancel', elementId, instanceId, index: effect.params.index ?? null });
        break;
      case 'qt.timer.start':
        writes.push({ kind: 'queue.add', elementId, instanceId, job: jobSpec(TIMER_JOB, { instanceId, elementId }, timerDue(effect.params, now, calendars)) });
        break;
      case 'qt.timer.cancel':
        writes.push({ kind: 'queue.remove', elementId, instanceId, key: timerJobKey(instanceId, elementId) });
        break;
      case 'qt.message.subscribe':
        writes.push({ kind: 'subscribe', elementId, row: subscriptionRow(instanceId, effect.params, variables) });
        break;
      case 'qt.message.unsubscribe':
        writes.push({ kind: 'unsubscribe', elementId, instanceId });
        break;
      case 'qt.message.publish': {
        // A declared key that comes out null publishes the message without one: it reaches what a
        // message without a key reaches (catches declaring no key, message starts), no dossier's keyed catch.
        const correlationKey = effect.params.correlationKey === undefined ? null : correlationKeyValue(effect.params.correlationKey, variables);
        const message = { messageId: newId(), name: effect.params.messageName, ...(correlationKey === null ? {} : { correlationKey }), instanceId, elementId };
        writes.push({ kind: 'queue.add', elementId, instanceId, job: jobSpec(MESSAGE_JOB, message) });
        break;
      }
      case 'qt.signal.subscribe':
        writes.push({ kind: 'signal.subscribe', elementId, row: { instance_id: instanceId, element_id: elementId, signal_name: effect.params.signalName } });
        break;
      case 'qt.signal.unsubscribe':
        writes.push({ kind: 'signal.unsubscribe', elementId, instanceId });
        break;
      case 'qt.signal.broadcast': {
        const row: SignalRow = { id: newId(), name: effect.params.signalName, source_instance_id: instanceId, source_element_id: elementId };
        writes.push({ kind: 'signal.throw', elementId, row, job: jobSpec(SIGNAL_JOB, { signalId: row.id }) });
        break;
      }
      case 'qt.call.start':
        writes.push({ kind: 'children.start', elementId, calledKey: effect.params.calledElement, children: [{ caller: { instanceId, elementId }, variables }] });
        break;
      case 'qt.call.cancel':
        writes.push({ kind: 'call.cancel', elementId, caller: { instanceId, elementId } });
        break;
      case 'qt.run.start':
        break; // always a child, above
    }
  }
  return writes;
}

type ChildStart = Extract<Effect, { type: 'qt.run.start' | 'qt.call.start' }>;

/** The runs or called instances one multi-instance activity opens, each with its item. */
function childrenStart(instanceId: string, effects: ChildStart[], variables: Record<string, unknown>): PlannedWrite {
  const first = effects[0]!;
  return {
    kind: 'children.start',
    elementId: first.params.elementId,
    calledKey: first.type === 'qt.call.start' ? first.params.calledElement : undefined,
    children: effects.map((effect) => ({ caller: { instanceId, elementId: effect.params.elementId, index: effect.params.index }, variables: childVariables(effect.params, variables) })),
  };
}

export function stepColumns(step: Step, now: Date) {
  return {
    status: step.status,
    snapshot: JSON.stringify(step.snapshot),
    variables: JSON.stringify(step.variables),
    active_element_ids: step.activeElementIds,
    failure: step.failure ? JSON.stringify(step.failure) : null,
    ended_at: step.status === 'active' ? null : now,
    /** The elements entered by this step are dated by it (migration 0044, the heat map's counters). */
    stepped_at: now,
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

/**
 * The row of a user task an effect opens; its due date in the working time of the agency doing
 * it, its lane (Decree 45 Art. 11.4: receipt within 08 working hours).
 */
function openTaskRow(instanceId: string, params: EffectParams<'qt.task.open'>, now: Date, calendars: AgencyCalendars) {
  return {
    instance_id: instanceId,
    element_id: params.elementId,
    name: params.name ?? null,
    candidate_group: params.candidateGroup ?? null,
    due_at: params.dueWorkingHours === undefined ? null : addWorkingHours(calendars.calendarFor(params.candidateGroup), now, params.dueWorkingHours),
    status: 'open' as const,
    // When it opened: the step's time, as its history row and due date count from it.
    created_at: now,
    ...multiColumns(params),
  };
}

/** The row of a message subscription; a declared key that evaluates to null stays keyed: it then matches no message (see correlateMessage). */
function subscriptionRow(instanceId: string, params: EffectParams<'qt.message.subscribe'>, variables: Record<string, unknown>) {
  return {
    instance_id: instanceId,
    element_id: params.elementId,
    message_name: params.messageName,
    keyed: Boolean(params.correlationKey),
    correlation_key: params.correlationKey ? correlationKeyValue(params.correlationKey, variables) : null,
  };
}

/** When a timer falls due; a working-time one counts the office hours of its element's agency. */
function timerDue(params: EffectParams<'qt.timer.start'>, now: Date, calendars: AgencyCalendars): Date {
  return timerDueAt(calendars.calendarFor(params.agency), now, params.timer);
}

/** The index and item of one instance of a multi-instance activity, as stored with its task or job. */
function multiColumns(params: MultiInstanceItem): { multi_index: number | null; item: string | null } {
  return { multi_index: params.index ?? null, item: params.index === undefined ? null : JSON.stringify(params.item ?? null) };
}
