import type { Knex } from 'knex';
import { vietnamDateOf } from '../../engine/calendar/index.ts';
import { MAX_DAILY_ORDINAL, PORTAL_ISSUER, makeTransactionCode, type RevenueKind } from '../../engine/codes/transaction-code.ts';
import { QuyTrinhError } from '../../engine/errors.ts';

const CHECK_VIOLATION = '23514';

/**
 * The next transaction code of the day (in Vietnam) for `issuer`: the Portal's `G22.99` (Circular
 * 01 Art. 27.4) unless an agency issues its own (Art. 27.5). Gap-free and unique under concurrency
 * like the dossier numbers (server/workers/application-number.ts): an upsert on the day's counter
 * row in the caller's transaction, whose row lock holds every other request of that day until the
 * caller commits, and whose rollback gives the ordinal back. Call it last in the transaction, so
 * the lock is held for as short a time as possible.
 */
export async function nextTransactionCode(trx: Knex.Transaction, kind: RevenueKind, now: Date, issuer: string = PORTAL_ISSUER): Promise<string> {
  const arisenOn = vietnamDateOf(now);
  try {
    const { rows } = await trx.raw<{ rows: Array<{ last_ordinal: number }> }>(
      `insert into payment_transaction_sequences (issuer, arisen_on, last_ordinal) values (?, ?, 1)
       on conflict (issuer, arisen_on) do update set last_ordinal = payment_transaction_sequences.last_ordinal + 1
       returning last_ordinal`,
      [issuer, arisenOn],
    );
    return makeTransactionCode({ issuer, kind, arisenOn, ordinal: rows[0]!.last_ordinal });
  } catch (error) {
    if ((error as { code?: unknown }).code !== CHECK_VIOLATION) throw error;
    throw new QuyTrinhError('conflict', 'payment.daily-codes-exhausted', {
      vi: `Đã cấp đủ ${MAX_DAILY_ORDINAL.toLocaleString('vi-VN')} mã giao dịch của ${issuer} trong ngày ${arisenOn}; giao dịch mới được tạo từ ngày mai`,
      en: `All ${MAX_DAILY_ORDINAL.toLocaleString('en')} transaction codes of ${issuer} for ${arisenOn} have been issued; new transactions can be made tomorrow`,
    }, [], { cause: error });
  }
}
