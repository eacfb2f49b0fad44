import type { Knex } from 'knex';
import { formatVnd } from '../../engine/payments/money.ts';
import type { Database } from '../db/connect.ts';
import { addNotice } from '../dossiers/notices.ts';
import type { DossierRow } from '../dossiers/records.ts';
import { completeWaitingJob } from '../execution/builtin-jobs.ts';
import { addDossierEvent } from './dossier-records.ts';

/**
 * What becomes of the `payment.online` step (payment-online.ts) when the provider reports the
 * payment's outcome (server/payments/callbacks.ts). Apart from the worker so that the job table
 * (handlers.ts) does not import the job runner that imports it.
 */

const JOB_TYPE = 'payment.online';

/** What the payment step needs of a transaction to go on. */
export interface PaidTransaction {
  id: string;
  code: string;
  amount_vnd: string | number;
  dossier_id: string | null;
  service_job_id: string | null;
}

/**
 * A successful payment's step goes on: its waiting job completes through the engine, once (the
 * job's id is the event id, and only an open job completes), with the transaction code in the
 * instance's variables. Called for every callback that finds the payment successful, so a
 * callback redelivered after a crash between the two still moves the step on. True when this call
 * completed it.
 */
export async function completePaidStep(db: Database, transaction: PaidTransaction, now: Date): Promise<boolean> {
  if (!transaction.service_job_id) return false;
  const amountVnd = Number(transaction.amount_vnd);
  return completeWaitingJob(db, transaction.service_job_id, { paymentTransactionCode: transaction.code, paidAmountVnd: amountVnd }, `worker:${JOB_TYPE}`, async (trx) => {
    if (!transaction.dossier_id) return;
    await addDossierEvent(trx, transaction.dossier_id, JOB_TYPE, 'payment-succeeded', {
      transactionCode: transaction.code,
      amountVnd,
      text: { vi: `Đã nộp ${formatVnd(amountVnd)}, mã giao dịch ${transaction.code}`, en: `${formatVnd(amountVnd)} paid, transaction code ${transaction.code}` },
    }, now);
  });
}

/** A failed payment: the dossier's history says so and the applicant is told; the step keeps waiting (docs/payments.md). */
export async function recordFailedPayment(trx: Knex.Transaction, transaction: PaidTransaction, now: Date): Promise<void> {
  if (!transaction.dossier_id) return;
  const dossier = await trx<DossierRow>('dossiers').where({ id: transaction.dossier_id }).first();
  if (!dossier) return;
  const amount = formatVnd(Number(transaction.amount_vnd));
  await addDossierEvent(trx, dossier.id, JOB_TYPE, 'payment-failed', {
    transactionCode: transaction.code,
    text: { vi: `Thanh toán ${amount} không thành công, mã giao dịch ${transaction.code}`, en: `Payment of ${amount} failed, transaction code ${transaction.code}` },
  }, now);
  await addNotice(trx, {
    accountId: dossier.owner_account_id,
    dossierId: dossier.id,
    kind: 'message',
    subject: { vi: `Hồ sơ ${dossier.code}: thanh toán không thành công`, en: `Application ${dossier.code}: payment failed` },
    body: {
      vi: `Giao dịch ${transaction.code} (${amount}) không thành công. Hồ sơ ${dossier.code} vẫn chờ nộp phí, lệ phí.`,
      en: `Transaction ${transaction.code} (${amount}) failed. Application ${dossier.code} is still waiting for its fees to be paid.`,
    },
  }, now);
}
