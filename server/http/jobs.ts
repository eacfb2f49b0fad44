import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { finishServiceJob, reportJobFailure, retryIncident, type ServiceJobRow } from '../execution/service-jobs.ts';
import { requirePrincipal } from '../access/authorize.ts';
import { pageOf, pageQuery, type Keyset } from './pagination.ts';
import { keyString, MAX_KEY_LENGTH, MAX_FAILURE_MESSAGE_LENGTH, safeString, variablesSchema } from './input-limits.ts';
import { validate } from './problem.ts';

const idParams = z.object({ id: z.uuid('not an id (UUID)') });
const completeBody = z.object({ variables: variablesSchema.optional() });
const failBody = z.object({
  /** A business error (BPMN error code) caught by error boundary events; without it, a technical failure to retry. */
  errorCode: keyString.optional(),
  message: safeString(MAX_FAILURE_MESSAGE_LENGTH).trim().min(1),
});

/** Oldest first: the order work waiting is taken in (migration 0015's partial indexes). */
const oldestFirst = (list: 'jobs' | 'incidents'): Keyset => ({
  name: list,
  keys: [
    { sql: 'created_at', kind: 'timestamp' },
    { sql: 'id', kind: 'uuid' },
  ],
});

/**
 * External tasks: service tasks whose job type has no built-in handler are fetched and
 * completed by outside systems; `/api/incidents` shows jobs that ran out of retries.
 */
export function jobsRouter(db: Database): Router {
  const router = Router();

  router.get('/jobs', async (request, response) => {
    const { limit, cursor, type } = validate(pageQuery.extend({ type: safeString(MAX_KEY_LENGTH).min(1).optional() }), request.query, 'query');
    const open = db<ServiceJobRow & { created_at: Date }>('service_jobs').select('*').where({ status: 'open', handler: 'external' });
    if (type) void open.where({ job_type: type });
    // A worker token sees only the job types it was created for.
    const { jobTypes } = requirePrincipal(response);
    if (jobTypes !== null) void open.whereIn('job_type', [...jobTypes]);
    response.json(
      await pageOf(db, open, oldestFirst('jobs'), { limit, cursor }, (row: ServiceJobRow & { created_at: Date }) => ({
        id: row.id,
        instanceId: row.instance_id,
        elementId: row.element_id,
        type: row.job_type,
        attempts: row.attempts,
        createdAt: row.created_at,
        ...(row.multi_index === null ? {} : { index: row.multi_index, item: row.item }),
      })),
    );
  });

  router.post('/jobs/:id/complete', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const body = validate(completeBody, request.body ?? {}, 'body');
    await finishServiceJob(db, id, { variables: body.variables });
    response.json({ id, status: 'completed' });
  });

  router.post('/jobs/:id/fail', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const body = validate(failBody, request.body, 'body');
    if (body.errorCode) {
      await finishServiceJob(db, id, { errorCode: body.errorCode, message: body.message });
      response.json({ id, status: 'failed', errorCode: body.errorCode });
      return;
    }
    const failure = await reportJobFailure(db, id, body.message);
    response.json({ id, status: 'open', attempts: failure.attempts, incidentId: failure.incidentId ?? null });
  });

  router.get('/incidents', async (request, response) => {
    const { limit, cursor, instanceId } = validate(pageQuery.extend({ instanceId: z.uuid('not an instance id (UUID)').optional() }), request.query, 'query');
    const unresolved = db('incidents').select('*').whereNull('resolved_at');
    if (instanceId) void unresolved.where({ instance_id: instanceId });
    response.json(
      await pageOf(db, unresolved, oldestFirst('incidents'), { limit, cursor }, (row: Record<string, unknown>) => ({
        id: row.id,
        instanceId: row.instance_id,
        elementId: row.element_id,
        jobId: row.service_job_id,
        message: row.message,
        createdAt: row.created_at,
      })),
    );
  });

  router.post('/incidents/:id/retry', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    await retryIncident(db, id);
    response.json({ id, status: 'resolved' });
  });

  return router;
}
