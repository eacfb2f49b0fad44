import { addWorkingHours, createWorkingCalendar, timerDueAt, type WorkingCalendar } from '../calendar/index.ts';
import { childVariables, correlationKeyValue, type Effect, type ProcessEvent } from '../compile/effects.ts';
import type { CompiledProcess, InstanceInput } from '../compile/index.ts';
import { applyEvent, changedVariables, startInstance, type Step, type StoredSnapshot } from './instance.ts';

/**
 * An event for the instance, or for an element inside a run of a parallel multi-instance
 * sub-process: `run` lists the run's index at each such sub-process around the element,
 * outermost first (e.g. `[1]`: the second agency's consultation).
 */
export type RoutedEvent = ProcessEvent & { run?: number[] | undefined };

/** What one step of a run did, for the trace an analyst reads. */
export interface TraceEntry {
  event: RoutedEvent | { type: 'start' };
  at: string;
  accepted: boolean;
  status: Step['status'];
  activeElementIds: string[];
  effects: Effect[];
  /** What the runs of parallel multi-instance sub-processes this step started did first (opened their tasks, armed their timers). */
  runs?: Array<{ run: number[]; effects: Effect[] }> | undefined;
}

/** An open piece of waiting work, as the runtime tracks it. */
export interface Waiting {
  elementId: string;
  kind: 'task' | 'job' | 'timer' | 'message' | 'signal' | 'call';
  detail: Record<string, unknown>;
  /** For timers: when they fall due. */
  dueAt?: string | undefined;
  /** Inside a run of a parallel multi-instance sub-process: the run's index at each level (see RoutedEvent). */
  run?: number[] | undefined;
}

/** A message an instance published (a message throw with no qt:jobType), as the server would hand it to correlateMessage. */
export interface PublishedMessage {
  elementId: string;
  name: string;
  /** The value of the throw's qt:correlationKey on the step's variables; absent: published without a key. */
  correlationKey?: string | undefined;
}

/**
 * Runs one instance in memory: the same pure steps as the server, with effects kept in maps
 * instead of rows and jobs. Used by `quytrinh run` and by the engine's tests.
 */
export class InMemoryInstance {
  private snapshot: StoredSnapshot;
  private last: Step;
  private readonly waiting = new Map<string, Waiting>();
  /** The runs of parallel multi-instance sub-processes under way, by `elementId#index`. */
  private readonly runs = new Map<string, { elementId: string; index: number; call?: boolean; single?: boolean; instance: InMemoryInstance; startVariables: Record<string, unknown> }>();
  /** Outcomes of runs that ended, delivered once the step that ended them is recorded (the server sends them through a job). */
  private readonly outcomes: ProcessEvent[] = [];
  readonly trace: TraceEntry[] = [];
  /**
   * The messages this instance published, in order: its outbox. In memory there is no other
   * instance for them to reach, so they stay here for the reader (the server publishes them).
   */
  readonly published: PublishedMessage[] = [];

  constructor(
    private readonly compiled: CompiledProcess,
    input: InstanceInput = {},
    private now: Date = new Date(),
    private readonly calendar: WorkingCalendar = createWorkingCalendar(),
    /** For a run: the sub-process whose inside it runs. */
    private readonly scope?: string,
  ) {
    this.last = startInstance(compiled, input);
    this.snapshot = this.last.snapshot;
    this.record({ type: 'start' }, true);
    this.deliverOutcomes();
  }

  get status() {
    return this.last.status;
  }
  get variables() {
    return this.last.variables;
  }
  get activeElementIds() {
    return this.last.activeElementIds;
  }
  get failure() {
    return this.last.failure;
  }
  /** Open tasks, jobs, timers, message and signal subscriptions, the runs' included. */
  get open(): Waiting[] {
    const inRuns = [...this.runs.values()].flatMap(({ index, instance }) => instance.open.map((waiting) => ({ ...waiting, run: [index, ...(waiting.run ?? [])] })));
    return [...this.waiting.values(), ...inRuns];
  }

  /** Applies an event; false when the instance could not take it (nothing changed). */
  send(event: RoutedEvent, at: Date = this.now): boolean {
    this.now = at;
    if (event.run?.length) return this.sendToRun(event, at);
    const { run: _none, ...own } = event;
    const step = applyEvent(this.compiled, this.snapshot, own);
    if (!step) {
      this.trace.push({ event, at: at.toISOString(), accepted: false, status: this.last.status, activeElementIds: this.last.activeElementIds, effects: [] });
      return false;
    }
    this.last = step;
    this.snapshot = step.snapshot;
    // A timer that fired is spent (a non-interrupting one leaves its activity open, so no cancel follows);
    // a called instance that ended is over.
    if (event.type === 'timer') this.waiting.delete(`timer:${event.elementId}`);
    if ((event.type === 'call.complete' || event.type === 'call.error') && event.index !== undefined) this.waiting.delete(`${event.elementId}#${String(event.index)}`);
    this.record(event, true);
    this.deliverOutcomes();
    return true;
  }

  /** Hands an event to the run it names; when that run ends, its outcome comes back here as the server's job would bring it. */
  private sendToRun(event: RoutedEvent, at: Date): boolean {
    const [index, ...inner] = event.run!;
    const subProcess = this.runAround(event.elementId) ?? this.callAround(event.elementId);
    const run = subProcess === undefined ? undefined : this.runs.get(`${subProcess}#${String(index)}`);
    const seen = run?.instance.trace.length ?? 0;
    const accepted = run?.instance.send({ ...event, run: inner }, at) ?? false;
    // The run's steps: this event's, and those of outcomes of runs of its own that it ended.
    const steps = accepted ? run!.instance.trace.slice(seen) : [];
    const started = steps.flatMap((step) => inRun(index!, step));
    this.trace.push({ event, at: at.toISOString(), accepted, status: this.last.status, activeElementIds: this.last.activeElementIds, effects: steps.flatMap((step) => step.effects), ...(started.length > 0 ? { runs: started } : {}) });
    if (run && run.instance.status !== 'active') this.runEnded(run);
    this.deliverOutcomes();
    return accepted;
  }

  /** The parallel multi-instance sub-process, directly under this instance's scope, that holds an element. */
  private runAround(elementId: string): string | undefined {
    let around: string | undefined;
    for (let id = this.compiled.graph.nodes.get(elementId)?.parentId; id !== undefined && id !== this.scope; id = this.compiled.graph.nodes.get(id)?.parentId) {
      if (this.compiled.runs.has(id)) around = id;
    }
    return around;
  }

  /**
   * The call activity whose run of another process of the file (called-processes.ts) holds an
   * element: the first such call under way (an event names a run by its index alone, 0 for a call).
   */
  private callAround(elementId: string): string | undefined {
    return [...this.runs.values()].find((run) => run.call === true && run.instance.holds(elementId))?.elementId;
  }

  /** Whether an element is this instance's process's, or that of a run it has going. */
  private holds(elementId: string): boolean {
    return this.compiled.graph.nodes.has(elementId) || [...this.runs.values()].some((run) => run.instance.holds(elementId));
  }

  private runEnded(run: { elementId: string; index: number; single?: boolean; instance: InMemoryInstance; startVariables: Record<string, unknown> }): void {
    this.runs.delete(`${run.elementId}#${String(run.index)}`);
    const { elementId, instance } = run;
    // A single call's run has no index: its outcome comes back without one, as the server's does.
    const index = run.single ? undefined : run.index;
    this.outcomes.push(
      instance.status === 'failed'
        ? { type: 'call.error', elementId, index, errorCode: instance.failure?.errorCode ?? 'CALLED_PROCESS_FAILED' }
        : { type: 'call.complete', elementId, index, variables: changedVariables(run.startVariables, instance.variables) },
    );
  }

  private deliverOutcomes(): void {
    for (let outcome = this.outcomes.shift(); outcome; outcome = this.outcomes.shift()) this.send(outcome);
  }

  private record(event: TraceEntry['event'], accepted: boolean): void {
    const runs: NonNullable<TraceEntry['runs']> = [];
    for (const effect of this.last.effects) {
      const started = this.carryOut(effect);
      const first = started?.instance.trace[0];
      if (started && first) runs.push({ run: [started.index], effects: first.effects }, ...inRun(started.index, first));
    }
    this.trace.push({ event, at: this.now.toISOString(), accepted, status: this.last.status, activeElementIds: this.last.activeElementIds, effects: this.last.effects, ...(runs.length > 0 ? { runs } : {}) });
  }

  /** Carries out one effect; returns the run it started, if it started one. */
  private carryOut(effect: Effect): { index: number; instance: InMemoryInstance } | undefined {
    const { elementId } = effect.params;
    // One waiting entry per instance of a multi-instance activity, and per kind of event a
    // multiple event waits for (its timer and its message, say).
    const own = 'index' in effect.params && effect.params.index !== undefined ? `${elementId}#${effect.params.index}` : elementId;
    const event = /^qt\.(timer|message|signal)\./.exec(effect.type)?.[1];
    const key = event === undefined ? own : `${event}:${own}`;
    switch (effect.type) {
      case 'qt.task.open':
        this.waiting.set(key, { elementId, kind: 'task', detail: effect.params, dueAt: dueAt(this.calendar, this.now, effect.params.dueWorkingHours) });
        break;
      case 'qt.job.start':
        this.waiting.set(key, { elementId, kind: 'job', detail: effect.params });
        break;
      case 'qt.timer.start':
        this.waiting.set(key, { elementId, kind: 'timer', detail: effect.params, dueAt: timerDueAt(this.calendar, this.now, effect.params.timer).toISOString() });
        break;
      case 'qt.message.subscribe':
        this.waiting.set(key, { elementId, kind: 'message', detail: effect.params });
        break;
      case 'qt.signal.subscribe':
        this.waiting.set(key, { elementId, kind: 'signal', detail: effect.params });
        break;
      case 'qt.signal.broadcast':
        break; // in memory there is no other instance to reach; this one took its own signal within the step
      case 'qt.message.publish': {
        const correlationKey = effect.params.correlationKey === undefined ? null : correlationKeyValue(effect.params.correlationKey, this.last.variables);
        this.published.push({ elementId, name: effect.params.messageName, ...(correlationKey === null ? {} : { correlationKey }) });
        break;
      }
      case 'qt.call.start':
        // In memory the called process is not run: the run's events say how it ended (call.complete / call.error).
        this.waiting.set(key, { elementId, kind: 'call', detail: effect.params });
        break;
      case 'qt.run.start': {
        const startVariables = childVariables(effect.params, this.last.variables);
        // A call activity's run runs another process of the file (called-processes.ts); a single one has index 0 here, none outside.
        const run = { elementId, index: effect.params.index ?? 0, call: this.compiled.graph.nodes.get(elementId)?.kind === 'callActivity', single: effect.params.index === undefined, instance: new InMemoryInstance(this.compiled.runs.get(elementId)!, { variables: startVariables }, this.now, this.calendar, elementId), startVariables };
        this.runs.set(`${elementId}#${String(run.index)}`, run);
        if (run.instance.status !== 'active') this.runEnded(run); // an inside with nothing to wait for
        return run;
      }
      case 'qt.call.cancel':
        // The call, or every call and run the multi-instance activity still has going: a run is dropped with everything it waits for.
        for (const open of [...this.waiting.keys(), ...this.runs.keys()]) {
          if (open === elementId || open.startsWith(`${elementId}#`)) {
            this.waiting.delete(open);
            this.runs.delete(open);
          }
        }
        break;
      default:
        // every closing effect (task.close, job.cancel, timer.cancel, message.unsubscribe)
        this.waiting.delete(key);
    }
  }
}

/** The runs a run's step started, as seen from its caller. */
function inRun(index: number, entry: TraceEntry): NonNullable<TraceEntry['runs']> {
  return (entry.runs ?? []).map((inner) => ({ run: [index, ...inner.run], effects: inner.effects }));
}

function dueAt(calendar: WorkingCalendar, now: Date, workingHours: number | undefined): string | undefined {
  return workingHours === undefined ? undefined : addWorkingHours(calendar, now, workingHours).toISOString();
}
