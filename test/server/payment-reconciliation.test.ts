import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../engine/calendar/civil-date.ts';
import { vietnamDateOf, vietnamInstant } from '../../engine/calendar/index.ts';
import { isQuyTrinhError } from '../../engine/errors.ts';
import type { JobHelpers } from 'graphile-worker';
import { pino } from 'pino';
import { paymentReviewTask } from '../../server/payments/daily-review.ts';
import { reconcileCommand, reconciliationSummary } from '../../server/cli/payments-command.ts';
import { reconcileDay, reviewProcessing, type ReconciliationRun } from '../../server/payments/reconciliation.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';
import { AGENCY_X, AGENCY_Y, callAs, createPerson, createTwoAgencies, sessionOf, type Credentials } from '../support/identities.ts';
import { sandboxPayments, type SandboxPayments } from '../support/payment-fixtures.ts';

/**
 * Reconciliation of payments (issue 13; docs/payments.md "Reconciliation"): the T-1 review of
 * Circular 01 Art. 28.2 and the daily cross-check of Decree 45 Art. 13.7.d against the real sandbox
 * provider's signed statement and against statement files, with planted mismatches; the marks of
 * Art. 28.3–28.4 and the accountant's routes, with who may call them. Real PostgreSQL, the sandbox
 * on loopback, its callbacks through the product's callback route.
 */
const fixture = useApiOverTestDatabase();
let payments: SandboxPayments;
const today = vietnamDateOf(new Date());
const yesterday = addDays(today, -1);
/** Reconciling today as if it were tomorrow: the sandbox's statement of a day is the day's completed checkouts. */
const tomorrowNow = vietnamInstant(addDays(today, 1), 60);

let who: Record<'receptionX' | 'specialistX' | 'approverX' | 'specialistY' | 'citizen', Credentials>;

beforeAll(async () => {
  const { db } = fixture.database;
  await createTwoAgencies(db);
  payments = await sandboxPayments(db, fixture.api.url, [AGENCY_X, AGENCY_Y]);
  const person = async (name: string, roles: Array<'official' | 'citizen'>, memberships: Array<{ agencyCode: string; function: 'tiep-nhan' | 'chuyen-vien' | 'lanh-dao' }> = []) => sessionOf(db, await createPerson(db, name, roles, { memberships }));
  who = {
    receptionX: await person('tiepnhan.x', ['official'], [{ agencyCode: AGENCY_X.code, function: 'tiep-nhan' }]),
    specialistX: await person('ketoan.x', ['official'], [{ agencyCode: AGENCY_X.code, function: 'chuyen-vien' }]),
    approverX: await person('lanhdao.x', ['official'], [{ agencyCode: AGENCY_X.code, function: 'lanh-dao' }]),
    specialistY: await person('ketoan.y', ['official'], [{ agencyCode: AGENCY_Y.code, function: 'chuyen-vien' }]),
    citizen: await person('001090012345', ['citizen']),
  };
});
afterAll(async () => {
  await payments?.close();
});

const transaction = (id: string) => fixture.database.db('payment_transactions').where({ id }).first<Record<string, unknown>>();
/** The payment of the T-1 test that was paid today though it arose yesterday (the cross-check goes by the day of the outcome). */
let paidAfterItsDay = '';
const kinds = (run: ReconciliationRun) => run.mismatches.map((mismatch) => [mismatch.kind, mismatch.transactionCode]).sort();

describe('T-1 review (Circular 01 Art. 28.2)', () => {
  it('flags what is still processing from days up to T-1, not today\'s nor a finished one, and keeps the first flag', async () => {
    const { db } = fixture.database;
    const old = await payments.pay(AGENCY_X, 5_000, 'none');
    const fresh = await payments.pay(AGENCY_X, 5_000, 'none');
    const finished = await payments.pay(AGENCY_X, 5_000, 'pay');
    paidAfterItsDay = finished.code;
    // Planted: the provider said processing yesterday and nothing since.
    await db('payment_transactions').whereIn('id', [old.id, finished.id]).update({ created_at: vietnamInstant(yesterday, 600) });
    await db('payment_transactions').whereIn('id', [old.id, fresh.id]).update({ status: 'processing' });

    const firstReview = new Date();
    expect(await reviewProcessing(db, today, firstReview)).toBe(1);
    expect(await transaction(old.id)).toMatchObject({ review_flagged_at: firstReview });
    expect((await transaction(fresh.id)).review_flagged_at).toBeNull();
    expect((await transaction(finished.id)).review_flagged_at).toBeNull();
    const through = await db('payment_transactions').where({ id: old.id }).first<{ through: string }>(db.raw(`to_char(review_flagged_through, 'YYYY-MM-DD') as through`));
    expect(through.through).toBe(yesterday);

    // The next day's review finds both still processing; the first flag's time stays.
    expect(await reviewProcessing(db, addDays(today, 1), new Date(firstReview.getTime() + 86_400_000))).toBe(2);
    expect(await transaction(old.id)).toMatchObject({ review_flagged_at: firstReview });
    expect((await transaction(fresh.id)).review_flagged_at).not.toBeNull();
    // Put back as the sandbox knows them, for the cross-check below.
    await db('payment_transactions').whereIn('id', [old.id, fresh.id]).update({ status: 'initiated', review_flagged_at: null, review_flagged_through: null });
  });
});

describe("cross-check of a day with the provider's statement (Decree 45 Art. 13.7.d)", () => {
  let run: ReconciliationRun;
  const planted: Record<string, string> = {};

  it('finds every planted mismatch, one of each kind, and matches the rest', async () => {
    const { db } = fixture.database;
    const matchedPaid = await payments.pay(AGENCY_X, 8_000, 'pay');
    const matchedFailed = await payments.pay(AGENCY_X, 20_013, 'pay'); // the "bank" refuses amounts ending in 13
    const altered = await payments.pay(AGENCY_X, 8_000, 'pay');
    const wrongStatus = await payments.pay(AGENCY_Y, 8_000, 'pay');
    const unknownToProvider = await payments.pay(AGENCY_X, 8_000, 'none');
    expect((await transaction(matchedFailed.id)).status).toBe('payment-failed');

    // Planted 1: an amount altered in our database.
    await db('payment_transactions').where({ id: altered.id }).update({ amount_vnd: 9_000 });
    // Planted 2: a status altered in our database.
    await db('payment_transactions').where({ id: wrongStatus.id }).update({ status: 'payment-failed' });
    // Planted 3: a payment the provider completed that we have no transaction for (an agency's own code, Art. 27.5, so it is X's).
    const stranger = `${AGENCY_X.code}.2-261205000077`;
    payments.sandbox.behaviour.deliveryAttempts = 1;
    try {
      const checkout = await payments.provider.createCheckout({ transactionCode: stranger, amountVnd: 15_000, content: 'không rõ', payerName: 'Người lạ' });
      await payments.press(checkout.url, 'pay');
    } finally {
      payments.sandbox.behaviour.deliveryAttempts = 5;
    }
    // Planted 4: a success reported to us that the provider's statement does not have.
    const { rows: [event] } = await db.raw<{ rows: Array<{ id: string }> }>(
      `insert into payment_callbacks (provider, provider_event_id, transaction_id, report, payload, verdict, applied_at) values ('sandbox', 'planted-1', ?, '{"type":"transaction","status":"payment-succeeded"}', '{}', 'applied', now()) returning id`,
      [unknownToProvider.id],
    );
    expect(event).toBeDefined();
    await db('payment_transactions').where({ id: unknownToProvider.id }).update({ status: 'payment-succeeded' });
    Object.assign(planted, { altered: altered.code, wrongStatus: wrongStatus.code, stranger, unknownToProvider: unknownToProvider.code, matchedPaid: matchedPaid.code, matchedFailed: matchedFailed.code });

    run = await reconcileDay(db, payments.provider, today, { by: 'test', now: tomorrowNow });
    expect(kinds(run)).toEqual([
      ['amount-differs', altered.code],
      ['not-in-statement', unknownToProvider.code],
      ['not-ours', stranger],
      ['status-differs', wrongStatus.code],
    ].sort());
    // The T-1 test's paid one (arisen yesterday, paid today), and these two, agree with the statement.
    expect(run).toMatchObject({ provider: 'sandbox', day: today, source: 'provider', matched: 3, mismatchCount: 4, runs: 1 });
    const byKind = Object.fromEntries(run.mismatches.map((mismatch) => [mismatch.kind, mismatch]));
    expect(byKind['amount-differs']).toMatchObject({ collectingAgencyCode: AGENCY_X.code, ours: { amountVnd: 9_000 }, statement: { amountVnd: 8_000, status: 'paid' } });
    expect(byKind['status-differs']).toMatchObject({ collectingAgencyCode: AGENCY_Y.code, ours: { status: 'payment-failed' }, statement: { status: 'paid' } });
    expect(byKind['not-ours']).toMatchObject({ collectingAgencyCode: AGENCY_X.code, transactionId: null, ours: null, statement: { amountVnd: 15_000 } });
    expect(byKind['not-in-statement']).toMatchObject({ transactionId: unknownToProvider.id, statement: null });
  });

  it('is idempotent: the day reconciled again replaces its run, and a mended transaction no longer shows', async () => {
    const { db } = fixture.database;
    await db('payment_transactions').where({ code: planted.altered }).update({ amount_vnd: 8_000 });
    const again = await reconcileDay(db, payments.provider, today, { by: 'test-again', now: tomorrowNow });
    expect(again.id).toBe(run.id);
    expect(again).toMatchObject({ runs: 2, matched: 4, mismatchCount: 3, ranBy: 'test-again' });
    expect(await db('payment_reconciliations').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
    expect(await db('payment_reconciliation_mismatches').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '3' }]);
  });

  it("is what the daily job does: the scheduled day's T-1 reconciled with the provider in use, the run replaced", async () => {
    const { db } = fixture.database;
    const before = (await db('payment_reconciliations').where({ day: today }).first<{ runs: number }>('runs')).runs;
    // graphile-worker's crontab gives the scheduled time: 18:00 UTC is 01:00 of the next day in Vietnam.
    const scheduled = vietnamInstant(addDays(today, 1), 60).toISOString();
    await paymentReviewTask(db, pino({ level: 'silent' }), () => tomorrowNow)({ _cron: { ts: scheduled, backfilled: false } }, {} as JobHelpers);
    expect(await db('payment_reconciliations').where({ day: today }).first()).toMatchObject({ runs: before + 1, ran_by: 'job:payment-daily-review', source: 'provider', mismatch_count: 3 });
  });

  it('reads a statement file (CSV and JSON) of the day, and refuses one of another day or malformed without storing anything', async () => {
    const { db } = fixture.database;
    const folder = await mkdtemp(path.join(tmpdir(), 'statement-'));
    const at = tomorrowNow.toISOString().replace(/T.*/, 'T02:00:00+07:00').replace(addDays(today, 1), today);
    const csv = path.join(folder, 'sao-ke.csv');
    await writeFile(csv, [
      'transactionCode,reference,amountVnd,serviceFeeVnd,status,at,content',
      `${planted.matchedPaid},ref-1,8000,1100,paid,${at},`,
      `G22.99.2-261205000555,ref-2,40000,1100,paid,${at},G22.99.2-261205000555+${AGENCY_Y.code}-261205-9999+01701001+1.001193+${AGENCY_Y.code}+40000+2.1.1`,
    ].join('\n'));
    const fromFile = await reconcileCommand(db, { date: `${today.slice(8)}/${today.slice(5, 7)}/${today.slice(0, 4)}`, statement: csv }, {}).catch((error: unknown) => error);
    // Today is not over: the command refuses it, as the route does.
    expect(isQuyTrinhError(fromFile) && fromFile.code).toBe('payment.day-not-over');

    const fileRun = await reconcileDay(db, payments.provider, today, { by: 'test-file', now: tomorrowNow, statementFile: { name: 'sao-ke.csv', contents: await readFile(csv, 'utf8') } });
    expect(fileRun).toMatchObject({ source: 'file', statementFile: 'sao-ke.csv', statementEntries: 2, matched: 1 });
    const notOurs = fileRun.mismatches.find((mismatch) => mismatch.transactionCode === 'G22.99.2-261205000555');
    // The Portal's code names no agency; the line's content (Art. 27.3) does.
    expect(notOurs).toMatchObject({ kind: 'not-ours', collectingAgencyCode: AGENCY_Y.code });
    expect(fileRun.mismatches.filter((mismatch) => mismatch.kind === 'not-in-statement').map((mismatch) => mismatch.transactionCode).sort()).toEqual([paidAfterItsDay, planted.altered, planted.matchedFailed, planted.unknownToProvider, planted.wrongStatus].sort());
    expect(reconciliationSummary(fileRun)).toContain('Có trong sao kê, không có trong hệ thống / In the statement, not ours: 1');
    expect(reconciliationSummary(fileRun)).toContain('40.000 đ');

    const before = await db('payment_reconciliations').first<{ runs: number; ran_by: string }>('runs', 'ran_by');
    const json = JSON.stringify({ day: yesterday, entries: [] });
    const refusals = [
      { name: 'sao-ke.json', contents: json, field: 'statement.day' },
      { name: 'sao-ke.json', contents: '{"entries": [', field: 'statement' },
      { name: 'sao-ke.csv', contents: 'code,amount\nx,1', field: 'statement.line 1' },
      { name: 'sao-ke.csv', contents: `transactionCode,reference,amountVnd,serviceFeeVnd,status,at\n${planted.matchedPaid},r,8000,1100,paid,2020-01-01T10:00:00+07:00`, field: 'statement.entries.0.at' },
      { name: 'sao-ke.csv', contents: `transactionCode,reference,amountVnd,serviceFeeVnd,status,at\n${planted.matchedPaid},r,tám nghìn,1100,paid,${at}`, field: 'statement.entries.0.amountVnd' },
    ];
    for (const refusal of refusals) {
      const error: unknown = await reconcileDay(db, payments.provider, today, { by: 'bad', now: tomorrowNow, statementFile: refusal }).catch((failure: unknown) => failure);
      expect(isQuyTrinhError(error) && error.code, refusal.contents).toBe('payment.statement-invalid');
      expect(isQuyTrinhError(error) && error.details.map((detail) => detail.field)).toContain(refusal.field);
    }
    expect(await db('payment_reconciliations').first<{ runs: number; ran_by: string }>('runs', 'ran_by')).toEqual(before);
  });
});

describe("the accountant's routes", () => {
  let paid: { id: string; code: string; reference: string };
  let failed: { id: string; code: string; reference: string };
  const base = `/api/payments/agencies/${AGENCY_X.code}`;

  beforeAll(async () => {
    paid = await payments.pay(AGENCY_X, 12_000, 'pay');
    failed = await payments.pay(AGENCY_X, 12_013, 'pay');
  });

  it("lists the agency's transactions, paged and filtered, and one with its callbacks", async () => {
    const first = await callAs(fixture.api, who.receptionX, 'GET', `${base}/transactions?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]).toMatchObject({ id: failed.id, status: 'payment-failed', amountVnd: 12_013 });
    expect(first.body.next).not.toBeNull();
    const all = await callAs(fixture.api, who.receptionX, 'GET', `${base}/transactions?limit=500`);
    expect(all.body.total).toBe(all.body.items.length);
    expect(all.body.items.every((item: { code: string }) => item.code.startsWith('G22.99.2-'))).toBe(true);
    const second = await callAs(fixture.api, who.receptionX, 'GET', `${base}/transactions?limit=2&cursor=${first.body.next as string}`);
    expect(second.body.items[0].id).toBe(all.body.items[2].id);

    const filtered = await callAs(fixture.api, who.receptionX, 'GET', `${base}/transactions?status=payment-failed&day=${today}&code=${encodeURIComponent(failed.code)}`);
    expect(filtered.body.items.map((item: { id: string }) => item.id)).toEqual([failed.id]);
    expect((await callAs(fixture.api, who.receptionX, 'GET', `${base}/transactions?day=${yesterday}&status=payment-failed`)).body.items).toEqual([]);

    const one = await callAs(fixture.api, who.receptionX, 'GET', `${base}/transactions/${paid.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ code: paid.code, status: 'payment-succeeded', providerReference: paid.reference, marks: { 'documents-received': null } });
    expect(one.body.callbacks.map((callback: { report: { status: string } }) => callback.report.status)).toEqual(['processing', 'payment-succeeded']);

    for (const query of ['status=paid', 'day=05/12/2026', 'limit=0', 'code=%25']) {
      const refused = await callAs(fixture.api, who.receptionX, 'GET', `${base}/transactions?${query}`);
      expect(refused.status, query).toBe(400);
    }
  });

  it('records the marks of Art. 28.3–28.4 with who and when, once, on a paid transaction only', async () => {
    const before = new Date();
    const marked = await callAs(fixture.api, who.specialistX, 'POST', `${base}/transactions/${paid.id}/marks`, { mark: 'payment-received' });
    expect(marked.status).toBe(200);
    expect(marked.body.marks['payment-received']).toMatchObject({ by: 'account:ketoan.x' });
    const stored = await transaction(paid.id);
    expect(stored).toMatchObject({ payment_received_by: 'account:ketoan.x', documents_received_at: null, treasury_received_at: null });
    expect((stored.payment_received_at as Date).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect((await callAs(fixture.api, who.approverX, 'POST', `${base}/transactions/${paid.id}/marks`, { mark: 'treasury-received' })).body.marks['treasury-received']).toMatchObject({ by: 'account:lanhdao.x' });

    const again = await callAs(fixture.api, who.approverX, 'POST', `${base}/transactions/${paid.id}/marks`, { mark: 'payment-received' });
    expect([again.status, again.body.code]).toEqual([409, 'payment.mark-already-set']);
    const unpaid = await callAs(fixture.api, who.specialistX, 'POST', `${base}/transactions/${failed.id}/marks`, { mark: 'documents-received' });
    expect([unpaid.status, unpaid.body.code]).toEqual([409, 'payment.mark-not-paid']);
    expect(unpaid.body.messages.vi).toContain('chưa thanh toán thành công');

    // Bad input: 400 naming the field, nothing stored.
    for (const [path, body, field] of [
      [`${base}/transactions/${failed.id}/marks`, { mark: 'paid' }, 'body.mark'],
      [`${base}/transactions/${failed.id}/marks`, {}, 'body.mark'],
      [`${base}/transactions/${failed.id}/marks`, { mark: 'documents-received', by: 'someone else' }, 'body'],
      [`${base}/transactions/not-a-uuid/marks`, { mark: 'documents-received' }, 'params.id'],
      ['/api/payments/agencies/x y/transactions/00000000-0000-4000-8000-000000000000/marks', { mark: 'documents-received' }, 'params.agency'],
    ] as const) {
      const refused = await callAs(fixture.api, who.specialistX, 'POST', path, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors.map((error: { field: string }) => error.field).join(' ')).toContain(field);
    }
    const unknown = await callAs(fixture.api, who.specialistX, 'POST', `${base}/transactions/00000000-0000-4000-8000-000000000000/marks`, { mark: 'documents-received' });
    expect(unknown.status).toBe(404);
    expect(await transaction(failed.id)).toMatchObject({ documents_received_at: null, payment_received_at: null, treasury_received_at: null });
  });

  it('runs and reads a reconciliation: yesterday with the T-1 review, and a statement file naming the agency', async () => {
    const { db } = fixture.database;
    // A payment left processing yesterday, and a statement line of yesterday that is not ours.
    const stuck = await payments.pay(AGENCY_X, 7_000, 'none');
    await db('payment_transactions').where({ id: stuck.id }).update({ status: 'processing', created_at: vietnamInstant(yesterday, 540) });
    const at = vietnamInstant(yesterday, 700).toISOString();
    const contents = JSON.stringify({ day: yesterday, entries: [{ transactionCode: `${AGENCY_X.code}.2-261205000099`, reference: 'ref-9', amountVnd: 30_000, serviceFeeVnd: 1100, status: 'paid', at }, { transactionCode: `${AGENCY_Y.code}.2-261205000098`, reference: 'ref-8', amountVnd: 30_000, serviceFeeVnd: 1100, status: 'paid', at }] });

    const ran = await callAs(fixture.api, who.receptionX, 'POST', `${base}/reconciliations`, { day: `${yesterday.slice(8)}/${yesterday.slice(5, 7)}/${yesterday.slice(0, 4)}`, statement: { name: 'sao-ke.json', contents } });
    expect(ran.status, JSON.stringify(ran.body)).toBe(201);
    expect(ran.body.runs[0]).toMatchObject({ day: yesterday, source: 'file', statementEntries: 2, mismatchCount: 2, processingFlagged: 1, ranBy: 'account:tiepnhan.x' });
    // X's accountant sees X's mismatch only; Y's sees Y's.
    expect(ran.body.runs[0].mismatches.map((mismatch: { transactionCode: string }) => mismatch.transactionCode)).toEqual([`${AGENCY_X.code}.2-261205000099`]);
    const asY = await callAs(fixture.api, who.specialistY, 'GET', `/api/payments/agencies/${AGENCY_Y.code}/reconciliations/${yesterday}`);
    expect(asY.body.runs[0].mismatches.map((mismatch: { transactionCode: string }) => mismatch.transactionCode)).toEqual([`${AGENCY_Y.code}.2-261205000098`]);
    expect((await transaction(stuck.id)).review_flagged_at).not.toBeNull();
    const flagged = await callAs(fixture.api, who.receptionX, 'GET', `${base}/transactions?flagged=true`);
    expect(flagged.body.items.map((item: { id: string; review: { through: string } }) => [item.id, item.review.through])).toEqual([[stuck.id, yesterday]]);

    // Today's run is the statement file's: four of X's transactions are not in it.
    const list = await callAs(fixture.api, who.receptionX, 'GET', `${base}/reconciliations`);
    expect(list.body.items.map((item: { day: string; agencyMismatches: number }) => [item.day, item.agencyMismatches])).toEqual([[today, 4], [yesterday, 1]]);

    // Bad input: 400 naming the field, nothing stored.
    const runsBefore = await db('payment_reconciliations').orderBy('id').select('id', 'runs', 'ran_by');
    for (const [body, field] of [
      [{}, 'body.day'],
      [{ day: '31/02/2026' }, 'day'],
      [{ day: today }, 'day'],
      [{ day: yesterday, statement: { name: 'sao-ke.csv', contents: 'nonsense' } }, 'statement.line 1'],
      [{ day: yesterday, statement: { name: 'sao-ke.csv' } }, 'body.statement.contents'],
      [{ day: yesterday, extra: 1 }, 'body'],
    ] as const) {
      const refused = await callAs(fixture.api, who.receptionX, 'POST', `${base}/reconciliations`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors.map((error: { field: string }) => error.field).join(' '), JSON.stringify(body)).toContain(field);
    }
    expect(await db('payment_reconciliations').orderBy('id').select('id', 'runs', 'ran_by')).toEqual(runsBefore);
    expect((await callAs(fixture.api, who.receptionX, 'GET', `${base}/reconciliations/2020-01-01`)).status).toBe(404);
    expect((await callAs(fixture.api, who.receptionX, 'GET', `${base}/reconciliations/hôm qua`)).status).toBe(400);
  });

  it("reads and replaces the agency's collection settings (an approver), refusing bad settings unchanged", async () => {
    const { db } = fixture.database;
    const read = await callAs(fixture.api, who.receptionX, 'GET', `${base}/collection-settings`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ agencyCode: AGENCY_X.code, citadCode: '01701001' });
    const changed = { ...read.body, accountNumber: '3511.0.7654321' };
    const saved = await callAs(fixture.api, who.approverX, 'PUT', `${base}/collection-settings`, changed);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(await db('payment_collection_settings').where({ agency_code: AGENCY_X.code }).first()).toMatchObject({ account_number: '3511.0.7654321', updated_by: 'account:lanhdao.x' });

    for (const [body, field] of [
      [{ ...changed, citadCode: '123' }, 'body.citadCode'],
      [{ ...changed, agencyCode: AGENCY_Y.code }, 'body.agencyCode'],
      [{ ...changed, feeCodes: [{ procedureCode: '1.001193', feeCode: 'a+b' }] }, 'body.feeCodes.0.feeCode'],
      [{ ...changed, colour: 'red' }, 'body.colour'],
      [[], 'body'],
    ] as const) {
      const refused = await callAs(fixture.api, who.approverX, 'PUT', `${base}/collection-settings`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors.map((error: { field: string }) => error.field).join(' ')).toContain(field);
    }
    expect(await db('payment_collection_settings').where({ agency_code: AGENCY_X.code }).first()).toMatchObject({ account_number: '3511.0.7654321', updated_by: 'account:lanhdao.x' });
  });

  it("refuses another agency's official (404), a function that may not (403), citizens (403) and the anonymous (401)", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `${base}/transactions`],
      ['GET', `${base}/transactions/${paid.id}`],
      ['POST', `${base}/transactions/${paid.id}/marks`, { mark: 'documents-received' }],
      ['GET', `${base}/reconciliations`],
      ['GET', `${base}/reconciliations/${yesterday}`],
      ['POST', `${base}/reconciliations`, { day: yesterday }],
      ['GET', `${base}/collection-settings`],
      ['PUT', `${base}/collection-settings`, { agencyCode: AGENCY_X.code }],
    ];
    for (const [method, path, body] of routes) {
      const other = await callAs(fixture.api, who.specialistY, method, path, body);
      expect([other.status, other.body.code], `${method} ${path}`).toEqual([404, 'payment.agency-not-found']);
      expect((await callAs(fixture.api, who.citizen, method, path, body)).status, `${method} ${path}`).toBe(403);
      expect((await callAs(fixture.api, null, method, path, body)).status, `${method} ${path}`).toBe(401);
    }
    // Y's official does not learn of X's transaction through Y's own list either.
    expect((await callAs(fixture.api, who.specialistY, 'GET', `/api/payments/agencies/${AGENCY_Y.code}/transactions/${paid.id}`)).status).toBe(404);
    const reception = await callAs(fixture.api, who.receptionX, 'POST', `${base}/transactions/${paid.id}/marks`, { mark: 'documents-received' });
    expect([reception.status, reception.body.code]).toEqual([403, 'payment.function-required']);
    const specialist = await callAs(fixture.api, who.specialistX, 'PUT', `${base}/collection-settings`, { agencyCode: AGENCY_X.code });
    expect([specialist.status, specialist.body.code]).toEqual([403, 'payment.function-required']);
    expect((await transaction(paid.id)).documents_received_at).toBeNull();
  });
});
