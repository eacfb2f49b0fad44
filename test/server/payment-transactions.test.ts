import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePaymentContent, parseTransactionCode } from '../../engine/codes/transaction-code.ts';
import { isQuyTrinhError } from '../../engine/errors.ts';
import { revenueFromSettings, type CollectionSettings } from '../../engine/payments/revenue.ts';
import { createAgency } from '../../server/identity/agencies.ts';
import { loadCollectionSettings, saveCollectionSettings } from '../../server/payments/collection-settings.ts';
import { nextTransactionCode } from '../../server/payments/transaction-codes.ts';
import { createPaymentTransaction } from '../../server/payments/transactions.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let settings: CollectionSettings;

const AGENCY = '000.00.01.H01';

beforeAll(async () => {
  database = await createTestDatabase();
  await createAgency(database.db, { code: AGENCY, name: 'UBND phường Ba Đình' });
  settings = await database.db.transaction((trx) =>
    saveCollectionSettings(trx, {
      agencyCode: AGENCY,
      agencyName: 'UBND phường Ba Đình',
      accountNumber: '3511.0.1058765',
      accountName: 'UBND phường Ba Đình - thu phí, lệ phí',
      citadCode: '01701001',
      bankName: 'Kho bạc Nhà nước khu vực I',
      feeCodes: [{ procedureCode: '1.001193', feeCode: 'LP-HT-01', name: 'Lệ phí đăng ký khai sinh' }],
    }, 'test'),
  );
});

afterAll(async () => {
  await database?.drop();
});

/** A payment request of dossier n of the agency's day, in its own database transaction; `fail` rolls it back after the code was taken. */
function requestPayment(n: number, now: Date, fail = false) {
  return database.db.transaction(async (trx) => {
    const revenue = revenueFromSettings(settings, { revenueIdentifier: `${AGENCY}-260115-${String(n).padStart(4, '0')}`, procedureCode: '1.001193', amountVnd: 8_000, payerName: `Người nộp ${n}` });
    const transaction = await createPaymentTransaction(trx, { revenue, settings, provider: 'sandbox', now });
    if (fail) throw new Error(`rolled back: ${transaction.code}`);
    return transaction;
  });
}

const ordinalsOf = (codes: string[]) => codes.map((code) => parseTransactionCode(code).ordinal).sort((a, b) => a - b);
const oneTo = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

describe('payment transactions and their codes (Circular 01 Art. 27.3–27.4)', () => {
  it('gives 1,000 concurrent payment requests of one day 1,000 distinct, gap-free ordinals', async () => {
    const now = new Date('2026-01-15T03:00:00Z');
    const made = await Promise.all(oneTo(1000).map((n) => requestPayment(n, now)));
    const codes = made.map((transaction) => transaction.code);
    expect(new Set(codes).size).toBe(1000);
    expect(ordinalsOf(codes)).toEqual(oneTo(1000));
    expect(codes.every((code) => /^G22\.99\.2-260115\d{6}$/.test(code))).toBe(true);

    const stored = await database.db('payment_transactions').where('code', 'like', 'G22.99.2-260115%').select('code', 'content', 'status', 'settlement_status', 'fee_code', 'amount_vnd');
    expect(stored).toHaveLength(1000);
    for (const row of stored) {
      expect(parsePaymentContent(row.content)).toMatchObject({ transactionCode: row.code, citadCode: '01701001', procedureCode: '1.001193', collectingAgencyCode: AGENCY, amountVnd: 8_000, feeCode: 'LP-HT-01' });
      expect([row.status, row.settlement_status, row.fee_code, Number(row.amount_vnd)]).toEqual(['initiated', 'pending', 'LP-HT-01', 8_000]);
    }
  });

  it('leaves no gap where a request rolls back, also among concurrent ones', async () => {
    const now = new Date('2026-01-16T03:00:00Z');
    const outcomes = await Promise.allSettled(oneTo(300).map((n) => requestPayment(n, now, n % 3 === 0)));
    const committed = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.code] : []));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(100);
    expect(ordinalsOf(committed)).toEqual(oneTo(200));
    const next = await requestPayment(301, now);
    expect(parseTransactionCode(next.code).ordinal).toBe(201);
  });

  it('counts the day in Vietnam time: 17:00 UTC starts the next day at ordinal 1', async () => {
    const lastMinute = await requestPayment(1, new Date('2026-02-01T16:59:59Z'));
    const midnight = await requestPayment(2, new Date('2026-02-01T17:00:00Z'));
    expect(lastMinute.code).toBe('G22.99.2-260201000001');
    expect(midnight.code).toBe('G22.99.2-260202000001');
  });

  it("puts the transaction code in the content where the procedure has no fee code, and issues the agency's own codes where it is set so (27.1.dd, 27.5)", async () => {
    const own = { ...settings, issuesOwnTransactionCodes: true, feeCodes: [] };
    const now = new Date('2026-03-02T03:00:00Z');
    const transaction = await database.db.transaction((trx) =>
      createPaymentTransaction(trx, { revenue: revenueFromSettings(own, { revenueIdentifier: `${AGENCY}-260302-0001`, procedureCode: '1.000656', amountVnd: 5_000, payerName: 'Trần Thị Bình' }), settings: own, provider: 'sandbox', now }),
    );
    expect(transaction.code).toBe(`${AGENCY}.2-260302000001`);
    expect(transaction.content).toBe(`${AGENCY}.2-260302000001+${AGENCY}-260302-0001+01701001+1.000656+${AGENCY}+5000+${AGENCY}.2-260302000001`);
    const stored = await database.db('payment_transactions').where({ code: transaction.code }).first();
    expect(stored.fee_code).toBeNull();
    // The Portal's counter of that day is a different one.
    expect((await requestPayment(3, now)).code).toBe('G22.99.2-260302000001');
  });

  it('refuses a seventh digit: after 999999 the day has no more codes', async () => {
    await database.db('payment_transaction_sequences').insert({ issuer: 'G22.99', arisen_on: '2026-04-01', last_ordinal: 999_999 });
    const attempt = database.db.transaction((trx) => nextTransactionCode(trx, 'procedure-fees', new Date('2026-04-01T03:00:00Z')));
    await expect(attempt).rejects.toSatisfy((error) => isQuyTrinhError(error) && error.code === 'payment.daily-codes-exhausted' && error.kind === 'conflict');
  });

  it('stores and reads back the collection settings, and stores nothing that fails them', async () => {
    expect(await loadCollectionSettings(database.db, AGENCY)).toEqual({ ...settings, issuesOwnTransactionCodes: false });
    const refused = database.db.transaction((trx) => saveCollectionSettings(trx, { ...settings, citadCode: '123', accountName: '' }, 'test'));
    await expect(refused).rejects.toSatisfy((error) => isQuyTrinhError(error) && error.code === 'payment.settings-invalid' && error.details.length === 2);
    expect((await loadCollectionSettings(database.db, AGENCY))?.citadCode).toBe('01701001');
  });
});
