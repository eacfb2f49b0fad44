import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { finishServiceJob, reportJobFailure, retryIncident, type ServiceJobRow } from '../execution/service-jobs.ts';
import { keyString, MAX_KEY_LENGTH, MAX_FAILURE_MESSAGE_LENGTH, safeString, variablesSchema } from './input-limits.ts';
import { validate } from './problem.ts';

const idParams = z.object({ id: z.uuid('not an id (UUID)') });
const completeBody = z.object({ variables: variablesSchema.optional() });
const failBody = z.object({
  /** A business error (BPMN error code) caught by error boundary events; without it, a technical failure to retry. */
  errorCode: keyString.optional(),
  message: safeString(MAX_FAILURE_MESSAGE_LENGTH).trim().min(1),
});

/**
 * External tasks: service tasks whose job type has no built-in handler are fetched and
 * completed by outside systems; `/api/incidents` shows jobs that ran out of retries.
 */
export function jobsRouter(db: Database): Router {
  const router = Router();

  router.get('/jobs', async (request, response) => {
    const { type } = validate(z.object({ type: safeString(MAX_KEY_LENGTH).min(1).optional() }), request.query, 'query');
    const open = db<ServiceJobRow & { created_at: Date }>('service_jobs').where({ status: 'open', handler: 'external' });
    if (type) void open.where({ job_type: type });
    const rows = await open.orderBy('created_at');
    response.json(
      rows.map((row) => ({
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

  router.get('/incidents', async (_request, response) => {
    const rows = await db('incidents').whereNull('resolved_at').orderBy('created_at');
    response.json(rows.map((row: Record<string, unknown>) => ({ id: row.id, instanceId: row.instance_id, elementId: row.element_id, jobId: row.service_job_id, message: row.message, createdAt: row.created_at })));
  });

  router.post('/incidents/:id/retry', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    await retryIncident(db, id);
    response.json({ id, status: 'resolved' });
  });

  return router;
}
