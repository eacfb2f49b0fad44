import { addWorkingHours, createWorkingCalendar, timerDueAt, type WorkingCalendar } from '../calendar/index.ts';
import type { Effect, ProcessEvent } from '../compile/effects.ts';
import type { CompiledProcess, InstanceInput } from '../compile/index.ts';
import { applyEvent, startInstance, type Step, type StoredSnapshot } from './instance.ts';

/** What one step of a run did, for the trace an analyst reads. */
export interface TraceEntry {
  event: ProcessEvent | { type: 'start' };
  at: string;
  accepted: boolean;
  status: Step['status'];
  activeElementIds: string[];
  effects: Effect[];
}

/** An open piece of waiting work, as the runtime tracks it. */
export interface Waiting {
  elementId: string;
  kind: 'task' | 'job' | 'timer' | 'message' | 'call';
  detail: Record<string, unknown>;
  /** For timers: when they fall due. */
  dueAt?: string | undefined;
}

/**
 * Runs one instance in memory: the same pure steps as the server, with effects kept in maps
 * instead of rows and jobs. Used by `quytrinh run` and by the engine's tests.
 */
export class InMemoryInstance {
  private snapshot: StoredSnapshot;
  private last: Step;
  private readonly waiting = new Map<string, Waiting>();
  readonly trace: TraceEntry[] = [];

  constructor(
    private readonly compiled: CompiledProcess,
    input: InstanceInput = {},
    private now: Date = new Date(),
    private readonly calendar: WorkingCalendar = createWorkingCalendar(),
  ) {
    this.last = startInstance(compiled, input);
    this.snapshot = this.last.snapshot;
    this.record({ type: 'start' }, true);
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
  /** Open tasks, jobs, timers and message subscriptions. */
  get open(): Waiting[] {
    return [...this.waiting.values()];
  }

  /** Applies an event; false when the instance could not take it (nothing changed). */
  send(event: ProcessEvent, at: Date = this.now): boolean {
    this.now = at;
    const step = applyEvent(this.compiled, this.snapshot, event);
    if (!step) {
      this.trace.push({ event, at: at.toISOString(), accepted: false, status: this.last.status, activeElementIds: this.last.activeElementIds, effects: [] });
      return false;
    }
    this.last = step;
    this.snapshot = step.snapshot;
    // A timer that fired is spent (a non-interrupting one leaves its activity open, so no cancel follows).
    if (event.type === 'timer') this.waiting.delete(event.elementId);
    this.record(event, true);
    return true;
  }

  private record(event: TraceEntry['event'], accepted: boolean): void {
    for (const effect of this.last.effects) this.carryOut(effect);
    this.trace.push({ event, at: this.now.toISOString(), accepted, status: this.last.status, activeElementIds: this.last.activeElementIds, effects: this.last.effects });
  }

  private carryOut(effect: Effect): void {
    const { elementId } = effect.params;
    // One waiting entry per instance of a multi-instance activity.
    const key = 'index' in effect.params && effect.params.index !== undefined ? `${elementId}#${effect.params.index}` : elementId;
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
      case 'qt.call.start':
        // In memory the called process is not run: the run's events say how it ended (call.complete / call.error).
        this.waiting.set(key, { elementId, kind: 'call', detail: effect.params });
        break;
      default:
        // every closing effect (task.close, job.cancel, timer.cancel, message.unsubscribe)
        this.waiting.delete(key);
    }
  }
}

function dueAt(calendar: WorkingCalendar, now: Date, workingHours: number | undefined): string | undefined {
  return workingHours === undefined ? undefined : addWorkingHours(calendar, now, workingHours).toISOString();
}
