import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { vietnamDateOf } from '../../../engine/calendar/index.ts';
import { formatVnd } from '../../../engine/payments/money.ts';
import { vietnamDateTime } from '../../printing/vietnam-time.ts';
import type { TransactionStatus } from '../../../engine/payments/transaction-status.ts';
import type { StatementEntry } from '../provider.ts';
import { SIGNATURE_HEADER, signBody, signatureMatches } from './signature.ts';

/**
 * The sandbox payment provider (issue 13; docs/payments.md "The sandbox provider"): a separate,
 * small HTTP service on loopback playing a bank or payment intermediary in test mode, the way
 * Stripe's or VNPAY's test modes let a merchant develop. The National Public Service Portal's
 * payment platform cannot be reached from here.
 *
 * - `POST /checkouts` (signed by the merchant): a checkout for a transaction code and amount;
 *   answers its URL and the provider's fee, which the page shows before paying (Decree 45 Art.
 *   13.7.b). The same code again answers the same checkout.
 * - `GET /checkout/:id`: the payer's page, with "Thanh toán" (pay) and "Từ chối" (decline).
 * - On the payer's choice, callbacks to the merchant, each with a unique event id and signed with
 *   HMAC-SHA256 over the raw body: `processing`, then `payment-succeeded` or `payment-failed`.
 *   Retried with backoff while the merchant does not answer 2xx.
 * - Failures on demand: an amount ending in 13 (`failAmountsEndingIn`) is refused by the "bank";
 *   `delayMs`, `duplicate` (every notification twice) and `outOfOrder` (the outcome before
 *   `processing`) play a network's delays, redeliveries and reorderings.
 * - `GET /statements/:day` (signed by the merchant): the day's completed payments, for the daily
 *   cross-check (Decree 45 Art. 13.7.d).
 * - `POST /refunds` (signed by the merchant): a refund of (part of) a paid checkout (Circular 01
 *   Art. 30.2.c), never more than what is paid minus what was refunded; the same refund id again
 *   answers the same refund. Its outcome (`succeeded`, or `failed` for an amount ending in
 *   `failAmountsEndingIn`) comes as a signed callback with its own event id to `refundCallbackUrl`,
 *   delayed and duplicated as the behaviour says.
 * State lives in memory: a sandbox restarted forgets its checkouts, as test modes may.
 */

export interface SandboxBehaviour {
  /** The provider's fee per payment, shown before paying (Decree 45 Art. 13.7.b). */
  serviceFeeVnd: number;
  /** Waited before each notification is sent. */
  delayMs: number;
  /** Every notification delivered twice, with the same event id. */
  duplicate: boolean;
  /** The outcome sent before `processing`. */
  outOfOrder: boolean;
  /** Amounts whose decimal writing ends so are refused by the "bank". */
  failAmountsEndingIn: string;
  /** Delivery attempts per notification while the merchant does not answer 2xx. */
  deliveryAttempts: number;
  /**
   * After a successful payment, also report the transaction's documents delivered
   * (`transaction-succeeded`, Circular 01 Art. 28.1.a, 28.3) and the money settled into the
   * collecting account (settlement `success`, Art. 28.1.b), as a bank does later the same day.
   */
  settle: boolean;
}

export interface SandboxOptions extends Partial<SandboxBehaviour> {
  /** 0: any free port. */
  port?: number;
  /** The secret shared with the merchant. */
  secret: string;
  /** Where the merchant takes callbacks (`…/api/payments/callbacks/sandbox`). */
  callbackUrl: string;
  /** The merchant's site the payer's browser returns to (a checkout's `returnPath` is on it); the callback URL's origin by default. */
  returnBaseUrl?: string | undefined;
  /** Where the merchant takes refund callbacks; by default `callbackUrl` with `/callbacks/` read as `/refund-callbacks/`. */
  refundCallbackUrl?: string;
}

/** One notification to the merchant and what became of its deliveries. */
export interface Delivery {
  eventId: string;
  transactionCode: string;
  /** A payment's status, its settlement, or a refund's outcome. */
  status: TransactionStatus | 'settlement-success' | SandboxRefund['state'];
  /** The HTTP status of each attempt (0: no answer). */
  answers: number[];
}

export interface PaymentSandbox {
  url: string;
  /** The secret shared with the merchant. */
  secret: string;
  /** Changeable while it runs (a test switches duplicates on, then off). */
  behaviour: SandboxBehaviour;
  deliveries: Delivery[];
  /** Resolves when every notification sent so far has been delivered or given up. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface SandboxCheckout {
  id: string;
  transactionCode: string;
  amountVnd: number;
  serviceFeeVnd: number;
  content: string;
  payerName: string;
  expiresAt?: string | undefined;
  returnPath?: string | undefined;
  state: 'open' | 'paid' | 'failed';
  completedAt?: Date;
}

/** A refund of a paid checkout, as the merchant asked for it (`refundId` is the merchant's own id of its claim). */
export interface SandboxRefund {
  id: string;
  refundId: string;
  checkoutId: string;
  transactionCode: string;
  amountVnd: number;
  state: 'succeeded' | 'failed';
}

const refundRequestSchema = z.strictObject({
  refundId: z.string().min(1).max(200),
  transactionCode: z.string().min(1).max(100),
  checkoutId: z.string().min(1).max(200),
  amountVnd: z.number().int().positive(),
  reason: z.string().min(1).max(2000),
});

const checkoutRequestSchema = z.strictObject({
  transactionCode: z.string().min(1).max(100),
  amountVnd: z.number().int().positive(),
  content: z.string().min(1).max(1000),
  payerName: z.string().min(1).max(500),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  returnPath: z.string().regex(/^\/[^/\\]/, 'a path on the merchant\'s site').max(500).optional(),
});

const DEFAULT_BEHAVIOUR: SandboxBehaviour = { serviceFeeVnd: 1_100, delayMs: 0, duplicate: false, outOfOrder: false, failAmountsEndingIn: '13', deliveryAttempts: 5, settle: false };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}dt{font-weight:600}dd{margin:0 0 .5rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:1rem}</style>
</head><body><p><strong>Cổng thanh toán thử nghiệm</strong> / Sandbox payment provider</p>${body}</body></html>`;
}

export async function startPaymentSandbox(options: SandboxOptions): Promise<PaymentSandbox> {
  const { port = 0, secret, callbackUrl, returnBaseUrl = new URL(callbackUrl).origin, refundCallbackUrl = callbackUrl.replace(/\/callbacks\/([^/]+)$/, '/refund-callbacks/$1'), ...overrides } = options;
  const behaviour: SandboxBehaviour = { ...DEFAULT_BEHAVIOUR, ...overrides };
  const checkouts = new Map<string, SandboxCheckout>();
  const refunds = new Map<string, SandboxRefund>();
  const deliveries: Delivery[] = [];
  const pending = new Set<Promise<void>>();
  let baseUrl = '';

  /** A merchant's request must carry the signature of its raw body (or, for a GET, of its method and path). */
  const signedByMerchant = (request: Request, signed: Buffer) => signatureMatches(secret, signed, String(request.headers[SIGNATURE_HEADER] ?? ''));

  async function deliver(delivery: Delivery, body: string, url = callbackUrl): Promise<void> {
    for (let attempt = 0; attempt < behaviour.deliveryAttempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)));
      const status = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signBody(secret, body) }, body })
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        })
        .catch(() => 0);
      delivery.answers.push(status);
      if (status >= 200 && status < 300) return;
    }
  }

  /** The notifications of a completed checkout, in the order and number the behaviour says, one after another. */
  async function notify(checkout: SandboxCheckout): Promise<void> {
    const outcome: TransactionStatus = checkout.state === 'paid' ? 'payment-succeeded' : 'payment-failed';
    const statuses: Array<TransactionStatus | 'settlement-success'> = behaviour.outOfOrder ? [outcome, 'processing'] : ['processing', outcome];
    if (outcome === 'payment-succeeded' && behaviour.settle) statuses.push('transaction-succeeded', 'settlement-success');
    for (const status of statuses) {
      const eventId = `evt_${randomUUID()}`;
      const report = status === 'settlement-success' ? { settlement: 'success' } : { status };
      const body = JSON.stringify({ eventId, checkoutId: checkout.id, transactionCode: checkout.transactionCode, amountVnd: checkout.amountVnd, serviceFeeVnd: checkout.serviceFeeVnd, ...report, at: new Date().toISOString() });
      for (let copy = 0; copy < (behaviour.duplicate ? 2 : 1); copy++) {
        if (behaviour.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
        const delivery: Delivery = { eventId, transactionCode: checkout.transactionCode, status, answers: [] };
        deliveries.push(delivery);
        await deliver(delivery, body);
      }
    }
  }

  /** A checkout past its deadline takes no payment (Circular 01 Art. 27.1.i), as a provider's expiry (VNPAY's `vnp_ExpireDate`) does. */
  const expired = (checkout: SandboxCheckout) => checkout.state === 'open' && checkout.expiresAt !== undefined && Date.parse(checkout.expiresAt) <= Date.now();
  const returnLink = (checkout: SandboxCheckout) =>
    checkout.returnPath ? `<p><a href="${escapeHtml(new URL(checkout.returnPath, returnBaseUrl).href)}">Quay lại hồ sơ / Back to your application</a></p>` : '';

  /** A refund's outcome, once, or twice with the same event id when `duplicate`; after `delayMs`. */
  async function notifyRefund(refund: SandboxRefund): Promise<void> {
    const eventId = `evt_${randomUUID()}`;
    const body = JSON.stringify({ eventId, refundId: refund.refundId, reference: refund.id, transactionCode: refund.transactionCode, amountVnd: refund.amountVnd, status: refund.state, at: new Date().toISOString() });
    for (let copy = 0; copy < (behaviour.duplicate ? 2 : 1); copy++) {
      if (behaviour.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      const delivery: Delivery = { eventId, transactionCode: refund.transactionCode, status: refund.state, answers: [] };
      deliveries.push(delivery);
      await deliver(delivery, body, refundCallbackUrl);
    }
  }

  /** The merchant's signed JSON body, or null once the refusal is answered (403 unsigned or forged, 400 not JSON). */
  function merchantBody(request: Request, response: Response): unknown {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!signedByMerchant(request, raw)) {
      response.status(403).json({ error: 'signature' });
      return null;
    }
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      response.status(400).json({ error: 'body: not JSON' });
      return null;
    }
  }

  const app = express();
  app.disable('x-powered-by');

  app.post('/refunds', express.raw({ type: 'application/json', limit: '16kb' }), (request, response) => {
    const body = merchantBody(request, response);
    if (body === null) return;
    const parsed = refundRequestSchema.safeParse(body);
    if (!parsed.success) {
      response.status(400).json({ error: 'invalid', issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
      return;
    }
    const asked = parsed.data;
    // One refund per merchant's refund id, as for checkouts: asking again (a retry) answers the same one.
    const existing = [...refunds.values()].find((refund) => refund.refundId === asked.refundId);
    if (existing) {
      if (existing.amountVnd !== asked.amountVnd || existing.checkoutId !== asked.checkoutId) {
        response.status(409).json({ error: 'refund id already used for another refund' });
        return;
      }
      response.status(200).json({ id: existing.id });
      return;
    }
    const checkout = checkouts.get(asked.checkoutId);
    if (!checkout || checkout.transactionCode !== asked.transactionCode || checkout.state !== 'paid') {
      response.status(409).json({ error: 'no paid checkout with this id and transaction code' });
      return;
    }
    const refunded = [...refunds.values()].filter((refund) => refund.checkoutId === checkout.id && refund.state === 'succeeded').reduce((sum, refund) => sum + refund.amountVnd, 0);
    if (refunded + asked.amountVnd > checkout.amountVnd) {
      response.status(409).json({ error: `at most ${checkout.amountVnd - refunded} left to refund` });
      return;
    }
    const refund: SandboxRefund = {
      id: `rf_${randomUUID()}`,
      refundId: asked.refundId,
      checkoutId: checkout.id,
      transactionCode: checkout.transactionCode,
      amountVnd: asked.amountVnd,
      state: String(asked.amountVnd).endsWith(behaviour.failAmountsEndingIn) ? 'failed' : 'succeeded',
    };
    refunds.set(refund.id, refund);
    const sending = notifyRefund(refund).finally(() => pending.delete(sending));
    pending.add(sending);
    response.status(201).json({ id: refund.id });
  });

  app.post('/checkouts', express.raw({ type: 'application/json', limit: '16kb' }), (request, response) => {
    const body = merchantBody(request, response);
    if (body === null) return;
    const parsed = checkoutRequestSchema.safeParse(body);
    if (!parsed.success) {
      response.status(400).json({ error: 'invalid', issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
      return;
    }
    // One checkout per transaction code, as providers deduplicate by the merchant's order id: a merchant asking again (its retry after a crash) gets the same one.
    const existing = [...checkouts.values()].find((checkout) => checkout.transactionCode === parsed.data.transactionCode);
    if (existing && existing.amountVnd !== parsed.data.amountVnd) {
      response.status(409).json({ error: 'transaction code already used with another amount' });
      return;
    }
    const checkout: SandboxCheckout = existing ?? { id: `co_${randomUUID()}`, ...parsed.data, serviceFeeVnd: behaviour.serviceFeeVnd, state: 'open' };
    checkouts.set(checkout.id, checkout);
    response.status(existing ? 200 : 201).json({ id: checkout.id, url: `${baseUrl}/checkout/${checkout.id}`, serviceFeeVnd: checkout.serviceFeeVnd });
  });

  app.get('/checkout/:id', (request, response) => {
    const checkout = checkouts.get(request.params.id);
    if (!checkout) {
      response.status(404).type('html').send(page('Không có giao dịch', '<h1>Không có giao dịch này / No such checkout</h1>'));
      return;
    }
    const details = `<dl>
<dt>Mã giao dịch / Transaction code</dt><dd>${escapeHtml(checkout.transactionCode)}</dd>
<dt>Người nộp / Payer</dt><dd>${escapeHtml(checkout.payerName)}</dd>
<dt>Nội dung / Content</dt><dd>${escapeHtml(checkout.content)}</dd>
<dt>Số tiền / Amount</dt><dd>${formatVnd(checkout.amountVnd)}</dd>
<dt>Phí dịch vụ thanh toán / Payment service fee (Nghị định 45/2020/NĐ-CP Điều 13 khoản 7 điểm b)</dt><dd>${formatVnd(checkout.serviceFeeVnd)}</dd>
<dt>Tổng cộng / Total</dt><dd>${formatVnd(checkout.amountVnd + checkout.serviceFeeVnd)}</dd>
${checkout.expiresAt ? `<dt>Hạn thanh toán / Pay before</dt><dd>${vietnamDateTime(new Date(checkout.expiresAt))}</dd>` : ''}
</dl>`;
    const actions = expired(checkout)
      ? `<p><strong>Đã quá hạn thanh toán / The payment deadline has passed</strong></p>${returnLink(checkout)}`
      : checkout.state === 'open'
      ? `<form method="post" action="/checkout/${checkout.id}/pay" style="display:inline"><button type="submit">Thanh toán / Pay</button></form>
<form method="post" action="/checkout/${checkout.id}/decline" style="display:inline"><button type="submit">Từ chối / Decline</button></form>`
      : `<p>${checkout.state === 'paid' ? 'Đã thanh toán / Paid' : 'Thanh toán không thành công / Payment failed'}</p>${returnLink(checkout)}`;
    response.type('html').send(page(`Thanh toán ${checkout.transactionCode}`, `<h1>Thanh toán / Payment</h1>${details}${actions}`));
  });

  const complete = (choice: 'pay' | 'decline') => (request: Request, response: Response) => {
    const checkout = checkouts.get(String(request.params.id));
    if (!checkout) {
      response.status(404).type('html').send(page('Không có giao dịch', '<h1>Không có giao dịch này / No such checkout</h1>'));
      return;
    }
    if (checkout.state === 'open' && expired(checkout)) {
      response.status(410).type('html').send(page('Quá hạn', `<h1>Đã quá hạn thanh toán / The payment deadline has passed</h1>${returnLink(checkout)}`));
      return;
    }
    if (checkout.state !== 'open') {
      response.status(409).type('html').send(page('Đã xử lý', '<h1>Giao dịch này đã được xử lý / This checkout is already complete</h1>'));
      return;
    }
    const refused = choice === 'decline' || String(checkout.amountVnd).endsWith(behaviour.failAmountsEndingIn);
    checkout.state = refused ? 'failed' : 'paid';
    checkout.completedAt = new Date();
    const sending = notify(checkout).finally(() => pending.delete(sending));
    pending.add(sending);
    response
      .status(200)
      .type('html')
      .send(page('Kết quả thanh toán', refused
        ? `<h1>Thanh toán không thành công / Payment failed</h1><p>Ngân hàng từ chối giao dịch. / The bank refused the payment.</p>${returnLink(checkout)}`
        : `<h1>Thanh toán thành công / Payment successful</h1><p>${formatVnd(checkout.amountVnd + checkout.serviceFeeVnd)}</p>${returnLink(checkout)}`));
  };
  app.post('/checkout/:id/pay', complete('pay'));
  app.post('/checkout/:id/decline', complete('decline'));

  app.get('/statements/:day', (request, response) => {
    if (!signedByMerchant(request, Buffer.from(`GET ${request.path}`))) {
      response.status(403).json({ error: 'signature' });
      return;
    }
    const entries: StatementEntry[] = [...checkouts.values()]
      .filter((checkout) => checkout.completedAt && vietnamDateOf(checkout.completedAt) === request.params.day)
      .map((checkout) => ({ transactionCode: checkout.transactionCode, reference: checkout.id, amountVnd: checkout.amountVnd, serviceFeeVnd: checkout.serviceFeeVnd, status: checkout.state === 'paid' ? 'paid' : 'failed', at: checkout.completedAt!.toISOString() }));
    const body = JSON.stringify({ day: request.params.day, entries });
    response.setHeader(SIGNATURE_HEADER, signBody(secret, body));
    response.type('json').send(body);
  });

  const server: Server = app.listen(port, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    secret,
    behaviour,
    deliveries,
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
