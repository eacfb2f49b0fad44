import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionSettings } from '../../engine/payments/revenue.ts';
import { createAgency } from '../../server/identity/agencies.ts';
import { demoAccounts } from '../../server/identity/demo.ts';
import { usePaymentProvider, type PaymentProvider } from '../../server/payments/provider.ts';
import { sandboxProvider } from '../../server/payments/sandbox/adapter.ts';
import { sandboxRefundClient } from '../../server/payments/sandbox/refund-client.ts';
import { startPaymentSandbox, type PaymentSandbox } from '../../server/payments/sandbox/service.ts';
import { SIGNATURE_HEADER, signBody } from '../../server/payments/sandbox/signature.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';
import { callAs, createPerson, sessionOf, type Credentials } from '../support/identities.ts';
import { sandboxTransaction, saveTestCollectionSettings } from '../support/paid-transactions.ts';

/**
 * Refunds (issue 13; Circular 01 Art. 29–30) over the product's API, with the real PostgreSQL, the
 * sandbox provider on loopback and real HMAC signatures both ways: the four eyes of Art. 30.2, the
 * order sent to the sandbox and its signed outcome taken once, the amount never over what was paid,
 * and the documents-sent rule of Art. 29.1.
 */
const X = '000.00.01.H01';
const Y = '000.00.02.H01';
const SECRET = `sandbox-secret-${randomUUID()}`;
const fixture = useApiOverTestDatabase();
let sandbox: PaymentSandbox;
let provider: PaymentProvider;
let settings: CollectionSettings;
let refundCallbackUrl: string;
const who: Record<'prepare' | 'approve' | 'both' | 'oneStop' | 'otherAgency' | 'citizen' | 'admin', Credentials> = { prepare: null, approve: null, both: null, oneStop: null, otherAgency: null, citizen: null, admin: null };

beforeAll(async () => {
  const { db } = fixture.database;
  sandbox = await startPaymentSandbox({ secret: SECRET, callbackUrl: `${fixture.api.url}/api/payments/callbacks/sandbox` });
  refundCallbackUrl = `${fixture.api.url}/api/payments/refund-callbacks/sandbox`;
  const connection = { url: sandbox.url, secret: SECRET };
  provider = { ...sandboxProvider(connection), ...sandboxRefundClient(connection) };
  usePaymentProvider(provider);
  for (const [code, name] of [[X, 'UBND xã X'], [Y, 'UBND xã Y']] as const) await createAgency(db, { code, name });
  settings = await saveTestCollectionSettings(db, X, 'UBND xã X');
  const session = async (username: string, roles: Parameters<typeof createPerson>[2], memberships: Array<{ agencyCode: string; function: 'lap-hoan-tra' | 'duyet-hoan-tra' | 'tiep-nhan' }> = []) => sessionOf(db, await createPerson(db, username, roles, { memberships }));
  who.prepare = await session('ketoan.x', ['official'], [{ agencyCode: X, function: 'lap-hoan-tra' }]);
  who.approve = await session('duyetchi.x', ['official'], [{ agencyCode: X, function: 'duyet-hoan-tra' }]);
  who.both = await session('kiemnhiem.x', ['official'], [{ agencyCode: X, function: 'lap-hoan-tra' }, { agencyCode: X, function: 'duyet-hoan-tra' }]);
  who.oneStop = await session('motcua.x', ['official'], [{ agencyCode: X, function: 'tiep-nhan' }]);
  who.otherAgency = await session('ketoan.y', ['official'], [{ agencyCode: Y, function: 'lap-hoan-tra' }, { agencyCode: Y, function: 'duyet-hoan-tra' }]);
  who.citizen = await session('001090012345', ['citizen']);
  who.admin = { token: fixture.api.token };
});
afterAll(async () => {
  await sandbox?.close();
});

/** A transaction of agency X; paid on the sandbox's checkout page unless `paid` is false. */
const transaction = (amountVnd: number, paid = true) => sandboxTransaction(fixture.database.db, sandbox, provider, settings, amountVnd, paid);

const claim = (transactionCode: string, amountVnd: number, extra: Record<string, unknown> = {}) => ({ transactionCode, reason: 'overpayment', explanation: 'Nộp thừa lệ phí', amountVnd, ...extra });
const refundRows = () => fixture.database.db('payment_refunds').orderBy('prepared_at').select<Array<{ id: string; status: string; amount_vnd: string; decided_by_account: string | null }>>('id', 'status', 'amount_vnd', 'decided_by_account');
const callbackRows = (refundId: string) => fixture.database.db('payment_refund_callbacks').where({ refund_id: refundId }).orderBy('id').select<Array<{ provider_event_id: string; status: string; verdict: string }>>('provider_event_id', 'status', 'verdict');
const statusOf = async (refundId: string) => (await callAs(fixture.api, who.prepare, 'GET', `/api/payments/refunds/${refundId}`)).body.status as string;

async function postRefundCallback(body: Record<string, unknown>, secret: string | null = SECRET): Promise<{ status: number; body: any }> {
  const raw = JSON.stringify(body);
  const response = await fetch(refundCallbackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(secret === null ? {} : { [SIGNATURE_HEADER]: signBody(secret, raw) }) }, body: raw });
  return { status: response.status, body: await response.json() };
}

describe('refund claims (Circular 01 Art. 29–30)', () => {
  it('gives the demo agencies an official of each refund function (Art. 30.2.a–b)', () => {
    const accounts = demoAccounts();
    for (const [username, fn] of [['ketoan.xa', 'lap-hoan-tra'], ['duyetchi.xa', 'duyet-hoan-tra'], ['ketoan.bo', 'lap-hoan-tra'], ['duyetchi.tinh', 'duyet-hoan-tra']] as const) {
      expect(accounts.find((account) => account.username === username)?.memberships?.[0]?.function, username).toBe(fn);
    }
  });

  it('never lets the official who prepared a claim approve it: 403 and nothing stored, and the table refuses it too', async () => {
    const paid = await transaction(8_000);
    const prepared = await callAs(fixture.api, who.both, 'POST', '/api/payments/refunds', claim(paid.code, 3_000, { reason: 'mistaken-payment', explanation: 'Nộp nhầm hồ sơ' }));
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(201);
    expect(prepared.body).toMatchObject({ status: 'prepared', amountVnd: 3_000, paidAmountVnd: 8_000, transactionCode: paid.code, reason: 'mistaken-payment', preparedBy: 'account:kiemnhiem.x' });

    const selfApproved = await callAs(fixture.api, who.both, 'POST', `/api/payments/refunds/${prepared.body.id}/approve`, {});
    expect(selfApproved.status).toBe(403);
    expect(selfApproved.type).toContain('application/problem+json');
    expect(selfApproved.body).toMatchObject({ code: 'payment.refund-same-official', messages: { vi: expect.stringContaining('Điều 30.2'), en: expect.stringContaining('Art. 30.2') } });
    expect((await callAs(fixture.api, who.both, 'POST', `/api/payments/refunds/${prepared.body.id}/reject`, { reason: 'tự từ chối' })).body.code).toBe('payment.refund-same-official');
    const [row] = (await refundRows()).filter((stored) => stored.id === prepared.body.id);
    expect(row).toMatchObject({ status: 'prepared', decided_by_account: null });
    expect(sandbox.deliveries.filter((delivery) => delivery.transactionCode === paid.code && ['succeeded', 'failed'].includes(delivery.status))).toEqual([]);

    // Even written past the code, the database keeps the two people apart (payment_refunds_four_eyes).
    const stored = await fixture.database.db('payment_refunds').where({ id: prepared.body.id }).first<{ prepared_by_account: string }>('prepared_by_account');
    await expect(fixture.database.db('payment_refunds').where({ id: prepared.body.id }).update({ status: 'approved', decided_by_account: stored.prepared_by_account, decided_by: 'x', decided_at: new Date() })).rejects.toThrow(/payment_refunds_four_eyes/);
  });

  it('sends a claim approved by another official to the sandbox, whose signed outcome ends it succeeded once though delivered twice', async () => {
    const paid = await transaction(8_000);
    sandbox.behaviour.duplicate = true;
    try {
      const prepared = await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 3_000));
      expect(prepared.status).toBe(201);
      // The preparer holds no approve function; the one-stop official neither.
      expect((await callAs(fixture.api, who.prepare, 'POST', `/api/payments/refunds/${prepared.body.id}/approve`, {})).body.code).toBe('payment.refund-function-required');
      expect((await callAs(fixture.api, who.oneStop, 'POST', `/api/payments/refunds/${prepared.body.id}/approve`, {})).status).toBe(403);

      const approved = await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${prepared.body.id}/approve`, {});
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      expect(['sent', 'succeeded']).toContain(approved.body.status);
      expect(approved.body).toMatchObject({ decidedBy: 'account:duyetchi.x', providerReference: expect.stringMatching(/^rf_/) });
      await sandbox.idle();
      expect(await statusOf(prepared.body.id)).toBe('succeeded');

      // The sandbox delivered its one event twice; it was taken once, the second answered `replayed`.
      const sent = sandbox.deliveries.filter((delivery) => delivery.transactionCode === paid.code && delivery.status === 'succeeded');
      expect(sent).toHaveLength(2);
      expect(sent[0]!.eventId).toBe(sent[1]!.eventId);
      expect(sent.map((delivery) => delivery.answers.at(-1))).toEqual([200, 200]);
      const taken = await callbackRows(prepared.body.id);
      expect(taken).toEqual([{ provider_event_id: sent[0]!.eventId, status: 'succeeded', verdict: 'applied' }]);

      // Replaying that event id, now saying "failed", changes nothing; a new event saying failed is a conflict, kept for review.
      const body = { eventId: sent[0]!.eventId, refundId: prepared.body.id, reference: approved.body.providerReference, transactionCode: paid.code, amountVnd: 3_000, status: 'failed', at: new Date().toISOString() };
      expect(await postRefundCallback(body)).toEqual({ status: 200, body: { verdict: 'replayed', status: 'succeeded' } });
      expect(await postRefundCallback({ ...body, eventId: `evt_${randomUUID()}` })).toEqual({ status: 200, body: { verdict: 'conflict', status: 'succeeded' } });
      expect(await statusOf(prepared.body.id)).toBe('succeeded');
      expect((await callbackRows(prepared.body.id)).map((row) => row.verdict)).toEqual(['applied', 'conflict']);

      // Forged, unsigned, another checkout's reference and an unknown claim store nothing.
      const before = await fixture.database.db('payment_refund_callbacks').count<Array<{ count: string }>>('* as count');
      expect((await postRefundCallback({ ...body, eventId: 'evt-forged' }, 'not-the-secret')).status).toBe(403);
      expect((await postRefundCallback({ ...body, eventId: 'evt-unsigned' }, null)).status).toBe(401);
      expect((await postRefundCallback({ ...body, eventId: 'evt-other-ref', reference: 'rf_other' })).body.code).toBe('payment.callback-reference-mismatch');
      const unknown = await postRefundCallback({ ...body, eventId: 'evt-unknown', refundId: randomUUID() });
      expect(unknown).toMatchObject({ status: 404, body: { code: 'payment.refund-not-found' } });
      expect((await postRefundCallback({ ...body, eventId: 'evt-bad', status: 'maybe' })).status).toBe(400);
      expect(await fixture.database.db('payment_refund_callbacks').count<Array<{ count: string }>>('* as count')).toEqual(before);
    } finally {
      sandbox.behaviour.duplicate = false;
    }
  });

  it('ends a claim failed when the bank refuses the refund (an amount ending in 13)', async () => {
    const paid = await transaction(8_000);
    const prepared = await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 1_013));
    await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${prepared.body.id}/approve`, {});
    await sandbox.idle();
    expect(await statusOf(prepared.body.id)).toBe('failed');
    // A failed refund holds nothing: the whole amount can be claimed again.
    expect((await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 8_000))).status).toBe(201);
  });

  it('never refunds more than was paid minus what other claims hold, under concurrency', async () => {
    const paid = await transaction(10_000);
    const answers = await Promise.all(Array.from({ length: 6 }, () => callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 3_000))));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    const refused = answers.find((answer) => answer.status === 409)!;
    expect(refused.body).toMatchObject({ code: 'payment.refund-exceeds-paid', errors: [{ field: 'body.amountVnd', message: 'at most 1000' }] });
    const held = await fixture.database.db('payment_refunds as r').join('payment_transactions as t', 't.id', 'r.transaction_id').where('t.code', paid.code).sum<Array<{ sum: string }>>('r.amount_vnd as sum');
    expect(Number(held[0]!.sum)).toBe(9_000);
    expect((await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 1_001))).status).toBe(409);

    // A rejected claim (with its reason) gives its amount back.
    const rejectedId = answers.find((answer) => answer.status === 201)!.body.id as string;
    const rejected = await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${rejectedId}/reject`, { reason: 'Không có căn cứ nộp thừa' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Không có căn cứ nộp thừa' });
    expect((await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${rejectedId}/approve`, {})).body.code).toBe('payment.refund-status');
    expect((await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 4_000))).status).toBe(201);
  });

  it('refunds a transaction whose documents were sent only with the collecting agency agreement recorded (Art. 29.1)', async () => {
    const { db } = fixture.database;
    const paid = await transaction(8_000);
    await db('payment_transactions').where({ id: paid.id }).update({ status: 'transaction-succeeded', documents_received_at: new Date(), documents_received_by: 'account:ketoan.x' });
    const count = (await refundRows()).length;
    const refused = await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 2_000));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'payment.refund-documents-sent', errors: [{ field: 'body.agencyAgreement' }], messages: { vi: expect.stringContaining('Điều 29.1') } });
    expect((await refundRows()).length).toBe(count);
    const agreed = await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 2_000, { agencyAgreement: 'Công văn số 15/UBND-TC ngày 05/12/2026' }));
    expect(agreed.status).toBe(201);
    expect(agreed.body.agencyAgreement).toBe('Công văn số 15/UBND-TC ngày 05/12/2026');
    expect((await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${agreed.body.id}/approve`, {})).status).toBe(200);
    await sandbox.idle();
    expect(await statusOf(agreed.body.id)).toBe('succeeded');

    // Documents sent between preparation and approval: the approval is refused until an agreement is on the claim.
    const later = await transaction(8_000);
    const prepared = await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(later.code, 2_000));
    await db('payment_transactions').where({ id: later.id }).update({ documents_received_at: new Date(), documents_received_by: 'account:ketoan.x' });
    expect((await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${prepared.body.id}/approve`, {})).body.code).toBe('payment.refund-documents-sent');
    expect(await statusOf(prepared.body.id)).toBe('prepared');
  });

  it('refuses a claim on a transaction not paid', async () => {
    const unpaid = await transaction(8_000, false);
    const refused = await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(unpaid.code, 1_000));
    expect(refused).toMatchObject({ status: 409, body: { code: 'payment.refund-not-paid' } });
  });

  it('keeps an approved order when the provider cannot be reached, and sends it again', async () => {
    const paid = await transaction(8_000);
    const prepared = await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 500));
    const unreachable = { url: 'http://127.0.0.1:9', secret: SECRET };
    usePaymentProvider({ ...sandboxProvider(unreachable), ...sandboxRefundClient(unreachable) });
    try {
      const approved = await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${prepared.body.id}/approve`, {});
      expect(approved).toMatchObject({ status: 200, body: { status: 'approved', providerReference: null } });
    } finally {
      usePaymentProvider(provider);
    }
    // An outcome for it before it was sent is kept `early`, not applied; it names no refund the provider made, so it is set aside for review when the order is sent.
    const stray = await postRefundCallback({ eventId: `evt_${randomUUID()}`, refundId: prepared.body.id, reference: 'rf_not-this-one', transactionCode: paid.code, amountVnd: 500, status: 'failed', at: new Date().toISOString() });
    expect(stray).toEqual({ status: 200, body: { verdict: 'early', status: 'approved' } });
    expect((await callAs(fixture.api, who.prepare, 'POST', `/api/payments/refunds/${prepared.body.id}/send`, {})).status).toBe(403);
    const sent = await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${prepared.body.id}/send`, {});
    expect(['sent', 'succeeded']).toContain(sent.body.status);
    await sandbox.idle();
    expect(await statusOf(prepared.body.id)).toBe('succeeded');
    expect((await callbackRows(prepared.body.id)).map((row) => [row.status, row.verdict])).toEqual([['failed', 'conflict'], ['succeeded', 'applied']]);
    expect((await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${prepared.body.id}/send`, {})).status).toBe(409);
  });

  it("shows claims to the collecting agency's officials and administrators only, paged", async () => {
    const paid = await transaction(8_000);
    const prepared = await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 100));
    const id = prepared.body.id as string;
    // Another agency's officials: there is no such claim or transaction for them.
    expect((await callAs(fixture.api, who.otherAgency, 'GET', `/api/payments/refunds/${id}`)).status).toBe(404);
    expect((await callAs(fixture.api, who.otherAgency, 'POST', `/api/payments/refunds/${id}/approve`, {})).status).toBe(404);
    expect((await callAs(fixture.api, who.otherAgency, 'POST', `/api/payments/refunds/${id}/reject`, { reason: 'x' })).status).toBe(404);
    expect((await callAs(fixture.api, who.otherAgency, 'POST', '/api/payments/refunds', claim(paid.code, 100))).body.code).toBe('payment.transaction-not-found');
    expect((await callAs(fixture.api, who.otherAgency, 'GET', '/api/payments/refunds')).body).toMatchObject({ items: [], total: 0 });
    expect((await callAs(fixture.api, who.otherAgency, 'GET', `/api/payments/refunds?agency=${X}`)).status).toBe(404);
    // Citizens and anonymous callers are refused; the one-stop official of X sees but cannot prepare.
    expect((await callAs(fixture.api, who.citizen, 'GET', '/api/payments/refunds')).status).toBe(403);
    expect((await callAs(fixture.api, who.citizen, 'POST', '/api/payments/refunds', claim(paid.code, 100))).status).toBe(403);
    expect((await callAs(fixture.api, null, 'GET', '/api/payments/refunds')).status).toBe(401);
    expect((await callAs(fixture.api, who.oneStop, 'POST', '/api/payments/refunds', claim(paid.code, 100))).body.code).toBe('payment.refund-function-required');
    expect((await callAs(fixture.api, who.admin, 'POST', '/api/payments/refunds', claim(paid.code, 100))).status).toBe(403);
    expect((await callAs(fixture.api, who.oneStop, 'GET', `/api/payments/refunds/${id}`)).body.id).toBe(id);
    expect((await callAs(fixture.api, who.admin, 'GET', `/api/payments/refunds/${id}`)).body.id).toBe(id);

    // Paged, newest first, every claim of X once.
    const all: string[] = [];
    let cursor: string | null = null;
    let total: number | undefined;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; next: string | null; total?: number } } = await callAs(fixture.api, who.approve, 'GET', `/api/payments/refunds?agency=${X}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      total ??= page.body.total;
      all.push(...page.body.items.map((item) => item.id));
      cursor = page.body.next;
    } while (cursor);
    expect(all[0]).toBe(id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(total);
    expect(total).toBe((await refundRows()).length);
    const prepared2 = await callAs(fixture.api, who.approve, 'GET', `/api/payments/refunds?status=prepared&transactionCode=${paid.code}`);
    expect(prepared2.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
  });

  it('refuses bad input on every write with a 400 naming the field, storing nothing', async () => {
    const paid = await transaction(8_000);
    const prepared = await callAs(fixture.api, who.prepare, 'POST', '/api/payments/refunds', claim(paid.code, 100));
    const before = await refundRows();
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/api/payments/refunds', {}, 'body.transactionCode'],
      ['POST', '/api/payments/refunds', claim(paid.code, -5), 'body.amountVnd'],
      ['POST', '/api/payments/refunds', claim(paid.code, 1.5), 'body.amountVnd'],
      ['POST', '/api/payments/refunds', claim(paid.code, '1.000' as unknown as number), 'body.amountVnd'],
      ['POST', '/api/payments/refunds', claim(paid.code, 100, { reason: 'changed-mind' }), 'body.reason'],
      ['POST', '/api/payments/refunds', claim(paid.code, 100, { explanation: '   ' }), 'body.explanation'],
      ['POST', '/api/payments/refunds', claim(paid.code, 100, { agencyAgreement: '' }), 'body.agencyAgreement'],
      ['POST', '/api/payments/refunds', claim(paid.code, 100, { approvedBy: 'me' }), 'body'],
      ['POST', '/api/payments/refunds/not-a-uuid/approve', {}, 'params.id'],
      ['POST', `/api/payments/refunds/${prepared.body.id}/approve`, { status: 'succeeded' }, 'body'],
      ['POST', '/api/payments/refunds/not-a-uuid/reject', { reason: 'x' }, 'params.id'],
      ['POST', `/api/payments/refunds/${prepared.body.id}/reject`, {}, 'body.reason'],
      ['POST', `/api/payments/refunds/${prepared.body.id}/reject`, { reason: '' }, 'body.reason'],
      ['POST', '/api/payments/refunds/not-a-uuid/send', {}, 'params.id'],
      ['GET', '/api/payments/refunds?status=done', undefined, 'query.status'],
      ['GET', '/api/payments/refunds?agency=not%20a%20code', undefined, 'query.agency'],
    ];
    for (const [method, path, body, field] of cases) {
      const answer = await callAs(fixture.api, method === 'GET' ? who.approve : path.includes('approve') || path.includes('reject') || path.includes('send') ? who.approve : who.prepare, method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.type).toContain('application/problem+json');
      expect(answer.body.errors.map((error: { field: string }) => error.field).some((named: string) => named.startsWith(field)), `${path}: ${JSON.stringify(answer.body.errors)}`).toBe(true);
    }
    expect((await callAs(fixture.api, who.approve, 'POST', `/api/payments/refunds/${randomUUID()}/approve`, {})).status).toBe(404);
    expect(await refundRows()).toEqual(before);
  });
});
