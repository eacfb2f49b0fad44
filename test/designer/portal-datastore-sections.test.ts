import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency } from '../../server/identity/agencies.ts';
import { createDemoData } from '../../server/identity/demo.ts';
import { onePagePdf } from '../support/signed-pdf.ts';
import { signAsAgency } from '../../server/signatures/sign-pdf.ts';
import { BIRTH_CHILD } from '../support/birth-application.ts';
import { BIRTH_CERTIFICATE, BIRTH_PROCEDURE, signInDemo } from '../support/birth-dossier.ts';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowserSessions } from '../support/demo-browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { callAs } from '../support/identities.ts';

// Keys are encrypted with the passphrase of DATA_DIR: this test's own (server/signatures/key-passphrase.ts).
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'quytrinh-portal-datastore-'));

/**
 * The portal's "Kho dữ liệu" (docs/datastore.md) in Chromium at 1366×768, Vietnamese: a seeded
 * citizen sees one section per point of Circular 01 Art. 24.2 — identity, the dossier with its
 * history, results, the certified e-copy, the digitized document with its Art. 9.2 metadata, the
 * file they uploaded with the hospital's real signature — and reaches them by keyboard.
 */
const CITIZEN = '001099054321';
const HOSPITAL = { code: '000.00.77.H26', name: 'Bệnh viện Đa khoa huyện Tân Lập' };
const SIGNED_COPY = Buffer.from('%PDF-1.7\n% bản sao điện tử đã ký\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');


describe.runIf(browserAvailable)('"Kho dữ liệu" shows every section of Art. 24.2 (Chromium, 1366×768, vi-VN)', () => {
  const product = useDesignerPage({ signedIn: false });
  const sessions = demoBrowserSessions(product);
  let dossierCode: string;

  beforeAll(async () => {
    const { db } = product.database;
    await createDemoData(db, pino({ level: 'silent' }));
    await createAgency(db, HOSPITAL);
    const citizen = await signInDemo(product.api, CITIZEN);
    const signed = await signAsAgency(db, HOSPITAL.code, await onePagePdf('Giấy chứng sinh số 77/2026'), { reason: 'Cấp giấy chứng sinh' });
    const form = await callAs(product.api, citizen, 'GET', `/api/portal/procedures/${BIRTH_PROCEDURE}/form`);
    const submitted = await callAs(product.api, citizen, 'POST', '/api/dossiers', {
      procedureKey: BIRTH_PROCEDURE, formVersion: form.body.form.version, data: { ...form.body.prefill.values, ...BIRTH_CHILD },
      components: [{ name: BIRTH_CERTIFICATE, fileName: 'giay-chung-sinh-ky-so.pdf', mediaType: 'application/pdf', contentBase64: signed.toString('base64') }],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    dossierCode = submitted.body.dossier.code;
    const document = (kind: string, meta: Record<string, string | null>) => ({
      dossier_id: submitted.body.dossier.id, component_name: meta.documentName, document_kind: kind, status: 'confirmed', paper_pages: 1, created_by: 'account:motcua.xa', copier_name: 'Cán bộ Một cửa', signed_pdf: SIGNED_COPY, signed_at: new Date(),
      code: `${CITIZEN}.${meta.documentTypeCode}.${meta.numberSymbol}`, confirmed_by: 'account:motcua.xa', confirmed_by_name: 'Cán bộ Một cửa', confirmed_at: new Date(),
      metadata: JSON.stringify({ holderId: CITIZEN, holderName: 'Trần Thị Bình', holderBornOn: null, validityScope: null, ...meta }),
    });
    await db('digitizations').insert([
      document('original', { documentTypeCode: 'GCS', documentName: BIRTH_CERTIFICATE, numberSymbol: '15/GCS', issuedOn: '2026-11-02', issuingAgency: 'Bệnh viện Phụ sản Hà Nội', synopsis: 'Giấy chứng sinh', validUntil: '2099-12-31' }),
      document('certified-electronic-copy', { documentTypeCode: 'GKS', documentName: 'Giấy khai sinh', numberSymbol: '123/GKS', issuedOn: '1995-09-10', issuingAgency: 'UBND phường Hàng Bạc', synopsis: 'Khai sinh của mẹ', validUntil: null }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await sessions.close();
  });

  it("shows the citizen's identity, dossier with history, copies, documents with metadata and signed uploads, by keyboard", async () => {
    const page = await sessions.signedIn('/cong-dich-vu', CITIZEN);
    const tab = page.getByRole('tab', { name: 'Kho dữ liệu' });
    await tab.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('store-uploads').getByRole('table').waitFor();

    const text = async (testId: string) => (await page.getByTestId(testId).textContent()) ?? '';
    await expect.poll(() => text('store-identity')).toContain('Trần Thị Bình');
    const identity = await text('store-identity');
    expect(identity).toContain(`Số định danh cá nhân${CITIZEN}`);
    expect(identity).toContain('Ngày sinh02/09/1995');
    expect(identity).toContain('Mức 2 (Nghị định 45/2020, Điều 8)');

    const dossiers = page.getByTestId('store-dossiers');
    expect(await dossiers.textContent()).toContain(dossierCode);
    expect(await dossiers.textContent()).toContain('Đăng ký khai sinh');
    // The history opens from the keyboard (a <details>' summary).
    await dossiers.locator('summary').first().focus();
    await page.keyboard.press('Enter');
    await dossiers.locator('.portal-history li').first().waitFor();
    expect(await dossiers.locator('.portal-history').first().textContent()).toContain('Hệ thống đã nhận hồ sơ (thời điểm tiếp nhận chính thức)');

    await page.getByTestId('store-results').getByText('Chưa có kết quả nào.').waitFor();
    expect(await text('store-copies')).toContain(`${CITIZEN}.GKS.123/GKS · còn hiệu lực · ${dossierCode}`);
    expect(await text('store-copies')).toContain('Bản sao điện tử chứng thực từ bản chính');
    expect(await text('store-copies')).not.toContain('15/GCS');
    const documents = page.getByTestId('store-documents');
    expect(await documents.textContent()).toContain(`${CITIZEN}.GCS.15/GCS · còn hiệu lực (31/12/2099)`);
    await documents.locator('summary').first().focus();
    await page.keyboard.press('Enter');
    const metadata = documents.locator('dl').first();
    await metadata.waitFor();
    expect(await metadata.textContent()).toContain('Cơ quan cấp (e)Bệnh viện Phụ sản Hà Nội');
    expect(await metadata.textContent()).toContain('Ngày cấp (đ)02/11/2026');

    const uploads = page.getByTestId('store-uploads');
    expect(await uploads.textContent()).toContain('giay-chung-sinh-ky-so.pdf');
    expect(await uploads.getByTestId('component-signature').textContent()).toContain('Chữ ký số hợp lệ');

    // The section list moves the focus to a section's heading.
    await page.getByRole('navigation', { name: 'Các mục của kho dữ liệu' }).getByRole('button', { name: 'g) Tệp đã tải lên, có chữ ký số' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('store-uploads-title');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await page.screenshot({ path: path.join(screenshots, 'portal-store-sections.png'), fullPage: true });
    await page.getByTestId('store-identity').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'portal-store-sections-top.png') });

    // The English switch: the same sections in English, dates still dd/mm/yyyy.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'My data store' }).waitFor();
    await page.getByRole('heading', { name: 'dd) Certified electronic copies of originals' }).waitFor();
    await expect.poll(() => text('store-identity')).toContain('Date of birth02/09/1995');
    expect(await text('store-uploads')).toContain('Valid digital signature');
  });
});
