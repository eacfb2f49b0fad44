import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ocrAvailable } from '../support/ocr.ts';
import { pdfPageImages } from '../../server/digitization/pdf-images.ts';
import { closeOcrPool } from '../../server/digitization/ocr-pool.ts';
import { runDigitizationOcr } from '../../server/digitization/ocr-job.ts';
import { pdfBytes } from '../../server/printing/pdf-document.ts';
import { verifyStoredTrust } from '../../server/signatures/verify-pdf.ts';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { AGENCY_X, AGENCY_Y, callAs, createPerson, createTwoAgencies, sessionOf, type Credentials } from '../support/identities.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { pdfText } from '../support/restructuring.ts';

// The agency's signing key is encrypted with this test's DATA_DIR passphrase (server/signatures/key-passphrase.ts).
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'quytrinh-digitization-'));

const fixture = (name: string) => readFileSync(new URL(`../fixtures/digitization/${name}`, import.meta.url));
const PAGE_1 = fixture('birth-certificate-p1.png');
const PAGE_2_JPEG = fixture('birth-certificate-p2.jpg');
const PAGE_2_PNG = fixture('birth-certificate-p2.png');
const file = (fileName: string, mediaType: string, content: Buffer) => ({ fileName, mediaType, contentBase64: content.toString('base64') });

const context = useApiOverTestDatabase();
useJobRunner(context);

let dossierId: string;
let officialX: Credentials;
let officialY: Credentials;
let owner: Credentials;
let otherCitizen: Credentials;

const base = () => `/api/dossiers/${dossierId}/digitizations`;
const stored = async () => Number((await context.database.db('digitizations').count<Array<{ count: string }>>({ count: '*' }))[0]!.count);
const storedPages = async () => Number((await context.database.db('digitization_pages').count<Array<{ count: string }>>({ count: '*' }))[0]!.count);

/**
 * A large POST on a connection of its own: a pooled keep-alive connection the server is closing at
 * that moment (idle 5 s, timers late on a loaded machine) resets a 14 MB upload mid-way.
 */
function postOnNewConnection(route: string, who: { cookie: string; csrf: string }, body: unknown): Promise<{ status: number; body: any }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(`${context.api.url}${route}`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': data.length, cookie: who.cookie, 'x-csrf-token': who.csrf } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    request.on('error', reject);
    request.end(data);
  });
}

/** Polls the digitization as the API shows it until `done` holds (OCR runs on the job queue). */
async function waitFor(who: Credentials, id: string, done: (view: any) => boolean): Promise<any> {
  let last = '';
  for (let i = 0; i < 600; i++) {
    const { status, body } = await callAs(context.api, who, 'GET', `${base()}/${id}`);
    expect(status).toBe(200);
    last = `${body.status} ${body.progress.pagesDone}/${body.progress.pagesTotal}`;
    if (done(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`digitization ${id} did not finish: ${last}`);
}

beforeAll(async () => {
  const { db } = context.database;
  await createTwoAgencies(db);
  officialX = await sessionOf(db, await createPerson(db, 'motcua.x', ['official'], { memberships: [{ agencyCode: AGENCY_X.code, function: 'tiep-nhan' }] }));
  officialY = await sessionOf(db, await createPerson(db, 'motcua.y', ['official'], { memberships: [{ agencyCode: AGENCY_Y.code, function: 'tiep-nhan' }] }));
  const ownerId = await createPerson(db, '001090054321', ['citizen']);
  owner = await sessionOf(db, ownerId);
  otherCitizen = await sessionOf(db, await createPerson(db, '001090011111', ['citizen']));
  const deployed = await callApi(context.api, 'POST', '/api/definitions', bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="handle"/><bpmn:endEvent id="end"/>${flows('start>handle', 'handle>end')}`, { id: 'Process_digitize', attributes: 'name="Đăng ký khai sinh (thử)"' }), 'application/xml');
  expect(deployed.status).toBe(201);
  const started = await callApi(context.api, 'POST', '/api/definitions/Process_digitize/instances', { variables: {} });
  expect(started.status).toBe(201);
  const definition = await db('process_definitions').where({ key: 'Process_digitize' }).first<{ id: string }>('id');
  const [dossier] = await db('dossiers')
    .insert({
      instance_id: started.body.id, definition_id: definition.id, procedure_key: 'Process_digitize', procedure_name: 'Đăng ký khai sinh (thử)', owner_account_id: ownerId,
      applicant_name: 'Trần Thị Mai', applicant_id: '001090054321', agency_code: AGENCY_X.code, code: `${AGENCY_X.code}-261206-0001`, status: 'received',
      submitted_at: new Date(), receipt_due_at: new Date(Date.now() + 8 * 3600_000), received_at: new Date(),
    })
    .returning<Array<{ id: string }>>('id');
  dossierId = dossier!.id;
});

afterAll(async () => {
  await closeOcrPool();
});

describe.runIf(ocrAvailable)('digitizing a paper birth certificate with real OCR (Circular 01 Art. 8–10)', () => {
  let id: string;

  it('stores the pages in order, signs the stamped copy and OCRs each page in Vietnamese through the pool, with progress', async () => {
    const created = await callAs(context.api, officialX, 'POST', base(), { componentName: 'Giấy khai sinh', documentKind: 'original', paperPages: 2, files: [file('trang-1.png', 'image/png', PAGE_1), file('trang-2.jpg', 'image/jpeg', PAGE_2_JPEG)] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'queued', paperPages: 2, copierName: 'Test motcua.x', progress: { pagesDone: 0, pagesTotal: 2 } });
    expect(created.body.progress.pages.map((page: { mediaType: string }) => page.mediaType)).toEqual(['image/png', 'image/jpeg']);
    id = created.body.id;

    const done = await waitFor(officialX, id, (view) => view.status === 'awaiting-confirmation');
    expect(done.ocrProblem).toBeNull();
    expect(done.progress).toMatchObject({ pagesDone: 2, pagesTotal: 2, fraction: 1 });
    expect(done.progress.pages[0].text).toContain('GIẤY KHAI SINH');
    expect(done.progress.pages[1].text).toContain('TRANG 2');
    const values = Object.fromEntries(Object.entries(done.suggestions as Record<string, { value: string } | null>).map(([field, suggestion]) => [field, suggestion?.value ?? null]));
    expect(values).toMatchObject({
      documentTypeCode: 'GKS',
      holderId: '001324012345',
      holderName: 'Nguyễn Thị Hồng Nhung',
      holderBornOn: '2024-03-15',
      documentName: 'Giấy khai sinh',
      numberSymbol: '125/2024/KS',
      issuedOn: '2024-03-20',
    });
    expect(values.issuingAgency).toMatch(/^Ủy ban nhân dân phường Dịch Vọng/);
    expect(done.suggestions.holderId.confidence).toBeGreaterThan(0.8);
  });

  it('takes up a job run again after a restart where it stopped: the page read stays, the signed copy is not remade', async () => {
    const { db } = context.database;
    const before = await db('digitizations').where({ id }).first<{ signed_pdf: Buffer }>('signed_pdf');
    const page1 = await db('digitization_pages').where({ digitization_id: id, n: 1 }).first<{ recognized_at: Date }>('recognized_at');
    // As a crash leaves it: page 2 half read, the job still running.
    await db('digitization_pages').where({ digitization_id: id, n: 2 }).update({ text: null, lines: null, recognized_at: null, progress: 0.4 });
    await db('digitizations').where({ id }).update({ status: 'ocr', suggestions: null });
    // What the API shows meanwhile: progress per page.
    const running = await callAs(context.api, owner, 'GET', `${base()}/${id}`);
    expect(running.body).toMatchObject({ status: 'ocr', suggestions: null, progress: { pagesDone: 1, pagesTotal: 2, fraction: 0.7 } });
    expect(running.body.progress.pages.map((page: { progress: number; recognizedAt: string | null }) => [page.progress, page.recognizedAt === null])).toEqual([[1, false], [0.4, true]]);
    await runDigitizationOcr(db, id);
    const after = await db('digitizations').where({ id }).first<{ signed_pdf: Buffer; status: string; suggestions: { holderId: { value: string } } }>('signed_pdf', 'status', 'suggestions');
    expect(after.status).toBe('awaiting-confirmation');
    expect(after.signed_pdf.equals(before.signed_pdf)).toBe(true);
    expect(after.suggestions.holderId.value).toBe('001324012345');
    expect((await db('digitization_pages').where({ digitization_id: id, n: 1 }).first<{ recognized_at: Date }>('recognized_at')).recognized_at).toEqual(page1.recognized_at);
    expect((await db('digitization_pages').where({ digitization_id: id, n: 2 }).first<{ text: string }>('text')).text).toContain('TRANG 2');
  });

  it('serves the copy stamped at the top left of page 1 and signed by the agency (Art. 8.1)', async () => {
    const response = await fetch(`${context.api.url}${base()}/${id}/copy.pdf`, { headers: { cookie: (owner as { cookie: string }).cookie } });
    expect(response.status).toBe(200);
    const pdf = Buffer.from(await response.arrayBuffer());
    const verified = await verifyStoredTrust(context.database.db, pdf);
    expect(verified.valid).toBe(true);
    expect(verified.signer?.agencyCode).toBe(AGENCY_X.code);
    expect(verified.reason).toContain('Điều 8.1');
    const text = await pdfText(new Uint8Array(pdf));
    expect(text).toContain('Người sao chụp: Test motcua.x');
    expect(text).toMatch(/Thời gian: \d{2} giờ \d{2} phút, ngày \d{2}\/\d{2}\/\d{4}/);
    expect(text).toContain('Vị trí chữ ký số');
  });

  it('has the official confirm or correct each field (Art. 9.1), refusing bad fields in both languages, and gives the Art. 10 code', async () => {
    const { db } = context.database;
    const view = (await callAs(context.api, officialX, 'GET', `${base()}/${id}`)).body;
    const metadata = Object.fromEntries(Object.entries(view.suggestions as Record<string, { value: string } | null>).map(([field, suggestion]) => [field, suggestion?.value ?? null]));

    const byApplicant = await callAs(context.api, owner, 'POST', `${base()}/${id}/confirm`, { metadata });
    expect(byApplicant.status).toBe(403);
    const bad = await callAs(context.api, officialX, 'POST', `${base()}/${id}/confirm`, { metadata: { ...metadata, holderId: '12345', issuedOn: '30/02/2024' } });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('digitization.metadata-invalid');
    expect(bad.body.errors.map((detail: { field: string }) => detail.field).sort()).toEqual(['body.metadata.holderId', 'body.metadata.issuedOn']);
    expect(bad.body.errors.find((detail: { field: string }) => detail.field === 'body.metadata.issuedOn').messages.vi).toContain('không có trong lịch');
    expect((await db('digitizations').where({ id }).first<{ status: string }>('status')).status).toBe('awaiting-confirmation');

    const confirmed = await callAs(context.api, officialX, 'POST', `${base()}/${id}/confirm`, { metadata: { ...metadata, synopsis: 'Giấy khai sinh bản chính của Nguyễn Thị Hồng Nhung', issuingAgency: 'Ủy ban nhân dân phường Dịch Vọng, thành phố Hà Nội' } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', code: '001324012345.GKS.125/2024/KS', confirmedBy: 'account:motcua.x', confirmedByName: 'Test motcua.x' });
    expect(confirmed.body.confirmation).toMatchObject({ holderId: 'confirmed', holderName: 'confirmed', synopsis: 'corrected', validUntil: 'confirmed' });
    expect(Date.now() - Date.parse(confirmed.body.confirmedAt)).toBeLessThan(60_000);
    const history = await db('dossier_events').where({ dossier_id: dossierId, kind: 'digitization-confirmed' }).first<{ actor: string; details: { code: string } }>('actor', 'details');
    expect(history).toMatchObject({ actor: 'account:motcua.x', details: { code: '001324012345.GKS.125/2024/KS' } });
    const dossier = await callAs(context.api, owner, 'GET', `/api/dossiers/${dossierId}`);
    expect(dossier.body.history.map((event: { text: { vi: string } }) => event.text.vi)).toEqual(expect.arrayContaining([
      'Số hóa "Giấy khai sinh": bản quét 2 trang (Thông tư 01/2023 Điều 8)',
      'Đã xác nhận siêu dữ liệu số hóa "Giấy khai sinh", mã 001324012345.GKS.125/2024/KS (Thông tư 01/2023 Điều 9–10)',
    ]));
  });
});

describe.runIf(ocrAvailable)('scanned PDFs (Art. 8.2.c)', () => {
  async function pdfOf(pages: Buffer[]): Promise<Buffer> {
    const document = new PDFDocument({ autoFirstPage: false });
    const bytes = pdfBytes(document);
    for (const page of pages) {
      document.addPage({ size: [595.28, 841.89], margin: 0 });
      document.image(page, 0, 0, { width: 595.28, height: 841.89 });
    }
    document.end();
    return bytes;
  }

  it('reads the page images in page order, JPEG streams as they are', async () => {
    const pages = await pdfPageImages(await pdfOf([PAGE_2_JPEG, PAGE_1, PAGE_2_PNG]), 'body.files[0]');
    expect(pages.map((page) => page.mediaType)).toEqual(['image/jpeg', 'image/png', 'image/png']);
    expect(pages[0]!.content.equals(PAGE_2_JPEG)).toBe(true);
    // The PNGs are written again from the PDF's pixels: same size as the originals.
    expect(pages[1]!.content.readUInt32BE(16)).toBe(PAGE_1.readUInt32BE(16));
    expect(pages[2]!.content.readUInt32BE(20)).toBe(PAGE_2_PNG.readUInt32BE(20));
  });

  it('refuses an image it cannot decode, naming the page, and reads inherited resources and 1-bit grey', async () => {
    const pdf = (image: string, stream: Buffer) => Buffer.concat([
      Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /XObject << /Im0 4 0 R >> >> >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 8 2] >> endobj\n4 0 obj << /Type /XObject /Subtype /Image /Width 8 /Height 2 ${image} /Length ${stream.length} >>\nstream\n`, 'latin1'),
      stream,
      Buffer.from('\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'),
    ]);
    const refused = await (async () => {
      try {
        await pdfPageImages(pdf('/BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode', Buffer.from('abcd')), 'body.files[0]');
      } catch (error) {
        return error as { code: string; text: { vi: string; en: string } };
      }
    })();
    expect(refused?.code).toBe('digitization.pdf-image-unsupported');
    expect(refused?.text.en).toContain('page 1');
    expect(refused?.text.vi).toContain('CCITTFaxDecode');
    const [bilevel] = await pdfPageImages(pdf('/BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /FlateDecode', deflateSync(Buffer.from([0xf0, 0x0f]))), 'body.files[0]');
    expect(bilevel!.mediaType).toBe('image/png');
    expect([bilevel!.content.readUInt32BE(16), bilevel!.content.readUInt32BE(20), bilevel!.content[24]]).toEqual([8, 2, 1]);
    // The rows come back with a filter byte each: 0, then the row's byte.
    expect(inflateSync(bilevel!.content.subarray(41, 41 + bilevel!.content.readUInt32BE(33)))).toEqual(Buffer.from([0, 0xf0, 0, 0x0f]));
  });

  it('refuses a scan whose page count is not the paper’s, and a PDF without page images, storing nothing', async () => {
    const before = [await stored(), await storedPages()];
    const mismatch = await callAs(context.api, officialX, 'POST', base(), { componentName: 'Giấy khai sinh', documentKind: 'original', paperPages: 3, files: [file('ban-quet.pdf', 'application/pdf', await pdfOf([PAGE_1, PAGE_2_JPEG]))] });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('digitization.page-count-mismatch');
    expect(mismatch.body.errors[0].field).toBe('body.paperPages');

    const document = new PDFDocument();
    const bytes = pdfBytes(document);
    document.text('Not a scan');
    document.end();
    const textOnly = await callAs(context.api, officialX, 'POST', base(), { componentName: 'Giấy khai sinh', documentKind: 'original', paperPages: 1, files: [file('van-ban.pdf', 'application/pdf', await bytes)] });
    expect(textOnly.status).toBe(422);
    expect(textOnly.body.errors[0]).toMatchObject({ field: 'body.files[0].contentBase64' });
    expect(textOnly.body.detail ?? textOnly.body.title).toBeDefined();
    expect(JSON.stringify(textOnly.body)).toContain('không có ảnh quét');
    expect([await stored(), await storedPages()]).toEqual(before);
  });
});

describe('what is not digitized, who may, and bad input', () => {
  it('flags a kind Art. 4.4 excludes and digitizes nothing of it', async () => {
    const flagged = await callAs(context.api, officialX, 'POST', base(), { componentName: 'Bản photocopy sổ hộ khẩu', documentKind: 'photocopy' });
    expect(flagged.status).toBe(201);
    expect(flagged.body).toMatchObject({ status: 'excluded', exclusion: { article: 'Điều 4.4.b' }, progress: { pagesTotal: 0 } });
    expect((await callAs(context.api, officialX, 'GET', `${base()}/${flagged.body.id}/copy.pdf`)).status).toBe(409);
    expect((await callAs(context.api, officialX, 'POST', `${base()}/${flagged.body.id}/confirm`, { metadata: {} })).body.code).toBe('digitization.excluded');
  });

  it('lets the applicant scan their own, and hides the dossier from another agency’s official and another citizen', async () => {
    const before = await stored();
    const body = { componentName: 'Giấy khai sinh', documentKind: 'original', paperPages: 1, files: [file('p.png', 'image/png', PAGE_2_PNG)] };
    expect((await callAs(context.api, officialY, 'POST', base(), body)).status).toBe(404);
    expect((await callAs(context.api, otherCitizen, 'POST', base(), body)).status).toBe(404);
    expect((await callAs(context.api, null, 'POST', base(), body)).status).toBe(401);
    expect(await stored()).toBe(before);
    const list = await callAs(context.api, owner, 'GET', base());
    expect(list.status).toBe(200);
    const someone = list.body.items[0].id as string;
    expect((await callAs(context.api, officialY, 'GET', `${base()}/${someone}`)).status).toBe(404);
    expect((await callAs(context.api, otherCitizen, 'GET', `${base()}/${someone}`)).status).toBe(404);
    expect((await callAs(context.api, otherCitizen, 'GET', base())).status).toBe(404);
    expect((await callAs(context.api, officialY, 'POST', `${base()}/${someone}/confirm`, { metadata: {} })).status).toBe(404);
    expect(list.body).toMatchObject({ total: await stored() });
  });

  it('refuses a wrong type, an empty or too large file, a missing page count with 4xx and stores nothing', async () => {
    const before = [await stored(), await storedPages()];
    const post = (files: unknown, extra: Record<string, unknown> = {}) => callAs(context.api, officialX, 'POST', base(), { componentName: 'Giấy khai sinh', documentKind: 'original', paperPages: 1, files, ...extra });
    const gif = await post([{ fileName: 'a.gif', mediaType: 'image/gif', contentBase64: PAGE_1.toString('base64') }]);
    expect(gif.status).toBe(400);
    expect(gif.body.errors[0].field).toBe('body.files.0.mediaType');
    const disguised = await post([file('a.jpg', 'image/jpeg', PAGE_1)]);
    expect(disguised.status).toBe(422);
    expect(disguised.body.errors[0].field).toBe('body.files[0].mediaType');
    const empty = await post([{ fileName: 'a.png', mediaType: 'image/png', contentBase64: '' }]);
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('body.files.0.contentBase64');
    const large = await postOnNewConnection(base(), officialX as { cookie: string; csrf: string }, { componentName: 'Giấy khai sinh', documentKind: 'original', paperPages: 1, files: [file('a.png', 'image/png', Buffer.concat([PAGE_1, Buffer.alloc(10 * 1024 * 1024)]))] });
    expect(large.status).toBe(413);
    expect(large.body.errors[0].field).toBe('body.files.0.contentBase64');
    const uncounted = await post([file('a.png', 'image/png', PAGE_1)], { paperPages: undefined });
    expect(uncounted.status).toBe(400);
    expect(uncounted.body.errors[0].field).toBe('body.paperPages');
    expect((await post([file('a.png', 'image/png', PAGE_1)], { documentKind: 'scan' })).status).toBe(400);
    expect([await stored(), await storedPages()]).toEqual(before);
  });
});

describe('without the Vietnamese OCR data', () => {
  it('still digitizes, and says to install tesseract-ocr-vie; the official types the metadata (Art. 9.1)', async () => {
    process.env.TESSDATA_PREFIX = mkdtempSync(path.join(tmpdir(), 'quytrinh-no-tessdata-'));
    await closeOcrPool();
    try {
      const created = await callAs(context.api, officialX, 'POST', base(), { componentName: 'Giấy khai sinh', documentKind: 'original', paperPages: 1, files: [file('p.png', 'image/png', PAGE_2_PNG)] });
      expect(created.status).toBe(201);
      const done = await waitFor(officialX, created.body.id, (view) => view.status === 'awaiting-confirmation');
      expect(done.ocrProblem.code).toBe('digitization.ocr-unavailable');
      expect(done.ocrProblem.text.vi).toContain('tesseract-ocr-vie');
      expect(done.ocrProblem.text.en).toContain('apt-get install tesseract-ocr-vie');
      expect(done.suggestions).toBeNull();
      expect(done.signedAt).not.toBeNull();
    } finally {
      delete process.env.TESSDATA_PREFIX;
      await closeOcrPool();
    }
  });
});
