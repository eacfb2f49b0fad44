import express, { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { receiveCallback } from '../payments/callbacks.ts';
import { namedPaymentProvider } from '../payments/provider.ts';
import { receiveRefundCallback } from '../payments/refunds.ts';
import { validate } from './problem.ts';

/** A provider's notification is small; anything larger is not one. */
const MAX_CALLBACK_BYTES = 64 * 1024;

const providerParams = z.object({ provider: z.string().regex(/^[a-z0-9-]{1,50}$/, 'a provider name such as sandbox') });

/**
 * `POST /api/payments/callbacks/{provider}`: a payment provider's notification (issue 13, docs/payments.md
 * "Callbacks"). Public, since the provider has no account, but believed only when its signature
 * over the raw body verifies (401 unsigned, 403 forged, nothing stored). So the body is read
 * raw here: mount this router before the API's JSON body parser. Answers 200 with the verdict for a
 * callback taken (a replay or a stale report included, so the provider stops redelivering), 404
 * for an unknown transaction. `POST /api/payments/refund-callbacks/{provider}` takes a refund's
 * outcome alike (server/payments/refunds.ts).
 */
export function paymentsRouter(db: Database): Router {
  const router = Router();
  router.post('/payments/callbacks/:provider', express.raw({ type: () => true, limit: MAX_CALLBACK_BYTES }), async (request, response) => {
    const { provider } = validate(providerParams, request.params, 'params');
    // Without express.raw's Buffer (the JSON parser ran first) there is no body to verify: a mounting error, not the provider's.
    const body: unknown = request.body;
    if (body !== undefined && !Buffer.isBuffer(body)) throw new Error('payments router mounted after a body parser: the raw body of the callback is gone');
    const outcome = await receiveCallback(db, namedPaymentProvider(provider), body ?? Buffer.alloc(0), request.headers);
    response.setHeader('Cache-Control', 'no-store');
    response.json(outcome);
  });
  // A refund's outcome (docs/payments.md "Refunds"): read the same way, verified before anything is believed.
  router.post('/payments/refund-callbacks/:provider', express.raw({ type: () => true, limit: MAX_CALLBACK_BYTES }), async (request, response) => {
    const { provider } = validate(providerParams, request.params, 'params');
    const body: unknown = request.body;
    if (body !== undefined && !Buffer.isBuffer(body)) throw new Error('payments router mounted after a body parser: the raw body of the callback is gone');
    const outcome = await receiveRefundCallback(db, namedPaymentProvider(provider), body ?? Buffer.alloc(0), request.headers);
    response.setHeader('Cache-Control', 'no-store');
    response.json(outcome);
  });
  return router;
}
