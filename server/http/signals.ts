import { Router } from 'express';
import { z } from 'zod';
import { requirePrincipal } from '../access/authorize.ts';
import type { Database } from '../db/connect.ts';
import { throwSignal } from '../execution/signals.ts';
import { keyString, MAX_KEY_LENGTH, safeString, variablesSchema } from './input-limits.ts';
import { validate } from './problem.ts';

const signalBody = z.object({
  name: keyString,
  /** Given to every instance the signal starts, and to each instance it reaches. */
  variables: variablesSchema.optional(),
  /** Give the same id when resending a signal: a resend (same name) then delivers nothing. */
  signalId: safeString(MAX_KEY_LENGTH).min(1).optional(),
});

/**
 * `POST /api/signals`: broadcasts a signal (BPMN 2.0 §10.5.6) to every instance waiting for it
 * and to the processes it starts. The broadcast is a job (server/execution/signals.ts): the
 * answer, 202, comes once it is recorded, with the signal's id; a resend answers 200 and the
 * first one's id.
 */
export function signalsRouter(db: Database): Router {
  const router = Router();
  router.post('/signals', async (request, response) => {
    const body = validate(signalBody, request.body, 'body');
    const signal = await throwSignal(db, { ...body, actor: requirePrincipal(response).actor });
    response.status(signal.duplicate ? 200 : 202).json(signal);
  });
  return router;
}
