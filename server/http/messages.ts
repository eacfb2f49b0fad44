import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { correlateMessage } from '../execution/messages.ts';
import { validate } from './problem.ts';

const messageBody = z.object({
  name: z.string().trim().min(1).max(200),
  correlationKey: z.string().max(500).optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  /** Give the same id when resending a message: a resend (same name and key) then delivers nothing. */
  messageId: z.string().min(1).max(200).optional(),
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
