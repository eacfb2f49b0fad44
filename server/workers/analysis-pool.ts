/**
 * The analysis pool: worker threads (piscina) that run the API's CPU-heavy analyses
 * (`analysis-tasks.ts`) off the event loop. A simulation of a million dossiers can take twenty
 * seconds of one core; on the event loop it froze every other request for as long. Here it takes a
 * thread, and the process keeps answering.
 *
 * Three limits a client can meet, each a typed error in both languages:
 * - at most `maxThreads` analyses run at once (one per core) and `maxQueue` more wait; beyond that
 *   the request is refused at once (`analysis.busy`, 503, to be retried) rather than queued without
 *   bound, since every queued request holds its models in memory;
 * - an analysis not finished `timeoutMs` after it was asked for is stopped, its thread terminated
 *   (`analysis.timeout`, 503);
 * - the caller may abort it (the HTTP client went away), which terminates the thread as well.
 *
 * Kept apart from the deployment compile pool (`compile-pool.ts`): a queue of long simulations
 * must not hold up a deployment, nor the other way round.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { AnalysisKind, AnalysisTask, TaskOutcome, TaskResults } from './analysis-tasks.ts';

export interface AnalysisLimits {
  /** Analyses running at once, one per thread. */
  maxThreads: number;
  /** Analyses waiting for a thread; one more is refused with `analysis.busy`. */
  maxQueue: number;
  /** From the request to the answer, waiting included. */
  timeoutMs: number;
}

export const DEFAULT_ANALYSIS_LIMITS: AnalysisLimits = {
  maxThreads: availableParallelism(),
  maxQueue: 32,
  timeoutMs: 60_000,
};

/** How long a client refused as busy is told to wait (Retry-After): a few runs of an ordinary analysis. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/** Threads kept after a burst, so that the next one does not pay their start (tsx and the engine, about a second). */
const IDLE_THREAD_MS = 60_000;

export interface AnalysisPool {
  readonly limits: AnalysisLimits;
  /** Runs a task on a thread; `signal` aborts it (and terminates its thread if it has started). */
  run<K extends AnalysisKind>(task: AnalysisTask<K>, signal?: AbortSignal): Promise<TaskResults[K]>;
  /** Terminates the threads; tasks still running or waiting are rejected. */
  destroy(): Promise<void>;
}

/** The pool; its threads start with the first task, so a process that never analyses starts none. */
export function createAnalysisPool(limits: Partial<AnalysisLimits> = {}): AnalysisPool {
  const settled = { ...DEFAULT_ANALYSIS_LIMITS, ...limits };
  let piscina: Piscina | undefined;
  const pool = () =>
    (piscina ??= new Piscina({
      filename: new URL('./analysis-worker.js', import.meta.url).href,
      minThreads: 1,
      maxThreads: settled.maxThreads,
      idleTimeout: IDLE_THREAD_MS,
    }));
  // The queue is bounded here, not with piscina's maxQueue: piscina keeps a task that carries an
  // AbortSignal (every one of ours: the time limit) in a side queue its bound does not count.
  let inFlight = 0;

  return {
    limits: settled,
    async run<K extends AnalysisKind>(task: AnalysisTask<K>, signal?: AbortSignal): Promise<TaskResults[K]> {
      if (inFlight >= settled.maxThreads + settled.maxQueue) throw busy(settled);
      const deadline = AbortSignal.timeout(settled.timeoutMs);
      let outcome: TaskOutcome<K>;
      inFlight++;
      try {
        outcome = (await pool().run(task, { signal: signal ? AbortSignal.any([signal, deadline]) : deadline })) as TaskOutcome<K>;
      } catch (error) {
        if (deadline.aborted) throw timedOut(settled.timeoutMs, { cause: error });
        if (signal?.aborted) throw cancelled({ cause: error });
        throw error;
      } finally {
        inFlight--;
      }
      if (!outcome.ok) throw new QuyTrinhError(outcome.error.kind, outcome.error.code, outcome.error.text, outcome.error.details);
      return outcome.value;
    },
    async destroy() {
      await piscina?.destroy();
      piscina = undefined;
    },
  };
}

let shared: AnalysisPool | undefined;

/** A pool with the default limits, for an app given none (the tests' API server); idle threads never hold the process. */
export function sharedAnalysisPool(): AnalysisPool {
  return (shared ??= createAnalysisPool());
}

export function isAnalysisBusy(error: unknown): error is QuyTrinhError {
  return error instanceof QuyTrinhError && error.code === 'analysis.busy';
}

function busy({ maxThreads, maxQueue }: AnalysisLimits): QuyTrinhError {
  return new QuyTrinhError('unavailable', 'analysis.busy', {
    vi: `Máy chủ đang bận (phân tích đang chạy: ${maxThreads}, đang chờ: ${maxQueue}); vui lòng thử lại sau ${BUSY_RETRY_AFTER_SECONDS} giây`,
    en: `The server is busy (analyses running: ${maxThreads}, waiting: ${maxQueue}); please retry in ${BUSY_RETRY_AFTER_SECONDS} seconds`,
  });
}

function timedOut(timeoutMs: number, options: ErrorOptions): QuyTrinhError {
  const seconds = (timeoutMs / 1000).toLocaleString('en-GB');
  return new QuyTrinhError('unavailable', 'analysis.timeout', {
    vi: `Phân tích không xong trong giới hạn ${(timeoutMs / 1000).toLocaleString('vi-VN')} giây nên đã dừng; hãy giảm số hồ sơ mô phỏng hoặc chia nhỏ mô hình`,
    en: `The analysis did not finish within the ${seconds}-second limit and was stopped; simulate fewer dossiers or split the model`,
  }, [], options);
}

function cancelled(options: ErrorOptions): QuyTrinhError {
  return new QuyTrinhError('unavailable', 'analysis.cancelled', {
    vi: 'Phân tích đã dừng vì yêu cầu bị huỷ',
    en: 'The analysis was stopped because the request was cancelled',
  }, [], options);
}
