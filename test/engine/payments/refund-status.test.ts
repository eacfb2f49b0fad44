import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRefundStatus, REFUND_STATUSES, type RefundEvent } from '../../../engine/payments/refund-status.ts';

const EVENTS: RefundEvent['type'][] = ['approve', 'reject', 'send', 'provider.refused', 'provider.succeeded', 'provider.failed'];

describe('the refund status machine (Circular 01 Art. 30.2)', () => {
  it('follows prepared → approved → sent → succeeded or failed, or prepared → rejected', () => {
    expect(nextRefundStatus('prepared', { type: 'approve' })).toBe('approved');
    expect(nextRefundStatus('prepared', { type: 'reject' })).toBe('rejected');
    expect(nextRefundStatus('approved', { type: 'send' })).toBe('sent');
    expect(nextRefundStatus('approved', { type: 'provider.refused' })).toBe('failed');
    expect(nextRefundStatus('sent', { type: 'provider.succeeded' })).toBe('succeeded');
    expect(nextRefundStatus('sent', { type: 'provider.failed' })).toBe('failed');
  });

  it('refuses what skips a step or goes back: nothing is sent unapproved, nothing ends twice', () => {
    expect(nextRefundStatus('prepared', { type: 'send' })).toBeNull();
    expect(nextRefundStatus('prepared', { type: 'provider.succeeded' })).toBeNull();
    expect(nextRefundStatus('approved', { type: 'provider.succeeded' })).toBeNull();
    expect(nextRefundStatus('approved', { type: 'reject' })).toBeNull();
    expect(nextRefundStatus('sent', { type: 'approve' })).toBeNull();
    expect(nextRefundStatus('succeeded', { type: 'provider.failed' })).toBeNull();
  });

  it('never leaves a final status, whatever arrives', () => {
    fc.assert(fc.property(fc.constantFrom('rejected', 'succeeded', 'failed' as const), fc.array(fc.constantFrom(...EVENTS)), (status, events) => {
      for (const type of events) expect(nextRefundStatus(status, { type })).toBeNull();
    }));
    // Every status is reachable from `prepared`.
    const reached = new Set(['prepared']);
    for (let round = 0; round < 4; round++) {
      for (const status of [...reached]) for (const type of EVENTS) {
        const next = nextRefundStatus(status as (typeof REFUND_STATUSES)[number], { type });
        if (next) reached.add(next);
      }
    }
    expect([...reached].sort()).toEqual([...REFUND_STATUSES].sort());
  });
});
