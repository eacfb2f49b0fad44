import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vietnamDateOf } from '../../engine/calendar/index.ts';
import { runBuiltinJob } from '../../server/execution/builtin-jobs.ts';
import { enqueueBuiltinJob } from '../../server/execution/job-kinds.ts';
import { startProcessInstance } from '../../server/execution/instances.ts';
import { paymentsRouter } from '../../server/http/payments.ts';
import { problemHandler } from '../../server/http/problem.ts';
import { createAccount } from '../../server/identity/accounts.ts';
import { createAgency } from '../../server/identity/agencies.ts';
import { saveCollectionSettings } from '../../server/payments/collection-settings.ts';
import { usePaymentProvider } from '../../server/payments/provider.ts';
import { sandboxProvider } from '../../server/payments/sandbox/adapter.ts';
import { startPaymentSandbox, type PaymentSandbox } from '../../server/payments/sandbox/service.ts';
import { SIGNATURE_HEADER, signBody } from '../../server/payments/sandbox/signature.ts';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { callAs, createPerson, sessionOf, type Credentials } from '../support/identities.ts';
import { pressCheckout } from '../support/payment-fixtures.ts';
import { verifyStoredTrust } from '../../server/signatures/verify-pdf.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * Slice 2 of issue 13 end to end on loopback: a dossier's `payment.online` step creates its
 * transaction and the sandbox checkout, the payer pays on the sandbox's page, the sandbox sends
 * callbacks signed with HMAC-SHA256 to the callback route, and the step completes through the
 * engine. Real PostgreSQL, the real job runner, the real sandbox HTTP service, real signatures.
 */
const withFee = (id: string, feeVnd: number) => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:serviceTask id="pay" name="Thanh toán lệ phí trực tuyến" qt:jobType="payment.online" qt:feeVnd="${feeVnd}" qt:payment="online"/>
  <bpmn:userTask id="decide" name="Xem xét, giải quyết" qt:dueWorkingHours="8"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>pay', 'pay>decide', 'decide>end')}
`, { id, attributes: 'name="Cấp bản sao trích lục (thử)"' });

const AGENCY = '000.00.01.H01';
const SECRET = `sandbox-secret-${randomUUID()}`;
const fixture = useApiOverTestDatabase();
let sandbox: PaymentSandbox;
let callbacks: Server;
let callbackUrl: string;
let citizen: string;

beforeAll(async () => {
  const { db } = fixture.database;
  // The callback route as the lead mounts it: on /api, before any body parser, with the API's problem handler.
  const app = express();
  app.use('/api', paymentsRouter(db));
  app.use(problemHandler(pino({ level: 'silent' })));
  callbacks = app.listen(0, '127.0.0.1');
  await once(callbacks, 'listening');
  callbackUrl = `http://127.0.0.1:${(callbacks.address() as AddressInfo).port}/api/payments/callbacks/sandbox`;
  sandbox = await startPaymentSandbox({ secret: SECRET, callbackUrl });
  usePaymentProvider(sandboxProvider({ url: sandbox.url, secret: SECRET }));

  await createAgency(db, { code: AGENCY, name: 'UBND xã X' });
  await db.transaction((trx) => saveCollectionSettings(trx, {
    agencyCode: AGENCY,
    agencyName: 'UBND xã X',
    accountNumber: '3511.0.1234567',
    accountName: 'UBND xã X thu phí, lệ phí',
    citadCode: '01701001',
    bankName: 'Kho bạc Nhà nước khu vực I',
    feeCodes: [{ procedureCode: '1.001193', feeCode: '2.1.1' }],
  }, 'test'));
  citizen = (await createAccount(db, { username: '001090012345', displayName: 'Nguyễn Thị An', roles: ['citizen'], holder: { kind: 'person', id: '001090012345' }, assuranceLevel: 2, identifiedBy: 'test' })).id;
  for (const xml of [withFee('Process_fee', 8_000), withFee('Process_fee_refused', 20_013)]) {
    const deployed = await fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml });
    expect(deployed.status, await deployed.clone().text()).toBe(201);
  }
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((resolve) => (callbacks ? callbacks.close(() => resolve()) : resolve()));
});
useJobRunner(fixture);

let sequence = 0;
/** A dossier bound to a new instance of `key`, in one transaction as the dossier API submits (server/dossiers/submission.ts). */
async function submit(key: string): Promise<{ instanceId: string; dossierId: string; code: string }> {
  const code = `${AGENCY}-261206-${String(++sequence).padStart(4, '0')}`;
  return fixture.database.db.transaction(async (trx) => {
    const instance = await startProcessInstance(trx, key, { variables: { applicationNumber: code, agencyCode: AGENCY } }, { actor: 'test' });
    const definition = await trx('process_definitions').where({ key }).first<{ id: string; name: string }>('id', 'name');
    const [dossier] = await trx('dossiers').insert({
      instance_id: instance.id,
      definition_id: definition.id,
      procedure_key: key,
      procedure_code: '1.001193',
      procedure_name: definition.name,
      owner_account_id: citizen,
      applicant_name: 'Nguyễn Thị An',
      applicant_id: '001090012345',
      agency_code: AGENCY,
      code,
      status: 'received',
      submitted_at: new Date(),
      receipt_due_at: new Date(Date.now() + 8 * 3600_000),
      received_at: new Date(),
    }).returning<Array<{ id: string }>>('id');
    return { instanceId: instance.id, dossierId: dossier!.id, code };
  });
}

interface StoredTransaction {
  id: string;
  code: string;
  status: string;
  amount_vnd: string;
  service_fee_vnd: string;
  provider_reference: string;
  checkout_url: string;
  content: string;
  fee_code: string | null;
  service_job_id: string;
}

/** The dossier's payment once the step's worker has created it (and its checkout). */
async function paymentOf(dossierId: string): Promise<StoredTransaction> {
  const read = () => fixture.database.db('payment_transactions').where({ dossier_id: dossierId }).whereNotNull('checkout_url').first<StoredTransaction | undefined>();
  await expect.poll(read, { timeout: 20_000, interval: 100, message: 'the payment step created its transaction' }).toBeDefined();
  return (await read())!;
}

const statusOf = async (transactionId: string) => (await fixture.database.db('payment_transactions').where({ id: transactionId }).first<{ status: string }>('status')).status;
const callbacksOf = (transactionId: string) => fixture.database.db('payment_callbacks').where({ transaction_id: transactionId }).orderBy('id').select<Array<{ provider_event_id: string; report: { status: string }; verdict: string; applied_at: Date | null }>>('provider_event_id', 'report', 'verdict', 'applied_at');
const completionsOf = (instanceId: string, elementId: string) => fixture.database.db('instance_history').where({ instance_id: instanceId, element_id: elementId, event_type: 'job.complete' }).select<Array<{ event_id: string; actor: string }>>('event_id', 'actor');
const activeOf = async (instanceId: string) => (await callApi(fixture.api, 'GET', `/api/instances/${instanceId}`)).body.activeElementIds as string[];
const eventsOf = (dossierId: string) => fixture.database.db('dossier_events').where({ dossier_id: dossierId }).orderBy('id').select<Array<{ kind: string; details: Record<string, unknown> }>>('kind', 'details');

/** A callback signed with `secret` (the sandbox's own secret unless a forger's), posted as the sandbox posts them. */
async function postCallback(body: Record<string, unknown>, secret: string | null = SECRET): Promise<{ status: number; type: string | null; body: any }> {
  const raw = JSON.stringify(body);
  const response = await fetch(callbackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(secret === null ? {} : { [SIGNATURE_HEADER]: signBody(secret, raw) }) }, body: raw });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

const press = (checkoutUrl: string, button: 'pay' | 'decline') => pressCheckout(sandbox, checkoutUrl, button);

describe('online payment of a dossier step through the sandbox provider', () => {
  let paid: { instanceId: string; dossierId: string; code: string };
  let payment: StoredTransaction;

  it('creates the transaction, the checkout showing the provider fee before paying, and tells the applicant where to pay', async () => {
    paid = await submit('Process_fee');
    payment = await paymentOf(paid.dossierId);
    expect(payment).toMatchObject({ status: 'initiated', amount_vnd: '8000', service_fee_vnd: '1100', fee_code: '2.1.1' });
    expect(payment.code).toMatch(/^G22\.99\.2-\d{6}000001$/);
    expect(payment.content).toBe(`${payment.code}+${paid.code}+01701001+1.001193+${AGENCY}+8000+2.1.1`);
    expect(payment.checkout_url).toBe(`${sandbox.url}/checkout/${payment.provider_reference}`);
    expect(await activeOf(paid.instanceId)).toEqual(['pay']);

    const page = await (await fetch(payment.checkout_url)).text();
    expect(page).toContain(payment.code);
    expect(page).toContain('8.000 đ'); // the amount
    expect(page).toContain('1.100 đ'); // Decree 45 Art. 13.7.b: the provider's fee, before paying
    expect(page).toContain('9.100 đ');

    const notices = await fixture.database.db('notices').where({ dossier_id: paid.dossierId }).select<Array<{ account_id: string; subject: { vi: string }; body: { vi: string; en: string } }>>('account_id', 'subject', 'body');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.account_id).toBe(citizen);
    expect(notices[0]!.subject.vi).toBe(`Hồ sơ ${paid.code}: nộp phí, lệ phí trực tuyến`);
    expect(notices[0]!.body.vi).toContain(payment.checkout_url);
    expect(notices[0]!.body.vi).toContain('1.100 đ');
  });

  it('completes the step once when the payment succeeds, though every callback arrives twice and the outcome before processing', async () => {
    sandbox.behaviour.duplicate = true;
    sandbox.behaviour.outOfOrder = true;
    try {
      expect(await press(payment.checkout_url, 'pay')).toContain('Thanh toán thành công');
    } finally {
      sandbox.behaviour.duplicate = false;
      sandbox.behaviour.outOfOrder = false;
    }
    const sent = sandbox.deliveries.filter((delivery) => delivery.transactionCode === payment.code);
    expect(sent.map((delivery) => delivery.status)).toEqual(['payment-succeeded', 'payment-succeeded', 'processing', 'processing']);
    expect(sent.every((delivery) => delivery.answers.at(-1) === 200)).toBe(true);

    expect(await statusOf(payment.id)).toBe('payment-succeeded');
    // One row per event id; the outcome came early and was applied once processing arrived.
    const stored = await callbacksOf(payment.id);
    expect(stored.map((callback) => [callback.report.status, callback.verdict])).toEqual([['payment-succeeded', 'applied'], ['processing', 'applied']]);
    expect(stored.map((callback) => callback.provider_event_id)).toEqual([sent[0]!.eventId, sent[2]!.eventId]);

    await expect.poll(() => activeOf(paid.instanceId), { timeout: 10_000, interval: 100 }).toEqual(['decide']);
    expect(await completionsOf(paid.instanceId, 'pay')).toEqual([{ event_id: `job:${payment.service_job_id}`, actor: 'worker:payment.online' }]);
    const { variables } = (await callApi(fixture.api, 'GET', `/api/instances/${paid.instanceId}`)).body;
    expect(variables).toMatchObject({ paymentTransactionCode: payment.code, paidAmountVnd: 8000 });
    expect((await eventsOf(paid.dossierId)).map((event) => event.kind)).toEqual(['payment-requested', 'payment-succeeded']);
    expect((await fixture.database.db('service_jobs').where({ id: payment.service_job_id }).first<{ status: string }>('status')).status).toBe('completed');
  });

  it('changes nothing for a replayed event id, even one that now says the payment failed', async () => {
    const [first] = await callbacksOf(payment.id);
    const replay = await postCallback({ eventId: first!.provider_event_id, checkoutId: payment.provider_reference, transactionCode: payment.code, status: 'payment-failed' });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ verdict: 'replayed', status: { transaction: 'payment-succeeded' }, stepCompleted: false });
    expect(await statusOf(payment.id)).toBe('payment-succeeded');
    expect(await callbacksOf(payment.id)).toHaveLength(2);
    expect(await completionsOf(paid.instanceId, 'pay')).toHaveLength(1);
    expect((await eventsOf(paid.dossierId)).map((event) => event.kind)).toEqual(['payment-requested', 'payment-succeeded']);

    // A new event id repeating the outcome is a duplicate: stored, acknowledged, nothing moves.
    const again = await postCallback({ eventId: `evt_${randomUUID()}`, checkoutId: payment.provider_reference, transactionCode: payment.code, status: 'payment-succeeded' });
    expect(again.body).toMatchObject({ verdict: 'duplicate', stepCompleted: false });
    expect(await completionsOf(paid.instanceId, 'pay')).toHaveLength(1);
  });

  it('refuses a forged or unsigned callback and stores nothing', async () => {
    const waiting = await submit('Process_fee');
    const pending = await paymentOf(waiting.dossierId);
    const claim = { eventId: `evt_${randomUUID()}`, checkoutId: pending.provider_reference, transactionCode: pending.code, status: 'payment-succeeded' };
    const forged = await postCallback(claim, 'not-the-shared-secret');
    expect(forged.status).toBe(403);
    expect(forged.type).toContain('application/problem+json');
    expect(forged.body.code).toBe('payment.callback-forged');
    const unsigned = await postCallback(claim, null);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.code).toBe('payment.callback-unsigned');

    expect(await statusOf(pending.id)).toBe('initiated');
    expect(await callbacksOf(pending.id)).toEqual([]);
    expect(await fixture.database.db('payment_callbacks').where({ provider_event_id: claim.eventId }).first()).toBeUndefined();
    expect(await activeOf(waiting.instanceId)).toEqual(['pay']);

    // The step's job run again (as after a crash before the queue marked it done) finds its payment and asks for none more.
    await runBuiltinJob(fixture.database.db, pending.service_job_id, { number: 2, max: 5 });
    expect(await fixture.database.db('payment_transactions').where({ dossier_id: waiting.dossierId }).pluck('code')).toEqual([pending.code]);
  });

  it('keeps the transaction code while the provider cannot be reached, and takes it up again with the same code', async () => {
    const { db } = fixture.database;
    usePaymentProvider(sandboxProvider({ url: 'http://127.0.0.1:9', secret: SECRET })); // nothing listens on the discard port
    try {
      const unreachable = await submit('Process_fee');
      const job = () => db('service_jobs').where({ instance_id: unreachable.instanceId, element_id: 'pay' }).first<{ id: string; attempts: number; status: string }>('id', 'attempts', 'status');
      await expect.poll(async () => (await job())?.attempts ?? 0, { timeout: 20_000, interval: 100, message: 'the first attempt failed' }).toBeGreaterThanOrEqual(1);
      const stalled = await db('payment_transactions').where({ dossier_id: unreachable.dossierId }).select<Array<{ code: string; status: string; checkout_url: string | null }>>('code', 'status', 'checkout_url');
      expect(stalled).toEqual([{ code: expect.stringMatching(/^G22\.99\.2-/), status: 'initiated', checkout_url: null }]);
      expect(await db('notices').where({ dossier_id: unreachable.dossierId })).toEqual([]);

      usePaymentProvider(sandboxProvider({ url: sandbox.url, secret: SECRET }));
      await runBuiltinJob(db, (await job()).id, { number: 2, max: 5 });
      const resumed = await paymentOf(unreachable.dossierId);
      expect(resumed.code).toBe(stalled[0]!.code);
      expect(await db('payment_transactions').where({ dossier_id: unreachable.dossierId }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
      expect(await db('notices').where({ dossier_id: unreachable.dossierId }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
      expect((await job()).status).toBe('open');
    } finally {
      usePaymentProvider(sandboxProvider({ url: sandbox.url, secret: SECRET }));
    }
  });

  it('refuses a callback for an unknown transaction and stores nothing', async () => {
    const before = await fixture.database.db('payment_callbacks').count<Array<{ count: string }>>('* as count');
    const unknown = await postCallback({ eventId: `evt_${randomUUID()}`, checkoutId: 'co_unknown', transactionCode: 'G22.99.2-261206999999', status: 'processing' });
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    expect(unknown.body.code).toBe('payment.transaction-not-found');
    expect(await fixture.database.db('payment_callbacks').count<Array<{ count: string }>>('* as count')).toEqual(before);
  });

  it('leaves the step waiting and the payment failed when the bank refuses it (an amount ending in 13)', async () => {
    const refused = await submit('Process_fee_refused');
    const failing = await paymentOf(refused.dossierId);
    expect(failing.amount_vnd).toBe('20013');
    expect(await press(failing.checkout_url, 'pay')).toContain('Thanh toán không thành công');

    expect(await statusOf(failing.id)).toBe('payment-failed');
    expect((await callbacksOf(failing.id)).map((callback) => [callback.report.status, callback.verdict])).toEqual([['processing', 'applied'], ['payment-failed', 'applied']]);
    expect(await activeOf(refused.instanceId)).toEqual(['pay']);
    expect(await completionsOf(refused.instanceId, 'pay')).toEqual([]);
    expect((await fixture.database.db('service_jobs').where({ id: failing.service_job_id }).first<{ status: string }>('status')).status).toBe('open');
    expect((await eventsOf(refused.dossierId)).map((event) => event.kind)).toEqual(['payment-requested', 'payment-failed']);
    const notices = await fixture.database.db('notices').where({ dossier_id: refused.dossierId }).orderBy('created_at').select<Array<{ subject: { vi: string } }>>('subject');
    expect(notices.map((notice) => notice.subject.vi)).toEqual([`Hồ sơ ${refused.code}: nộp phí, lệ phí trực tuyến`, `Hồ sơ ${refused.code}: thanh toán không thành công`]);
  });

  it('takes a retry after the failure as a new transaction with a new code, and goes on when it is paid', async () => {
    const { db } = fixture.database;
    const [refusedDossier] = await db('payment_transactions').where({ status: 'payment-failed' }).select<Array<{ dossier_id: string; code: string; service_job_id: string }>>('dossier_id', 'code', 'service_job_id');
    const instanceId = (await db('dossiers').where({ id: refusedDossier!.dossier_id }).first<{ instance_id: string }>('instance_id')).instance_id;
    // The step's job queued again (what a retry action will do): the failed transaction is no longer live.
    await db.transaction((trx) => enqueueBuiltinJob(trx, refusedDossier!.service_job_id));
    const retry = async () => db('payment_transactions').where({ service_job_id: refusedDossier!.service_job_id, status: 'initiated' }).whereNotNull('checkout_url').first<StoredTransaction | undefined>();
    await expect.poll(retry, { timeout: 20_000, interval: 100 }).toBeDefined();
    const second = (await retry())!;
    expect(second.code).not.toBe(refusedDossier!.code);
    expect(second.amount_vnd).toBe('20013');

    sandbox.behaviour.failAmountsEndingIn = 'never';
    sandbox.behaviour.delayMs = 50;
    try {
      expect(await press(second.checkout_url, 'pay')).toContain('Thanh toán thành công');
    } finally {
      sandbox.behaviour.failAmountsEndingIn = '13';
      sandbox.behaviour.delayMs = 0;
    }
    expect(await statusOf(second.id)).toBe('payment-succeeded');
    await expect.poll(() => activeOf(instanceId), { timeout: 10_000, interval: 100 }).toEqual(['decide']);
    expect(await completionsOf(instanceId, 'pay')).toHaveLength(1);
    expect((await eventsOf(refusedDossier!.dossier_id)).map((event) => event.kind)).toEqual(['payment-requested', 'payment-failed', 'payment-requested', 'payment-succeeded']);
  });

  it("reads the sandbox's signed statement of the day: every completed payment, as stored", async () => {
    const day = vietnamDateOf(new Date());
    const statement = await sandboxProvider({ url: sandbox.url, secret: SECRET }).readStatement(day);
    const stored = await fixture.database.db('payment_transactions').whereIn('status', ['payment-succeeded', 'payment-failed']).select<Array<{ code: string; status: string; amount_vnd: string; service_fee_vnd: string }>>('code', 'status', 'amount_vnd', 'service_fee_vnd');
    const line = (code: string, status: string, amountVnd: number, serviceFeeVnd: number) => `${code} ${status} ${amountVnd} ${serviceFeeVnd}`;
    expect(statement.map((entry) => line(entry.transactionCode, entry.status, entry.amountVnd, entry.serviceFeeVnd)).sort()).toEqual(
      stored.map((row) => line(row.code, row.status === 'payment-succeeded' ? 'paid' : 'failed', Number(row.amount_vnd), Number(row.service_fee_vnd))).sort(),
    );
    expect(statement).toHaveLength(3); // 8.000 đ paid, 20.013 đ refused, 20.013 đ paid on the retry
    await expect(sandboxProvider({ url: sandbox.url, secret: 'another-secret' }).readStatement(day)).rejects.toMatchObject({ code: 'payment.provider-failed' });
  });
});

/** An interrupting working-time timer on the payment step: the payment deadline (Circular 01 Art. 27.1.i). */
const withDeadline = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:serviceTask id="pay" name="Thanh toán lệ phí trực tuyến" qt:jobType="payment.online" qt:feeVnd="8000" qt:payment="online"/>
  <bpmn:boundaryEvent id="late" attachedToRef="pay"><bpmn:timerEventDefinition qt:workingHours="16"/></bpmn:boundaryEvent>
  <bpmn:userTask id="decide" name="Xem xét, giải quyết"/>
  <bpmn:userTask id="lapsed" name="Thông báo quá hạn nộp lệ phí"/>
  <bpmn:endEvent id="end"/>
  <bpmn:endEvent id="end_lapsed"/>
  ${flows('start>pay', 'pay>decide', 'decide>end', 'late>lapsed', 'lapsed>end_lapsed')}
`, { id: 'Process_fee_deadline', attributes: 'name="Cấp bản sao trích lục có hạn nộp (thử)"' });

describe("the payer's side: the retry route, the signed receipt, the payment deadline", () => {
  let citizenSession: Credentials;
  let otherCitizen: Credentials;
  let official: Credentials;

  beforeAll(async () => {
    const { db } = fixture.database;
    const deployed = await fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: withDeadline });
    expect(deployed.status, await deployed.clone().text()).toBe(201);
    citizenSession = await sessionOf(db, citizen);
    otherCitizen = await sessionOf(db, await createPerson(db, '001090054321', ['citizen']));
    official = await sessionOf(db, await createPerson(db, 'motcua.payment', ['official'], { memberships: [{ agencyCode: AGENCY, function: 'tiep-nhan' }] }));
  });

  it('retries a refused payment only for its applicant, as a new transaction, and refuses what has nothing to retry', async () => {
    const { db } = fixture.database;
    const refused = await submit('Process_fee_refused');
    const first = await paymentOf(refused.dossierId);
    const retryPath = `/api/dossiers/${refused.dossierId}/payments/retry`;
    // Nothing failed yet: the payment is open.
    expect((await callAs(fixture.api, citizenSession, 'POST', retryPath, {})).body.code).toBe('payment.nothing-to-retry');
    expect(await press(first.checkout_url, 'pay')).toContain('không thành công');

    const view = (await callAs(fixture.api, citizenSession, 'GET', `/api/dossiers/${refused.dossierId}`)).body;
    expect(view.payments).toMatchObject({ canRetry: true, items: [{ code: first.code, status: 'payment-failed', statusText: { vi: 'Thanh toán không thành công' }, paid: false, checkoutUrl: null }] });

    const count = async () => Number((await db('payment_transactions').where({ dossier_id: refused.dossierId }).count<{ count: string }>('* as count').first())!.count);
    expect((await callAs(fixture.api, official, 'POST', retryPath, {})).status).toBe(403);
    expect((await callAs(fixture.api, otherCitizen, 'POST', retryPath, {})).status).toBe(404);
    const bad = await callAs(fixture.api, citizenSession, 'POST', retryPath, { amountVnd: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('body');
    expect(await count()).toBe(1);

    const accepted = await callAs(fixture.api, citizenSession, 'POST', retryPath, {});
    expect(accepted.status).toBe(202);
    expect(accepted.body.canRetry).toBe(false);
    await expect.poll(count, { timeout: 20_000, interval: 100 }).toBe(2);
    expect((await eventsOf(refused.dossierId)).map((event) => event.kind)).toContain('payment-retried');
    // The new one is live: a second click has nothing to retry.
    expect((await callAs(fixture.api, citizenSession, 'POST', retryPath, {})).status).toBe(409);
  });

  it('serves the receipt of a paid transaction only, signed by the collecting agency, the same file each time', async () => {
    const paid = await submit('Process_fee');
    const payment = await paymentOf(paid.dossierId);
    const receiptPath = `/api/dossiers/${paid.dossierId}/payments/${payment.code}/receipt.pdf`;
    expect((await callAs(fixture.api, citizenSession, 'GET', receiptPath)).body.code).toBe('payment.receipt-not-found');
    expect((await callAs(fixture.api, citizenSession, 'GET', `/api/dossiers/${paid.dossierId}/payments/not-a-code/receipt.pdf`)).status).toBe(400);
    expect(await press(payment.checkout_url, 'pay')).toContain('Thanh toán thành công');

    const receipt = await fixture.api.fetch(receiptPath, { headers: { cookie: (citizenSession as { cookie: string }).cookie } });
    expect(receipt.status).toBe(200);
    const bytes = Buffer.from(await receipt.arrayBuffer());
    const verified = await verifyStoredTrust(fixture.database.db, bytes);
    expect(verified).toMatchObject({ valid: true });
    const again = Buffer.from(await (await fixture.api.fetch(receiptPath, { headers: { cookie: (citizenSession as { cookie: string }).cookie } })).arrayBuffer());
    expect(again.equals(bytes)).toBe(true);
    expect((await callAs(fixture.api, otherCitizen, 'GET', receiptPath)).status).toBe(404);
    expect((await callAs(fixture.api, official, 'GET', receiptPath)).status).toBe(200);
  });

  it('records the documents delivered and the settlement when the provider reports them (Art. 28.1.a, 28.1.b)', async () => {
    const { db } = fixture.database;
    const settled = await submit('Process_fee');
    const payment = await paymentOf(settled.dossierId);
    sandbox.behaviour.settle = true;
    sandbox.behaviour.duplicate = true;
    try {
      expect(await press(payment.checkout_url, 'pay')).toContain('Thanh toán thành công');
    } finally {
      sandbox.behaviour.settle = false;
      sandbox.behaviour.duplicate = false;
    }
    const stored = await db('payment_transactions').where({ id: payment.id }).first<{ status: string; settlement_status: string; settled_at: Date | null; paid_at: Date | null }>('status', 'settlement_status', 'settled_at', 'paid_at');
    expect(stored).toMatchObject({ status: 'transaction-succeeded', settlement_status: 'success' });
    expect(stored.settled_at).not.toBeNull();
    expect(stored.paid_at).not.toBeNull();
    expect((await callbacksOf(payment.id)).map((callback) => callback.verdict)).toEqual(['applied', 'applied', 'applied', 'applied']);
    // The step went on once; the dossier shows the payment as a successful transaction.
    expect(await completionsOf(settled.instanceId, 'pay')).toHaveLength(1);
    const view = (await callAs(fixture.api, citizenSession, 'GET', `/api/dossiers/${settled.dossierId}`)).body;
    expect(view.payments.items[0]).toMatchObject({ status: 'transaction-succeeded', statusText: { vi: 'Giao dịch thành công' }, paid: true });
  });

  it("takes the deadline from the step's timer, shows it to the payer, and when it passes the dossier takes the timer's path", async () => {
    const { db } = fixture.database;
    const late = await submit('Process_fee_deadline');
    const payment = await paymentOf(late.dossierId);
    const timer = await db.raw<{ rows: Array<{ id: string; run_at: Date }> }>('select id, run_at from graphile_worker.jobs where key = ?', [`timer:${late.instanceId}:late`]);
    const stored = await db('payment_transactions').where({ id: payment.id }).first<{ payment_deadline: Date }>('payment_deadline');
    expect(stored.payment_deadline.toISOString()).toBe(timer.rows[0]!.run_at.toISOString());
    expect(await (await fetch(payment.checkout_url)).text()).toContain('Hạn thanh toán');

    // The deadline passes: the engine interrupts the payment step; nothing is offered for payment any more.
    await db.raw('select graphile_worker.reschedule_jobs(array[?::bigint], run_at => now())', [timer.rows[0]!.id]);
    await expect.poll(() => activeOf(late.instanceId), { timeout: 20_000, interval: 100 }).toEqual(['lapsed']);
    const view = (await callAs(fixture.api, citizenSession, 'GET', `/api/dossiers/${late.dossierId}`)).body;
    expect(view.payments).toMatchObject({ canRetry: false, items: [{ code: payment.code, checkoutUrl: null }] });
    expect((await callAs(fixture.api, citizenSession, 'POST', `/api/dossiers/${late.dossierId}/payments/retry`, {})).status).toBe(409);

    // And the provider refuses a checkout past its expiry.
    const expired = await sandboxProvider({ url: sandbox.url, secret: SECRET }).createCheckout({ transactionCode: 'G22.99.2-261206999999', amountVnd: 8000, content: 'thử', payerName: 'Nguyễn Thị An', expiresAt: new Date(Date.now() - 1000).toISOString() });
    const pay = await fetch(`${expired.url}/pay`, { method: 'POST' });
    expect(pay.status).toBe(410);
    expect(await pay.text()).toContain('Đã quá hạn thanh toán');
  });
});
