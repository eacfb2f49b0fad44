import type { IncomingHttpHeaders } from 'node:http';
import type { Knex } from 'knex';
import { QuyTrinhError } from '../../engine/errors.ts';
import { applyStatusReport, type PaymentStatus, type SettlementStatus, type StatusReport, type StatusVerdict, type TransactionStatus } from '../../engine/payments/transaction-status.ts';
import type { Database } from '../db/connect.ts';
import { completePaidStep, recordFailedPayment, type PaidTransaction } from '../workers/payment-outcome.ts';
import type { PaymentProvider, ProviderCallback } from './provider.ts';

/**
 * A provider's callback, received (docs/payments.md "Callbacks"):
 * 1. verified by the provider's adapter before anything is read or stored (a forged or unsigned
 *    one: 403 or 401, nothing stored);
 * 2. in one transaction holding the payment's row lock: refused when the transaction is unknown
 *    (404, nothing stored: `payment_callbacks` has nothing to reference); stored once by its
 *    event id (a replay hits the unique key and changes nothing); judged by the status machine
 *    (`applyStatusReport`, Circular 01 Art. 28.1); an `early` report kept and applied as soon as the
 *    step it skipped has arrived, so any order ends in the same status;
 * 3. after commit, when the payment is successful and its step still waits, the step completes
 *    through the engine, once (payment-outcome.ts `completePaidStep`). Done for every callback that
 *    finds it so, so a crash between 2 and 3 is mended by the provider's next redelivery.
 */

export interface CallbackOutcome {
  /** The machine's verdict on this callback; `replayed` when its event id was received before. */
  verdict: StatusVerdict | 'replayed';
  status: PaymentStatus;
  /** Whether this callback moved the dossier's payment step on. */
  stepCompleted: boolean;
}

interface TransactionRow extends PaidTransaction {
  status: TransactionStatus;
  settlement_status: SettlementStatus;
  provider_reference: string | null;
}

const PAID: readonly TransactionStatus[] = ['payment-succeeded', 'transaction-succeeded'];

export async function receiveCallback(db: Database, provider: PaymentProvider, rawBody: Buffer, headers: IncomingHttpHeaders, now = new Date()): Promise<CallbackOutcome> {
  const callback = provider.verifyCallback(rawBody, headers);
  const { verdict, transaction } = await db.transaction((trx) => recordCallback(trx, provider.name, callback, now));
  const status = { transaction: transaction.status, settlement: transaction.settlement_status };
  const stepCompleted = PAID.includes(status.transaction) ? await completePaidStep(db, transaction, now) : false;
  return { verdict, status, stepCompleted };
}

async function recordCallback(trx: Knex.Transaction, provider: string, callback: ProviderCallback, now: Date): Promise<{ verdict: CallbackOutcome['verdict']; transaction: TransactionRow }> {
  const transaction = await trx('payment_transactions')
    .where({ provider, code: callback.transactionCode })
    .forUpdate()
    .first<TransactionRow | undefined>('id', 'code', 'amount_vnd', 'dossier_id', 'service_job_id', 'status', 'settlement_status', 'provider_reference');
  if (!transaction) {
    throw new QuyTrinhError('not-found', 'payment.transaction-not-found', {
      vi: `Không có giao dịch thanh toán ${callback.transactionCode} của ${provider}`,
      en: `No payment transaction ${callback.transactionCode} with ${provider}`,
    }, [{ field: 'body.transactionCode', message: 'unknown transaction code' }]);
  }
  if (transaction.provider_reference !== null && transaction.provider_reference !== callback.reference) {
    throw new QuyTrinhError('conflict', 'payment.callback-reference-mismatch', {
      vi: `Thông báo cho giao dịch ${callback.transactionCode} mang mã tham chiếu ${callback.reference} khác với mã đã lưu`,
      en: `The notification for transaction ${callback.transactionCode} carries reference ${callback.reference}, not the stored one`,
    });
  }
  let status: PaymentStatus = { transaction: transaction.status, settlement: transaction.settlement_status };
  const judged = applyStatusReport(status, callback.report);
  const inserted = await trx('payment_callbacks')
    .insert({
      provider,
      provider_event_id: callback.eventId,
      transaction_id: transaction.id,
      report: JSON.stringify(callback.report),
      payload: JSON.stringify(callback.payload),
      received_at: now,
      verdict: judged.verdict,
      applied_at: judged.verdict === 'applied' ? now : null,
    })
    .onConflict(['provider', 'provider_event_id'])
    .ignore()
    .returning('id');
  if (inserted.length === 0) return { verdict: 'replayed', transaction };

  const before = status;
  if (judged.verdict === 'applied') {
    status = judged.status;
    status = await applyEarlyReports(trx, transaction.id, status, now);
  }
  if (status.transaction !== before.transaction || status.settlement !== before.settlement) {
    await trx('payment_transactions')
      .where({ id: transaction.id })
      .update({
        status: status.transaction,
        settlement_status: status.settlement,
        status_changed_at: now,
        ...(status.settlement !== before.settlement ? { settled_at: now } : {}),
        ...(status.transaction === 'payment-succeeded' && before.transaction !== 'payment-succeeded' ? { paid_at: now } : {}),
      });
    if (status.transaction === 'payment-failed' && before.transaction !== 'payment-failed') await recordFailedPayment(trx, transaction, now);
  }
  return { verdict: judged.verdict, transaction: { ...transaction, status: status.transaction, settlement_status: status.settlement } };
}

/** Applies the kept `early` reports of the transaction, oldest first, until none applies any more. */
async function applyEarlyReports(trx: Knex.Transaction, transactionId: string, start: PaymentStatus, now: Date): Promise<PaymentStatus> {
  let status = start;
  let waiting = await trx('payment_callbacks').where({ transaction_id: transactionId, verdict: 'early' }).orderBy('id').select<Array<{ id: string; report: StatusReport }>>('id', 'report');
  let progressed = true;
  while (progressed && waiting.length > 0) {
    progressed = false;
    const still: typeof waiting = [];
    for (const callback of waiting) {
      const next = applyStatusReport(status, callback.report);
      if (next.verdict === 'early') {
        still.push(callback);
        continue;
      }
      // Applied now, or no longer applicable (what it reports has arrived since): either way it no longer waits.
      await trx('payment_callbacks').where({ id: callback.id }).update({ verdict: next.verdict, applied_at: next.verdict === 'applied' ? now : null });
      if (next.verdict === 'applied') {
        status = next.status;
        progressed = true;
      }
    }
    waiting = still;
  }
  return status;
}
