import { sandboxRefundClient } from './refund-client.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { QuyTrinhError } from '../../../engine/errors.ts';
import type { Checkout, CheckoutRequest, PaymentProvider, ProviderCallback, StatementEntry } from '../provider.ts';
import { SIGNATURE_HEADER, signBody, signatureMatches } from './signature.ts';

/** The sandbox service's callback body (server/payments/sandbox/service.ts): it reports the steps of Art. 28.1.a it knows. */
const callbackSchema = z.object({
  eventId: z.string().min(1).max(200),
  checkoutId: z.string().min(1).max(200),
  transactionCode: z.string().min(1).max(100),
  status: z.enum(['processing', 'payment-succeeded', 'payment-failed']),
});

const checkoutSchema = z.object({ id: z.string().min(1), url: z.url(), serviceFeeVnd: z.number().int().min(0) });

const statementSchema = z.object({
  entries: z.array(z.object({ transactionCode: z.string(), reference: z.string(), amountVnd: z.number().int(), serviceFeeVnd: z.number().int(), status: z.enum(['paid', 'failed']), at: z.string() })),
});

function providerError(what: string, cause?: unknown): QuyTrinhError {
  return new QuyTrinhError('unavailable', 'payment.provider-failed', { vi: `Cổng thanh toán thử nghiệm không trả lời đúng: ${what}`, en: `The sandbox payment provider did not answer as expected: ${what}` }, [], { cause });
}

/** The adapter of the sandbox provider, at `url`, sharing `secret` with it. */
export function sandboxProvider(settings: { url: string; secret: string }): PaymentProvider {
  const base = settings.url.replace(/\/+$/, '');
  return {
    name: 'sandbox',
    ...sandboxRefundClient(settings),

    async createCheckout(request: CheckoutRequest): Promise<Checkout> {
      const body = JSON.stringify(request);
      const response = await fetch(`${base}/checkouts`, { method: 'POST', headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signBody(settings.secret, body) }, body }).catch((error: unknown) => {
        throw providerError(`POST /checkouts: ${error instanceof Error ? error.message : String(error)}`, error);
      });
      const text = await response.text();
      if (response.status !== 201 && response.status !== 200) throw providerError(`POST /checkouts ${response.status} ${text.slice(0, 200)}`);
      const checkout = checkoutSchema.parse(JSON.parse(text));
      return { reference: checkout.id, url: checkout.url, serviceFeeVnd: checkout.serviceFeeVnd };
    },

    verifyCallback(rawBody: Buffer, headers: IncomingHttpHeaders): ProviderCallback {
      const signature = headers[SIGNATURE_HEADER];
      if (typeof signature !== 'string' || signature === '') {
        throw new QuyTrinhError('unauthenticated', 'payment.callback-unsigned', { vi: 'Thông báo thanh toán không có chữ ký', en: 'The payment notification is not signed' });
      }
      if (!signatureMatches(settings.secret, rawBody, signature)) {
        throw new QuyTrinhError('forbidden', 'payment.callback-forged', { vi: 'Chữ ký của thông báo thanh toán không đúng', en: 'The payment notification\'s signature does not match' });
      }
      let payload: unknown;
      try {
        payload = JSON.parse(rawBody.toString('utf8'));
      } catch {
        payload = undefined;
      }
      const parsed = callbackSchema.safeParse(payload);
      if (!parsed.success) {
        throw new QuyTrinhError('invalid-input', 'payment.callback-invalid', { vi: 'Thông báo thanh toán không đúng định dạng', en: 'The payment notification is malformed' }, parsed.error.issues.map((issue) => ({ field: `body.${issue.path.join('.')}`, message: issue.message })));
      }
      const { eventId, checkoutId, transactionCode, status } = parsed.data;
      return { eventId, transactionCode, reference: checkoutId, report: { type: 'transaction', status }, payload };
    },

    async readStatement(day: string): Promise<StatementEntry[]> {
      const path = `/statements/${encodeURIComponent(day)}`;
      const response = await fetch(`${base}${path}`, { headers: { [SIGNATURE_HEADER]: signBody(settings.secret, `GET ${path}`) } }).catch((error: unknown) => {
        throw providerError(`GET ${path}: ${error instanceof Error ? error.message : String(error)}`, error);
      });
      const raw = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200) throw providerError(`GET ${path} ${response.status}`);
      if (!signatureMatches(settings.secret, raw, response.headers.get(SIGNATURE_HEADER) ?? '')) throw providerError(`GET ${path}: the statement's signature does not match`);
      return statementSchema.parse(JSON.parse(raw.toString('utf8'))).entries;
    },
  };
}
