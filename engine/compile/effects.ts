import type { TimerDefinition } from '../bpmn/process-graph.ts';

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
  | { type: 'qt.call.start'; params: { elementId: string; calledElement: string } }
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
  /** A timer armed by the element fell due. */
  | { type: 'timer'; elementId: string }
  /** The process a call activity started has ended (completed or terminated); its variables come back. */
  | { type: 'call.complete'; elementId: string; variables?: Record<string, unknown> | undefined }
  /** The called process failed; the error code goes to the call activity's error boundary events. */
  | { type: 'call.error'; elementId: string; errorCode: string };

export const EFFECT_TYPES: ReadonlySet<string> = new Set<EffectType>([
  'qt.task.open',
  'qt.task.close',
  'qt.job.start',
  'qt.job.cancel',
  'qt.timer.start',
  'qt.timer.cancel',
  'qt.message.subscribe',
  'qt.message.unsubscribe',
  'qt.call.start',
  'qt.call.cancel',
]);
