import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { enqueueBuiltinJob } from './job-kinds.ts';
import { applyInstanceEvent } from './instances.ts';

export interface ServiceJobRow {
  id: string;
  instance_id: string;
  element_id: string;
  job_type: string;
  handler: 'external' | 'builtin';
  multi_index: number | null;
  item: unknown;
  status: 'open' | 'completed' | 'cancelled' | 'failed';
  attempts: number;
}

function notOpen(jobId: string): QuyTrinhError {
  return new QuyTrinhError('conflict', 'job.not-open', { vi: `Công việc tự động ${jobId} không còn mở`, en: `Job ${jobId} is no longer open` });
}

/** An external job: built-in jobs are run by the product's own workers and cannot be completed from outside. */
async function externalJob(db: Database, jobId: string): Promise<ServiceJobRow> {
  const job = await db<ServiceJobRow>('service_jobs').where({ id: jobId, handler: 'external' }).first();
  if (!job) throw new QuyTrinhError('not-found', 'job.not-found', { vi: `Không có công việc tự động bên ngoài ${jobId}`, en: `No external job ${jobId}` });
  return job;
}

/**
 * An external task done: its outcome goes back to the instance as `job.complete` (or, for a
 * business error, `job.error` for the error boundary events), under the job's id as event id.
 */
export async function finishServiceJob(db: Database, jobId: string, outcome: { variables?: Record<string, unknown> | undefined } | { errorCode: string; message?: string | undefined }): Promise<void> {
  const job = await externalJob(db, jobId);
  const event = 'errorCode' in outcome
    ? ({ type: 'job.error', elementId: job.element_id, index: job.multi_index ?? undefined, errorCode: outcome.errorCode, message: outcome.message } as const)
    : ({ type: 'job.complete', elementId: job.element_id, index: job.multi_index ?? undefined, variables: outcome.variables } as const);
  const applied = await applyInstanceEvent(
    db,
    job.instance_id,
    async (trx) => {
      const current = await trx<ServiceJobRow>('service_jobs').where({ id: jobId }).first('status');
      if (current?.status !== 'open') throw notOpen(jobId);
      await trx('service_jobs').where({ id: jobId }).update({ status: 'errorCode' in outcome ? 'failed' : 'completed', ended_at: new Date() });
      return event;
    },
    { eventId: `job:${jobId}` },
  );
  if (applied.kind !== 'applied') throw notOpen(jobId);
}

/**
 * A technical failure reported by the system doing the job: counted; once the retries are used
 * up an incident is recorded for a person to look at (and retry over the API). The job stays
 * open, so its system may go on failing: later failures are reported on the same incident
 * rather than opening one each, until a retry resolves it.
 */
export async function reportJobFailure(db: Database, jobId: string, message: string, maxAttempts = 3): Promise<{ incidentId?: string | undefined; attempts: number }> {
  return db.transaction(async (trx) => {
    const job = await trx<ServiceJobRow>('service_jobs').where({ id: jobId, handler: 'external' }).forUpdate().first();
    if (!job) throw new QuyTrinhError('not-found', 'job.not-found', { vi: `Không có công việc tự động ${jobId}`, en: `No job ${jobId}` });
    if (job.status !== 'open') throw notOpen(jobId);
    const attempts = job.attempts + 1;
    await trx('service_jobs').where({ id: jobId }).update({ attempts });
    if (attempts < maxAttempts) return { attempts };
    const open = await trx('incidents').where({ service_job_id: jobId }).whereNull('resolved_at').first<{ id: string } | undefined>('id');
    if (open) return { incidentId: open.id, attempts };
    const [incident] = await trx('incidents').insert({ instance_id: job.instance_id, element_id: job.element_id, service_job_id: jobId, message }).returning<Array<{ id: string }>>('id');
    return { incidentId: incident!.id, attempts };
  });
}

/** Retrying an incident gives the job a fresh set of attempts and marks the incident resolved. */
export async function retryIncident(db: Database, incidentId: string): Promise<void> {
  await db.transaction(async (trx) => {
    const incident = await trx('incidents').where({ id: incidentId }).forUpdate().first<{ service_job_id: string | null; queue_job_id: string | null; resolved_at: Date | null } | undefined>();
    if (!incident) throw new QuyTrinhError('not-found', 'incident.not-found', { vi: `Không có sự cố ${incidentId}`, en: `No incident ${incidentId}` });
    if (incident.resolved_at) throw new QuyTrinhError('conflict', 'incident.resolved', { vi: `Sự cố ${incidentId} đã được xử lý`, en: `Incident ${incidentId} is already resolved` });
    if (incident.service_job_id) {
      const job = await trx<ServiceJobRow>('service_jobs').where({ id: incident.service_job_id }).update({ attempts: 0 }).returning('*');
      if (job[0]?.handler === 'builtin' && job[0].status === 'open') await enqueueBuiltinJob(trx, job[0].id);
    }
    if (incident.queue_job_id) {
      // The same queue job runs again now (same id, so the same event id), if it is still the one
      // that failed: a timer since disarmed is gone, and one armed again under its key is not due.
      await trx.raw(
        'select graphile_worker.reschedule_jobs(array[id], run_at => now(), attempts => 0) from graphile_worker.jobs where id = ? and attempts >= max_attempts',
        [incident.queue_job_id],
      );
    }
    await trx('incidents').where({ id: incidentId }).update({ resolved_at: new Date() });
  });
}
