import type { and, stateIn } from 'xstate';
import type { Effect } from './effects.ts';
import type { MultiInstancePlan } from './multi-instance.ts';

/**
 * The slice of XState's state-node configuration the compiler writes. Kept as plain data so
 * that a compiled process can be inspected, serialised and tested without running it.
 */
export interface Guard {
  type: 'qt.element' | 'qt.feel' | 'qt.errorCode' | 'qt.startedBy' | 'qt.noneOf' | 'qt.miOpen' | 'qt.miDone' | 'qt.miHasNext' | 'qt.escalationCode' | 'qt.signal' | 'qt.loopMore' | 'qt.compensation.next' | 'qt.compensation.idle';
  params: Record<string, unknown>;
}

export type Action =
  | Effect
  | { type: 'qt.mergeVariables' }
  | { type: 'qt.raiseJobError' }
  | { type: 'qt.raiseError'; params: { code?: string | undefined; elementId: string } }
  | { type: 'qt.raiseBoundary'; params: { elementId: string } }
  | { type: 'qt.raiseEscalation'; params: { code?: string | undefined; elementId: string } }
  | { type: 'qt.signal.arm'; params: { elementId: string } }
  | { type: 'qt.loop.reset' | 'qt.loop.count' | 'qt.loop.end'; params: { elementId: string } }
  | { type: 'qt.signal.throw'; params: { signalName: string; elementId: string } }
  | { type: 'qt.fail'; params: { elementId: string; reason: string } }
  | { type: 'qt.setVariables'; params: { values: Record<string, string | number | boolean | null> } }
  | { type: 'qt.timer.firstRound'; params: { elementId: string } }
  | { type: 'qt.timer.nextRound' | 'qt.timer.arm'; params: Extract<Effect, { type: 'qt.timer.start' }>['params'] }
  | { type: 'qt.compensation.record'; params: { scope: string; elementId: string } }
  | { type: 'qt.compensation.recordInstances'; params: { scope: string; elementId: string } }
  | { type: 'qt.compensation.throw'; params: { scope: string; activityRef?: string | undefined } }
  | { type: 'qt.compensation.begin' | 'qt.compensation.handled' | 'qt.compensation.clear'; params: { scope: string } }
  | { type: 'qt.raiseCancel'; params: { elementId: string } }
  | { type: 'qt.mi.begin' | 'qt.mi.complete' | 'qt.mi.end' | 'qt.mi.iterate' | 'qt.mi.iterationDone' | 'qt.mi.mergeRunVariables'; params: MultiInstancePlan };

export interface Transition {
  target?: string | undefined;
  /** A guard of ours, XState's `stateIn` (true while the machine is in the given state), or both (`and`). */
  guard?: Guard | ReturnType<typeof stateIn> | ReturnType<typeof and> | undefined;
  actions?: Action[] | undefined;
}

export interface StateConfig {
  id?: string;
  type?: 'parallel' | 'final';
  initial?: string;
  states?: Record<string, StateConfig>;
  on?: Record<string, Transition[]>;
  always?: Transition[];
  onDone?: Transition[];
  entry?: Action[];
  exit?: Action[];
  /** The BPMN element a resting state stands for: how active element ids are read from a snapshot. */
  meta?: { elementId: string };
}

export const elementIs = (elementId: string): Guard => ({ type: 'qt.element', params: { elementId } });

/** Adds a transition to a state's `on` map, after those already there (earlier ones win). */
export function addTransition(state: StateConfig, eventType: string, transition: Transition): void {
  state.on ??= {};
  (state.on[eventType] ??= []).push(transition);
}
