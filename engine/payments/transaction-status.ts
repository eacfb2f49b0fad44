import { and, or, setup, stateIn, transition, type SnapshotFrom } from 'xstate';

/**
 * The statuses of a payment transaction (Circular 01 Art. 28.1) as an XState machine with two
 * parallel regions: the transaction status (28.1.a) and the settlement status (28.1.b).
 *
 * Our reading of 28.1.a (the article lists the seven statuses but not their order; docs/payments.md):
 * a transaction is initiated; its initiation fails, or it goes on to processing; the payer's payment
 * then fails or succeeds; and the transaction ends failed or successful. A failed payment can only
 * end as a failed transaction; a successful payment ends successful, or failed when the money does
 * not reach the collecting agency and the documents (Art. 28.3, 29.1). Settlement (28.1.b, success
 * or failure) is the transfer to the collecting agency's account, so it exists only once the payment
 * succeeded; a failed settlement can later succeed (Art. 29.1–29.2: the agency asks again, or
 * corrects its account), never the reverse.
 *
 * Every status has only its successors as transitions, so the machine refuses a report that goes
 * back or skips a step. `applyStatusReport` says why one was refused, which is what makes
 * duplicated and out-of-order provider callbacks safe to apply.
 */

export const TRANSACTION_STATUSES = [
  'initiated',
  'initiation-failed',
  'processing',
  'payment-failed',
  'payment-succeeded',
  'transaction-failed',
  'transaction-succeeded',
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** The statuses' names as Circular 01 Art. 28.1 gives them (the Vietnamese text's words first), for every screen and document. */
export const TRANSACTION_STATUS_TEXT: Record<TransactionStatus, { vi: string; en: string }> = {
  initiated: { vi: 'Khởi tạo', en: 'Initiated' },
  'initiation-failed': { vi: 'Khởi tạo không thành công', en: 'Failed initialization' },
  processing: { vi: 'Đang xử lý', en: 'Processing' },
  'payment-failed': { vi: 'Thanh toán không thành công', en: 'Failed payment' },
  'payment-succeeded': { vi: 'Thanh toán thành công', en: 'Successful payment' },
  'transaction-failed': { vi: 'Giao dịch không thành công', en: 'Failed transaction' },
  'transaction-succeeded': { vi: 'Giao dịch thành công', en: 'Successful transaction' },
};

/** The statuses each status may move to (Art. 28.1.a as read above). */
const TRANSACTION_SUCCESSORS: Record<TransactionStatus, readonly TransactionStatus[]> = {
  initiated: ['initiation-failed', 'processing'],
  'initiation-failed': [],
  processing: ['payment-failed', 'payment-succeeded'],
  'payment-failed': ['transaction-failed'],
  'payment-succeeded': ['transaction-failed', 'transaction-succeeded'],
  'transaction-failed': [],
  'transaction-succeeded': [],
};

/** `pending` until a settlement is reported; then the two statuses of Art. 28.1.b. */
export const SETTLEMENT_STATUSES = ['pending', 'failure', 'success'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

const SETTLEMENT_SUCCESSORS: Record<SettlementStatus, readonly SettlementStatus[]> = {
  pending: ['failure', 'success'],
  failure: ['success'],
  success: [],
};

/** The transaction statuses in which money reached the collecting side, so settlement may be reported. */
const SETTLEABLE: readonly TransactionStatus[] = ['payment-succeeded', 'transaction-succeeded'];

export type StatusReport = { type: 'transaction'; status: TransactionStatus } | { type: 'settlement'; status: SettlementStatus };

export interface PaymentStatus {
  transaction: TransactionStatus;
  settlement: SettlementStatus;
}

export const INITIAL_PAYMENT_STATUS: PaymentStatus = { transaction: 'initiated', settlement: 'pending' };

/** A region whose every status has a transition to each of its successors, on the report naming it. */
function region<Status extends string>(successors: Record<Status, readonly Status[]>, eventType: StatusReport['type'], settleable = false) {
  return Object.fromEntries(
    Object.entries<readonly Status[]>(successors).map(([status, next]) => [
      status,
      {
        on: {
          [eventType]: next.map((target) => ({
            target,
            guard: settleable
              ? and([{ type: 'reports', params: { status: target } }, or(SETTLEABLE.map((paid) => stateIn({ transaction: paid })))])
              : { type: 'reports' as const, params: { status: target } },
          })),
        },
      },
    ]),
  );
}

export const transactionStatusMachine = setup({
  types: { events: {} as StatusReport },
  guards: {
    reports: ({ event }, params: { status: string }) => event.status === params.status,
  },
}).createMachine({
  id: 'paymentStatus',
  type: 'parallel',
  states: {
    transaction: { initial: 'initiated', states: region(TRANSACTION_SUCCESSORS, 'transaction') },
    settlement: { initial: 'pending', states: region(SETTLEMENT_SUCCESSORS, 'settlement', true) },
  },
});

type Snapshot = SnapshotFrom<typeof transactionStatusMachine>;

/**
 * What became of a report:
 * - `applied`: the status moved;
 * - `duplicate`: it is the current status (a redelivered callback): nothing changes;
 * - `stale`: the status is already past it (a late callback): nothing changes;
 * - `early`: it lies ahead but skips a step (a callback overtook another): refused, to be applied
 *   when the missing step has been reported;
 * - `conflict`: it contradicts what was reported (failed after succeeded, settlement of a failed
 *   payment): refused, for a person to review.
 */
export type StatusVerdict = 'applied' | 'duplicate' | 'stale' | 'early' | 'conflict';

function reachable<Status extends string>(successors: Record<Status, readonly Status[]>, from: Status, to: Status): boolean {
  const pending: Status[] = [...successors[from]];
  while (pending.length > 0) {
    const status = pending.pop()!;
    if (status === to) return true;
    pending.push(...successors[status]);
  }
  return false;
}

function snapshotOf(status: PaymentStatus): Snapshot {
  return transactionStatusMachine.resolveState({ value: { transaction: status.transaction, settlement: status.settlement } });
}

function statusOf(snapshot: Snapshot): PaymentStatus {
  const value = snapshot.value as { transaction: TransactionStatus; settlement: SettlementStatus };
  return { transaction: value.transaction, settlement: value.settlement };
}

/** Applies a provider's report to the stored statuses through the machine; pure. */
export function applyStatusReport(current: PaymentStatus, report: StatusReport): { verdict: StatusVerdict; status: PaymentStatus } {
  const [next] = transition(transactionStatusMachine, snapshotOf(current), report);
  const status = statusOf(next);
  if (status.transaction !== current.transaction || status.settlement !== current.settlement) return { verdict: 'applied', status };
  return { verdict: refusal(current, report), status: current };
}

function refusal(current: PaymentStatus, report: StatusReport): Exclude<StatusVerdict, 'applied'> {
  if (report.type === 'transaction') {
    if (report.status === current.transaction) return 'duplicate';
    if (reachable(TRANSACTION_SUCCESSORS, report.status, current.transaction)) return 'stale';
    return reachable(TRANSACTION_SUCCESSORS, current.transaction, report.status) ? 'early' : 'conflict';
  }
  if (report.status === current.settlement) return 'duplicate';
  if (reachable(SETTLEMENT_SUCCESSORS, report.status, current.settlement)) return 'stale';
  // A legal settlement step refused by the guard: the payment has not succeeded (yet, or at all).
  const settleableLater = SETTLEABLE.some((status) => status === current.transaction || reachable(TRANSACTION_SUCCESSORS, current.transaction, status));
  return settleableLater ? 'early' : 'conflict';
}

/** The statuses a transaction may be reported in next, for a screen or a provider adapter. */
export function nextTransactionStatuses(status: TransactionStatus): readonly TransactionStatus[] {
  return TRANSACTION_SUCCESSORS[status];
}
