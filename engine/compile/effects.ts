import { evaluate } from 'feelin';
import type { TimerDefinition } from '../bpmn/process-graph.ts';
import { normalizeExpression } from './conditions.ts';

/**
 * The contract between a compiled machine and whoever runs it. The machine never does anything
 * itself (DESIGN: XState as a pure transition function); its transitions return these effects,
 * and the runtime carries them out: in memory for `quytrinh run`, as rows and jobs in one
 * database transaction on the server.
 */
export type Effect =
  | { type: 'qt.task.open'; params: { elementId: string; name?: string | undefined; candidateGroup?: string | undefined; dueWorkingHours?: number | undefined } & MultiInstanceItem }
  | { type: 'qt.task.close'; params: { elementId: string } & MultiInstanceItem }
  | { type: 'qt.job.start'; params: { elementId: string; jobType: string } & MultiInstanceItem }
  | { type: 'qt.job.cancel'; params: { elementId: string } & MultiInstanceItem }
  /** `agency`: the lane of the element, whose working calendar a working-time timer runs on. */
  | { type: 'qt.timer.start'; params: { elementId: string; timer: TimerDefinition; agency?: string | undefined } }
  | { type: 'qt.timer.cancel'; params: { elementId: string } }
  | { type: 'qt.message.subscribe'; params: { elementId: string; messageName: string; correlationKey?: string | undefined } }
  | { type: 'qt.message.unsubscribe'; params: { elementId: string } }
  /**
   * The element sends a message (a message throw with no qt:jobType): it is published as
   * `POST /api/messages` would publish it, to the instances waiting for it and the processes it
   * starts, once the step is stored; `correlationKey` is the throw's FEEL expression, evaluated
   * on the instance's variables of the step (correlationKeyValue).
   */
  | { type: 'qt.message.publish'; params: { elementId: string; messageName: string; correlationKey?: string | undefined } }
  /** The element waits for a signal of this name from outside the instance (another instance's throw, `POST /api/signals`). */
  | { type: 'qt.signal.subscribe'; params: { elementId: string; signalName: string } }
  | { type: 'qt.signal.unsubscribe'; params: { elementId: string } }
  /** The element threw a signal: besides this instance (done within the step), every other instance waiting for it, and the processes it starts, receive it (BPMN 2.0 §10.5.6). */
  | { type: 'qt.signal.broadcast'; params: { elementId: string; signalName: string } }
  /** Starts the called process as a child instance (once per item for a multi-instance call activity). */
  | { type: 'qt.call.start'; params: { elementId: string; calledElement: string } & ChildItem }
  /** Starts one run of a parallel multi-instance sub-process: a child instance of its inside (CompiledProcess.runs). */
  | { type: 'qt.run.start'; params: { elementId: string } & ChildItem }
  /** Ends the child instances the element started and that are still going (its call, or all its calls or runs). */
  | { type: 'qt.call.cancel'; params: { elementId: string } };

export type EffectType = Effect['type'];

/** For one instance of a multi-instance activity: its position in the collection and its item. */
export type MultiInstanceItem = {
  index?: number | undefined;
  item?: unknown;
};

/** What happens to a running instance. Every event names the element it concerns. */
export type ProcessEvent =
  /** A person finished a user task (or a manual step reported done). */
  | { type: 'task.complete'; elementId: string; index?: number | undefined; variables?: Record<string, unknown> | undefined }
  /** A job (service, send, business-rule task) finished. */
  | { type: 'job.complete'; elementId: string; index?: number | undefined; variables?: Record<string, unknown> | undefined }
  /** A job reported a business error (BPMN error), caught by an error boundary event. */
  | { type: 'job.error'; elementId: string; index?: number | undefined; errorCode: string; message?: string | undefined }
  /** A message correlated to the element waiting for it. */
  | { type: 'message'; elementId: string; variables?: Record<string, unknown> | undefined }
  /**
   * A signal from outside the instance (another instance's throw, `POST /api/signals`): every
   * event of the instance waiting for a signal of this name takes it at once, as a broadcast
   * (`elementId` names one of them, for the history); its variables go to the instance when one does.
   */
  | { type: 'signal'; elementId: string; signalName: string; variables?: Record<string, unknown> | undefined }
  /** A timer armed by the element fell due. */
  | { type: 'timer'; elementId: string }
  /**
   * The process a call activity started has ended (completed or terminated); its variables come
   * back. For one instance of a multi-instance call activity or sub-process, `index` says which,
   * and the variables are those its run set.
   */
  | { type: 'call.complete'; elementId: string; index?: number | undefined; variables?: Record<string, unknown> | undefined }
  /** The called process (or run) failed; the error code goes to the activity's error boundary events. */
  | { type: 'call.error'; elementId: string; index?: number | undefined; errorCode: string };

export const EFFECT_TYPES: ReadonlySet<string> = new Set<EffectType>([
  'qt.task.open',
  'qt.task.close',
  'qt.job.start',
  'qt.job.cancel',
  'qt.timer.start',
  'qt.timer.cancel',
  'qt.message.subscribe',
  'qt.message.unsubscribe',
  'qt.message.publish',
  'qt.signal.subscribe',
  'qt.signal.unsubscribe',
  'qt.signal.broadcast',
  'qt.call.start',
  'qt.run.start',
  'qt.call.cancel',
]);

/** For one child instance of a multi-instance activity: its item, where it goes, and the list it came from. */
export type ChildItem = MultiInstanceItem & {
  elementVariable?: string | undefined;
  /** The qt:collection expression: when it names a variable, that list is not copied into each child. */
  collection?: string | undefined;
};

/**
 * The variables a child instance starts with: all the caller's (Circular 01 Art. 16.4, a called
 * procedure works on the dossier), and for one instance of a multi-instance activity its item in
 * the element variable and its position, from 1, in `loopCounter`, as BPMN names it. The list
 * itself stays with the caller: each of N children holding a copy of N items would store N² of
 * them (a hundred million at the 10,000-instance limit).
 */
export function childVariables(params: ChildItem, variables: Record<string, unknown>): Record<string, unknown> {
  if (params.index === undefined) return variables;
  const { [params.collection ?? '']: _list, ...others } = variables;
  return { ...(params.collection !== undefined && params.collection in variables ? others : variables), loopCounter: params.index + 1, ...(params.elementVariable ? { [params.elementVariable]: params.item } : {}) };
}

/**
 * A message's correlation key (qt:correlationKey, a FEEL expression) on an instance's variables:
 * the key a catch subscribes with, or a throw publishes with. Null when it gives nothing (its
 * variable is not set) or cannot be evaluated.
 */
export function correlationKeyValue(expression: string, variables: Record<string, unknown>): string | null {
  try {
    const { value } = evaluate(normalizeExpression(expression), variables);
    if (value === null || value === undefined) return null;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  } catch {
    return null;
  }
}
