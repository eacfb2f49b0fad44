import { setup, transition, type SnapshotFrom } from 'xstate';

/**
 * The life of a refund claim (Circular 01 Art. 30) as an XState machine, as
 * transaction-status.ts does for payments:
 *
 * - `prepared`: an official holding "Lập chứng từ hoàn trả khoản thu NSNN" prepared the documents
 *   for a transaction code (Art. 30.2.a);
 * - `approved` or `rejected`: another official, holding "Duyệt chứng từ hoàn trả", approved them or
 *   refused them with a reason (Art. 30.2.b);
 * - `sent`: the refund order went to the provider (Art. 30.2.c: the State Treasury's role, played by
 *   the payment provider here), whose outcome is then monitored;
 * - `succeeded` or `failed`: the provider's outcome; `failed` too when the provider refuses the
 *   order outright.
 *
 * An approved claim the provider could not be reached for stays `approved` and is sent again.
 */
export const REFUND_STATUSES = ['prepared', 'approved', 'rejected', 'sent', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** What moves a claim: the two officials' decisions, the order sent, the provider's outcome. */
export type RefundEvent = { type: 'approve' } | { type: 'reject' } | { type: 'send' } | { type: 'provider.refused' } | { type: 'provider.succeeded' } | { type: 'provider.failed' };

export const refundStatusMachine = setup({ types: { events: {} as RefundEvent } }).createMachine({
  id: 'refundStatus',
  initial: 'prepared',
  states: {
    prepared: { on: { approve: 'approved', reject: 'rejected' } },
    approved: { on: { send: 'sent', 'provider.refused': 'failed' } },
    rejected: { type: 'final' },
    sent: { on: { 'provider.succeeded': 'succeeded', 'provider.failed': 'failed' } },
    succeeded: { type: 'final' },
    failed: { type: 'final' },
  },
});

type Snapshot = SnapshotFrom<typeof refundStatusMachine>;

/** The status after `event`, or null when the machine has no such transition from `current`. Pure. */
export function nextRefundStatus(current: RefundStatus, event: RefundEvent): RefundStatus | null {
  const snapshot: Snapshot = refundStatusMachine.resolveState({ value: current });
  const [next] = transition(refundStatusMachine, snapshot, event);
  return next.value === current ? null : next.value;
}

/**
 * The statuses in which a claim holds part of the paid amount: everything but a rejected or failed
 * claim. A new claim may take at most what is paid minus these (Art. 30.1: a mistaken payment or
 * overpayment is refunded once).
 */
export const REFUND_HOLDING_STATUSES: readonly RefundStatus[] = ['prepared', 'approved', 'sent', 'succeeded'];

/** The reasons of Art. 30.1: a mistaken payment, an overpayment, or another the agency accepts. */
export const REFUND_REASONS = ['mistaken-payment', 'overpayment', 'other'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
