import type { Knex } from 'knex';
import { assignApplicationNumber } from './application-number.ts';

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

/** Job types the product runs itself; any other `qt:jobType` is an external task fetched over the API. */
export const builtinJobHandlers: ReadonlyMap<string, JobHandler> = new Map([['dossier.number', assignApplicationNumber]]);
