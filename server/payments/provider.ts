import type { IncomingHttpHeaders } from 'node:http';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { StatementLine } from '../../engine/payments/reconciliation.ts';
import type { StatusReport } from '../../engine/payments/transaction-status.ts';

/**
 * A payment provider: the bank or payment intermediary that takes the payer's money (Decree 45
 * Art. 13.6–13.7), one adapter per provider (docs/payments.md). The product only ever talks to a
 * provider through this interface; the sandbox (server/payments/sandbox/) is the one adapter so far.
 */
export interface PaymentProvider {
  /** Stored as `payment_transactions.provider` and the last segment of its callback route. */
  readonly name: string;
  /** Opens the payer's checkout for one transaction. */
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  /**
   * Reads a callback: verifies its signature over the raw body before anything in it is believed,
   * and throws `payment.callback-unsigned` (401) or `payment.callback-forged` (403) otherwise.
   */
  verifyCallback(rawBody: Buffer, headers: IncomingHttpHeaders): ProviderCallback;
  /** The provider's statement of one day (Vietnam time), for the daily cross-check (Decree 45 Art. 13.7.d). */
  readStatement(day: string): Promise<StatementEntry[]>;
  /**
   * Reads a statement the provider handed over as a file (downloaded from its back office), for
   * the same cross-check; refuses one that is malformed or of another day (`payment.statement-invalid`, 400).
   */
  readStatementFile(day: string, contents: string, fileName: string): StatementEntry[];
  /**
   * Sends an approved refund order (Circular 01 Art. 30.2.c); the outcome comes later as a refund
   * callback. Asking again with the same `refundId` answers the same refund. Absent on a provider
   * that takes no refund orders through its API (`payment.refunds-unsupported`).
   */
  createRefund?(request: RefundRequest): Promise<ProviderRefund>;
  /** Reads a refund callback as `verifyCallback` reads a payment's: the signature first (401, 403), then the body (400). */
  verifyRefundCallback?(rawBody: Buffer, headers: IncomingHttpHeaders): ProviderRefundCallback;
}

export interface RefundRequest {
  /** Our claim's id (`payment_refunds.id`), the provider's key against a second refund of one claim. */
  refundId: string;
  transactionCode: string;
  /** The payment's reference at the provider (`payment_transactions.provider_reference`). */
  checkoutReference: string;
  amountVnd: number;
  reason: string;
}

export interface ProviderRefund {
  /** The provider's id of the refund (`payment_refunds.provider_reference`). */
  reference: string;
}

/** A provider's report of a refund's outcome, with its event id (unique per provider). */
export interface ProviderRefundCallback {
  eventId: string;
  refundId: string;
  reference: string;
  outcome: 'succeeded' | 'failed';
  payload: unknown;
}

export interface CheckoutRequest {
  transactionCode: string;
  amountVnd: number;
  /** The payment order's content (Circular 01 Art. 27.3). */
  content: string;
  payerName: string;
  /** The payment deadline (Circular 01 Art. 27.1.i): the provider refuses to take the payment after it. */
  expiresAt?: string | undefined;
  /** Where the payer's browser goes back to on this product after paying, a path (the adapter knows the product's address). */
  returnPath?: string | undefined;
}

export interface Checkout {
  /** The provider's id of the checkout (`payment_transactions.provider_reference`). */
  reference: string;
  /** Where the payer pays. */
  url: string;
  /** The provider's own fee, shown to the payer before paying (Decree 45 Art. 13.7.b). */
  serviceFeeVnd: number;
}

/** One status report of a provider about one transaction, with the provider's event id (unique per provider). */
export interface ProviderCallback {
  eventId: string;
  transactionCode: string;
  reference: string;
  report: StatusReport;
  /** The body as sent, kept in `payment_callbacks.payload`. */
  payload: unknown;
}

/** A line of a provider's statement (engine/payments/reconciliation.ts). */
export type StatementEntry = StatementLine;

const providers = new Map<string, PaymentProvider>();

/**
 * Makes `provider` the one that new payments use (and whose callbacks are read). Set once at
 * start-up from the configuration (and by tests); the built-in workers are a static table, so the
 * `payment.online` worker finds its provider here.
 */
export function usePaymentProvider(provider: PaymentProvider): void {
  providers.clear();
  providers.set(provider.name, provider);
}

/** The provider in use; `payment.no-provider` (503) when none is configured. */
export function paymentProvider(): PaymentProvider {
  const provider = providers.values().next().value;
  if (provider) return provider;
  throw new QuyTrinhError('unavailable', 'payment.no-provider', { vi: 'Chưa cấu hình nhà cung cấp dịch vụ thanh toán', en: 'No payment provider is configured' });
}

/** The provider called `name` (a callback's route says whose it is); `payment.unknown-provider` (404) when it is not in use. */
export function namedPaymentProvider(name: string): PaymentProvider {
  const provider = providers.get(name);
  if (provider) return provider;
  throw new QuyTrinhError('not-found', 'payment.unknown-provider', { vi: `Không có nhà cung cấp dịch vụ thanh toán ${name}`, en: `No payment provider ${name}` });
}
