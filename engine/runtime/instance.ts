import { createActor, type SnapshotFrom } from 'xstate';
import { EFFECT_TYPES, type Effect, type ProcessEvent } from '../compile/effects.ts';
import type { CompiledProcess, InstanceContext, InstanceInput } from '../compile/index.ts';

export type InstanceStatus = 'active' | 'completed' | 'terminated' | 'failed';

/** A snapshot as stored: plain JSON (XState's persisted snapshot). */
export type StoredSnapshot = Record<string, unknown>;

/** The outcome of one step: the new state to store, and the effects to carry out with it. */
export interface Step {
  snapshot: StoredSnapshot;
  status: InstanceStatus;
  activeElementIds: string[];
  variables: Record<string, unknown>;
  failure: InstanceContext['failure'];
  effects: Effect[];
}

type Snapshot = SnapshotFrom<CompiledProcess['machine']>;
type Machine = CompiledProcess['machine'];

function describeStep(machine: Machine, snapshot: Snapshot, actions: Array<{ type: string; params?: unknown }>): Step {
  // XState hands an error thrown while computing the first step back as a snapshot in status
  // 'error' (a later step's error is thrown as it is): either way the step is refused, and
  // nothing of it is stored as if the instance were running.
  if (snapshot.status === 'error') throw snapshot.error;
  const status: InstanceStatus = snapshot.status === 'done' ? (snapshot.value as InstanceStatus) : 'active';
  const metas = Object.values(snapshot.getMeta() as Record<string, { elementId?: string } | undefined>);
  const persisted = machine.getPersistedSnapshot(snapshot) as StoredSnapshot;
  resolved.set(persisted, snapshot);
  return {
    snapshot: persisted,
    status,
    activeElementIds: metas.flatMap((meta) => (meta?.elementId ? [meta.elementId] : [])),
    variables: snapshot.context.variables,
    failure: snapshot.context.failure,
    // XState's own actions (raise, assign) have done their work inside the transition.
    effects: actions.filter((action) => EFFECT_TYPES.has(action.type)).map((action) => ({ type: action.type, params: action.params }) as Effect),
  };
}

/**
 * XState's pure `initialTransition`/`transition` build a throw-away actor for every call, and an
 * actor's constructor computes the machine's initial snapshot: every step would also run the
 * start of the process. The machine's own `getInitialSnapshot`/`transition` with one inert scope
 * per compiled process compute the same steps, equally without running anything: the scope
 * only collects the actions.
 */
type MachineScope = Parameters<Machine['transition']>[2];

const scopes = new WeakMap<Machine, { scope: MachineScope; collected: Array<{ type: string; params?: unknown }> }>();

function pureScope(machine: Machine) {
  let entry = scopes.get(machine);
  if (!entry) {
    const self = createActor(machine, { input: {} });
    const collected: Array<{ type: string; params?: unknown }> = [];
    const scope = {
      self,
      id: '',
      sessionId: '',
      system: self.system,
      defer: () => {},
      logger: () => {},
      stopChild: () => {},
      emit: () => {},
      actionExecutor: (action: { type: string; params?: unknown }) => void collected.push(action),
    } as unknown as MachineScope;
    entry = { scope, collected };
    scopes.set(machine, entry);
  }
  entry.collected.length = 0;
  return entry;
}

/**
 * The state each persisted snapshot was made from. The in-memory runtime hands the snapshot of
 * one step back for the next: that step starts from the state it was made from, which is what
 * resolving it against the machine would compute again (a fifth of a step). A snapshot read back
 * from the database is a new object, and is resolved.
 */
const resolved = new WeakMap<StoredSnapshot, Snapshot>();

/** Starts an instance: the first step, computed without running anything. */
export function startInstance(compiled: CompiledProcess, input: InstanceInput = {}): Step {
  const { scope, collected } = pureScope(compiled.machine);
  const snapshot = compiled.machine.getInitialSnapshot(scope, input);
  return describeStep(compiled.machine, snapshot, [...collected]);
}

/**
 * Applies one event to a stored snapshot, or returns undefined when the instance cannot take it
 * (the task is no longer open, the timer was disarmed): nothing changes, nothing is stored.
 */
export function applyEvent(compiled: CompiledProcess, stored: StoredSnapshot, event: ProcessEvent): Step | undefined {
  return transitionOn(compiled.machine, stored, event);
}

/**
 * Applies an event to a stored snapshot on a given machine: the compiled process's own, or one
 * derived from it with the same states (token-move.ts adds the operator's move to one state).
 */
export function transitionOn(machine: Machine, stored: StoredSnapshot, event: { type: string }): Step | undefined {
  const snapshot = resolveStored(machine, stored);
  if (snapshot.status !== 'active') return undefined;
  const { scope, collected } = pureScope(machine);
  const next = machine.transition(snapshot, event as ProcessEvent, scope);
  // XState hands back the very same snapshot when no transition takes the event, and when one
  // leaves the state configuration and context as they were, having run exit and entry actions
  // (a state re-entered): that is a step only if it did something.
  if (next === snapshot && !collected.some((action) => EFFECT_TYPES.has(action.type))) return undefined;
  return describeStep(machine, next, [...collected]);
}

/** A stored snapshot as the machine's state (the one it was made from, when this process made it). */
export function resolveStored(machine: Machine, stored: StoredSnapshot): Snapshot {
  const kept = resolved.get(stored);
  return kept?.machine === machine ? kept : machine.resolveState(stored as never);
}

/** A stored snapshot resolved on a machine and stored again, without a step: what it is on that machine (no effects). */
export function restoredOn(machine: Machine, stored: StoredSnapshot): Step {
  return describeStep(machine, resolveStored(machine, stored), []);
}

/** The variables a step (or a run, from its start to its end) set or changed: what a history row records. */
export function changedVariables(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(after).filter(([name, value]) => JSON.stringify(before[name]) !== JSON.stringify(value)));
}
