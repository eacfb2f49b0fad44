import type { Knex } from 'knex';
import { z } from 'zod';
import { addDays } from '../../engine/calendar/civil-date.ts';
import { vietnamInstant } from '../../engine/calendar/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { TRANSACTION_STATUSES, type TransactionStatus } from '../../engine/payments/transaction-status.ts';
import type { Database } from '../db/connect.ts';
import { hasRole, type AgencyFunction, type Principal } from '../identity/roles.ts';

/**
 * What a collecting agency's accountant reads and records about its payments (docs/payments.md
 * "The accountant's screen and API"): its transactions, their callbacks, and the marks of Circular
 * 01 Art. 28.3–28.4 set by a person, with who and when.
 */

/** What an official may do with their agency's payments, by function (Decree 45 Art. 11–14 names the functions). */
export type AccountingAction = 'read' | 'reconcile' | 'mark' | 'settings';

/**
 * Who may do what, among the agency's officials (an administrator may do everything):
 * - read the payments, and reconcile a day (it records nothing but the comparison): every function;
 * - set the marks of Art. 28.3–28.4: a specialist or an approver — money received is an accounting
 *   fact, not the one-stop desk's (Art. 28.3: the authority "updates" the status);
 * - change the collection settings (the account the money goes to, Art. 27.1.l–n): an approver.
 * A token for the whole agency (function null) holds every function, as elsewhere.
 */
const FUNCTIONS_FOR: Record<AccountingAction, readonly AgencyFunction[]> = {
  read: ['tiep-nhan', 'chuyen-vien', 'lanh-dao'],
  reconcile: ['tiep-nhan', 'chuyen-vien', 'lanh-dao'],
  mark: ['chuyen-vien', 'lanh-dao'],
  settings: ['lanh-dao'],
};

const ACTION_NAMES: Record<AccountingAction, { vi: string; en: string }> = {
  read: { vi: 'xem các khoản thu', en: 'read the payments' },
  reconcile: { vi: 'đối soát', en: 'reconcile' },
  mark: { vi: 'ghi nhận đã nhận chứng từ, đã nhận tiền', en: 'record documents or money received' },
  settings: { vi: 'sửa thiết lập thu phí', en: 'change the collection settings' },
};

export function agencyNotFound(agency: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'payment.agency-not-found', { vi: `Không có cơ quan ${agency}`, en: `No agency ${agency}` });
}

/**
 * Checks that `principal` may do `action` with `agency`'s payments. An official of another agency
 * (or a caller who is neither) is told the agency does not exist (404), as dossiers are hidden
 * (server/access/scopes.ts); an official of the agency without the function is refused (403).
 */
export async function checkAgencyAccess(db: Database, principal: Principal, agency: string, action: AccountingAction): Promise<void> {
  if (hasRole(principal, 'admin')) {
    const exists = await db('agencies').where({ code: agency }).first<{ code: string } | undefined>('code');
    if (!exists) throw agencyNotFound(agency);
    return;
  }
  const memberships = hasRole(principal, 'official') ? principal.memberships.filter((membership) => membership.agencyCode === agency) : [];
  if (memberships.length === 0) throw agencyNotFound(agency);
  if (!memberships.some((membership) => membership.function === null || FUNCTIONS_FOR[action].includes(membership.function))) {
    throw new QuyTrinhError('forbidden', 'payment.function-required', {
      vi: `Chức năng của bạn tại cơ quan ${agency} không được ${ACTION_NAMES[action].vi}`,
      en: `Your function at agency ${agency} may not ${ACTION_NAMES[action].en}`,
    });
  }
}

export const transactionFilters = z.object({
  status: z.enum(TRANSACTION_STATUSES, { error: `one of ${TRANSACTION_STATUSES.join(', ')}` }).optional(),
  /** The Vietnam day the transaction arose, yyyy-mm-dd. */
  day: z.iso.date('a day, yyyy-mm-dd').optional(),
  /** The start of a transaction code or of the dossier code (the revenue identifier). */
  code: z.string().trim().min(1).max(100).regex(/^[0-9A-Za-z.\-+]+$/, 'letters, digits, dots, hyphens').optional(),
  /** Only those the T-1 review flagged (Art. 28.2). */
  flagged: z.enum(['true', 'false']).optional(),
});
export type TransactionFilters = z.output<typeof transactionFilters>;

/** A transaction's columns as the accountant reads them (the review's day as text: a `date` would come back as a Date at local midnight). */
const listColumns = (db: Database | Knex.Transaction) => [
  db.raw(`to_char(t.review_flagged_through, 'YYYY-MM-DD') as review_flagged_through`),
  't.id', 't.code', 't.dossier_id', 't.revenue_identifier', 't.procedure_code', 't.fee_code', 't.amount_vnd', 't.service_fee_vnd', 't.payer_name', 't.status', 't.settlement_status',
  't.provider', 't.created_at', 't.status_changed_at', 't.review_flagged_at',
  't.documents_received_at', 't.documents_received_by', 't.payment_received_at', 't.payment_received_by', 't.treasury_received_at', 't.treasury_received_by',
];

/** The agency's transactions (`t`) with the filters; the caller pages them. */
export function agencyTransactions(db: Database, agency: string, filters: TransactionFilters): Knex.QueryBuilder {
  const query = db('payment_transactions as t').where('t.collecting_agency_code', agency).select(listColumns(db));
  if (filters.status) void query.where('t.status', filters.status);
  if (filters.day) void query.where('t.created_at', '>=', vietnamInstant(filters.day)).where('t.created_at', '<', vietnamInstant(addDays(filters.day, 1)));
  if (filters.code) {
    const prefix = `${filters.code.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    void query.where((either) => void either.where('t.code', 'like', prefix).orWhere('t.revenue_identifier', 'like', prefix));
  }
  if (filters.flagged === 'true') void query.whereNotNull('t.review_flagged_at');
  if (filters.flagged === 'false') void query.whereNull('t.review_flagged_at');
  return query;
}

export interface TransactionRow {
  id: string;
  code: string;
  dossier_id: string | null;
  revenue_identifier: string;
  procedure_code: string;
  fee_code: string | null;
  amount_vnd: string;
  service_fee_vnd: string | null;
  payer_name: string;
  status: TransactionStatus;
  settlement_status: string;
  provider: string;
  created_at: Date;
  status_changed_at: Date;
  review_flagged_at: Date | null;
  review_flagged_through: string | null;
  documents_received_at: Date | null;
  documents_received_by: string | null;
  payment_received_at: Date | null;
  payment_received_by: string | null;
  treasury_received_at: Date | null;
  treasury_received_by: string | null;
}

export const MARKS = ['documents-received', 'payment-received', 'treasury-received'] as const;
export type Mark = (typeof MARKS)[number];

const MARK_COLUMNS: Record<Mark, { at: keyof TransactionRow; by: keyof TransactionRow }> = {
  'documents-received': { at: 'documents_received_at', by: 'documents_received_by' },
  'payment-received': { at: 'payment_received_at', by: 'payment_received_by' },
  'treasury-received': { at: 'treasury_received_at', by: 'treasury_received_by' },
};

export const MARK_NAMES: Record<Mark, { vi: string; en: string }> = {
  'documents-received': { vi: 'Đã nhận chứng từ', en: 'Documents received' },
  'payment-received': { vi: 'Đã nhận tiền', en: 'Payment received' },
  'treasury-received': { vi: 'Kho bạc Nhà nước đã nhận tiền', en: 'Payment received by the State Treasury' },
};

const iso = (moment: Date | null) => moment?.toISOString() ?? null;

export function transactionItem(row: TransactionRow) {
  return {
    id: row.id,
    code: row.code,
    dossierId: row.dossier_id,
    revenueIdentifier: row.revenue_identifier,
    procedureCode: row.procedure_code,
    feeCode: row.fee_code,
    amountVnd: Number(row.amount_vnd),
    serviceFeeVnd: row.service_fee_vnd === null ? null : Number(row.service_fee_vnd),
    payerName: row.payer_name,
    status: row.status,
    settlementStatus: row.settlement_status,
    provider: row.provider,
    createdAt: row.created_at.toISOString(),
    statusChangedAt: row.status_changed_at.toISOString(),
    review: row.review_flagged_at ? { flaggedAt: row.review_flagged_at.toISOString(), through: row.review_flagged_through } : null,
    marks: Object.fromEntries(MARKS.map((mark) => {
      const at = row[MARK_COLUMNS[mark].at] as Date | null;
      return [mark, at ? { at: iso(at), by: row[MARK_COLUMNS[mark].by] as string } : null];
    })) as Record<Mark, { at: string; by: string } | null>,
  };
}

function transactionNotFound(id: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'payment.transaction-not-found', { vi: `Không có giao dịch thanh toán ${id} của cơ quan`, en: `The agency has no payment transaction ${id}` });
}

async function agencyTransaction(db: Database | Knex.Transaction, agency: string, id: string, lock = false): Promise<TransactionRow> {
  const query = db('payment_transactions as t').where({ 't.id': id, 't.collecting_agency_code': agency }).first<TransactionRow | undefined>(listColumns(db));
  if (lock) void query.forUpdate();
  const row = await query;
  if (!row) throw transactionNotFound(id);
  return row;
}

/** One transaction of the agency with its revenue data, its payment content and every callback received for it. */
export async function transactionDetail(db: Database, agency: string, id: string) {
  const row = await agencyTransaction(db, agency, id);
  const extra = await db('payment_transactions').where({ id }).first<{ content: string; citad_code: string; account_number: string; account_name: string; payer_tax_id: string | null; provider_reference: string | null; settled_at: Date | null }>('content', 'citad_code', 'account_number', 'account_name', 'payer_tax_id', 'provider_reference', 'settled_at');
  const callbacks = await db('payment_callbacks')
    .where({ transaction_id: id })
    .orderBy('id')
    .select<Array<{ id: string; provider_event_id: string; report: unknown; verdict: string; received_at: Date; applied_at: Date | null }>>('id', 'provider_event_id', 'report', 'verdict', 'received_at', 'applied_at');
  return {
    ...transactionItem(row),
    content: extra.content,
    citadCode: extra.citad_code,
    accountNumber: extra.account_number,
    accountName: extra.account_name,
    payerTaxId: extra.payer_tax_id,
    providerReference: extra.provider_reference,
    settledAt: iso(extra.settled_at),
    callbacks: callbacks.map((callback) => ({ id: String(callback.id), eventId: callback.provider_event_id, report: callback.report, verdict: callback.verdict, receivedAt: callback.received_at.toISOString(), appliedAt: iso(callback.applied_at) })),
  };
}

/** The marks are about money that was paid: a transaction whose payment succeeded (Art. 28.3–28.4). */
const PAID: readonly TransactionStatus[] = ['payment-succeeded', 'transaction-succeeded'];

/**
 * Records a mark of Art. 28.3–28.4 on the agency's transaction, by `by`, now: once (a mark is a
 * fact with its author, not changed afterwards: `payment.mark-already-set`, 409), and only on a
 * transaction whose payment succeeded (`payment.mark-not-paid`, 409). The transaction's row is
 * locked, so two people marking at once record one of them.
 */
export async function setMark(db: Database, agency: string, id: string, mark: Mark, by: string, now = new Date()) {
  await db.transaction(async (trx) => {
    const row = await agencyTransaction(trx, agency, id, true);
    const { at, by: byColumn } = MARK_COLUMNS[mark];
    if (row[at] !== null) {
      throw new QuyTrinhError('conflict', 'payment.mark-already-set', {
        vi: `Giao dịch ${row.code} đã được ghi nhận "${MARK_NAMES[mark].vi}" bởi ${String(row[byColumn])}`,
        en: `Transaction ${row.code} is already marked "${MARK_NAMES[mark].en}" by ${String(row[byColumn])}`,
      }, [{ field: 'body.mark', message: 'already set' }]);
    }
    if (!PAID.includes(row.status)) {
      throw new QuyTrinhError('conflict', 'payment.mark-not-paid', {
        vi: `Giao dịch ${row.code} chưa thanh toán thành công (trạng thái ${row.status}): chưa thể ghi nhận "${MARK_NAMES[mark].vi}" (Thông tư 01/2023 Điều 28.3–28.4)`,
        en: `Transaction ${row.code} has not been paid (status ${row.status}): "${MARK_NAMES[mark].en}" cannot be recorded yet (Circular 01/2023 Art. 28.3–28.4)`,
      }, [{ field: 'body.mark', message: 'the payment has not succeeded' }]);
    }
    await trx('payment_transactions').where({ id }).update({ [at]: now, [byColumn]: by });
  });
  return transactionDetail(db, agency, id);
}
