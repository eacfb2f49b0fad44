import { PORTAL_ISSUER, parsePaymentContent, parseTransactionCode } from '../codes/transaction-code.ts';
import type { TransactionStatus } from './transaction-status.ts';

/**
 * The daily cross-check of a day's payments against the provider's statement (Decree 45 Art.
 * 13.7.d: "crosscheck daily to ensure consistency of data on transactions … relevant parties shall
 * identify the cause … if there is any discrepancy"; 13.8.b for the competent authority). Pure: the
 * server reads both sides (server/payments/reconciliation.ts); this says where they disagree.
 */

/** One line of a provider's statement: a payment the provider completed that day. */
export interface StatementLine {
  transactionCode: string;
  reference: string;
  amountVnd: number;
  serviceFeeVnd: number;
  status: 'paid' | 'failed';
  at: string;
  /** The payment order's content (Circular 01 Art. 27.3), when the statement carries it. */
  content?: string | undefined;
}

/** One of our transactions as the cross-check compares it. */
export interface OurTransaction {
  id: string;
  code: string;
  amountVnd: number;
  serviceFeeVnd: number | null;
  status: TransactionStatus;
  collectingAgencyCode: string;
}

export const MISMATCH_KINDS = ['not-ours', 'not-in-statement', 'amount-differs', 'status-differs'] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export const MISMATCH_NAMES: Record<MismatchKind, { vi: string; en: string }> = {
  'not-ours': { vi: 'Có trong sao kê, không có trong hệ thống', en: 'In the statement, not ours' },
  'not-in-statement': { vi: 'Có trong hệ thống, không có trong sao kê', en: 'Ours, not in the statement' },
  'amount-differs': { vi: 'Số tiền khác nhau', en: 'Amount differs' },
  'status-differs': { vi: 'Trạng thái khác nhau', en: 'Status differs' },
};

export interface Mismatch {
  kind: MismatchKind;
  transactionCode: string;
  transactionId: string | null;
  /** Whose it is: our transaction's collecting agency, else what the statement line's code or content names, else null. */
  collectingAgencyCode: string | null;
  ours: OurTransaction | null;
  statement: StatementLine | null;
}

/** The statuses of ours that a statement's `paid` or `failed` agrees with (Art. 28.1.a). */
const AGREES: Record<StatementLine['status'], readonly TransactionStatus[]> = {
  paid: ['payment-succeeded', 'transaction-succeeded'],
  failed: ['payment-failed', 'transaction-failed'],
};

export function statusAgrees(line: StatementLine['status'], ours: TransactionStatus): boolean {
  return AGREES[line].includes(ours);
}

/**
 * The agency a statement line is for when we have no transaction of its code: the issuer of an
 * agency's own code (Art. 27.5), else the collecting agency of its content (Art. 27.3), else none.
 */
export function agencyOfLine(line: StatementLine): string | null {
  try {
    const { issuer } = parseTransactionCode(line.transactionCode);
    if (issuer !== PORTAL_ISSUER) return issuer;
  } catch {
    // not a code of ours at all: its content may still say
  }
  if (line.content === undefined) return null;
  try {
    return parsePaymentContent(line.content).collectingAgencyCode;
  } catch {
    return null;
  }
}

/**
 * Compares a day's statement with our side: `ofTheDay`, our transactions whose outcome the
 * provider reported that day, and `byCode`, every transaction of ours the statement's codes name
 * (wherever its day). A line with no transaction of its code is `not-ours`; a transaction of the
 * day that no line names is `not-in-statement`; otherwise the amount (and the provider's fee, where
 * we know it) and the status are compared. One mismatch per line at most, the amount first.
 */
export function compareWithStatement(ofTheDay: readonly OurTransaction[], byCode: ReadonlyMap<string, OurTransaction>, lines: readonly StatementLine[]): { matched: number; mismatches: Mismatch[] } {
  const mismatches: Mismatch[] = [];
  const named = new Set<string>();
  let matched = 0;
  for (const line of lines) {
    if (named.has(line.transactionCode)) continue; // a line repeated: compared once
    named.add(line.transactionCode);
    const ours = byCode.get(line.transactionCode);
    if (!ours) {
      mismatches.push({ kind: 'not-ours', transactionCode: line.transactionCode, transactionId: null, collectingAgencyCode: agencyOfLine(line), ours: null, statement: line });
      continue;
    }
    const base = { transactionCode: ours.code, transactionId: ours.id, collectingAgencyCode: ours.collectingAgencyCode, ours, statement: line };
    if (line.amountVnd !== ours.amountVnd || (ours.serviceFeeVnd !== null && line.serviceFeeVnd !== ours.serviceFeeVnd)) mismatches.push({ kind: 'amount-differs', ...base });
    else if (!statusAgrees(line.status, ours.status)) mismatches.push({ kind: 'status-differs', ...base });
    else matched += 1;
  }
  for (const ours of ofTheDay) {
    if (!named.has(ours.code)) mismatches.push({ kind: 'not-in-statement', transactionCode: ours.code, transactionId: ours.id, collectingAgencyCode: ours.collectingAgencyCode, ours, statement: null });
  }
  return { matched, mismatches };
}
