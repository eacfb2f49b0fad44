import os from 'node:os';
import { Piscina } from 'piscina';
import type * as tasks from './compile-tasks.ts';

/**
 * The compile pool: reading and compiling BPMN models in worker threads (piscina), one per core,
 * so that a deployment of a large model never holds up other requests. Created on first use;
 * idle threads do not keep the process alive.
 */
type Tasks = Pick<typeof tasks, 'checkDeployment' | 'triggeredStarts'>;
export type CompileTaskName = keyof Tasks;

let pool: Piscina | undefined;

/** Runs a named task of compile-tasks.ts in a pool thread. */
export function runInPool<Name extends CompileTaskName>(task: Name, input: Parameters<Tasks[Name]>[0]): Promise<Awaited<ReturnType<Tasks[Name]>>> {
  pool ??= new Piscina({
    filename: new URL('./compile-worker.js', import.meta.url).href,
    maxThreads: os.availableParallelism(),
    // Idle threads are let go after a minute: a thread that read a model of tens of thousands of
    // elements holds on to its heap until then.
    minThreads: 0,
    idleTimeout: 60_000,
    // Below the main thread's priority (Linux nice, per thread): on a busy machine the cores go to
    // answering requests first, and a deployment waits a little longer instead.
    niceIncrement: 10,
  });
  return pool.run({ task, input }) as Promise<Awaited<ReturnType<Tasks[Name]>>>;
}

/** Stops the pool's threads (when the product stops). */
export async function closeCompilePool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}
