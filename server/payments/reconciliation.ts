import type { Knex } from 'knex';
import { vietnamDateOf, vietnamInstant } from '../../engine/calendar/index.ts';
import { addDays } from '../../engine/calendar/civil-date.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { compareWithStatement, type Mismatch, type MismatchKind, type OurTransaction, type StatementLine } from '../../engine/payments/reconciliation.ts';
import type { TransactionStatus } from '../../engine/payments/transaction-status.ts';
import type { Database } from '../db/connect.ts';
import type { PaymentProvider } from './provider.ts';

/**
 * Reconciliation of a Vietnam day's payments (docs/payments.md "Reconciliation"):
 * - the T-1 review (Circular 01 Art. 28.2: "review payment transactions in 'Processing' status
 *   until T-1 (the day before the review date)"): every transaction still `processing` that arose
 *   on a day up to T-1 is flagged for a person (`review_flagged_at`, `review_flagged_through`);
 * - the daily cross-check against the provider's statement of that day (Decree 45 Art. 13.7.d,
 *   13.8.b), whose mismatches are stored as one run per provider and day. Reconciling the day again
 *   replaces its run (the count `runs` goes up): the scheduled job, a person and the command line
 *   may all reconcile the same day, in any order, and the last one stands.
 * Nothing here changes a transaction's status: the provider reports statuses (Art. 28.1–28.2; a
 * callback redelivered mends what was missed), and a person settles what remains.
 */

/** The statuses that report the payment's outcome, which a statement lists. */
const OUTCOME_REPORTS = ['payment-succeeded', 'payment-failed'];

export interface ReconciliationRun {
  id: string;
  provider: string;
  day: string;
  source: 'provider' | 'file';
  statementFile: string | null;
  statementEntries: number;
  ourTransactions: number;
  matched: number;
  mismatchCount: number;
  processingFlagged: number;
  ranAt: string;
  ranBy: string;
  runs: number;
  mismatches: Mismatch[];
}

/** A civil date from `yyyy-mm-dd` or `dd/mm/yyyy` (as officials write it), or undefined. */
export function parseDay(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = value.includes('/') ? [match[3]!, match[2]!, match[1]!] : [match[1]!, match[2]!, match[3]!];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCDate() === Number(day) && date.getUTCMonth() === Number(month) - 1 && date.getUTCFullYear() >= 2000 ? `${year}-${month}-${day}` : undefined;
}

/** The day given, checked: a date, and over already in Vietnam (a statement of a running day is not final). */
export function reconcilableDay(value: string, now: Date, field: string): string {
  const day = parseDay(value);
  if (!day) {
    throw new QuyTrinhError('invalid-input', 'payment.day-invalid', { vi: `Ngày ${value} không hợp lệ: ghi dd/mm/yyyy hoặc yyyy-mm-dd`, en: `${value} is not a date: write dd/mm/yyyy or yyyy-mm-dd` }, [{ field, message: 'a date, dd/mm/yyyy or yyyy-mm-dd' }]);
  }
  if (day >= vietnamDateOf(now)) {
    throw new QuyTrinhError('invalid-input', 'payment.day-not-over', {
      vi: `Ngày ${day} chưa kết thúc (giờ Việt Nam): chỉ đối soát được đến ngày hôm trước (T-1)`,
      en: `${day} is not over yet in Vietnam: a day can be reconciled from the next day on (T-1)`,
    }, [{ field, message: 'a day before today (Vietnam time)' }]);
  }
  return day;
}

/**
 * Art. 28.2: flags every transaction still `processing` that arose before `reviewDay` (so on a day
 * up to T-1), keeping the first flag's time; returns how many are flagged now.
 */
export async function reviewProcessing(trx: Knex.Transaction | Database, reviewDay: string, now: Date): Promise<number> {
  const through = addDays(reviewDay, -1);
  const flagged = await trx('payment_transactions')
    .where({ status: 'processing' })
    .where('created_at', '<', vietnamInstant(reviewDay))
    .update({
      review_flagged_at: trx.raw('coalesce(review_flagged_at, ?)', [now]),
      review_flagged_through: trx.raw('greatest(review_flagged_through, ?::date)', [through]),
    });
  return flagged;
}

interface TransactionRow {
  id: string;
  code: string;
  amount_vnd: string;
  service_fee_vnd: string | null;
  status: TransactionStatus;
  collecting_agency_code: string;
}

const ourTransaction = (row: TransactionRow): OurTransaction => ({
  id: row.id,
  code: row.code,
  amountVnd: Number(row.amount_vnd),
  serviceFeeVnd: row.service_fee_vnd === null ? null : Number(row.service_fee_vnd),
  status: row.status,
  collectingAgencyCode: row.collecting_agency_code,
});

const COLUMNS = ['t.id', 't.code', 't.amount_vnd', 't.service_fee_vnd', 't.status', 't.collecting_agency_code'];

/**
 * Our side of `day`: the transactions whose payment outcome the provider first reported on that
 * day (the callback `payment-succeeded` or `payment-failed` received then), as its statement lists
 * the checkouts completed that day; and every transaction the statement's codes name.
 */
async function ourSide(trx: Knex.Transaction, provider: string, day: string, codes: string[]): Promise<{ ofTheDay: OurTransaction[]; byCode: Map<string, OurTransaction> }> {
  const [from, to] = [vietnamInstant(day), vietnamInstant(addDays(day, 1))];
  const ofTheDay = await trx('payment_transactions as t')
    .where('t.provider', provider)
    .whereIn('t.id', trx('payment_callbacks as r').distinct('r.transaction_id').where('r.provider', provider).where('r.received_at', '>=', from).where('r.received_at', '<', to).whereRaw(`r.report->>'status' = any(?)`, [OUTCOME_REPORTS]))
    // Reported first that day: an outcome reported again after midnight (a redelivery) belongs to the first day.
    .whereRaw(`(select min(c.received_at) from payment_callbacks c where c.transaction_id = t.id and c.report->>'status' = any(?)) >= ?`, [OUTCOME_REPORTS, from])
    .select<TransactionRow[]>(COLUMNS);
  const byCode = new Map(ofTheDay.map((row) => [row.code, ourTransaction(row)]));
  const unseen = [...new Set(codes)].filter((code) => !byCode.has(code));
  for (let index = 0; index < unseen.length; index += 5000) {
    const named = await trx('payment_transactions as t').where('t.provider', provider).whereIn('t.code', unseen.slice(index, index + 5000)).select<TransactionRow[]>(COLUMNS);
    for (const row of named) byCode.set(row.code, ourTransaction(row));
  }
  return { ofTheDay: ofTheDay.map(ourTransaction), byCode };
}

export interface ReconcileOptions {
  /** A statement file instead of asking the provider: its name and contents (the adapter reads its format). */
  statementFile?: { name: string; contents: string } | undefined;
  by: string;
  now?: Date | undefined;
}

/**
 * Reconciles `day` with `provider`'s statement: the statement read first (outside any transaction:
 * it may be a network call), then in one transaction the T-1 review of the day after (which flags
 * what is still processing up to `day`), our side, the comparison, and the run stored in place of
 * any earlier run of the provider's day (the upsert's row lock orders concurrent runs of one day).
 */
export async function reconcileDay(db: Database, provider: PaymentProvider, dayValue: string, options: ReconcileOptions): Promise<ReconciliationRun> {
  const now = options.now ?? new Date();
  const day = reconcilableDay(dayValue, now, 'day');
  const lines = options.statementFile ? provider.readStatementFile(day, options.statementFile.contents, options.statementFile.name) : await provider.readStatement(day);
  const id = await db.transaction(async (trx) => {
    const processingFlagged = await reviewProcessing(trx, addDays(day, 1), now);
    const { ofTheDay, byCode } = await ourSide(trx, provider.name, day, lines.map((line) => line.transactionCode));
    const { matched, mismatches } = compareWithStatement(ofTheDay, byCode, lines);
    const values = {
      source: options.statementFile ? 'file' : 'provider',
      statement_file: options.statementFile?.name ?? null,
      statement_entries: lines.length,
      our_transactions: ofTheDay.length,
      matched,
      mismatch_count: mismatches.length,
      processing_flagged: processingFlagged,
      ran_at: now,
      ran_by: options.by,
    };
    const [run] = await trx('payment_reconciliations')
      .insert({ provider: provider.name, day, ...values })
      .onConflict(['provider', 'day'])
      .merge({ ...values, runs: trx.raw('payment_reconciliations.runs + 1') })
      .returning<Array<{ id: string }>>('id');
    await trx('payment_reconciliation_mismatches').where({ reconciliation_id: run!.id }).delete();
    for (let index = 0; index < mismatches.length; index += 1000) {
      await trx('payment_reconciliation_mismatches').insert(mismatches.slice(index, index + 1000).map((mismatch: Mismatch) => ({
        reconciliation_id: run!.id,
        kind: mismatch.kind,
        transaction_code: mismatch.transactionCode,
        transaction_id: mismatch.transactionId,
        collecting_agency_code: mismatch.collectingAgencyCode,
        ours: mismatch.ours === null ? null : JSON.stringify(mismatch.ours),
        statement: mismatch.statement === null ? null : JSON.stringify(mismatch.statement),
      })));
    }
    return run!.id;
  });
  return (await readReconciliation(db, { id }))!;
}

export interface RunRow {
  id: string;
  provider: string;
  day: string;
  source: 'provider' | 'file';
  statement_file: string | null;
  statement_entries: number;
  our_transactions: number;
  matched: number;
  mismatch_count: number;
  processing_flagged: number;
  ran_at: Date;
  ran_by: string;
  runs: number;
}

/** A run's columns, its day as text (a \`date\` would come back as a Date at local midnight). */
export function runColumns(db: Knex | Database): Array<string | Knex.Raw> {
  return ['id', db.raw(`to_char(day, 'YYYY-MM-DD') as day`), 'provider', 'source', 'statement_file', 'statement_entries', 'our_transactions', 'matched', 'mismatch_count', 'processing_flagged', 'ran_at', 'ran_by', 'runs'];
}

export function runSummary(row: RunRow): Omit<ReconciliationRun, 'mismatches'> {
  return {
    id: String(row.id),
    provider: row.provider,
    day: row.day,
    source: row.source,
    statementFile: row.statement_file,
    statementEntries: row.statement_entries,
    ourTransactions: row.our_transactions,
    matched: row.matched,
    mismatchCount: row.mismatch_count,
    processingFlagged: row.processing_flagged,
    ranAt: row.ran_at.toISOString(),
    ranBy: row.ran_by,
    runs: row.runs,
  };
}

/**
 * One stored run with its mismatches, by id or by provider and day; `agency` keeps only that
 * agency's mismatches (an accountant sees their agency's, the totals of the day stay the run's).
 */
export async function readReconciliation(db: Database, which: { id: string } | { provider: string; day: string }, agency?: string): Promise<ReconciliationRun | undefined> {
  const row = await db('payment_reconciliations')
    .where('id' in which ? { id: which.id } : { provider: which.provider, day: which.day })
    .first<RunRow | undefined>(runColumns(db));
  if (!row) return undefined;
  const mismatches = await db('payment_reconciliation_mismatches')
    .where({ reconciliation_id: row.id })
    .modify((query) => {
      if (agency !== undefined) void query.where({ collecting_agency_code: agency });
    })
    .orderBy('id')
    .select<Array<{ kind: MismatchKind; transaction_code: string; transaction_id: string | null; collecting_agency_code: string | null; ours: OurTransaction | null; statement: StatementLine | null }>>('kind', 'transaction_code', 'transaction_id', 'collecting_agency_code', 'ours', 'statement');
  return {
    ...runSummary(row),
    mismatches: mismatches.map((mismatch) => ({
      kind: mismatch.kind,
      transactionCode: mismatch.transaction_code,
      transactionId: mismatch.transaction_id,
      collectingAgencyCode: mismatch.collecting_agency_code,
      ours: mismatch.ours,
      statement: mismatch.statement,
    })),
  };
}
