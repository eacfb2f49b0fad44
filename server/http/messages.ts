import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { correlateMessage } from '../execution/messages.ts';
import { keyString, MAX_CORRELATION_KEY_LENGTH, MAX_KEY_LENGTH, safeString, variablesSchema } from './input-limits.ts';
import { validate } from './problem.ts';

const messageBody = z.object({
  name: keyString,
  correlationKey: safeString(MAX_CORRELATION_KEY_LENGTH).optional(),
  variables: variablesSchema.optional(),
  /** Give the same id when resending a message: a resend (same name and key) then delivers nothing. */
  messageId: safeString(MAX_KEY_LENGTH).min(1).optional(),
});

/** `POST /api/messages`: delivers a message to the instances waiting for it. */
export function messagesRouter(db: Database): Router {
  const router = Router();
  router.post('/messages', async (request, response) => {
    const body = validate(messageBody, request.body, 'body');
    response.json(await correlateMessage(db, body));
  });
  return router;
}
