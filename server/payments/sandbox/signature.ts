import { createHmac, timingSafeEqual } from 'node:crypto';

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
