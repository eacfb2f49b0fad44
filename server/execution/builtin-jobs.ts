import type { Knex } from 'knex';
import type { ProcessEvent } from '../../engine/compile/index.ts';
import type { Database } from '../db/connect.ts';
import { builtinJobHandlers, waitingJobHandlers } from '../workers/handlers.ts';
import { BusinessError, type WaitingJobHandler } from '../workers/job-context.ts';
import { applyInstanceEvent } from './instances.ts';
import type { ServiceJobRow } from './service-jobs.ts';

/**
 * Service tasks whose job type the product handles itself run as graphile-worker jobs
 * (job-kinds.ts, SERVICE_TASK_JOB), queued in the step's transaction, claimed with SKIP LOCKED
 * by any process and retried with exponential backoff; after the last attempt an incident is
 * recorded.
 */

/**
 * Runs one built-in job: the handler's work, the job's status and the instance's step commit in
 * one transaction under the instance lock, with the service job's id as event id, so a job run
 * again after a crash finds its step applied and changes nothing.
 */
export async function runBuiltinJob(db: Database, serviceJobId: string, attempt: { number: number; max: number }): Promise<void> {
  const job = await db<ServiceJobRow>('service_jobs').where({ id: serviceJobId }).first();
  if (!job || job.status !== 'open') return; // cancelled by an interrupting event, or already done
  const waiting = waitingJobHandlers.get(job.job_type);
  if (waiting) return startWaitingJob(db, job, waiting, attempt);
  const handler = builtinJobHandlers.get(job.job_type)!;
  try {
    await applyInstanceEvent(
      db,
      job.instance_id,
      async (trx, instance) => {
        const current = await trx<ServiceJobRow>('service_jobs').where({ id: serviceJobId }).first('status');
        if (current?.status !== 'open') return undefined; // cancelled by an interrupting event since it was read
        try {
          const variables = await handler({ trx, instanceId: job.instance_id, elementId: job.element_id, variables: instance.variables, now: new Date() });
          await trx('service_jobs').where({ id: serviceJobId }).update({ status: 'completed', ended_at: new Date(), attempts: attempt.number });
          return { type: 'job.complete', elementId: job.element_id, index: job.multi_index ?? undefined, variables };
        } catch (error) {
          if (!(error instanceof BusinessError)) throw error;
          await trx('service_jobs').where({ id: serviceJobId }).update({ status: 'failed', ended_at: new Date(), attempts: attempt.number });
          return { type: 'job.error', elementId: job.element_id, index: job.multi_index ?? undefined, errorCode: error.errorCode, message: error.message };
        }
      },
      { eventId: `job:${serviceJobId}`, actor: `worker:${process.pid}` },
    );
  } catch (error) {
    await failedAttempt(db, job, attempt, error);
  }
}

/** A technical failure: counted, an incident after the last attempt, and thrown for graphile-worker to retry with backoff. */
async function failedAttempt(db: Database, job: ServiceJobRow, attempt: { number: number; max: number }, error: unknown): Promise<never> {
  await db('service_jobs').where({ id: job.id }).update({ attempts: attempt.number });
  if (attempt.number >= attempt.max) {
    await db('incidents').insert({ instance_id: job.instance_id, element_id: job.element_id, service_job_id: job.id, message: error instanceof Error ? error.message : String(error) });
  }
  throw error;
}

/**
 * Runs a waiting job (handlers.ts `WaitingJobHandler`): no event for the machine, so the step
 * stays where it is and the job stays open until `completeWaitingJob`. Each of the handler's
 * transactions takes the instance's lock first, as `applyInstanceEvent` does. A business error is
 * the model's error path, applied like any job's.
 */
async function startWaitingJob(db: Database, job: ServiceJobRow, handler: WaitingJobHandler, attempt: { number: number; max: number }): Promise<void> {
  const step = <T>(work: (trx: Knex.Transaction, variables: Record<string, unknown>) => Promise<T>) =>
    db.transaction(async (trx): Promise<T | undefined> => {
      const instance = await trx('process_instances').where({ id: job.instance_id }).forUpdate().first<{ status: string; variables: Record<string, unknown> } | undefined>('status', 'variables');
      const current = await trx<ServiceJobRow>('service_jobs').where({ id: job.id }).first('status');
      if (instance?.status !== 'active' || current?.status !== 'open') return undefined; // ended or cancelled since it was read
      return work(trx, instance.variables);
    });
  try {
    await handler({ serviceJobId: job.id, instanceId: job.instance_id, elementId: job.element_id, now: new Date(), step });
    await db('service_jobs').where({ id: job.id }).update({ attempts: attempt.number });
  } catch (error) {
    if (!(error instanceof BusinessError)) await failedAttempt(db, job, attempt, error);
    else await finishWaitingJob(db, job.id, { type: 'job.error', elementId: job.element_id, index: job.multi_index ?? undefined, errorCode: error.errorCode, message: error.message }, `worker:${process.pid}`);
  }
}

/**
 * Completes a waiting job with `variables`, once: under the job's id as event id and only while
 * the job is open, so a second call (a redelivered callback) changes nothing. `alongside` writes
 * its records in the same transaction. True when this call completed it.
 */
export async function completeWaitingJob(db: Database, serviceJobId: string, variables: Record<string, unknown>, actor: string, alongside?: (trx: Knex.Transaction) => Promise<void>): Promise<boolean> {
  const job = await db<ServiceJobRow>('service_jobs').where({ id: serviceJobId }).first();
  if (!job || job.status !== 'open') return false;
  return finishWaitingJob(db, serviceJobId, { type: 'job.complete', elementId: job.element_id, index: job.multi_index ?? undefined, variables }, actor, alongside);
}

async function finishWaitingJob(db: Database, serviceJobId: string, event: ProcessEvent, actor: string, alongside?: (trx: Knex.Transaction) => Promise<void>): Promise<boolean> {
  const job = await db<ServiceJobRow>('service_jobs').where({ id: serviceJobId }).first('instance_id');
  if (!job) return false;
  const outcome = await applyInstanceEvent(
    db,
    job.instance_id,
    async (trx) => {
      const current = await trx<ServiceJobRow>('service_jobs').where({ id: serviceJobId }).first('status');
      if (current?.status !== 'open') return undefined;
      await trx('service_jobs').where({ id: serviceJobId }).update({ status: event.type === 'job.error' ? 'failed' : 'completed', ended_at: new Date() });
      await alongside?.(trx);
      return event;
    },
    { eventId: `job:${serviceJobId}`, actor },
  );
  return outcome.kind === 'applied';
}
