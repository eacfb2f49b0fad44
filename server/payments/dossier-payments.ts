import type { Knex } from 'knex';
import { QuyTrinhError } from '../../engine/errors.ts';
import { TRANSACTION_STATUS_TEXT, type SettlementStatus, type TransactionStatus } from '../../engine/payments/transaction-status.ts';
import type { Database } from '../db/connect.ts';
import { recordDossierEvent, type DossierRow } from '../dossiers/records.ts';
import { enqueueBuiltinJob } from '../execution/job-kinds.ts';
import { ENDED_UNPAID } from '../workers/payment-online.ts';

/**
 * A dossier's payments as its applicant and the agency's officials see them (docs/payments.md,
 * "The payer's side"): every transaction of the dossier, newest first, with what the payer may do
 * next — pay at the checkout while it is open, try again after a failure, or print the receipt of
 * a successful payment (Decree 45 Art. 13.4).
 */

const PAID: readonly TransactionStatus[] = ['payment-succeeded', 'transaction-succeeded'];

interface TransactionRow {
  code: string;
  amount_vnd: string;
  service_fee_vnd: string | null;
  status: TransactionStatus;
  settlement_status: SettlementStatus;
  checkout_url: string | null;
  payment_deadline: Date | null;
  created_at: Date;
  status_changed_at: Date;
  service_job_id: string | null;
  job_status: string | null;
}

export interface DossierPayment {
  code: string;
  amountVnd: number;
  serviceFeeVnd: number | null;
  status: TransactionStatus;
  statusText: { vi: string; en: string };
  settlementStatus: SettlementStatus;
  paid: boolean;
  /** Where to pay: only while the step waits for this transaction and it is not paid or failed. */
  checkoutUrl: string | null;
  paymentDeadline: string | null;
  createdAt: string;
  statusChangedAt: string;
}

export interface DossierPayments {
  items: DossierPayment[];
  /** True when the dossier's payment step waits and its last payment failed: a new one may be asked for. */
  canRetry: boolean;
}

function rowsOf(db: Database | Knex.Transaction, dossierId: string): Promise<TransactionRow[]> {
  return db('payment_transactions as t')
    .leftJoin('service_jobs as j', 'j.id', 't.service_job_id')
    .where('t.dossier_id', dossierId)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.code', 'desc')
    .select<TransactionRow[]>('t.code', 't.amount_vnd', 't.service_fee_vnd', 't.status', 't.settlement_status', 't.checkout_url', 't.payment_deadline', 't.created_at', 't.status_changed_at', 't.service_job_id', 'j.status as job_status');
}

const ended = (status: TransactionStatus) => (ENDED_UNPAID as readonly string[]).includes(status);

/** The step's job is queued to run (a retry asked for, not yet taken up): its key is the step's (job-kinds.ts, SERVICE_TASK_JOB). */
async function stepQueued(db: Database | Knex.Transaction, serviceJobId: string): Promise<boolean> {
  const queued = await db.raw<{ rows: unknown[] }>('select 1 from graphile_worker.jobs where key = ?', [`service:${serviceJobId}`]);
  return queued.rows.length > 0;
}

/** The last payment failed, its step still waits, and no new attempt is on its way. */
async function retryable(db: Database | Knex.Transaction, latest: TransactionRow | undefined): Promise<boolean> {
  return latest !== undefined && latest.service_job_id !== null && latest.job_status === 'open' && ended(latest.status) && !(await stepQueued(db, latest.service_job_id));
}

/** The payments of one dossier (newest first) and whether a new attempt may be asked for. */
export async function dossierPayments(db: Database | Knex.Transaction, dossierId: string): Promise<DossierPayments> {
  const rows = await rowsOf(db, dossierId);
  const items = rows.map((row): DossierPayment => ({
    code: row.code,
    amountVnd: Number(row.amount_vnd),
    serviceFeeVnd: row.service_fee_vnd === null ? null : Number(row.service_fee_vnd),
    status: row.status,
    statusText: TRANSACTION_STATUS_TEXT[row.status],
    settlementStatus: row.settlement_status,
    paid: PAID.includes(row.status),
    checkoutUrl: row.job_status === 'open' && (row.status === 'initiated' || row.status === 'processing') ? row.checkout_url : null,
    paymentDeadline: row.payment_deadline?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    statusChangedAt: row.status_changed_at.toISOString(),
  }));
  return { items, canRetry: await retryable(db, rows[0]) };
}

/**
 * The applicant asks to pay again after a failed payment: the step's job runs again and asks for a
 * new transaction with a new code (a failed one is never reused: docs/payments.md, "Statuses").
 * Refused with `payment.nothing-to-retry` (409) unless the dossier's payment step waits and its
 * last payment ended unpaid and no retry is queued already.
 */
export async function retryDossierPayment(db: Database, dossier: DossierRow, actor: string, now = new Date()): Promise<DossierPayments> {
  await db.transaction(async (trx) => {
    // The instance's lock, as every step takes it: the step cannot end while the retry is queued.
    await trx('process_instances').where({ id: dossier.instance_id }).forUpdate().first('id');
    const latest = (await rowsOf(trx, dossier.id))[0];
    if (!(await retryable(trx, latest))) {
      throw new QuyTrinhError('conflict', 'payment.nothing-to-retry', {
        vi: `Hồ sơ ${dossier.code} không có khoản thanh toán không thành công nào đang chờ nộp lại`,
        en: `Application ${dossier.code} has no failed payment waiting to be paid again`,
      });
    }
    await enqueueBuiltinJob(trx, latest!.service_job_id!);
    await recordDossierEvent(trx, dossier.id, 'payment-retried', actor, {
      failedTransactionCode: latest!.code,
      text: { vi: `Người nộp yêu cầu thanh toán lại (giao dịch ${latest!.code} không thành công)`, en: `The applicant asked to pay again (transaction ${latest!.code} failed)` },
    }, now);
  });
  return dossierPayments(db, dossier.id);
}
