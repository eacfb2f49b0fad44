import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annulResult } from '../../server/dossiers/results.ts';
import { createAccount } from '../../server/identity/accounts.ts';
import { createAgency } from '../../server/identity/agencies.ts';
import type { Principal } from '../../server/identity/roles.ts';
import { SIGNATURE_WIDGET_RECT } from '../../server/printing/notice-pdf.ts';
import { vietnamSigningTime } from '../../server/printing/vietnam-time.ts';
import { ANNULMENT_SIGNING_REASON, RESULT_SIGNING_REASON, signAsAgency } from '../../server/signatures/sign-pdf.ts';
import { verifyStoredTrust } from '../../server/signatures/verify-pdf.ts';
import { createPdfPool, type PdfPool } from '../../server/workers/pdf-pool.ts';
import { startApiServer, useApiOverTestDatabase, useJobRunner, type ApiServer } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { pdfText } from '../support/restructuring.ts';

/**
 * Results signed once, when `result.sign` issues them, and served as stored; the annulled version
 * beside the issued one (Decree 45 Art. 14.3.b, 15); the visible signature under its widget; and
 * the PDF pool that prints and signs off the event loop (server/workers/pdf-pool.ts).
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'quytrinh-result-documents-'));
process.env.DATA_DIR = dataDir;

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const AGENCY = { code: '000.00.41.H26', name: 'Ủy ban nhân dân xã Tân Lập' };
const procedure = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="decide" name="Xem xét, quyết định"/>
  <bpmn:serviceTask id="sign" name="Cấp kết quả" qt:jobType="result.sign"/>
  <bpmn:userTask id="hand" name="Trả kết quả"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>decide', 'decide>sign', 'sign>hand', 'hand>end')}
`, { id: 'Process_result_documents', attributes: 'name="Cấp bản sao trích lục (thử)"' });

let owner: string;
let sequence = 0;

async function call(method: string, route: string, body?: unknown): Promise<Response> {
  return fixture.api.fetch(route, { method, ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }) });
}

/** A dossier of AGENCY on a started instance, as the dossier layer stores it. */
async function dossier(): Promise<{ id: string; instanceId: string; code: string }> {
  const started = await call('POST', '/api/definitions/Process_result_documents/instances', { variables: {} });
  expect(started.status).toBe(201);
  const instance = (await started.json()) as { id: string };
  const definition = await fixture.database.db('process_definitions').where({ key: 'Process_result_documents' }).first<{ id: string; name: string }>('id', 'name');
  const code = `${AGENCY.code}-261206-${String(++sequence).padStart(4, '0')}`;
  const [row] = await fixture.database.db('dossiers').insert({
    instance_id: instance.id, definition_id: definition.id, procedure_key: 'Process_result_documents', procedure_name: definition.name,
    owner_account_id: owner, applicant_name: 'Trần Văn Bình', applicant_id: '001090067890', agency_code: AGENCY.code, code,
    status: 'received', submitted_at: new Date(), receipt_due_at: new Date(Date.now() + 8 * 3600_000), received_at: new Date(),
  }).returning<Array<{ id: string }>>('id');
  return { id: row!.id, instanceId: instance.id, code };
}

/** Completes the open task at `elementId` once the instance is there. */
async function complete(instanceId: string, elementId: string): Promise<void> {
  const open = () => fixture.database.db('user_tasks').where({ instance_id: instanceId, element_id: elementId, status: 'open' }).first<{ id: string } | undefined>('id');
  await expect.poll(async () => (await open())?.id, { timeout: 30_000, interval: 100 }).toBeDefined();
  expect((await call('POST', `/api/tasks/${(await open())!.id}/complete`, { variables: {} })).status).toBe(200);
}

async function served(code: string): Promise<Buffer> {
  const response = await call('GET', `/api/results/${code}.pdf`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  return Buffer.from(await response.arrayBuffer());
}

/** The signature widgets of page one, as pdf.js (a PDF reader) finds them, and where the texts of page one are drawn. */
async function pageOne(pdf: Buffer): Promise<{ widgets: Array<{ fieldType: string; rect: number[] }>; texts: Array<{ text: string; x: number; y: number }> }> {
  const document = await getDocument({ data: new Uint8Array(pdf) }).promise;
  const page = await document.getPage(1);
  const annotations = (await page.getAnnotations()) as Array<{ subtype: string; fieldType?: string; rect: number[] }>;
  const content = await page.getTextContent();
  return {
    widgets: annotations.filter((annotation) => annotation.subtype === 'Widget').map((annotation) => ({ fieldType: annotation.fieldType ?? '', rect: annotation.rect })),
    texts: content.items.flatMap((item) => ('str' in item && item.str.trim() !== '' ? [{ text: item.str, x: item.transform[4] as number, y: item.transform[5] as number }] : [])),
  };
}

const inside = (rect: number[], x: number, y: number) => x >= rect[0]! && x <= rect[2]! && y >= rect[1]! && y <= rect[3]!;

beforeAll(async () => {
  const { db } = fixture.database;
  await createAgency(db, AGENCY);
  owner = (await createAccount(db, { username: '001090067890', displayName: 'Trần Văn Bình', roles: ['citizen'], holder: { kind: 'person', id: '001090067890' }, assuranceLevel: 2, identifiedBy: 'test' })).id;
  const deployed = await fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: procedure });
  expect(deployed.status, await deployed.clone().text()).toBe(201);
});

describe('a result signed once, when issued (Decree 45 Art. 14.3.b)', () => {
  let code: string;
  let issued: Buffer;
  let resultId: string;

  it('signs the result in result.sign, dated the issue, stores it, and serves those same bytes every time', async () => {
    const { db } = fixture.database;
    const made = await dossier();
    await complete(made.instanceId, 'decide');
    // The step after result.sign is open only once the result and its signed document are committed.
    await expect.poll(async () => (await db('user_tasks').where({ instance_id: made.instanceId, element_id: 'hand', status: 'open' }).first('id')) !== undefined, { timeout: 30_000, interval: 100 }).toBe(true);
    const result = await db('dossier_results').where({ dossier_id: made.id }).first<{ id: string; code: string; issued_at: Date }>('id', 'code', 'issued_at');
    code = result.code;
    resultId = result.id;
    const stored = await db('result_documents').where({ result_id: result.id }).select<Array<{ state: string; pdf: Buffer; signed_at: Date; signer_agency_code: string }>>('state', 'pdf', 'signed_at', 'signer_agency_code');
    expect(stored.map((document) => [document.state, document.signer_agency_code])).toEqual([['issued', AGENCY.code]]);
    expect(stored[0]!.signed_at.getTime()).toBe(result.issued_at.getTime());

    issued = await served(code);
    expect(issued.equals(stored[0]!.pdf)).toBe(true);
    expect((await served(code)).equals(issued)).toBe(true);
    const report = await verifyStoredTrust(db, issued);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ valid: true, signatureCount: 1, reason: RESULT_SIGNING_REASON, signer: { name: AGENCY.name, agencyCode: AGENCY.code } });
    // The signature's own time is the issue, to the second (PDF dates and CMS signing times have no milliseconds).
    expect(Math.floor(Date.parse(report.signedAt!) / 1000)).toBe(Math.floor(result.issued_at.getTime() / 1000));
  });

  it('shows the signature: the signer, the agency and the signing time drawn on page one inside the signature widget', async () => {
    const { widgets, texts } = await pageOne(issued);
    expect(widgets).toHaveLength(1);
    expect(widgets[0]!.fieldType).toBe('Sig');
    const rect = widgets[0]!.rect;
    SIGNATURE_WIDGET_RECT.forEach((value, index) => expect(rect[index]).toBeCloseTo(value, 1));
    const issuedAt = (await fixture.database.db('dossier_results').where({ id: resultId }).first<{ issued_at: Date }>('issued_at')).issued_at;
    const stamp = [`Người ký: ${AGENCY.name}`, `Cơ quan: ${AGENCY.name} (mã ${AGENCY.code})`, `Thời gian ký: ${vietnamSigningTime(issuedAt)}`];
    for (const line of stamp) {
      const drawn = texts.find((text) => text.text === line);
      expect(drawn, line).toBeDefined();
      expect(inside(rect, drawn!.x, drawn!.y), `${line} inside the widget`).toBe(true);
    }
    // Nothing else of the page is under the widget: the body stops above it.
    const under = texts.filter((text) => inside(rect, text.x, text.y)).map((text) => text.text);
    expect(under.every((text) => /^(ĐÃ KÝ SỐ|Người ký|Cơ quan|Thời gian ký|Chữ ký số)/.test(text))).toBe(true);
  });

  it('annuls by adding a version stamped and signed at the annulment; the issued one stays as it was', async () => {
    const { db } = fixture.database;
    const admin: Principal = { kind: 'token', id: owner, actor: 'token:test-admin', displayName: 'Quản trị', roles: ['admin'], memberships: [], assuranceLevel: 2, jobTypes: null };
    const annulled = await annulResult(db, admin, code, 'Sai năm sinh của người được cấp');
    const documents = await db('result_documents').where({ result_id: resultId }).orderBy('state', 'desc').select<Array<{ state: string; pdf: Buffer; signed_at: Date }>>('state', 'pdf', 'signed_at');
    expect(documents.map((document) => document.state)).toEqual(['issued', 'annulled']);
    expect(documents[0]!.pdf.equals(issued)).toBe(true);
    expect(documents[1]!.signed_at.getTime()).toBe(annulled.annulled_at!.getTime());

    const current = await served(code);
    expect(current.equals(documents[1]!.pdf)).toBe(true);
    const text = await pdfText(new Uint8Array(current));
    expect(text).toContain('ĐÃ HUỶ / ANNULLED');
    expect(text).toContain('Sai năm sinh của người được cấp');
    expect(text).toContain(`Thời gian ký: ${vietnamSigningTime(annulled.annulled_at!)}`);
    const report = await verifyStoredTrust(db, current);
    expect(report).toMatchObject({ valid: true, reason: ANNULMENT_SIGNING_REASON, signer: { agencyCode: AGENCY.code } });
    expect((await verifyStoredTrust(db, issued)).valid).toBe(true);
  });

  it('refuses a second annulment without touching the stored documents', async () => {
    const { db } = fixture.database;
    const before = await db('result_documents').where({ result_id: resultId }).orderBy('state').pluck('id');
    const admin: Principal = { kind: 'token', id: owner, actor: 'token:test-admin', displayName: 'Quản trị', roles: ['admin'], memberships: [], assuranceLevel: 2, jobTypes: null };
    await expect(annulResult(db, admin, code, 'Lần hai')).rejects.toMatchObject({ code: 'result.already-annulled' });
    expect(await db('result_documents').where({ result_id: resultId }).orderBy('state').pluck('id')).toEqual(before);
  });

  it('signs an arbitrary PDF through the pool for other code (signAsAgency), with a visible widget where asked', async () => {
    const unsigned = issued.subarray(0, issued.indexOf('%%EOF') + '%%EOF'.length);
    const rect: [number, number, number, number] = [85, 700, 285, 780];
    const signed = await signAsAgency(fixture.database.db, AGENCY.code, unsigned, { reason: 'Ký số bản sao điện tử (thử)', widgetRect: rect });
    const report = await verifyStoredTrust(fixture.database.db, signed);
    expect(report).toMatchObject({ valid: true, reason: 'Ký số bản sao điện tử (thử)', signer: { agencyCode: AGENCY.code } });
    const { widgets } = await pageOne(signed);
    expect(widgets.map((widget) => widget.rect.map(Math.round))).toContainEqual(rect);
  });
});

describe('the PDF pool keeps the API answering (server/workers/pdf-pool.ts)', () => {
  const BURST = 24;
  let counted: PdfPool & { asked: number };
  let api: ApiServer;
  let dossierId: string;

  beforeAll(async () => {
    const pool = createPdfPool({ maxThreads: 2, maxQueue: BURST });
    // The pool as the app uses it, counting the documents the server has asked it for.
    counted = { ...pool, limits: pool.limits, asked: 0, print: (document) => (counted.asked++, pool.print(document)) };
    api = await startApiServer(fixture.database.db, undefined, { pdfPool: counted });
    dossierId = (await dossier()).id;
  });
  afterAll(async () => {
    await api?.close();
    await counted?.destroy();
  });

  it('answers /api/health while a burst of receipts is being printed, before the burst is half done', async () => {
    let done = 0;
    const burst = Array.from({ length: BURST }, () =>
      api.fetch(`/api/dossiers/${dossierId}/notices/receipt.pdf`).then(async (response) => {
        const bytes = Buffer.from(await response.arrayBuffer());
        done++;
        return { status: response.status, bytes };
      }),
    );
    // The server has taken the burst in: more documents asked for than the pool has threads.
    await expect.poll(() => counted.asked, { timeout: 30_000, interval: 5 }).toBeGreaterThanOrEqual(8);
    const doneAtHealth: number[] = [];
    for (let probe = 0; probe < 5; probe++) {
      const health = await fetch(`${api.url}/api/health`);
      expect(health.status).toBe(200);
      doneAtHealth.push(done);
    }
    const answers = await Promise.all(burst);
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: BURST }, () => 200));
    for (const answer of answers) expect(answer.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(counted.asked).toBe(BURST);
    // Each health check was answered while most of the burst was still waiting for the pool:
    // printing on the event loop would have made them wait behind the documents ahead of them.
    expect(doneAtHealth.every((count) => count < BURST / 2), `documents done at each health answer: ${doneAtHealth.join(', ')}`).toBe(true);
  });

  it('refuses beyond its queue with 503 pdf.busy in both languages, Retry-After, and prints the rest', async () => {
    const small = createPdfPool({ maxThreads: 1, maxQueue: 1 });
    const smallApi = await startApiServer(fixture.database.db, undefined, { pdfPool: small });
    try {
      const responses = await Promise.all(Array.from({ length: 6 }, () => smallApi.fetch(`/api/dossiers/${dossierId}/notices/receipt.pdf`)));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
      const refused = responses.filter((response) => response.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
      for (const response of refused) {
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        const problem = (await response.json()) as { code: string; messages: { vi: string; en: string } };
        expect(problem.code).toBe('pdf.busy');
        expect(problem.messages.vi).toContain('Máy chủ đang bận');
        expect(problem.messages.en).toContain('busy');
      }
    } finally {
      await smallApi.close();
      await small.destroy();
    }
  });
});
