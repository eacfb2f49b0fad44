import path from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData, DEMO_PASSWORD } from '../../server/identity/demo.ts';
import { BIRTH_CHILD_TEXT } from '../support/birth-application.ts';
import { BIRTH_CERTIFICATE, BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { fillRequiredFields, type ApplicationForm } from '../support/portal-form.ts';

/**
 * The submit form offers a document of the applicant's e-data store instead of an upload (Decree
 * 45 Art. 16.4; docs/datastore.md), in Chromium at 1366×768: the first dossier's birth certificate,
 * digitized and confirmed, is used in a second one without a file.
 */
const CITIZEN = '001099054321';
const SIGNED_COPY = Buffer.from('%PDF-1.7\n% bản sao điện tử đã ký\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const CODE = `${CITIZEN}.GCS.15/GCS`;

describe.runIf(browserAvailable)('"Dùng giấy tờ đã có trong kho" on the portal (Chromium, 1366×768, vi-VN)', () => {
  const designer = useDesignerPage({ signedIn: false });
  let page: Page;
  let storedId: string;

  beforeAll(async () => {
    const { db } = designer.database;
    await createDemoData(db, pino({ level: 'silent' }));
    const first = await submitBirthDossier(designer.api, await signInDemo(designer.api, CITIZEN));
    const [row] = await db('digitizations')
      .insert({
        dossier_id: first.id, component_name: BIRTH_CERTIFICATE, document_kind: 'original', status: 'confirmed', paper_pages: 1, created_by: 'account:motcua.xa', copier_name: 'Cán bộ Một cửa', signed_pdf: SIGNED_COPY, signed_at: new Date(), code: CODE,
        metadata: JSON.stringify({ documentTypeCode: 'GCS', holderId: CITIZEN, holderName: 'Trần Thị Bình', holderBornOn: null, documentName: BIRTH_CERTIFICATE, numberSymbol: '15/GCS', issuedOn: '2026-11-02', issuingAgency: 'Bệnh viện Phụ sản Hà Nội', synopsis: 'Giấy chứng sinh', validUntil: '2099-12-31', validityScope: null }),
        confirmed_by: 'account:motcua.xa', confirmed_by_name: 'Cán bộ Một cửa', confirmed_at: new Date(),
      })
      .returning<Array<{ id: string }>>('id');
    storedId = row!.id;
    page = await designer.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  }, 120_000);
  afterAll(async () => {
    await page?.close();
  });

  it('offers the stored birth certificate, uses it from the keyboard, and the second dossier is submitted without a file', async () => {
    await page.goto(`${designer.api.url}/cong-dich-vu`);
    await page.getByLabel('Tên đăng nhập').fill(CITIZEN);
    await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'Nộp hồ sơ' }).waitFor();
    const procedures = (await (await page.request.get(`${designer.api.url}/api/portal/procedures`)).json()) as { items: Array<{ key: string; agencies: Array<{ code: string }> }> };
    const birth = procedures.items.find((item) => item.key === BIRTH_PROCEDURE)!;
    const form = (await (await page.request.get(`${designer.api.url}/api/portal/procedures/${BIRTH_PROCEDURE}/form`)).json()) as ApplicationForm;
    await page.getByTestId('procedure-select').selectOption(BIRTH_PROCEDURE);
    if (birth.agencies.length > 1) await page.getByTestId('agency-select').selectOption(birth.agencies[0]!.code);

    const use = page.getByRole('button', { name: 'Dùng giấy tờ đã có trong kho' });
    await use.waitFor();
    expect(await page.locator('.portal-stored li').textContent()).toContain(`Giấy tờ trong kho ${CODE}, hiệu lực đến 31/12/2099`);
    await use.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'portal-stored-offer.png') });
    await use.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('stored-chosen').waitFor();
    expect(await page.getByTestId('stored-chosen').textContent()).toContain(`Đã chọn: Giấy tờ trong kho ${CODE}`);

    await fillRequiredFields(page, form, { ...BIRTH_CHILD_TEXT, hoTenTre: 'Nguyễn Minh Khôi', soDienThoai: '0912345678' });
    const [answer] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === '/api/dossiers' && response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).and(page.locator('.portal-submit')).click(),
    ]);
    const sent = answer.request().postDataJSON() as { components: unknown[] };
    expect(sent.components).toEqual([{ name: BIRTH_CERTIFICATE, storedDocumentId: storedId }]);
    expect(answer.status(), await answer.text()).toBe(201);
    const { dossier } = (await answer.json()) as { dossier: { id: string } };
    const component = await designer.database.db('dossier_components').where({ dossier_id: dossier.id }).first<{ stored_from: string; content: Buffer }>('stored_from', 'content');
    expect(component.stored_from).toBe(storedId);
    expect(component.content.equals(SIGNED_COPY)).toBe(true);
    await page.getByTestId('receipt').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);

    // The store's tab lists the digitized document with its code and validity (Circular 01 Art. 24.2.e).
    await page.getByRole('tab', { name: 'Kho dữ liệu' }).click();
    await page.getByTestId('store-documents').waitFor();
    // Each section loads on its own (Art. 24.2's sections, paged): wait for this one's items.
    await expect.poll(() => page.getByTestId('store-documents').textContent()).toContain(`${CODE} · còn hiệu lực (31/12/2099)`);
    await page.screenshot({ path: path.join(screenshots, 'portal-store-documents.png') });
  });
});
