import { evaluate } from 'feelin';
import { assign, enqueueActions, raise, setup } from 'xstate';
import { timerRounds } from '../calendar/index.ts';
import { QuyTrinhError } from '../errors.ts';
import type { Conditions } from './conditions.ts';
import { handled, queueCompensation, recordCompletion } from './compensation-log.ts';
import type { Effect, ProcessEvent } from './effects.ts';
import type { MultiInstancePlan } from './multi-instance.ts';
import type { StateConfig } from './state-config.ts';
import { timerOn } from './timer-expressions.ts';

/** What a process instance remembers besides where it is. */
export interface InstanceContext {
  variables: Record<string, unknown>;
  /** The start event the instance was started by (a process may have several). */
  startEventId: string | undefined;
  /** Why the instance failed, when it did. */
  failure: { elementId?: string | undefined; errorCode?: string | undefined; reason: string } | undefined;
  /** The running multi-instance activities, by element id. */
  multi: Record<string, MultiInstanceProgress>;
  /** Rounds a repeating timer (a cycle) has fired while its activity lasts, by element id. */
  timerRounds?: Record<string, number>;
  /**
   * Signals thrown in this instance (`sent`, a count), and for each signal-catching element the
   * count when it was armed: a catch takes only a signal thrown after it began waiting (BPMN 2.0
   * §10.4.5: a signal reaches the events waiting when it is thrown; it is not kept for later ones).
   */
  signals?: { sent: number; armed: Record<string, number> };
  /** The runs done so far of each activity with standard loop characteristics now looping, by element id. */
  loops?: Record<string, number>;
  /**
   * Compensation (BPMN 2.0 §10.7), by scope (the sub-process's id, or the process's): the
   * activities completed there that have a compensation handler, in order of completion, each
   * with the variables its completion set; and those a compensation throw queued for their
   * handlers, the next first. Present only in instances of models with compensation handlers.
   */
  compensation?: Record<string, CompensationLog>;
}

export interface CompensationLog {
  done: CompletedActivity[];
  queue: CompletedActivity[];
}

export interface CompletedActivity {
  elementId: string;
  /** The variables the activity's completion set: given back to its handler when it runs. */
  data?: Record<string, unknown> | undefined;
}

export interface MultiInstanceProgress {
  /** How many instances the activity runs. */
  count: number;
  /**
   * The items still to be read: kept for a sequential collection only, whose items open one after
   * another. A parallel activity opens every item at once and a cardinality's item is its number,
   * so neither copies a list into the snapshot.
   */
  items?: unknown[];
  /** Indexes of the instances open now. */
  open: number[];
  /** The next index to open (sequential). */
  next: number;
  done: number;
  /** The collection was not a list: the activity waits for the error it raised to be handled. */
  invalid?: boolean;
  /**
   * The completionCondition held (BPMN 2.0 §10.3.8): no instance opens any more, the activity is
   * done, and the instances still `open` are cancelled as it is left (qt.mi.end).
   */
  completed?: true;
}

export interface InstanceInput {
  variables?: Record<string, unknown> | undefined;
  startEventId?: string | undefined;
}

/** A BPMN error names the element that raised it (an error end event, a failed job or call, a multi-instance activity), so an uncaught one says where the instance failed. */
type MachineEvent =
  | ProcessEvent
  | { type: 'bpmn.error'; code?: string | undefined; raisedBy?: string | undefined }
  | { type: 'bpmn.escalation'; code?: string | undefined; raisedBy: string }
  | { type: 'bpmn.signal'; signalName: string; seq: number; raisedBy: string }
  | { type: 'qt.boundary'; elementId: string }
  | { type: 'bpmn.cancel'; elementId: string };

export const ROOT_IDS = { running: 'qt:running', end: 'qt:end', completed: 'qt:completed', terminated: 'qt:terminated', failed: 'qt:failed' } as const;

/**
 * Wraps the compiled states of a process into its machine: `running` holds the process, and
 * the instance ends `completed`, `terminated` (a terminate end event) or `failed` (an uncaught
 * BPMN error, or an exclusive gateway with no way out). Guards evaluate FEEL (each condition compiled once, see conditions.ts); the only actions
 * XState itself performs are variable merges and BPMN error raising, everything else is an
 * effect handed back to the runtime.
 */
export function processMachine(processId: string, running: Pick<StateConfig, 'type' | 'initial' | 'states'>, conditions: Conditions) {
  /**
   * Whether a multi-instance loop's completionCondition holds as an instance completes: on the
   * instance's variables, with the loop's attributes as BPMN 2.0 §10.3.8 names them over them
   * (read there only, never stored): how many instances there are, are still open, have completed
   * (this one included), were terminated (none: nothing else ends one while the loop runs), and
   * the completed one's position from 1 (`loopCounter`).
   */
  const completionHolds = (condition: string, variables: Record<string, unknown>, progress: MultiInstanceProgress, active: number, completed: number, index: number | undefined): boolean =>
    conditions.holds(condition, {
      ...variables,
      nrOfInstances: countOf(progress),
      nrOfActiveInstances: active,
      nrOfCompletedInstances: completed,
      nrOfTerminatedInstances: 0,
      ...(index === undefined ? {} : { loopCounter: index + 1 }),
    });
  /**
   * How many instances of a task of no type complete: they complete as they start, one after
   * another, and a completionCondition is tested after each (as qt.mi.complete does for the others):
   * the activity completes with the first after which it holds, the rest never run.
   */
  const passedAtOnce = (plan: MultiInstancePlan, variables: Record<string, unknown>, count: number): number => {
    if (plan.completionCondition === undefined) return count;
    for (let done = 1; done < count; done++) {
      const progress: MultiInstanceProgress = { count, open: [], next: done, done };
      if (completionHolds(plan.completionCondition, variables, progress, plan.sequential ? 0 : count - done, done, done - 1)) return done;
    }
    return count;
  };
  return setup({
    // XState's type tokens: the values are never used, only their types.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    types: { context: {} as InstanceContext, events: {} as MachineEvent, input: {} as InstanceInput },
    guards: {
      'qt.element': ({ event }, params: { elementId: string }) => 'elementId' in event && event.elementId === params.elementId,
      'qt.feel': ({ context }, params: { expression: string }) => conditions.holds(params.expression, context.variables),
      'qt.noneOf': ({ context }, params: { expressions: string[] }) => !params.expressions.some((expression) => conditions.holds(expression, context.variables)),
      'qt.errorCode': ({ event }, params: { code?: string }) => event.type === 'bpmn.error' && (params.code === undefined || event.code === params.code),
      'qt.miOpen': ({ context, event }, params: { elementId: string }) =>
        'index' in event && event.elementId === params.elementId && (context.multi[params.elementId]?.open.includes(event.index ?? -1) ?? false),
      'qt.miDone': ({ context }, params: { elementId: string }) => {
        const progress = context.multi[params.elementId];
        return progress !== undefined && !progress.invalid && (progress.completed === true || progress.done === countOf(progress));
      },
      'qt.miHasNext': ({ context }, params: { elementId: string }) => {
        const progress = context.multi[params.elementId];
        return progress !== undefined && !progress.invalid && progress.completed !== true && progress.next < countOf(progress);
      },
      // A catch-all (no code) takes any escalation; a code takes its own.
      'qt.escalationCode': ({ event }, params: { code?: string }) => event.type === 'bpmn.escalation' && (params.code === undefined || event.code === params.code),
      // A signal from outside reaches every catch armed when it arrives; one thrown within, those armed before it was thrown.
      'qt.signal': ({ context, event }, params: { elementId: string; signalName: string }) =>
        event.type === 'signal'
          ? event.signalName === params.signalName
          : event.type === 'bpmn.signal' && event.signalName === params.signalName && (context.signals?.armed[params.elementId] ?? Infinity) < event.seq,
      'qt.loopMore': ({ context }, params: { elementId: string; maximum: number }) => (context.loops?.[params.elementId] ?? 0) < params.maximum,
      'qt.startedBy': ({ context }, params: { elementId: string; fallback: boolean }) =>
        context.startEventId === params.elementId || (params.fallback && context.startEventId === undefined),
      'qt.compensation.next': ({ context }, params: { scope: string; elementId: string }) => context.compensation?.[params.scope]?.queue[0]?.elementId === params.elementId,
      'qt.compensation.idle': ({ context }, params: { scope: string }) => (context.compensation?.[params.scope]?.queue.length ?? 0) === 0,
    },
    actions: {
      'qt.mergeVariables': assign({
        variables: ({ context, event }) => ('variables' in event && event.variables ? { ...context.variables, ...event.variables } : context.variables),
      }),
      'qt.raiseJobError': raise(({ event }) =>
        event.type === 'job.error' || event.type === 'call.error' ? { type: 'bpmn.error' as const, code: event.errorCode, raisedBy: event.elementId } : { type: 'bpmn.error' as const }),
      'qt.raiseError': raise((_, params: { code?: string; elementId: string }) => ({ type: 'bpmn.error' as const, code: params.code, raisedBy: params.elementId })),
      'qt.raiseBoundary': raise((_, params: { elementId: string }) => ({ type: 'qt.boundary' as const, elementId: params.elementId })),
      'qt.raiseEscalation': raise((_, params: { code?: string; elementId: string }) => ({ type: 'bpmn.escalation' as const, code: params.code, raisedBy: params.elementId })),
      'qt.signal.arm': assign({
        signals: ({ context }, params: { elementId: string }) => {
          const signals = context.signals ?? { sent: 0, armed: {} };
          return { sent: signals.sent, armed: { ...signals.armed, [params.elementId]: signals.sent } };
        },
      }),
      'qt.signal.throw': enqueueActions(({ context, enqueue }, params: { signalName: string; elementId: string }) => {
        const signals = context.signals ?? { sent: 0, armed: {} };
        enqueue.assign({ signals: { ...signals, sent: signals.sent + 1 } });
        enqueue.raise({ type: 'bpmn.signal', signalName: params.signalName, seq: signals.sent + 1, raisedBy: params.elementId });
      }),
      'qt.loop.reset': assign({ loops: ({ context }, params: { elementId: string }) => ({ ...context.loops, [params.elementId]: 0 }) }),
      'qt.loop.count': assign({ loops: ({ context }, params: { elementId: string }) => ({ ...context.loops, [params.elementId]: (context.loops?.[params.elementId] ?? 0) + 1 }) }),
      'qt.loop.end': assign({
        loops: ({ context }, params: { elementId: string }) => {
          const { [params.elementId]: _ended, ...others } = context.loops ?? {};
          return others;
        },
      }),
      'qt.compensation.record': assign({
        compensation: ({ context, event }, params: { scope: string; elementId: string }) =>
          recordCompletion(context.compensation, params, 'variables' in event ? event.variables : undefined),
      }),
      // A multi-instance activity whose instances completed as they started (compensation.ts): one remembered per instance.
      'qt.compensation.recordInstances': assign({
        compensation: ({ context }, params: { scope: string; elementId: string }) =>
          Array.from({ length: context.multi[params.elementId]?.done ?? 0 }).reduce<Record<string, CompensationLog>>((logs) => recordCompletion(logs, params, undefined), context.compensation ?? {}),
      }),
      'qt.compensation.throw': assign({ compensation: ({ context }, params: { scope: string; activityRef?: string | undefined }) => queueCompensation(context.compensation, params) }),
      'qt.compensation.begin': assign({
        variables: ({ context }, params: { scope: string }) => ({ ...context.variables, ...context.compensation?.[params.scope]?.queue[0]?.data }),
      }),
      'qt.compensation.handled': assign({ compensation: ({ context }, params: { scope: string }) => handled(context.compensation, params.scope) }),
      'qt.compensation.clear': assign({
        compensation: ({ context }, params: { scope: string }) => {
          const { [params.scope]: _left, ...others } = context.compensation ?? {};
          return others;
        },
      }),
      'qt.raiseCancel': raise((_, params: { elementId: string }) => ({ type: 'bpmn.cancel' as const, elementId: params.elementId })),
      // Values a bpmn-engine condition gives variables as it is evaluated (condition-dialects.ts, gateways.ts).
      'qt.setVariables': assign({ variables: ({ context }, params: { values: Record<string, string | number | boolean | null> }) => ({ ...context.variables, ...params.values }) }),
      'qt.fail': assign({ failure: (_, params: { elementId: string; reason: string }) => ({ elementId: params.elementId, reason: params.reason }) }),
      'qt.timer.firstRound': assign({ timerRounds: ({ context }, params: { elementId: string }) => ({ ...context.timerRounds, [params.elementId]: 0 }) }),
      'qt.timer.nextRound': enqueueActions(({ context, enqueue }, params: Extract<Effect, { type: 'qt.timer.start' }>['params']) => {
        const fired = (context.timerRounds?.[params.elementId] ?? 0) + 1;
        enqueue.assign({ timerRounds: { ...context.timerRounds, [params.elementId]: fired } });
        const timer = timerOn(params.timer, context.variables);
        if (timer === undefined) {
          enqueue.raise({ type: 'bpmn.error', code: 'TIMER_EXPRESSION_INVALID', raisedBy: params.elementId });
          return;
        }
        const rounds = timerRounds(timer);
        if (rounds === undefined || fired < rounds) enqueue({ type: 'qt.timer.start', params: { ...params, timer } } as never);
      }),
      // A timer written as an expression (timer-expressions.ts): what it gives now is armed, or the run fails at the event.
      'qt.timer.arm': enqueueActions(({ context, enqueue }, params: Extract<Effect, { type: 'qt.timer.start' }>['params']) => {
        const timer = timerOn(params.timer, context.variables);
        if (timer === undefined) enqueue.raise({ type: 'bpmn.error', code: 'TIMER_EXPRESSION_INVALID', raisedBy: params.elementId });
        else enqueue({ type: 'qt.timer.start', params: { ...params, timer } } as never);
      }),
      'qt.mi.begin': enqueueActions(({ context, enqueue }, plan: MultiInstancePlan) => {
        const value = multiInstanceValue(plan, context.variables);
        if (value === undefined) {
          enqueue.assign({ multi: { ...context.multi, [plan.elementId]: { count: 0, open: [], next: 0, done: 0, invalid: true } } });
          enqueue.raise({ type: 'bpmn.error', code: 'MULTI_INSTANCE_COLLECTION_INVALID', raisedBy: plan.elementId });
          return;
        }
        const items = Array.isArray(value) ? value : undefined;
        const count = items ? items.length : (value as number);
        // Refused before anything is allocated: the step is not taken and nothing is stored.
        if (count > MAX_MULTI_INSTANCE_ITEMS) throw tooManyInstances(plan, count);
        // A sub-process's runs start from its loop state (qt.mi.iterate); tasks and jobs open here.
        // A task of no type opens nothing: every instance is done at once, and the activity with them.
        const passed = plan.work.kind === 'none' ? passedAtOnce(plan, context.variables, count) : 0;
        const open = plan.work.kind === 'subProcess' || plan.work.kind === 'none' ? [] : Array.from({ length: plan.sequential ? Math.min(count, 1) : count }, (_, i) => i);
        const progress: MultiInstanceProgress = { count, ...(plan.sequential && items && plan.work.kind !== 'none' ? { items } : {}), open, next: open.length + passed, done: passed, ...(plan.work.kind === 'none' && passed < count ? { completed: true } : {}) };
        enqueue.assign({ multi: { ...context.multi, [plan.elementId]: progress } });
        // A receive task's instances share one subscription (its messages name the element), held while any waits.
        if (plan.work.kind === 'message' && open.length > 0) enqueue({ type: 'qt.message.subscribe', params: { elementId: plan.elementId, messageName: plan.work.messageName, correlationKey: plan.work.correlationKey } } as never);
        for (const index of open) {
          const effect = openEffect(plan, index, items ? items[index] : index + 1);
          if (effect) enqueue(effect as never);
        }
      }),
      'qt.mi.complete': enqueueActions(({ context, event, enqueue }, plan: MultiInstancePlan) => {
        const progress = context.multi[plan.elementId]!;
        // A message completes the first instance waiting; every other event names its instance.
        const index = plan.work.kind === 'message' ? progress.open[0] : 'index' in event ? event.index : undefined;
        // This instance's task or job is done; a called instance or run that reported its end has nothing left to close.
        if (plan.work.kind === 'task' || plan.work.kind === 'job') enqueue(closeEffect(plan, index ?? -1) as never);
        const open = progress.open.filter((i) => i !== index);
        const done = progress.done + 1;
        if (plan.completionCondition !== undefined && completionHolds(plan.completionCondition, context.variables, progress, open.length, done, index)) {
          // The activity completes; what is still open is cancelled as it is left (qt.mi.end).
          enqueue.assign({ multi: { ...context.multi, [plan.elementId]: { ...progress, open, done, completed: true } } });
          return;
        }
        let next = progress.next;
        if (plan.sequential && next < countOf(progress)) {
          open.push(next);
          const effect = openEffect(plan, next, progress.items ? progress.items[next] : next + 1);
          if (effect) enqueue(effect as never);
          next++;
        }
        enqueue.assign({ multi: { ...context.multi, [plan.elementId]: { ...progress, open, next, done } } });
      }),
      'qt.mi.iterate': enqueueActions(({ context, enqueue }, plan: MultiInstancePlan) => {
        const progress = context.multi[plan.elementId]!;
        const index = progress.next;
        const item = progress.items ? progress.items[index] : index + 1;
        // BPMN's loopCounter counts the runs from 1.
        enqueue.assign({
          variables: { ...context.variables, loopCounter: index + 1, ...(plan.elementVariable ? { [plan.elementVariable]: item } : {}) },
          multi: { ...context.multi, [plan.elementId]: { ...progress, open: [index], next: index + 1 } },
        });
      }),
      'qt.mi.iterationDone': assign({
        multi: ({ context }, plan: MultiInstancePlan) => {
          const progress = context.multi[plan.elementId]!;
          const done = progress.done + 1;
          // The run's own variables are the instance's (loopCounter among them): the condition reads them as they are.
          const completed = plan.completionCondition !== undefined && completionHolds(plan.completionCondition, context.variables, progress, 0, done, progress.open[0]);
          return { ...context.multi, [plan.elementId]: { ...progress, open: [], done, ...(completed ? { completed: true as const } : {}) } };
        },
      }),
      'qt.mi.mergeRunVariables': assign({
        // What a run or called instance set comes back; its item and loopCounter were its own.
        variables: ({ context, event }, plan: MultiInstancePlan) => {
          if (event.type !== 'call.complete' || !event.variables) return context.variables;
          const { loopCounter: _counter, ...set } = event.variables;
          if (plan.elementVariable) delete set[plan.elementVariable];
          return { ...context.variables, ...set };
        },
      }),
      'qt.mi.end': enqueueActions(({ context, enqueue }, plan: MultiInstancePlan) => {
        // Left early (an interrupting event): what is still open is closed. A sequential
        // sub-process's run closes its own tasks and jobs as it is left; the child instances of
        // runs and calls still going are ended at once, by one effect.
        const progress = context.multi[plan.elementId];
        const open = progress?.open ?? [];
        if (plan.work.kind === 'message') {
          // Subscribed while any instance waited, from the start (qt.mi.begin): ended with the activity.
          if (progress !== undefined && !progress.invalid && countOf(progress) > 0) enqueue({ type: 'qt.message.unsubscribe', params: { elementId: plan.elementId } } as never);
        } else if (plan.work.kind === 'call' || plan.work.kind === 'run') {
          if (open.length > 0) enqueue({ type: 'qt.call.cancel', params: { elementId: plan.elementId } } as never);
        } else if (plan.work.kind !== 'subProcess') for (const index of open) enqueue(closeEffect(plan, index) as never);
        const { [plan.elementId]: _finished, ...others } = context.multi;
        enqueue.assign({ multi: others });
      }),
    },
  }).createMachine({
    id: processId,
    context: ({ input }) => ({ variables: { ...(input?.variables ?? {}) }, startEventId: input?.startEventId, failure: undefined, multi: {} }),
    initial: 'running',
    states: {
      running: { id: ROOT_IDS.running, ...(running as object), onDone: { target: 'completed' } },
      completed: { id: ROOT_IDS.completed, type: 'final' },
      terminated: { id: ROOT_IDS.terminated, type: 'final' },
      failed: { id: ROOT_IDS.failed, type: 'final' },
    },
    on: {
      // Reached only when no error boundary event caught the error on the way up.
      'bpmn.error': {
        target: `.failed`,
        actions: assign({
          failure: ({ event }) => (event.type === 'bpmn.error' ? { elementId: event.raisedBy, errorCode: event.code, reason: 'uncaught BPMN error' } : { reason: 'uncaught BPMN error' }),
        }),
      },
    },
  });
}

export type ProcessMachine = ReturnType<typeof processMachine>;

/**
 * The most instances one multi-instance activity may open. Its collection or cardinality comes
 * from variables that any start, completion or message can set: without a bound, one request
 * naming a cardinality of 10^8 would allocate until the process dies (an uncatchable heap
 * exhaustion), and even a million would write a task per item and a snapshot of megabytes on
 * every later step. Real consultations involve a handful of agencies.
 */
export const MAX_MULTI_INSTANCE_ITEMS = 10_000;

/** A multi-instance activity's collection (a list) or cardinality (a whole number ≥ 0); undefined when it gives neither. */
function multiInstanceValue(plan: MultiInstancePlan, variables: Record<string, unknown>): unknown[] | number | undefined {
  let value: unknown;
  try {
    value = evaluate(plan.collection ?? plan.cardinality!, variables).value;
  } catch {
    return undefined;
  }
  if (plan.collection) return Array.isArray(value) ? value : undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** Snapshots stored before the count was kept hold every item instead. */
function countOf(progress: MultiInstanceProgress): number {
  return progress.count ?? progress.items?.length ?? 0;
}

function tooManyInstances(plan: MultiInstancePlan, count: number): QuyTrinhError {
  const source = plan.collection ? `qt:collection "${plan.collection}"` : `loopCardinality "${plan.cardinality}"`;
  return new QuyTrinhError('invalid-input', 'multi-instance.too-many', {
    vi: `${source} của hoạt động nhiều thể hiện ${plan.elementId} cho ${count} thể hiện, vượt mức tối đa ${MAX_MULTI_INSTANCE_ITEMS}: hãy sửa biến mà biểu thức này đọc`,
    en: `${source} of multi-instance activity ${plan.elementId} gives ${count} instances, more than the ${MAX_MULTI_INSTANCE_ITEMS} allowed: correct the variable it reads`,
  }, [{ elementId: plan.elementId, message: `${source} gives ${count} instances (at most ${MAX_MULTI_INSTANCE_ITEMS})` }]);
}

/** What one instance opens; nothing for a receive task, whose instances share the activity's subscription. */
function openEffect(plan: MultiInstancePlan, index: number, item: unknown): Effect | undefined {
  const { work, elementId, elementVariable } = plan;
  switch (work.kind) {
    case 'task':
      return { type: 'qt.task.open', params: { elementId, name: work.name, candidateGroup: work.candidateGroup, dueWorkingHours: work.dueWorkingHours, index, item } };
    case 'job':
      return { type: 'qt.job.start', params: { elementId, jobType: work.jobType, index, item } };
    case 'call':
      return { type: 'qt.call.start', params: { elementId, calledElement: work.calledElement, elementVariable, collection: plan.collection, index, item } };
    case 'run':
      return { type: 'qt.run.start', params: { elementId, elementVariable, collection: plan.collection, index, item } };
    case 'message':
      return undefined;
    case 'subProcess':
    case 'none':
      throw new Error('a sub-process run is entered, and a task of no type opens nothing');
  }
}

function closeEffect(plan: MultiInstancePlan, index: number): Effect {
  const params = { elementId: plan.elementId, index };
  return plan.work.kind === 'task' ? { type: 'qt.task.close', params } : { type: 'qt.job.cancel', params };
}
