import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { QuyTrinhError } from '../../engine/errors.ts';
import { formatVnd } from '../../engine/payments/money.ts';
import { MISMATCH_KINDS, MISMATCH_NAMES } from '../../engine/payments/reconciliation.ts';
import type { Database } from '../db/connect.ts';
import { sandboxProvider } from '../payments/sandbox/adapter.ts';
import { reconcileDay, type ReconciliationRun } from '../payments/reconciliation.ts';

export interface ReconcileCommandOptions {
  date: string;
  statement?: string | undefined;
}

/** dd/mm/yyyy of a yyyy-mm-dd day, as officials write it. */
const vietnameseDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/**
 * `quytrinh payments reconcile --date dd/mm/yyyy|yyyy-mm-dd [--statement file]` (docs/payments.md
 * "Reconciliation"): the day reconciled as the daily job does it, with the sandbox provider at
 * PAYMENT_SANDBOX_URL (its secret PAYMENT_SANDBOX_SECRET) or with a statement file, and stored as
 * the day's run. Returns the run; `reconciliationSummary` words it.
 */
export async function reconcileCommand(db: Database, options: ReconcileCommandOptions, environment: NodeJS.ProcessEnv = process.env): Promise<ReconciliationRun> {
  const secret = environment.PAYMENT_SANDBOX_SECRET;
  if (!options.statement && !secret) {
    throw new QuyTrinhError('invalid-input', 'payment.no-provider', {
      vi: 'Cần --statement <tệp sao kê> hoặc PAYMENT_SANDBOX_SECRET (và PAYMENT_SANDBOX_URL) để đọc sao kê của cổng thanh toán',
      en: "Give --statement <file>, or PAYMENT_SANDBOX_SECRET (and PAYMENT_SANDBOX_URL) to read the provider's statement",
    });
  }
  const provider = sandboxProvider({ url: environment.PAYMENT_SANDBOX_URL ?? 'http://127.0.0.1:3100', secret: secret ?? '' });
  let statementFile: { name: string; contents: string } | undefined;
  if (options.statement) {
    try {
      statementFile = { name: path.basename(options.statement), contents: await readFile(options.statement, 'utf8') };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new QuyTrinhError('invalid-input', 'payment.statement-unreadable', { vi: `Không đọc được tệp sao kê ${options.statement} (${reason})`, en: `Cannot read the statement file ${options.statement} (${reason})` }, [], { cause: error });
    }
  }
  return reconcileDay(db, provider, options.date, { by: `cli:${process.env.USER ?? 'quytrinh'}`, statementFile });
}

/** The run in two languages, Vietnamese first, one mismatch a line. */
export function reconciliationSummary(run: ReconciliationRun): string {
  const lines = [
    `Đối soát ngày ${vietnameseDay(run.day)} với ${run.provider} / Reconciliation of ${vietnameseDay(run.day)} with ${run.provider}`,
    `  Sao kê / statement: ${run.source === 'file' ? `tệp / file ${run.statementFile}` : 'của cổng thanh toán / from the provider'}, ${run.statementEntries} dòng / lines`,
    `  Giao dịch có kết quả trong ngày / our transactions with an outcome that day: ${run.ourTransactions}`,
    `  Khớp / matched: ${run.matched}`,
    `  Chênh lệch / mismatches: ${run.mismatchCount}`,
  ];
  for (const kind of MISMATCH_KINDS) {
    const found = run.mismatches.filter((mismatch) => mismatch.kind === kind);
    if (found.length === 0) continue;
    lines.push(`    ${MISMATCH_NAMES[kind].vi} / ${MISMATCH_NAMES[kind].en}: ${found.length}`);
    for (const mismatch of found) {
      const ours = mismatch.ours ? `${formatVnd(mismatch.ours.amountVnd)}, ${mismatch.ours.status}` : '—';
      const statement = mismatch.statement ? `${formatVnd(mismatch.statement.amountVnd)}, ${mismatch.statement.status === 'paid' ? 'đã thanh toán / paid' : 'thất bại / failed'}` : '—';
      lines.push(`      ${mismatch.transactionCode}  hệ thống / ours: ${ours}  sao kê / statement: ${statement}`);
    }
  }
  lines.push(`  Giao dịch còn "Đang xử lý" đến T-1, cần rà soát (TT 01/2023 Điều 28.2) / still processing up to T-1, to review (Circular 01 Art. 28.2): ${run.processingFlagged}`);
  lines.push(run.mismatchCount === 0 ? '✔ Khớp hoàn toàn / fully consistent' : '✖ Có chênh lệch cần xử lý / there are mismatches to settle');
  return lines.join('\n');
}
