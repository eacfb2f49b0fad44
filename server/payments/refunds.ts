import type { IncomingHttpHeaders } from 'node:http';
import type { Knex } from 'knex';
import { z } from 'zod';
import { isQuyTrinhError, QuyTrinhError } from '../../engine/errors.ts';
import { formatVnd } from '../../engine/payments/money.ts';
import { nextRefundStatus, REFUND_HOLDING_STATUSES, REFUND_REASONS, REFUND_STATUSES, type RefundEvent, type RefundReason, type RefundStatus } from '../../engine/payments/refund-status.ts';
import type { TransactionStatus } from '../../engine/payments/transaction-status.ts';
import type { Database } from '../db/connect.ts';
import { hasRole, type AgencyFunction, type Principal } from '../identity/roles.ts';
import { namedPaymentProvider, type PaymentProvider, type ProviderRefundCallback } from './provider.ts';

/**
 * Refund claims (issue 13; Circular 01 Art. 29–30; docs/payments.md "Refunds").
 *
 * - A claim is prepared on a paid transaction by an official of its collecting agency holding
 *   "Lập chứng từ hoàn trả khoản thu NSNN" (`lap-hoan-tra`, Art. 30.2.a), for a mistaken payment,
 *   an overpayment or another reason (Art. 30.1), for at most what was paid minus what other claims
 *   hold (prepared, approved, sent or refunded): every claim of a transaction is written under the
 *   transaction row's lock, so concurrent claims cannot together exceed it.
 * - A transaction whose documents were sent (`documents_received_at`, Art. 28.3) is not refunded
 *   unless the collecting agency's agreement is recorded on the claim (Art. 29.1).
 * - Another official of the agency holding "Duyệt chứng từ hoàn trả" (`duyet-hoan-tra`, Art.
 *   30.2.b) approves or rejects it with a reason; never the one who prepared it (checked here, and
 *   by the table's `payment_refunds_four_eyes` constraint).
 * - Approved, it is sent to the provider (Art. 30.2.c) and its outcome comes as a signed refund
 *   callback, taken once by event id, like a payment's (callbacks.ts).
 * Statuses: engine/payments/refund-status.ts.
 */

export const PREPARE_FUNCTION: AgencyFunction = 'lap-hoan-tra';
export const APPROVE_FUNCTION: AgencyFunction = 'duyet-hoan-tra';

const PAID: readonly TransactionStatus[] = ['payment-succeeded', 'transaction-succeeded'];

export const refundClaimBody = z.strictObject({
  transactionCode: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  reason: z.enum(REFUND_REASONS, { error: `one of ${REFUND_REASONS.join(', ')}` }),
  explanation: z.string().trim().min(1, 'required').max(2000, 'at most 2,000 characters'),
  amountVnd: z.number({ error: 'a whole number of đồng' }).int('a whole number of đồng').min(1, 'at least 1 đồng').max(Number.MAX_SAFE_INTEGER),
  /** Art. 29.1: the reference of the collecting agency's agreement (its letter, decision), needed when the documents were sent. */
  agencyAgreement: z.string().trim().min(1, 'empty: leave it out instead').max(500, 'at most 500 characters').optional(),
});
export type RefundClaimInput = z.output<typeof refundClaimBody>;

export const rejectionBody = z.strictObject({ reason: z.string().trim().min(1, 'required').max(2000, 'at most 2,000 characters') });

export interface RefundRow {
  id: string;
  transaction_id: string;
  collecting_agency_code: string;
  reason: RefundReason;
  explanation: string;
  amount_vnd: string;
  status: RefundStatus;
  agency_agreement: string | null;
  prepared_by_account: string;
  prepared_by: string;
  prepared_at: Date;
  decided_by_account: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  rejection_reason: string | null;
  provider: string | null;
  provider_reference: string | null;
  sent_at: Date | null;
  completed_at: Date | null;
  failure_reason: string | null;
}

/** A claim with its transaction's code, payer and paid amount, as lists and screens show it. */
export interface RefundClaimRow extends RefundRow {
  transaction_code: string;
  revenue_identifier: string;
  payer_name: string;
  paid_amount_vnd: string;
}

interface PaidTransactionRow {
  id: string;
  code: string;
  status: TransactionStatus;
  amount_vnd: string;
  collecting_agency_code: string;
  documents_received_at: Date | null;
  provider: string;
  provider_reference: string | null;
}

export const REFUND_COLUMNS = ['r.*', 't.code as transaction_code', 't.revenue_identifier', 't.payer_name', 't.amount_vnd as paid_amount_vnd'] as const;

export function refundClaimRows(db: Knex): Knex.QueryBuilder {
  return db('payment_refunds as r').join('payment_transactions as t', 't.id', 'r.transaction_id');
}

export function refundView(row: RefundClaimRow) {
  return {
    id: row.id,
    transactionCode: row.transaction_code,
    revenueIdentifier: row.revenue_identifier,
    payerName: row.payer_name,
    paidAmountVnd: Number(row.paid_amount_vnd),
    collectingAgencyCode: row.collecting_agency_code,
    reason: row.reason,
    explanation: row.explanation,
    amountVnd: Number(row.amount_vnd),
    status: row.status,
    agencyAgreement: row.agency_agreement,
    preparedBy: row.prepared_by,
    preparedByAccount: row.prepared_by_account,
    preparedAt: row.prepared_at.toISOString(),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    rejectionReason: row.rejection_reason,
    providerReference: row.provider_reference,
    sentAt: row.sent_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
    failureReason: row.failure_reason,
  };
}
export type RefundView = ReturnType<typeof refundView>;

/** Whether the caller is one of the agency's (any function), or an administrator: who may see its claims. */
export function seesAgency(principal: Principal, agencyCode: string): boolean {
  return hasRole(principal, 'admin') || (hasRole(principal, 'official') && principal.memberships.some((membership) => membership.agencyCode === agencyCode));
}

const transactionNotFound = (code: string) =>
  new QuyTrinhError('not-found', 'payment.transaction-not-found', { vi: `Không có giao dịch thanh toán ${code} của cơ quan bạn`, en: `No payment transaction ${code} of your agency` }, [{ field: 'body.transactionCode', message: 'unknown transaction code' }]);

const refundNotFound = (id: string) => new QuyTrinhError('not-found', 'payment.refund-not-found', { vi: `Không có đề nghị hoàn trả ${id}`, en: `No refund claim ${id}` });

/**
 * Art. 30.2: the official in person (never a token: two people must be told apart), of the
 * collecting agency, holding `fn` exactly. Someone outside the agency is told there is nothing
 * (404 by the caller); an official of it without the function gets 403.
 */
function requireFunction(principal: Principal, agencyCode: string, fn: AgencyFunction, action: { vi: string; en: string }): void {
  const holds = principal.kind === 'account' && hasRole(principal, 'official') && principal.memberships.some((membership) => membership.agencyCode === agencyCode && membership.function === fn);
  if (holds) return;
  const names = fn === PREPARE_FUNCTION
    ? { vi: 'Lập chứng từ hoàn trả khoản thu NSNN', en: 'Prepare documents for refund of state budget revenues' }
    : { vi: 'Duyệt chứng từ hoàn trả', en: 'Approve refund documents' };
  throw new QuyTrinhError('forbidden', 'payment.refund-function-required', {
    vi: `Chỉ cán bộ của cơ quan ${agencyCode} được phân quyền "${names.vi}" mới được ${action.vi} (Thông tư 01/2023/TT-VPCP Điều 30.2)`,
    en: `Only an official of agency ${agencyCode} authorised to "${names.en}" may ${action.en} (Circular 01/2023 Art. 30.2)`,
  });
}

/** Art. 29.1: documents sent means no refund without the collecting agency's recorded agreement. */
function requireAgreementIfDocumentsSent(transaction: PaidTransactionRow, agreement: string | null | undefined): void {
  if (transaction.documents_received_at === null || agreement) return;
  throw new QuyTrinhError('conflict', 'payment.refund-documents-sent', {
    vi: `Giao dịch ${transaction.code} đã thành công và chứng từ điện tử đã được gửi: chỉ hoàn trả khi có sự đồng ý của cơ quan thu (Thông tư 01/2023/TT-VPCP Điều 29.1); ghi số văn bản đồng ý`,
    en: `Transaction ${transaction.code} succeeded and its electronic documents were sent: it is refunded only with the collecting agency's agreement (Circular 01/2023 Art. 29.1); give the agreement's reference`,
  }, [{ field: 'body.agencyAgreement', message: "required: the collecting agency's agreement (Art. 29.1)" }]);
}

async function lockTransaction(trx: Knex.Transaction, where: { code: string } | { id: string }): Promise<PaidTransactionRow | undefined> {
  return trx('payment_transactions')
    .where(where)
    .forUpdate()
    .first<PaidTransactionRow | undefined>('id', 'code', 'status', 'amount_vnd', 'collecting_agency_code', 'documents_received_at', 'provider', 'provider_reference');
}

/** Art. 30.2.a: a claim prepared by an official holding the prepare function of the collecting agency. */
export async function prepareRefund(db: Database, principal: Principal, input: RefundClaimInput, now = new Date()): Promise<RefundClaimRow> {
  const id = await db.transaction(async (trx) => {
    const transaction = await lockTransaction(trx, { code: input.transactionCode });
    if (!transaction || !seesAgency(principal, transaction.collecting_agency_code)) throw transactionNotFound(input.transactionCode);
    requireFunction(principal, transaction.collecting_agency_code, PREPARE_FUNCTION, { vi: 'lập đề nghị hoàn trả', en: 'prepare a refund' });
    if (!PAID.includes(transaction.status)) {
      throw new QuyTrinhError('conflict', 'payment.refund-not-paid', {
        vi: `Giao dịch ${transaction.code} chưa thanh toán thành công (trạng thái ${transaction.status}): không có khoản nào để hoàn trả`,
        en: `Transaction ${transaction.code} has not been paid (status ${transaction.status}): there is nothing to refund`,
      }, [{ field: 'body.transactionCode', message: `status ${transaction.status}` }]);
    }
    requireAgreementIfDocumentsSent(transaction, input.agencyAgreement);
    const [held] = await trx('payment_refunds')
      .where({ transaction_id: transaction.id })
      .whereIn('status', REFUND_HOLDING_STATUSES)
      .sum<Array<{ sum: string | null }>>('amount_vnd as sum');
    const remaining = Number(transaction.amount_vnd) - Number(held?.sum ?? 0);
    if (input.amountVnd > remaining) {
      throw new QuyTrinhError('conflict', 'payment.refund-exceeds-paid', {
        vi: `Số tiền hoàn trả ${formatVnd(input.amountVnd)} vượt quá số còn có thể hoàn trả của giao dịch ${transaction.code}: ${formatVnd(Math.max(remaining, 0))} (đã nộp ${formatVnd(Number(transaction.amount_vnd))})`,
        en: `The refund of ${input.amountVnd.toLocaleString('en-US')} VND exceeds what transaction ${transaction.code} has left to refund: ${Math.max(remaining, 0).toLocaleString('en-US')} VND (paid ${Number(transaction.amount_vnd).toLocaleString('en-US')} VND)`,
      }, [{ field: 'body.amountVnd', message: `at most ${Math.max(remaining, 0)}` }]);
    }
    const [inserted] = await trx('payment_refunds')
      .insert({
        transaction_id: transaction.id,
        collecting_agency_code: transaction.collecting_agency_code,
        reason: input.reason,
        explanation: input.explanation,
        amount_vnd: input.amountVnd,
        status: 'prepared',
        agency_agreement: input.agencyAgreement ?? null,
        prepared_by_account: principal.id,
        prepared_by: principal.actor,
        prepared_at: now,
        status_changed_at: now,
      })
      .returning<Array<{ id: string }>>('id');
    return inserted!.id;
  });
  return (await findRefund(db, id))!;
}

export async function findRefund(db: Knex, id: string): Promise<RefundClaimRow | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  return refundClaimRows(db).where('r.id', id).first<RefundClaimRow | undefined>(...REFUND_COLUMNS);
}

/** One claim the caller may see; 404 otherwise (another agency's claims do not exist for them). */
export async function visibleRefund(db: Database, principal: Principal, id: string): Promise<RefundClaimRow> {
  const claim = await findRefund(db, id);
  if (!claim || !seesAgency(principal, claim.collecting_agency_code)) throw refundNotFound(id);
  return claim;
}

function move(current: RefundStatus, event: RefundEvent, id: string): RefundStatus {
  const next = nextRefundStatus(current, event);
  if (next) return next;
  throw new QuyTrinhError('conflict', 'payment.refund-status', {
    vi: `Đề nghị hoàn trả ${id} đang ở trạng thái ${current}: không thể ${event.type}`,
    en: `Refund claim ${id} is ${current}: it cannot ${event.type}`,
  });
}

/**
 * Art. 30.2.b: approval or rejection by an official holding the approve function, who did not
 * prepare the claim. Approved, the claim is sent to the provider (`sendRefund`) after commit.
 */
export async function decideRefund(db: Database, principal: Principal, id: string, decision: { approve: true } | { approve: false; reason: string }, now = new Date()): Promise<RefundClaimRow> {
  const claim = await visibleRefund(db, principal, id);
  requireFunction(principal, claim.collecting_agency_code, APPROVE_FUNCTION, { vi: 'duyệt hoặc từ chối đề nghị hoàn trả', en: 'approve or reject a refund' });
  if (claim.prepared_by_account === principal.id) {
    throw new QuyTrinhError('forbidden', 'payment.refund-same-official', {
      vi: 'Người lập chứng từ hoàn trả không được tự duyệt chứng từ đó: cần một cán bộ khác được phân quyền duyệt (Thông tư 01/2023/TT-VPCP Điều 30.2)',
      en: 'Whoever prepared the refund documents may not approve them: another official authorised to approve must (Circular 01/2023 Art. 30.2)',
    });
  }
  await db.transaction(async (trx) => {
    // The transaction's lock first, as a new claim takes it: the documents-sent rule is read as it stands now.
    const transaction = (await lockTransaction(trx, { id: claim.transaction_id }))!;
    const current = await trx('payment_refunds').where({ id }).forUpdate().first<Pick<RefundRow, 'status' | 'agency_agreement'>>('status', 'agency_agreement');
    const status = move(current.status, decision.approve ? { type: 'approve' } : { type: 'reject' }, id);
    if (decision.approve) requireAgreementIfDocumentsSent(transaction, current.agency_agreement);
    await trx('payment_refunds').where({ id }).update({
      status,
      decided_by_account: principal.id,
      decided_by: principal.actor,
      decided_at: now,
      rejection_reason: decision.approve ? null : decision.reason,
      status_changed_at: now,
    });
  });
  if (decision.approve) {
    try {
      return await sendRefund(db, id);
    } catch (error) {
      // The approval stands; the provider unreachable (or not configured) leaves the order `approved`, to be sent again.
      if (!isQuyTrinhError(error) || error.kind !== 'unavailable') throw error;
    }
  }
  return (await findRefund(db, id))!;
}

/**
 * Art. 30.2.c: the approved order sent to the provider of the payment, outside any database
 * transaction; then, under the claim's lock, `sent` with the provider's reference, and an outcome
 * that overtook it (an `early` callback) applied. The provider unreachable leaves it `approved`,
 * to be sent again (the provider answers the same refund for the same claim id); a provider that
 * refuses the order outright ends it `failed`.
 */
export async function sendRefund(db: Database, id: string, now = new Date()): Promise<RefundClaimRow> {
  const claim = (await findRefund(db, id))!;
  if (claim.status !== 'approved') return claim;
  const transaction = await db('payment_transactions').where({ id: claim.transaction_id }).first<PaidTransactionRow>('code', 'provider', 'provider_reference');
  const provider = namedPaymentProvider(transaction.provider);
  if (!provider.createRefund) {
    throw new QuyTrinhError('unavailable', 'payment.refunds-unsupported', { vi: `Nhà cung cấp ${provider.name} không nhận lệnh hoàn trả qua giao diện`, en: `Provider ${provider.name} takes no refund orders through its interface` });
  }
  let reference: string;
  try {
    ({ reference } = await provider.createRefund({ refundId: id, transactionCode: transaction.code, checkoutReference: transaction.provider_reference ?? '', amountVnd: Number(claim.amount_vnd), reason: `${claim.reason}: ${claim.explanation}` }));
  } catch (error) {
    if (!(error instanceof QuyTrinhError) || error.code !== 'payment.refund-refused-by-provider') throw error;
    await db.transaction(async (trx) => {
      const current = await trx('payment_refunds').where({ id }).forUpdate().first<Pick<RefundRow, 'status'>>('status');
      const status = nextRefundStatus(current.status, { type: 'provider.refused' });
      if (status) await trx('payment_refunds').where({ id }).update({ status, failure_reason: error.text.vi, completed_at: now, status_changed_at: now });
    });
    return (await findRefund(db, id))!;
  }
  await db.transaction(async (trx) => {
    const current = await trx('payment_refunds').where({ id }).forUpdate().first<Pick<RefundRow, 'status'>>('status');
    if (nextRefundStatus(current.status, { type: 'send' }) === null) return;
    await trx('payment_refunds').where({ id }).update({ status: 'sent', provider: provider.name, provider_reference: reference, sent_at: now, status_changed_at: now });
    // An outcome that overtook this: applied when it names the refund the provider just answered, else kept for review.
    const early = await trx('payment_refund_callbacks').where({ refund_id: id, verdict: 'early' }).orderBy('id').select<Array<{ id: string; status: 'succeeded' | 'failed'; payload: { reference?: unknown } }>>('id', 'status', 'payload');
    const matching = early.find((callback) => callback.payload.reference === reference);
    for (const callback of early) await trx('payment_refund_callbacks').where({ id: callback.id }).update({ verdict: callback === matching ? 'applied' : 'conflict' });
    if (matching) await trx('payment_refunds').where({ id }).update({ status: matching.status, completed_at: now, status_changed_at: now });
  });
  return (await findRefund(db, id))!;
}

/** An approved order the provider could not be reached for, sent again by an approver of the agency (Art. 30.2.c). */
export async function resendRefund(db: Database, principal: Principal, id: string): Promise<RefundClaimRow> {
  const claim = await visibleRefund(db, principal, id);
  requireFunction(principal, claim.collecting_agency_code, APPROVE_FUNCTION, { vi: 'gửi lại lệnh hoàn trả', en: 'send a refund order again' });
  if (claim.status !== 'approved') {
    throw new QuyTrinhError('conflict', 'payment.refund-status', { vi: `Đề nghị hoàn trả ${id} đang ở trạng thái ${claim.status}: chỉ gửi lại lệnh đã duyệt chưa gửi được`, en: `Refund claim ${id} is ${claim.status}: only an approved order not yet sent is sent again` });
  }
  return sendRefund(db, id);
}

export interface RefundCallbackOutcome {
  verdict: 'applied' | 'duplicate' | 'conflict' | 'early' | 'replayed';
  status: RefundStatus;
}

/**
 * A provider's refund callback (docs/payments.md "Refunds"), as `receiveCallback` takes a payment's:
 * verified before anything is read (401, 403); in one transaction holding the claim's lock, refused
 * when the claim is unknown to this provider (404, nothing stored), stored once by event id (a
 * replay changes nothing), then the outcome applied when the claim is `sent`. An outcome that
 * overtook our recording of `sent` is kept `early` and applied when it is recorded.
 */
export async function receiveRefundCallback(db: Database, provider: PaymentProvider, rawBody: Buffer, headers: IncomingHttpHeaders, now = new Date()): Promise<RefundCallbackOutcome> {
  if (!provider.verifyRefundCallback) throw new QuyTrinhError('not-found', 'payment.refunds-unsupported', { vi: `Nhà cung cấp ${provider.name} không gửi thông báo hoàn trả`, en: `Provider ${provider.name} sends no refund notifications` });
  const callback = provider.verifyRefundCallback(rawBody, headers);
  return db.transaction((trx) => recordRefundCallback(trx, provider.name, callback, now));
}

async function recordRefundCallback(trx: Knex.Transaction, provider: string, callback: ProviderRefundCallback, now: Date): Promise<RefundCallbackOutcome> {
  const claim = z.uuid().safeParse(callback.refundId).success
    ? await trx('payment_refunds as r')
      .join('payment_transactions as t', 't.id', 'r.transaction_id')
      .where({ 'r.id': callback.refundId, 't.provider': provider })
      .forUpdate('r')
      .first<Pick<RefundRow, 'id' | 'status' | 'provider_reference'> | undefined>('r.id', 'r.status', 'r.provider_reference')
    : undefined;
  if (!claim) {
    throw new QuyTrinhError('not-found', 'payment.refund-not-found', { vi: `Không có đề nghị hoàn trả ${callback.refundId} với ${provider}`, en: `No refund claim ${callback.refundId} with ${provider}` }, [{ field: 'body.refundId', message: 'unknown refund' }]);
  }
  if (claim.provider_reference !== null && claim.provider_reference !== callback.reference) {
    throw new QuyTrinhError('conflict', 'payment.callback-reference-mismatch', {
      vi: `Thông báo cho đề nghị hoàn trả ${claim.id} mang mã tham chiếu ${callback.reference} khác với mã đã lưu`,
      en: `The notification for refund claim ${claim.id} carries reference ${callback.reference}, not the stored one`,
    });
  }
  const next = nextRefundStatus(claim.status, { type: callback.outcome === 'succeeded' ? 'provider.succeeded' : 'provider.failed' });
  const verdict: Exclude<RefundCallbackOutcome['verdict'], 'replayed'> = next
    ? 'applied'
    : claim.status === callback.outcome ? 'duplicate' : claim.status === 'approved' ? 'early' : 'conflict';
  const inserted = await trx('payment_refund_callbacks')
    .insert({ provider, provider_event_id: callback.eventId, refund_id: claim.id, status: callback.outcome, payload: JSON.stringify(callback.payload), received_at: now, verdict })
    .onConflict(['provider', 'provider_event_id'])
    .ignore()
    .returning('id');
  if (inserted.length === 0) return { verdict: 'replayed', status: claim.status };
  if (!next) return { verdict, status: claim.status };
  await trx('payment_refunds').where({ id: claim.id }).update({ status: next, completed_at: now, status_changed_at: now });
  return { verdict, status: next };
}

export const REFUND_STATUS_FILTER = z.enum(REFUND_STATUSES, { error: `one of ${REFUND_STATUSES.join(', ')}` });
