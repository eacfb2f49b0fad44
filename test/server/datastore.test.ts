import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { BIRTH_CHILD } from '../support/birth-application.ts';
import { BIRTH_CERTIFICATE, BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { callAs, type Credentials } from '../support/identities.ts';

/**
 * The e-data store (issue 12, docs/datastore.md; Circular 01 Art. 24, Decree 45 Art. 16) over the
 * HTTP API on the real database: the owner's sections, what an official of the handling agency
 * sees and of another agency does not (Art. 24.3), the audit of their reads, and the reuse of a
 * stored, valid document in a second dossier without an upload (Decree 45 Art. 4.4, 16.4).
 * The digitized documents are written as the digitization step leaves them once confirmed
 * (test/server/digitization.test.ts runs that step with real OCR).
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const HOLDER = '001099054321';
/** The signed copy as stored; a reused component must carry exactly these bytes. */
const SIGNED_COPY = Buffer.from('%PDF-1.7\n% bản sao điện tử đã ký — giấy chứng sinh\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let citizen: Credentials;
let otherCitizen: Credentials;
let officialXa: Credentials;
let officialTinh: Credentials;
let officialBo: Credentials;
let staff: Credentials;
let first: { id: string; code: string };
let provinceDossierId: string;
let validDocument: string;
let expiredDocument: string;
let marriageDocument: string;
let othersDocument: string;

const metadata = (over: Record<string, string | null>) => ({
  documentTypeCode: 'GCS', holderId: HOLDER, holderName: 'Trần Thị Bình', holderBornOn: null, documentName: BIRTH_CERTIFICATE, numberSymbol: '15/GCS',
  issuedOn: '2026-11-02', issuingAgency: 'Bệnh viện Phụ sản Hà Nội', synopsis: 'Giấy chứng sinh', validUntil: null, validityScope: null, ...over,
});

async function confirmedDocument(dossierId: string, componentName: string, meta: ReturnType<typeof metadata>, confirmedAt: Date): Promise<string> {
  const [row] = await fixture.database.db('digitizations')
    .insert({
      dossier_id: dossierId, component_name: componentName, document_kind: 'original', status: 'confirmed', paper_pages: 1, created_by: 'account:motcua.xa', copier_name: 'Cán bộ Một cửa',
      signed_pdf: SIGNED_COPY, signed_at: confirmedAt, metadata: JSON.stringify(meta), code: `${meta.holderId}.${meta.documentTypeCode}.${meta.numberSymbol}`, confirmed_by: 'account:motcua.xa', confirmed_by_name: 'Cán bộ Một cửa', confirmed_at: confirmedAt,
    })
    .returning<Array<{ id: string }>>('id');
  return row!.id;
}

const count = async (table: string) => Number((await fixture.database.db(table).count<Array<{ n: string }>>({ n: '*' }))[0]!.n);

beforeAll(async () => {
  const { db } = fixture.database;
  await createDemoData(db, pino({ level: 'silent' }));
  [citizen, otherCitizen, officialXa, officialTinh, officialBo, staff] = await Promise.all([HOLDER, '001099012345', 'motcua.xa', 'motcua.tinh', 'motcua.bo', 'kiemsoat'].map((name) => signInDemo(fixture.api, name))) as [Credentials, Credentials, Credentials, Credentials, Credentials, Credentials];
  first = await submitBirthDossier(fixture.api, citizen);
  const others = await submitBirthDossier(fixture.api, otherCitizen);
  // A dossier of the same holder at the province's centre (another procedure, written as the engine leaves one).
  const started = await callApi(fixture.api, 'POST', `/api/definitions/${BIRTH_PROCEDURE}/instances`, { variables: {} });
  expect(started.status).toBe(201);
  const owner = await db('accounts').where({ username: HOLDER }).first<{ id: string }>('id');
  const firstRow = await db('dossiers').where({ id: first.id }).first<{ definition_id: string }>('definition_id');
  const [province] = await db('dossiers')
    .insert({ instance_id: started.body.id, definition_id: firstRow.definition_id, procedure_key: 'Process_ket_hon_thu', procedure_name: 'Đăng ký kết hôn (thử)', owner_account_id: owner.id, applicant_name: 'Trần Thị Bình', applicant_id: HOLDER, agency_code: 'DEMO.02.H01', code: 'DEMO.02.H01-261206-9001', status: 'received', submitted_at: new Date(), receipt_due_at: new Date(Date.now() + 8 * 3600_000), received_at: new Date() })
    .returning<Array<{ id: string }>>('id');
  provinceDossierId = province!.id;
  validDocument = await confirmedDocument(first.id, BIRTH_CERTIFICATE, metadata({ validUntil: '2099-12-31' }), new Date('2026-12-01T03:00:00Z'));
  expiredDocument = await confirmedDocument(first.id, BIRTH_CERTIFICATE, metadata({ numberSymbol: '07/GCS', validUntil: '2020-01-01' }), new Date('2026-11-01T03:00:00Z'));
  marriageDocument = await confirmedDocument(provinceDossierId, 'Giấy xác nhận tình trạng hôn nhân', metadata({ documentTypeCode: 'XNHN', documentName: 'Giấy xác nhận tình trạng hôn nhân', numberSymbol: '88/XNHN' }), new Date('2026-12-02T03:00:00Z'));
  othersDocument = await confirmedDocument(others.id, BIRTH_CERTIFICATE, metadata({ holderId: '001099012345', holderName: 'Nguyễn Văn An', numberSymbol: '99/GCS' }), new Date('2026-12-03T03:00:00Z'));
}, 120_000);

const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);

describe('the owner reads their whole store (Circular 01 Art. 24.2 a–g)', () => {
  it('shows the identity, dossiers, documents with validity, uploads and results, paged', async () => {
    const own = await callAs(fixture.api, citizen, 'GET', '/api/datastore');
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ reader: 'owner', identity: expect.objectContaining({ holderKind: 'person', holderId: HOLDER, fullName: 'Trần Thị Bình', dateOfBirth: '1995-09-02', phone: '0987654321', assuranceLevel: 2 }) });

    const dossiers = await callAs(fixture.api, citizen, 'GET', '/api/datastore/dossiers');
    expect(dossiers.body.total).toBe(2);
    expect(dossiers.body.items.map((d: { code: string }) => d.code).sort()).toEqual([first.code, 'DEMO.02.H01-261206-9001'].sort());

    const documents = await callAs(fixture.api, citizen, 'GET', '/api/datastore/documents?limit=2');
    expect(documents.status).toBe(200);
    expect(documents.body.total).toBe(3);
    expect(ids(documents.body)).toEqual([marriageDocument, validDocument]);
    expect(documents.body.items[1]).toMatchObject({ code: `${HOLDER}.GCS.15/GCS`, validUntil: '2099-12-31', valid: true, name: BIRTH_CERTIFICATE, dossier: { id: first.id } });
    const rest = await callAs(fixture.api, citizen, 'GET', `/api/datastore/documents?limit=2&cursor=${documents.body.next}`);
    expect(rest.body.items).toEqual([expect.objectContaining({ id: expiredDocument, valid: false, validUntil: '2020-01-01' })]);
    expect(rest.body.next).toBeNull();

    const uploads = await callAs(fixture.api, citizen, 'GET', `/api/datastore/holders/${HOLDER}/uploads`);
    expect(uploads.body.items).toEqual([expect.objectContaining({ name: BIRTH_CERTIFICATE, fileName: 'giay-chung-sinh.pdf', storedFrom: null, dossier: { id: first.id, code: first.code } })]);
    expect((await callAs(fixture.api, citizen, 'GET', '/api/datastore/results')).body).toEqual({ items: [], next: null, total: 0 });
    // The owner's reads are theirs: nothing audited.
    expect(await fixture.database.db('audit_log').where({ target: HOLDER }).whereLike('actor', `%${HOLDER}`).first()).toBeUndefined();
  });

  it('refuses a section that is not one, and a bad cursor, with 400 naming the field', async () => {
    const bad = await callAs(fixture.api, citizen, 'GET', '/api/datastore/passwords');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('params.section');
    const cursor = await callAs(fixture.api, citizen, 'GET', '/api/datastore/documents?cursor=abc');
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].field).toBe('query.cursor');
  });
});

describe("officials see only what Art. 24.3's hierarchy gives them", () => {
  it('the commune official handling the birth dossier sees that dossier and its documents, not the province dossier nor contact details; audited', async () => {
    const holder = await callAs(fixture.api, officialXa, 'GET', `/api/datastore/holders/${HOLDER}`);
    expect(holder.status).toBe(200);
    expect(holder.body).toEqual({ reader: 'official', identity: { holderKind: 'person', holderId: HOLDER, fullName: 'Trần Thị Bình', dateOfBirth: '1995-09-02' } });
    const dossiers = await callAs(fixture.api, officialXa, 'GET', `/api/datastore/holders/${HOLDER}/dossiers`);
    expect(dossiers.body.items.map((d: { id: string }) => d.id)).toEqual([first.id]);
    const documents = await callAs(fixture.api, officialXa, 'GET', `/api/datastore/holders/${HOLDER}/documents`);
    expect(ids(documents.body).sort()).toEqual([validDocument, expiredDocument].sort());
    const audited = await fixture.database.db('audit_log').where({ actor: 'account:motcua.xa', target: HOLDER }).orderBy('id').select<Array<{ action: string; status: number; detail: { section: string; agencies: string[] } }>>('action', 'status', 'detail');
    expect(audited.map((row) => [row.action, row.status, row.detail.section])).toEqual([
      [`GET /api/datastore/holders/${HOLDER}`, 200, 'identity'],
      [`GET /api/datastore/holders/${HOLDER}/dossiers`, 200, 'dossiers'],
      [`GET /api/datastore/holders/${HOLDER}/documents`, 200, 'documents'],
    ]);
    expect(audited[0]!.detail.agencies).toEqual(['DEMO.01.H01']);
  });

  it("the province official sees the province dossier's document only, not the birth certificate its procedure does not need", async () => {
    const documents = await callAs(fixture.api, officialTinh, 'GET', `/api/datastore/holders/${HOLDER}/documents`);
    expect(documents.status).toBe(200);
    expect(ids(documents.body)).toEqual([marriageDocument]);
    expect(ids((await callAs(fixture.api, officialTinh, 'GET', `/api/datastore/holders/${HOLDER}/uploads`)).body)).toEqual([]);
  });

  it('an official of an agency with no dossier of the holder gets 404 naming Art. 24.3, another citizen 404; staff 403; anonymous 401; the refusals audited', async () => {
    for (const path of [`/api/datastore/holders/${HOLDER}`, `/api/datastore/holders/${HOLDER}/documents`, `/api/datastore/holders/${HOLDER}/dossiers`]) {
      const bo = await callAs(fixture.api, officialBo, 'GET', path);
      expect(bo.status).toBe(404);
      expect(bo.body.code).toBe('datastore.outside-hierarchy');
      expect((await callAs(fixture.api, otherCitizen, 'GET', path)).status).toBe(404);
      expect((await callAs(fixture.api, staff, 'GET', path)).status).toBe(403);
      expect((await callAs(fixture.api, null, 'GET', path)).status).toBe(401);
    }
    expect((await callAs(fixture.api, officialBo, 'GET', '/api/datastore/documents')).status).toBe(403);
    const refused = await fixture.database.db('audit_log').where({ actor: 'account:motcua.bo', target: HOLDER }).select<Array<{ status: number }>>('status');
    expect(refused.map((row) => row.status)).toEqual([404, 404, 404]);
  });
});

describe('reuse of a stored, valid document (Decree 45 Art. 4.4, 16.4)', () => {
  const submit = (who: Credentials, form: { body: { form: { version: number }; prefill: { values: Record<string, unknown> } } }, component: Record<string, unknown>) =>
    callAs(fixture.api, who, 'POST', '/api/dossiers', { procedureKey: BIRTH_PROCEDURE, formVersion: form.body.form.version, data: { ...form.body.prefill.values, ...BIRTH_CHILD }, components: [{ name: BIRTH_CERTIFICATE, ...component }] });

  it('the form offers the valid document and not the expired one; another applicant is offered only theirs', async () => {
    const form = await callAs(fixture.api, citizen, 'GET', `/api/portal/procedures/${BIRTH_PROCEDURE}/form`);
    expect(form.status).toBe(200);
    const slot = form.body.components.find((component: { name: string }) => component.name === BIRTH_CERTIFICATE);
    expect(slot.stored).toEqual([{ id: validDocument, name: BIRTH_CERTIFICATE, code: `${HOLDER}.GCS.15/GCS`, validUntil: '2099-12-31', issuedOn: '2026-11-02', issuingAgency: 'Bệnh viện Phụ sản Hà Nội' }]);
    const others = await callAs(fixture.api, otherCitizen, 'GET', `/api/portal/procedures/${BIRTH_PROCEDURE}/form`);
    expect(others.body.components.find((component: { name: string }) => component.name === BIRTH_CERTIFICATE).stored.map((offer: { id: string }) => offer.id)).toEqual([othersDocument]);
  });

  it("refuses another's document (404), an expired one (422), a malformed id (400), each naming the field, storing nothing", async () => {
    const form = await callAs(fixture.api, citizen, 'GET', `/api/portal/procedures/${BIRTH_PROCEDURE}/form`);
    const before = [await count('dossiers'), await count('dossier_components')];
    const others = await submit(citizen, form, { storedDocumentId: othersDocument });
    expect(others.status).toBe(404);
    expect(others.body).toMatchObject({ code: 'datastore.document-not-found', errors: [{ field: 'body.components[0].storedDocumentId' }] });
    const expired = await submit(citizen, form, { storedDocumentId: expiredDocument });
    expect(expired.status).toBe(422);
    expect(expired.body).toMatchObject({ code: 'datastore.document-expired', errors: [{ field: 'body.components[0].storedDocumentId', message: 'expired on 2020-01-01' }] });
    expect(expired.body.title ?? expired.body.detail).toBeTruthy();
    const malformed = await submit(citizen, form, { storedDocumentId: 'not-an-id' });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body.errors)).toContain('body.components.0.storedDocumentId');
    // A document of the store for another component is not this one's.
    const elsewhere = await submit(citizen, form, { storedDocumentId: marriageDocument });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toMatchObject({ code: 'datastore.document-wrong-type', errors: [{ field: 'body.components[0].storedDocumentId' }] });
    expect([await count('dossiers'), await count('dossier_components')]).toEqual(before);
  });

  it('a second dossier takes the stored document without an upload: the signed copy is linked, recorded and in the store', async () => {
    const form = await callAs(fixture.api, citizen, 'GET', `/api/portal/procedures/${BIRTH_PROCEDURE}/form`);
    const second = await submit(citizen, form, { storedDocumentId: validDocument });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const dossierId = second.body.dossier.id as string;
    expect(second.body.dossier.components).toEqual([expect.objectContaining({ name: BIRTH_CERTIFICATE, fileName: `${HOLDER}.GCS.15-GCS.pdf`, mediaType: 'application/pdf', size: SIGNED_COPY.length })]);
    const stored = await fixture.database.db('dossier_components').where({ dossier_id: dossierId }).first<{ content: Buffer; stored_from: string }>('content', 'stored_from');
    expect(stored.stored_from).toBe(validDocument);
    expect(stored.content.equals(SIGNED_COPY)).toBe(true);
    const file = await callAs(fixture.api, citizen, 'GET', `/api/dossiers/${dossierId}/components/${second.body.dossier.components[0].id}`);
    expect(file.status).toBe(200);
    const submitted = second.body.dossier.history.find((event: { kind: string }) => event.kind === 'submitted');
    expect(submitted.details.fromStore).toEqual([{ name: BIRTH_CERTIFICATE, storedDocumentId: validDocument }]);
    const uploads = await callAs(fixture.api, citizen, 'GET', '/api/datastore/uploads');
    expect(uploads.body.items[0]).toMatchObject({ dossier: { id: dossierId }, storedFrom: validDocument });
  });
});
