import { COMPILER_VERSION } from '../../engine/compile/index.ts';
import { applyEvent } from '../../engine/runtime/instance.ts';
import type { Database } from '../db/connect.ts';
import { compiledInstance } from './definitions.ts';
import { completionEventId, readTaskCompletions, writeTaskCompletions, type CompletionWrite, type TaskCompletionRead } from './single-statement-step.ts';

/**
 * Task completions that arrive while others are being written are gathered and written together:
 * one query reads all their tasks and instances, one statement writes all their steps
 * (single-statement-step.ts). Under load a round trip carries many completions, and a lone
 * completion waits for nothing. Each completion still succeeds or fails on its own: one whose
 * instance moved on, whose step the statement does not cover, or that shares its instance with
 * another in the batch is handed back to `fallback` (the locked transaction) or to the next batch.
 */
export interface CompletionRequest {
  taskId: string;
  variables: Record<string, unknown> | undefined;
  actor: string | undefined;
}

/** What the batch could not settle: the task's read (to build the locked path's event) or why it failed. */
export type Fallback = (request: CompletionRequest, read: TaskCompletionRead) => Promise<void>;
export type Refusal = (request: CompletionRequest, read: TaskCompletionRead | undefined) => Error;

interface Pending extends CompletionRequest {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Enough to fill a statement without making one huge. */
const MAX_BATCH = 64;
/** Batches written at once: each is one PostgreSQL backend's work, so two keep both cores of a small server busy. */
const LANES = 2;

export class CompletionBatcher {
  private readonly queue: Pending[] = [];
  private lanes = 0;
  /** Instances with a batch being written, and the completions waiting for it to be done. */
  private readonly writing = new Map<string, Pending[]>();

  constructor(
    private readonly db: Database,
    private readonly fallback: Fallback,
    private readonly refuse: Refusal,
  ) {}

  complete(request: CompletionRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      this.startLane();
    });
  }

  private startLane(): void {
    if (this.lanes < LANES && this.queue.length > 0) void this.flush();
  }

  private async flush(): Promise<void> {
    this.lanes++;
    try {
      while (this.queue.length > 0) await this.write(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.lanes--;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    let reads: Map<string, TaskCompletionRead>;
    try {
      reads = await readTaskCompletions(this.db, batch.map((pending) => pending.taskId));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    const writes: Array<CompletionWrite & { pending: Pending }> = [];
    const instances: string[] = [];
    for (const pending of batch) {
      const read = reads.get(pending.taskId);
      if (!read || read.task_status !== 'open' || read.seen || read.instance_status !== 'active') {
        pending.reject(this.refuse(pending, read));
        continue;
      }
      // A snapshot of an older compiler version is migrated first (definitions.ts, upgradeSnapshots): the locked path does it.
      if (read.compiler_version !== COMPILER_VERSION) {
        this.fallback(pending, read).then(pending.resolve, pending.reject);
        continue;
      }
      // Two steps of one instance cannot share a statement (one row, one revision), nor race in
      // two batches: the later waits until the instance's batch is written.
      const waiting = this.writing.get(read.instance_id);
      if (waiting) {
        waiting.push(pending);
        continue;
      }
      this.writing.set(read.instance_id, []);
      instances.push(read.instance_id);
      try {
        const event = { type: 'task.complete' as const, elementId: read.element_id, index: read.multi_index ?? undefined, variables: pending.variables };
        const step = applyEvent(await compiledInstance(read, this.db), read.snapshot, event);
        if (!step) pending.reject(this.refuse(pending, read));
        else writes.push({ pending, read, step, event, meta: { eventId: completionEventId(pending.taskId), actor: pending.actor, at: new Date() } });
      } catch (error) {
        pending.reject(error);
      }
    }
    try {
      if (writes.length > 0) await this.settle(writes);
    } finally {
      for (const instance of instances) {
        this.queue.push(...(this.writing.get(instance) ?? []));
        this.writing.delete(instance);
      }
      this.startLane();
    }
  }

  private async settle(writes: Array<CompletionWrite & { pending: Pending }>): Promise<void> {
    let outcomes: Awaited<ReturnType<typeof writeTaskCompletions>>;
    try {
      outcomes = await writeTaskCompletions(this.db, writes);
    } catch (error) {
      for (const { pending } of writes) pending.reject(error);
      return;
    }
    writes.forEach(({ pending, read }, index) => {
      if (outcomes[index] === 'applied') pending.resolve();
      // Not awaited: the locked path takes its own transaction while the next batch is written.
      else this.fallback(pending, read).then(pending.resolve, pending.reject);
    });
  }
}
