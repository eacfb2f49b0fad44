import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgency } from '../../server/identity/agencies.ts';
import { createDemoData } from '../../server/identity/demo.ts';
import { onePagePdf } from '../support/signed-pdf.ts';
import { signAsAgency } from '../../server/signatures/sign-pdf.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { BIRTH_CHILD } from '../support/birth-application.ts';
import { BIRTH_CERTIFICATE, BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { callAs, type Credentials } from '../support/identities.ts';

// Keys are encrypted with the passphrase of DATA_DIR: this test's own (server/signatures/key-passphrase.ts).
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'quytrinh-datastore-sections-'));

/**
 * Every section of Circular 01 Art. 24.2 in the owner's e-data store (docs/datastore.md), over the
 * HTTP API on the real database: identity (a), dossiers with their history (b, c), certified
 * e-copies (dd) apart from the other digitized documents (e), the files the holder uploaded with
 * their real digital signature as verified on receipt (g); what an official outside the access
 * hierarchy (Art. 24.3) and another citizen get (nothing); the `datastore.lookup` step reading the
 * digitized documents (by holder ID and type code, still valid); an amendment reusing a stored
 * document (Decree 45 Art. 4.4, 16.4) with the same checks as a submission.
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const HOLDER = '001099054321';
const OTHER = '001099012345';
const CHILD = '001226000777';
const HOSPITAL = { code: '000.00.77.H26', name: 'Bệnh viện Đa khoa huyện Tân Lập' };
const SIGNED_COPY = Buffer.from('%PDF-1.7\n% bản sao điện tử đã ký\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let citizen: Credentials;
let otherCitizen: Credentials;
let officialXa: Credentials;
let officialBo: Credentials;
let signedDossier: { id: string; code: string; instanceId: string };
let laterDossier: { id: string; code: string; instanceId: string };
const docs: Record<'valid' | 'expired' | 'copy' | 'marriage' | 'child' | 'others', string> = { valid: '', expired: '', copy: '', marriage: '', child: '', others: '' };


const metadata = (over: Record<string, string | null>) => ({
  documentTypeCode: 'GCS', holderId: HOLDER, holderName: 'Trần Thị Bình', holderBornOn: null, documentName: BIRTH_CERTIFICATE, numberSymbol: '15/GCS',
  issuedOn: '2026-11-02', issuingAgency: 'Bệnh viện Phụ sản Hà Nội', synopsis: 'Giấy chứng sinh', validUntil: null, validityScope: null, ...over,
});

/** A digitization as the digitization step leaves it once confirmed (test/server/digitization.test.ts runs that step). */
async function confirmedDocument(dossierId: string, componentName: string, kind: string, meta: ReturnType<typeof metadata>, confirmedAt: Date): Promise<string> {
  const [row] = await fixture.database.db('digitizations')
    .insert({
      dossier_id: dossierId, component_name: componentName, document_kind: kind, status: 'confirmed', paper_pages: 1, created_by: 'account:motcua.xa', copier_name: 'Cán bộ Một cửa',
      signed_pdf: SIGNED_COPY, signed_at: confirmedAt, metadata: JSON.stringify(meta), code: `${meta.holderId}.${meta.documentTypeCode}.${meta.numberSymbol}`, confirmed_by: 'account:motcua.xa', confirmed_by_name: 'Cán bộ Một cửa', confirmed_at: confirmedAt,
    })
    .returning<Array<{ id: string }>>('id');
  return row!.id;
}

const count = async (table: string) => Number((await fixture.database.db(table).count<Array<{ n: string }>>({ n: '*' }))[0]!.n);
const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);

beforeAll(async () => {
  const { db } = fixture.database;
  await createDemoData(db, pino({ level: 'silent' }));
  await createAgency(db, HOSPITAL);
  [citizen, otherCitizen, officialXa, officialBo] = (await Promise.all([HOLDER, OTHER, 'motcua.xa', 'motcua.bo'].map((name) => signInDemo(fixture.api, name)))) as [Credentials, Credentials, Credentials, Credentials];
  // The first dossier carries a birth certificate the hospital signed with its key (Decree 45 Art. 11.2.b).
  const signed = await signAsAgency(db, HOSPITAL.code, await onePagePdf('Giấy chứng sinh số 77/2026'), { reason: 'Cấp giấy chứng sinh' });
  const form = await callAs(fixture.api, citizen, 'GET', `/api/portal/procedures/${BIRTH_PROCEDURE}/form`);
  const submitted = await callAs(fixture.api, citizen, 'POST', '/api/dossiers', {
    procedureKey: BIRTH_PROCEDURE, formVersion: form.body.form.version, data: { ...form.body.prefill.values, ...BIRTH_CHILD },
    components: [{ name: BIRTH_CERTIFICATE, fileName: 'giay-chung-sinh-ky-so.pdf', mediaType: 'application/pdf', contentBase64: signed.toString('base64') }],
  });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  signedDossier = { id: submitted.body.dossier.id, code: submitted.body.dossier.code, instanceId: submitted.body.dossier.instanceId };
  const others = await submitBirthDossier(fixture.api, otherCitizen);

  docs.valid = await confirmedDocument(signedDossier.id, BIRTH_CERTIFICATE, 'original', metadata({ validUntil: '2099-12-31' }), new Date('2026-12-01T03:00:00Z'));
  docs.expired = await confirmedDocument(signedDossier.id, BIRTH_CERTIFICATE, 'original', metadata({ numberSymbol: '07/GCS', validUntil: '2020-01-01' }), new Date('2026-11-01T03:00:00Z'));
  docs.copy = await confirmedDocument(signedDossier.id, 'Bản sao Giấy khai sinh của mẹ', 'certified-electronic-copy', metadata({ documentTypeCode: 'GKS', documentName: 'Giấy khai sinh', numberSymbol: '123/GKS', issuedOn: '1995-09-10', issuingAgency: 'UBND phường Hàng Bạc' }), new Date('2026-12-02T03:00:00Z'));
  docs.marriage = await confirmedDocument(signedDossier.id, 'Giấy xác nhận tình trạng hôn nhân', 'original', metadata({ documentTypeCode: 'XNHN', documentName: 'Giấy xác nhận tình trạng hôn nhân', numberSymbol: '88/XNHN' }), new Date('2026-12-03T03:00:00Z'));
  docs.child = await confirmedDocument(signedDossier.id, BIRTH_CERTIFICATE, 'original', metadata({ holderId: CHILD, holderName: 'Nguyễn Minh Khôi', numberSymbol: '16/GCS' }), new Date('2026-12-04T03:00:00Z'));
  docs.others = await confirmedDocument(others.id, BIRTH_CERTIFICATE, 'original', metadata({ holderId: OTHER, holderName: 'Nguyễn Văn An', numberSymbol: '99/GCS' }), new Date('2026-12-05T03:00:00Z'));
  // Submitted once the documents are in the store: its datastore.lookup step reads them.
  laterDossier = await submitBirthDossier(fixture.api, citizen);
}, 120_000);

describe("the owner's store, one section per point of Circular 01 Art. 24.2", () => {
  it('a) the identity the account holds: name, ID number, date of birth, assurance level and how it was established', async () => {
    const own = await callAs(fixture.api, citizen, 'GET', '/api/datastore');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ reader: 'owner', identity: { holderKind: 'person', holderId: HOLDER, fullName: 'Trần Thị Bình', dateOfBirth: '1995-09-02', assuranceLevel: 2, identifiedBy: 'demo' } });
  });

  it('b), c) each dossier with its code, procedure, status and history, paged newest first', async () => {
    const firstPage = await callAs(fixture.api, citizen, 'GET', '/api/datastore/dossiers?limit=1');
    expect(firstPage.status).toBe(200);
    expect(firstPage.body.total).toBe(2);
    const [later] = firstPage.body.items;
    expect(later).toMatchObject({ id: laterDossier.id, code: laterDossier.code, procedure: { key: BIRTH_PROCEDURE }, status: expect.any(String), statusText: { vi: expect.any(String), en: expect.any(String) } });
    expect(later.history[0]).toMatchObject({ kind: 'submitted', text: { vi: 'Hệ thống đã nhận hồ sơ (thời điểm tiếp nhận chính thức)' } });
    const rest = await callAs(fixture.api, citizen, 'GET', `/api/datastore/dossiers?limit=1&cursor=${encodeURIComponent(firstPage.body.next)}`);
    expect(ids(rest.body)).toEqual([signedDossier.id]);
    expect(rest.body.next).toBeNull();
    // The history is the dossier's own: the same events its view shows, in order.
    const view = await callAs(fixture.api, citizen, 'GET', `/api/dossiers/${signedDossier.id}`);
    expect(rest.body.items[0].history.map((event: { kind: string }) => event.kind)).toEqual(view.body.history.map((event: { kind: string }) => event.kind));
  });

  it('dd) the certified e-copies apart, with their Art. 9.2 metadata and Art. 10 code; e) the other digitized documents without them', async () => {
    const copies = await callAs(fixture.api, citizen, 'GET', '/api/datastore/copies');
    expect(copies.status).toBe(200);
    expect(copies.body).toMatchObject({ total: 1, next: null });
    expect(copies.body.items[0]).toMatchObject({ id: docs.copy, documentKind: 'certified-electronic-copy', code: `${HOLDER}.GKS.123/GKS`, valid: true, metadata: { documentName: 'Giấy khai sinh', issuingAgency: 'UBND phường Hàng Bạc', issuedOn: '1995-09-10' } });
    const documents = await callAs(fixture.api, citizen, 'GET', '/api/datastore/documents');
    expect(ids(documents.body)).toEqual([docs.child, docs.marriage, docs.valid, docs.expired]);
  });

  it("g) the files they uploaded, each with its signature as verified on receipt (the hospital's, valid; none on an unsigned one)", async () => {
    const uploads = await callAs(fixture.api, citizen, 'GET', '/api/datastore/uploads');
    expect(uploads.status).toBe(200);
    const byDossier = new Map(uploads.body.items.map((item: { dossier: { id: string } }) => [item.dossier.id, item]));
    expect(byDossier.get(signedDossier.id)).toMatchObject({ fileName: 'giay-chung-sinh-ky-so.pdf', signature: { valid: true, problems: [], signer: { agencyCode: HOSPITAL.code } } });
    expect(byDossier.get(laterDossier.id)).toMatchObject({ fileName: 'giay-chung-sinh.pdf', signature: null });
  });

  it('refuses a section that is not one, a cursor of another section and a malformed holder id, with 400 naming the field', async () => {
    const documents = await callAs(fixture.api, citizen, 'GET', '/api/datastore/documents?limit=1');
    const crossed = await callAs(fixture.api, citizen, 'GET', `/api/datastore/copies?cursor=${encodeURIComponent(documents.body.next)}`);
    expect(crossed.status).toBe(400);
    expect(crossed.body.errors[0].field).toBe('query.cursor');
    const section = await callAs(fixture.api, citizen, 'GET', `/api/datastore/holders/${HOLDER}/identity-cards`);
    expect(section.status).toBe(400);
    expect(section.body.errors[0].field).toBe('params.section');
    const holder = await callAs(fixture.api, citizen, 'GET', '/api/datastore/holders/001099%20054321/copies');
    expect(holder.status).toBe(400);
    expect(holder.body.errors[0].field).toBe('params.holderId');
    const limit = await callAs(fixture.api, citizen, 'GET', '/api/datastore/uploads?limit=0');
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0].field).toBe('query.limit');
  });
});

describe('who else reads it (Art. 24.3)', () => {
  const sections = ['', '/dossiers', '/results', '/copies', '/documents', '/uploads'];
  const leaks = (body: unknown) => {
    const text = JSON.stringify(body);
    return ['Trần Thị Bình', '1995-09-02', signedDossier.code, 'GKS', 'giay-chung-sinh'].filter((secret) => text.includes(secret));
  };

  it('an official of an agency handling no dossier of the holder: 404 (Art. 24.3) on every section, nothing leaked, each refusal audited', async () => {
    const before = await fixture.database.db('audit_log').where({ actor: 'account:motcua.bo', target: HOLDER }).count<Array<{ n: string }>>({ n: '*' });
    for (const section of sections) {
      const refused = await callAs(fixture.api, officialBo, 'GET', `/api/datastore/holders/${HOLDER}${section}`);
      expect(refused.status, section).toBe(404);
      expect(refused.body.code).toBe('datastore.outside-hierarchy');
      expect(leaks(refused.body)).toEqual([]);
    }
    // The same answer for a holder who has no account: the refusal does not tell whether one exists.
    const nobody = await callAs(fixture.api, officialBo, 'GET', '/api/datastore/holders/001000000000/copies');
    expect([nobody.status, nobody.body.code]).toEqual([404, 'datastore.outside-hierarchy']);
    const audited = await fixture.database.db('audit_log').where({ actor: 'account:motcua.bo', target: HOLDER }).orderBy('id').select<Array<{ status: number; detail: { read: string; section: string } }>>('status', 'detail');
    expect(audited.length - Number(before[0]!.n)).toBe(sections.length);
    expect(audited.slice(-sections.length).map((row) => [row.status, row.detail.read, row.detail.section])).toEqual(['identity', 'dossiers', 'results', 'copies', 'documents', 'uploads'].map((section) => [404, 'datastore', section]));
  });

  it('the handling official reads the copies and uploads of the dossier their agency handles, audited by section', async () => {
    const copies = await callAs(fixture.api, officialXa, 'GET', `/api/datastore/holders/${HOLDER}/copies`);
    expect(copies.status).toBe(200);
    expect(ids(copies.body)).toEqual([docs.copy]);
    const uploads = await callAs(fixture.api, officialXa, 'GET', `/api/datastore/holders/${HOLDER}/uploads`);
    expect(uploads.body.items.length).toBe(2);
    const audited = await fixture.database.db('audit_log').where({ actor: 'account:motcua.xa', target: HOLDER }).orderBy('id').select<Array<{ status: number; detail: { section: string } }>>('status', 'detail');
    expect(audited.map((row) => [row.status, row.detail.section])).toEqual([[200, 'copies'], [200, 'uploads']]);
  });

  it("a citizen cannot read another's store: 404 on every section, nothing leaked; their own store holds none of it", async () => {
    for (const section of sections) {
      const refused = await callAs(fixture.api, otherCitizen, 'GET', `/api/datastore/holders/${HOLDER}${section}`);
      expect(refused.status, section).toBe(404);
      expect(leaks(refused.body)).toEqual([]);
    }
    const own = await callAs(fixture.api, otherCitizen, 'GET', '/api/datastore/documents');
    expect(ids(own.body)).toEqual([docs.others]);
    expect((await callAs(fixture.api, otherCitizen, 'GET', '/api/datastore/copies')).body.items).toEqual([]);
  });
});

describe('datastore.lookup reads the digitized documents of the store', () => {
  it("gives the applicant's own documents still valid by type code: not the expired one, not the child's, not another's", async () => {
    const { db } = fixture.database;
    const doiChieu = async () => (await db('process_instances').where({ id: laterDossier.instanceId }).first<{ variables: { doiChieu?: { giayToTrongKho: Record<string, Array<{ ma: string; loaiBan: string; hieuLucDen: string | null }>> } } }>('variables')).variables.doiChieu;
    await expect.poll(doiChieu, { timeout: 30_000, interval: 300 }).toBeDefined();
    const stored = (await doiChieu())!.giayToTrongKho;
    expect(Object.keys(stored).sort()).toEqual(['GCS', 'GKS', 'XNHN']);
    expect(stored.GCS!.map((document) => document.ma)).toEqual([`${HOLDER}.GCS.15/GCS`]);
    expect(stored.GKS).toEqual([expect.objectContaining({ ma: `${HOLDER}.GKS.123/GKS`, loaiBan: 'certified-electronic-copy', hieuLucDen: null })]);
    const verified = await db('dossier_events').where({ dossier_id: laterDossier.id, kind: 'data-verified' }).first<{ details: { storedDocuments: number } }>('details');
    expect(verified.details.storedDocuments).toBe(3);
  });
});

describe('an amendment reuses a stored document (Decree 45 Art. 4.4, 12, 16.4)', () => {
  it("refuses another's (404), an expired (422) and a wrong-type document (422), naming the field and storing nothing; then takes a valid one", async () => {
    const { db } = fixture.database;
    await expect.poll(async () => (await callAs(fixture.api, officialXa, 'POST', `/api/dossiers/${signedDossier.id}/request-amendment`, { items: ['Tải lại giấy chứng sinh'] })).status, { timeout: 30_000, interval: 300 }).toBe(200);
    const { data } = (await callAs(fixture.api, citizen, 'GET', `/api/dossiers/${signedDossier.id}`)).body;
    const amend = (storedDocumentId: string) => callAs(fixture.api, citizen, 'POST', `/api/dossiers/${signedDossier.id}/amend`, { data, components: [{ name: BIRTH_CERTIFICATE, storedDocumentId }] });
    const before = await count('dossier_components');
    const amendedEvents = () => db('dossier_events').where({ dossier_id: signedDossier.id, kind: 'amended' }).select('id');
    // The applicant's amendment step opens once the workers have told them (409 until then).
    let others: Awaited<ReturnType<typeof amend>> | undefined;
    await expect.poll(async () => (others = await amend(docs.others)).status, { timeout: 30_000, interval: 300 }).toBe(404);
    expect(others!.body).toMatchObject({ code: 'datastore.document-not-found', errors: [{ field: 'body.components[0].storedDocumentId' }] });
    const expired = await amend(docs.expired);
    expect(expired.status).toBe(422);
    expect(expired.body).toMatchObject({ code: 'datastore.document-expired', errors: [{ field: 'body.components[0].storedDocumentId', message: 'expired on 2020-01-01' }] });
    const wrongType = await amend(docs.marriage);
    expect(wrongType.status).toBe(422);
    expect(wrongType.body).toMatchObject({ code: 'datastore.document-wrong-type', errors: [{ field: 'body.components[0].storedDocumentId' }] });
    expect(wrongType.body.title).toContain('Giấy xác nhận tình trạng hôn nhân');
    const malformed = await amend('42');
    expect(malformed.status).toBe(400);
    expect(await count('dossier_components')).toBe(before);
    expect(await amendedEvents()).toEqual([]);
    expect((await db('dossiers').where({ id: signedDossier.id }).first<{ status: string }>('status')).status).toBe('amendment-requested');

    const amended = await amend(docs.valid);
    expect(amended.status, JSON.stringify(amended.body)).toBe(200);
    expect(amended.body.components).toEqual([expect.objectContaining({ name: BIRTH_CERTIFICATE, fileName: `${HOLDER}.GCS.15-GCS.pdf`, size: SIGNED_COPY.length })]);
    const stored = await db('dossier_components').where({ dossier_id: signedDossier.id }).whereNull('superseded_at').first<{ stored_from: string; content: Buffer }>('stored_from', 'content');
    expect(stored.stored_from).toBe(docs.valid);
    expect(stored.content.equals(SIGNED_COPY)).toBe(true);
    const event = amended.body.history.find((line: { kind: string }) => line.kind === 'amended');
    expect(event.details.fromStore).toEqual([{ name: BIRTH_CERTIFICATE, storedDocumentId: docs.valid }]);
  });
});
