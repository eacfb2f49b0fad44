import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INITIAL_PAYMENT_STATUS,
  SETTLEMENT_STATUSES,
  TRANSACTION_STATUSES,
  applyStatusReport,
  nextTransactionStatuses,
  type PaymentStatus,
  type StatusReport,
  type TransactionStatus,
} from '../../../engine/payments/transaction-status.ts';

const tx = (status: TransactionStatus): StatusReport => ({ type: 'transaction', status });

function applyAll(reports: StatusReport[], from: PaymentStatus = INITIAL_PAYMENT_STATUS) {
  let status = from;
  const verdicts = reports.map((report) => {
    const result = applyStatusReport(status, report);
    status = result.status;
    return result.verdict;
  });
  return { status, verdicts };
}

/** The legal histories (Art. 28.1.a as docs/payments.md reads it). */
const PATHS: TransactionStatus[][] = [
  ['initiated', 'initiation-failed'],
  ['initiated', 'processing', 'payment-failed', 'transaction-failed'],
  ['initiated', 'processing', 'payment-succeeded', 'transaction-failed'],
  ['initiated', 'processing', 'payment-succeeded', 'transaction-succeeded'],
];

describe('transaction statuses (Circular 01 Art. 28.1)', () => {
  it.each(PATHS.map((path) => [path.join(' → '), path]))('follows %s', (_, path) => {
    const { status, verdicts } = applyAll((path).slice(1).map(tx));
    expect(verdicts.every((verdict) => verdict === 'applied')).toBe(true);
    expect(status.transaction).toBe((path).at(-1));
  });

  it('ignores a duplicated report and a late one, refuses a skip and a contradiction', () => {
    const paid: PaymentStatus = { transaction: 'payment-succeeded', settlement: 'pending' };
    expect(applyStatusReport(paid, tx('payment-succeeded'))).toEqual({ verdict: 'duplicate', status: paid });
    expect(applyStatusReport(paid, tx('processing'))).toEqual({ verdict: 'stale', status: paid });
    expect(applyStatusReport(paid, tx('initiated'))).toEqual({ verdict: 'stale', status: paid });
    expect(applyStatusReport(paid, tx('payment-failed'))).toEqual({ verdict: 'conflict', status: paid });
    expect(applyStatusReport(paid, tx('initiation-failed'))).toEqual({ verdict: 'conflict', status: paid });
    expect(applyStatusReport(INITIAL_PAYMENT_STATUS, tx('payment-succeeded'))).toEqual({ verdict: 'early', status: INITIAL_PAYMENT_STATUS });
    expect(applyStatusReport(INITIAL_PAYMENT_STATUS, tx('transaction-succeeded')).verdict).toBe('early');
    expect(applyStatusReport({ transaction: 'payment-failed', settlement: 'pending' }, tx('transaction-succeeded')).verdict).toBe('conflict');
  });

  it('settles only a successful payment; a failed settlement may succeed later, never the reverse (28.1.b, 29.1)', () => {
    const settle = (status: 'failure' | 'success'): StatusReport => ({ type: 'settlement', status });
    expect(applyStatusReport({ transaction: 'processing', settlement: 'pending' }, settle('success')).verdict).toBe('early');
    expect(applyStatusReport({ transaction: 'payment-failed', settlement: 'pending' }, settle('success')).verdict).toBe('conflict');
    expect(applyStatusReport({ transaction: 'initiation-failed', settlement: 'pending' }, settle('failure')).verdict).toBe('conflict');
    const { status, verdicts } = applyAll([tx('processing'), tx('payment-succeeded'), settle('failure'), settle('success'), settle('failure'), tx('transaction-succeeded'), settle('success')]);
    expect(verdicts).toEqual(['applied', 'applied', 'applied', 'applied', 'stale', 'applied', 'duplicate']);
    expect(status).toEqual({ transaction: 'transaction-succeeded', settlement: 'success' });
  });

  it('ends where the legal history ends, whatever the order and repetition of its callbacks, when early ones are retried', () => {
    const settled = [...PATHS[3]!.slice(1).map(tx), { type: 'settlement', status: 'success' } as StatusReport];
    const deliveries = fc
      .constantFrom(...PATHS.map((path) => path.slice(1).map(tx)), settled)
      .chain((history) =>
        fc.tuple(
          fc.constant(history),
          // The history with some reports duplicated, in any order.
          fc.array(fc.nat({ max: history.length - 1 }), { maxLength: 10 }).chain((extra) => {
            const all = [...history, ...extra.map((index) => history[index]!)];
            return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
          }),
        ),
      );
    fc.assert(
      fc.property(deliveries, ([history, delivered]) => {
        // What was refused as early is delivered again (the provider retries a callback it was refused).
        let queue = delivered;
        let status = INITIAL_PAYMENT_STATUS;
        while (queue.length > 0) {
          const retry: StatusReport[] = [];
          for (const report of queue) {
            const result = applyStatusReport(status, report);
            expect(result.verdict).not.toBe('conflict');
            if (result.verdict === 'early') retry.push(report);
            status = result.status;
          }
          expect(retry.length).toBeLessThan(queue.length);
          queue = retry;
        }
        const last = history.filter((report) => report.type === 'transaction').at(-1)!;
        expect(status.transaction).toBe(last.status);
        expect(status.settlement).toBe(history.some((report) => report.type === 'settlement') ? 'success' : 'pending');
      }),
    );
  });

  it('never goes back: every report leaves the status where it was or moves it to a successor', () => {
    const status = fc.record({ transaction: fc.constantFrom(...TRANSACTION_STATUSES), settlement: fc.constantFrom(...SETTLEMENT_STATUSES) });
    const report = fc.oneof(
      fc.constantFrom(...TRANSACTION_STATUSES).map(tx),
      fc.constantFrom(...SETTLEMENT_STATUSES).map((s): StatusReport => ({ type: 'settlement', status: s })),
    );
    fc.assert(
      fc.property(status, report, (current, report) => {
        const { verdict, status: next } = applyStatusReport(current, report);
        if (verdict !== 'applied') {
          expect(next).toEqual(current);
          return;
        }
        if (report.type === 'transaction') {
          expect(nextTransactionStatuses(current.transaction)).toContain(next.transaction);
          expect(next.settlement).toBe(current.settlement);
        } else {
          expect(['payment-succeeded', 'transaction-succeeded']).toContain(current.transaction);
          expect(next.settlement).toBe(report.status);
          expect(next.settlement).not.toBe('pending');
        }
      }),
    );
  });
});
