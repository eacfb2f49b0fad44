import type { Knex } from 'knex';

/** What a built-in handler is given: the open transaction of the step it completes, and the instance. */
export interface JobContext {
  trx: Knex.Transaction;
  instanceId: string;
  elementId: string;
  variables: Record<string, unknown>;
  now: Date;
}

/**
 * A built-in job handler. It does its work in `trx`, the transaction that also completes the
 * task, so its effect is committed exactly once: a job retried after a crash finds the step
 * already applied and does nothing. It returns the variables to merge into the instance, or
 * throws a `BusinessError` for the model's error boundary events.
 */
export type JobHandler = (context: JobContext) => Promise<Record<string, unknown>>;

/** A business outcome the model handles (a BPMN error code), as opposed to a technical failure to retry. */
export class BusinessError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A built-in job whose step waits for something outside the product (a payment provider's
 * callback). Its handler does its part and leaves the service job open; what it waits for
 * completes the job later with `completeWaitingJob` (server/execution/builtin-jobs.ts), once. It
 * writes through `step`, in as many transactions as it needs (none of them across a call to
 * another system): each holds the instance's lock and runs only while the job is still open. A job
 * run again after a crash or a failure must take up its own work where it stopped. It may throw a
 * `BusinessError` for the model's error boundary events.
 */
export type WaitingJobHandler = (context: WaitingJobContext) => Promise<void>;

export interface WaitingJobContext {
  serviceJobId: string;
  instanceId: string;
  elementId: string;
  now: Date;
  /** Runs `work` in a transaction holding the instance's lock, with the instance's variables; undefined (and nothing run) when the job is no longer open or the instance has ended. */
  step: <T>(work: (trx: Knex.Transaction, variables: Record<string, unknown>) => Promise<T>) => Promise<T | undefined>;
}
