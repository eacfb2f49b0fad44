import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { startByConditions } from '../execution/start-events.ts';
import { MAX_KEY_LENGTH, safeString, variablesSchema } from './input-limits.ts';
import { validate } from './problem.ts';

const evaluationBody = z.object({
  /** The data the conditions are evaluated over, and the variables of each instance started. */
  variables: variablesSchema,
  /** Give the same id when resending: a resend then starts nothing again. */
  evaluationId: safeString(MAX_KEY_LENGTH).min(1).optional(),
});

/**
 * `POST /api/conditions/evaluate`: starts each process (latest version) whose conditional start
 * event's condition holds over the variables sent (server/execution/start-events.ts,
 * startByConditions); answers how many it started.
 */
export function conditionsRouter(db: Database): Router {
  const router = Router();
  router.post('/conditions/evaluate', async (request, response) => {
    const body = validate(evaluationBody, request.body, 'body');
    response.json({ started: await startByConditions(db, body.variables, body.evaluationId ?? randomUUID()) });
  });
  return router;
}
