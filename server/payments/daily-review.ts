import type { Task } from 'graphile-worker';
import { addDays } from '../../engine/calendar/civil-date.ts';
import { vietnamDateOf } from '../../engine/calendar/index.ts';
import { isQuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { paymentProvider } from './provider.ts';
import { reconcileDay, reviewProcessing } from './reconciliation.ts';

/** The queue task of the daily review (graphile-worker's crontab enqueues it; server/execution/worker.ts). */
export const PAYMENT_REVIEW_TASK = 'payment_daily_review';

/**
 * Every day at 01:00 in Vietnam (18:00 UTC), once across every process (graphile-worker records
 * each scheduled time it has enqueued); `fill=2d` enqueues the runs missed while no runner was up,
 * for up to two days back, each for its own day.
 */
export const PAYMENT_REVIEW_CRONTAB = `0 18 * * * ${PAYMENT_REVIEW_TASK} ?fill=2d&max=3`;

/**
 * The daily review of a scheduled day T (docs/payments.md "Reconciliation"): the T-1 review of
 * Circular 01 Art. 28.2, then the day T-1 reconciled with the provider in use against its
 * statement (Decree 45 Art. 13.7.d). Idempotent: run again (a retry, a backfill, a person before
 * it), the day's run is replaced. Without a provider configured only the review is made.
 */
export function paymentReviewTask(db: Database, logger: Logger, clock: () => Date = () => new Date()): Task {
  return async (payload) => {
    const scheduled = (payload as { _cron?: { ts?: string } } | null)?._cron?.ts;
    const now = clock();
    const reviewDay = vietnamDateOf(scheduled ? new Date(scheduled) : now);
    let provider;
    try {
      provider = paymentProvider();
    } catch (error) {
      if (!isQuyTrinhError(error)) throw error;
      const flagged = await reviewProcessing(db, reviewDay, now);
      logger.warn({ reviewDay, flagged }, 'payment review: no provider configured, the statement is not cross-checked');
      return;
    }
    const run = await reconcileDay(db, provider, addDays(reviewDay, -1), { by: 'job:payment-daily-review', now });
    logger.info({ day: run.day, provider: run.provider, mismatches: run.mismatchCount, processingFlagged: run.processingFlagged }, 'payment day reconciled');
  };
}
