import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { QuyTrinhError } from '../../../engine/errors.ts';

/**
 * The sandbox's message signature: HMAC-SHA256 over the raw body with the secret the merchant and
 * the provider share, in hex, as `sha256=<hex>` in this header (the scheme of Stripe's and VNPAY's
 * test modes). Both directions are signed: the merchant's requests and the provider's callbacks.
 */
export const SIGNATURE_HEADER = 'x-sandbox-signature';

export function signBody(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Whether `signature` is the body's, compared in constant time. */
export function signatureMatches(secret: string, rawBody: Buffer, signature: string): boolean {
  const expected = Buffer.from(signBody(secret, rawBody));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A notification of the sandbox read as a merchant must: the signature over the raw body first
 * (`payment.callback-unsigned` 401, `payment.callback-forged` 403), then the body against `schema`
 * (`payment.callback-invalid` 400 naming each field). `what` names the notification in both languages.
 */
export function verifiedNotification<T>(secret: string, rawBody: Buffer, headers: IncomingHttpHeaders, schema: z.ZodType<T>, what: { vi: string; en: string }): { body: T; payload: unknown } {
  const signature = headers[SIGNATURE_HEADER];
  if (typeof signature !== 'string' || signature === '') {
    throw new QuyTrinhError('unauthenticated', 'payment.callback-unsigned', { vi: `${what.vi} không có chữ ký`, en: `The ${what.en} is not signed` });
  }
  if (!signatureMatches(secret, rawBody, signature)) {
    throw new QuyTrinhError('forbidden', 'payment.callback-forged', { vi: `Chữ ký của ${what.vi.toLowerCase()} không đúng`, en: `The ${what.en}'s signature does not match` });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody.toString('utf8'));
  } catch {
    payload = undefined;
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new QuyTrinhError('invalid-input', 'payment.callback-invalid', { vi: `${what.vi} không đúng định dạng`, en: `The ${what.en} is malformed` }, parsed.error.issues.map((issue) => ({ field: `body.${issue.path.join('.')}`, message: issue.message })));
  }
  return { body: parsed.data, payload };
}

/** The sandbox did not answer as the adapter expects: a technical failure, retried by the caller's job. */
export function providerError(what: string, cause?: unknown): QuyTrinhError {
  return new QuyTrinhError('unavailable', 'payment.provider-failed', { vi: `Cổng thanh toán thử nghiệm không trả lời đúng: ${what}`, en: `The sandbox payment provider did not answer as expected: ${what}` }, [], { cause });
}
