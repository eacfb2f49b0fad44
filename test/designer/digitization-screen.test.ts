import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ocrAvailable } from '../support/ocr.ts';
import { closeOcrPool } from '../../server/digitization/ocr-pool.ts';
import { createDemoData, DEMO_PASSWORD } from '../../server/identity/demo.ts';
import { callApi, useJobRunner } from '../support/api-server.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { bpmnProcess, flows } from '../support/process.ts';

// The agency's signing key is encrypted with this test's DATA_DIR passphrase (server/signatures/key-passphrase.ts).
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'quytrinh-digitization-screen-'));

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/digitization/${name}`, import.meta.url));
const AGENCY = 'DEMO.01.H01';
const DOSSIER_CODE = `${AGENCY}-261206-0042`;

/**
 * Issue 12's digitization screen in the officials' workspace, in Chromium at 1366×768 with real
 * OCR on the fixture birth certificate (docs/digitization.md; Circular 01 Art. 6–12): the commune's
 * one-stop desk uploads two pages in the order it puts them, watches the OCR, corrects a field the
 * OCR suggested, confirms, and gets the Art. 10 code and the signed copy.
 */
describe.runIf(browserAvailable && ocrAvailable)('digitizing a paper component from the dossier view (Circular 01 Art. 6–12)', () => {
  const product = useDesignerPage({ signedIn: false });
  useJobRunner(product);
  let context: BrowserContext;
  let desk: Page;
  let dossierId: string;

  beforeAll(async () => {
    const { db } = product.database;
    await createDemoData(db, pino({ level: 'silent' }));
    // A received dossier of the commune (as test/server/digitization.test.ts sets one up).
    const deployed = await callApi(product.api, 'POST', '/api/definitions', bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="handle"/><bpmn:endEvent id="end"/>${flows('start>handle', 'handle>end')}`, { id: 'Process_digitize_screen', attributes: 'name="Đăng ký khai sinh (thử số hóa)"' }), 'application/xml');
    expect(deployed.status).toBe(201);
    const started = await callApi(product.api, 'POST', '/api/definitions/Process_digitize_screen/instances', { variables: {} });
    expect(started.status).toBe(201);
    const definition = await db('process_definitions').where({ key: 'Process_digitize_screen' }).first<{ id: string }>('id');
    const owner = await db('accounts').where({ username: '001099054321' }).first<{ id: string }>('id');
    const [dossier] = await db('dossiers')
      .insert({
        instance_id: started.body.id, definition_id: definition.id, procedure_key: 'Process_digitize_screen', procedure_name: 'Đăng ký khai sinh (thử số hóa)', owner_account_id: owner.id,
        applicant_name: 'Trần Thị Bình', applicant_id: '001099054321', agency_code: AGENCY, code: DOSSIER_CODE, status: 'received',
        submitted_at: new Date(), receipt_due_at: new Date(Date.now() + 8 * 3600_000), received_at: new Date(),
      })
      .returning<Array<{ id: string }>>('id');
    dossierId = dossier!.id;

    context = await product.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    desk = await context.newPage();
    await desk.goto(`${product.api.url}/xu-ly`);
    await desk.getByLabel('Tên đăng nhập').fill('motcua.xa');
    await desk.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
    await desk.keyboard.press('Enter');
    await desk.getByTestId('task-search').fill(DOSSIER_CODE);
    await desk.getByTestId('task-search').press('Enter');
    await desk.getByTestId('dossier-matches').getByRole('button', { name: DOSSIER_CODE }).click();
    await desk.getByRole('heading', { name: 'Số hóa thành phần hồ sơ' }).waitFor();
  });

  afterAll(async () => {
    await context?.close();
    await closeOcrPool();
  });

  it('flags a kind Art. 4.4 excludes before anything is sent', async () => {
    const panel = desk.getByTestId('digitization-panel');
    await panel.getByLabel('Loại giấy tờ').selectOption('photocopy');
    expect(await panel.getByTestId('dz-excluded').textContent()).toContain('Điều 4.4.b');
    expect(await panel.getByRole('button', { name: 'Ghi nhận không số hóa' }).isVisible()).toBe(true);
    expect(await panel.getByTestId('dz-files').count()).toBe(0);
    await panel.getByLabel('Loại giấy tờ').selectOption('original');
    expect(await panel.getByTestId('dz-excluded').count()).toBe(0);
  });

  it('uploads two pages in the order the official sets, shows the OCR progress per page and the suggestions', async () => {
    const panel = desk.getByTestId('digitization-panel');
    // No page count: refused on the screen, nothing sent.
    await panel.getByLabel('Tên thành phần').fill('Giấy khai sinh');
    await panel.getByRole('button', { name: 'Tải lên để số hóa' }).click();
    await panel.getByText('Nhập số trang giấy (1–100).').waitFor();

    await panel.getByLabel('Số trang giấy').fill('2');
    // Chosen in the wrong order, then put right with the keyboard-usable buttons.
    await panel.getByTestId('dz-files').setInputFiles([fixture('birth-certificate-p2.jpg'), fixture('birth-certificate-p1.png')]);
    expect(await panel.getByTestId('dz-file-list').locator('li span').allTextContents()).toEqual(['birth-certificate-p2.jpg', 'birth-certificate-p1.png']);
    await panel.getByRole('button', { name: 'Lên trên: birth-certificate-p1.png' }).focus();
    await desk.keyboard.press('Enter');
    expect(await panel.getByTestId('dz-file-list').locator('li span').allTextContents()).toEqual(['birth-certificate-p1.png', 'birth-certificate-p2.jpg']);
    expect(await panel.getByText('Đã chọn 2 tệp').isVisible()).toBe(true);
    await panel.locator('form').screenshot({ path: path.join(screenshots, 'digitization-0-files.png') });

    const [answer] = await Promise.all([
      desk.waitForResponse((response) => new URL(response.url()).pathname === `/api/dossiers/${dossierId}/digitizations` && response.request().method() === 'POST'),
      panel.getByRole('button', { name: 'Tải lên để số hóa' }).click(),
    ]);
    expect(answer.status()).toBe(201);
    const created = (await answer.json()) as { id: string; progress: { pages: Array<{ mediaType: string }> } };
    // The order sent is the order stored (Art. 8.2): page 1 the PNG, page 2 the JPEG.
    expect(created.progress.pages.map((page) => page.mediaType)).toEqual(['image/png', 'image/jpeg']);

    const detail = panel.getByTestId('dz-detail');
    const bars = detail.getByRole('progressbar');
    await expect.poll(() => bars.count()).toBe(2);
    expect(await bars.first().getAttribute('aria-valuemin')).toBe('0');
    expect(await bars.first().getAttribute('aria-valuemax')).toBe('100');
    await expect.poll(() => detail.getAttribute('data-status'), { timeout: 180_000, interval: 500 }).toBe('awaiting-confirmation');
    expect(await bars.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-valuenow')))).toEqual(['100', '100']);
    expect(await panel.getByTestId('dz-list').locator('tbody tr').first().textContent()).toContain('2/2 trang');

    // The Art. 9.2 fields prefilled from the OCR, dates dd/mm/yyyy, each with its confidence.
    const field = (name: string) => detail.locator(`[data-field="${name}"]`);
    expect(await field('holderId').getByRole('textbox').inputValue()).toBe('001324012345');
    expect(await field('holderName').getByRole('textbox').inputValue()).toBe('Nguyễn Thị Hồng Nhung');
    expect(await field('numberSymbol').getByRole('textbox').inputValue()).toBe('125/2024/KS');
    expect(await field('issuedOn').getByRole('textbox').inputValue()).toBe('20/03/2024');
    expect(await field('holderBornOn').getByRole('textbox').inputValue()).toBe('15/03/2024');
    expect(await field('holderId').getByTestId('dz-confidence').textContent()).toMatch(/^Độ tin cậy \d+% · trang 1, dòng “.*001324012345”/);
    // The label names the input (keyboard and screen-reader users reach each field by its name).
    expect(await detail.getByLabel('Số định danh của chủ thể (b)').inputValue()).toBe('001324012345');
    // Whatever is below the threshold is highlighted and says so.
    const low = await detail.locator('[data-testid="dz-field"].low').count();
    expect(await detail.getByText('độ tin cậy thấp, kiểm tra kỹ', { exact: false }).count()).toBe(low);
    await desk.screenshot({ path: path.join(screenshots, 'digitization-1-suggestions.png'), fullPage: false });
    await detail.getByTestId('dz-metadata').screenshot({ path: path.join(screenshots, 'digitization-2-form.png') });
  });

  it('has the official correct a field and confirm (Art. 9.1), shows the Art. 10 code and the signed copy (Art. 8.1)', async () => {
    const detail = desk.getByTestId('dz-detail');
    const synopsis = detail.getByLabel('Trích yếu nội dung (g)');
    await synopsis.fill('Giấy khai sinh bản chính của Nguyễn Thị Hồng Nhung');
    await detail.locator('[data-field="synopsis"]').getByText('đã sửa').waitFor();
    // A date not in the calendar: refused by the server, named on its field, nothing confirmed.
    await detail.getByLabel('Ngày cấp (đ)').fill('30/02/2024');
    await detail.getByRole('button', { name: 'Xác nhận siêu dữ liệu' }).click();
    await detail.getByTestId('dz-confirm-problem').waitFor();
    expect(await detail.getByLabel('Ngày cấp (đ)').getAttribute('aria-invalid')).toBe('true');
    expect(await detail.locator('[data-field="issuedOn"]').textContent()).toContain('không có trong lịch');
    expect(await detail.getAttribute('data-status')).toBe('awaiting-confirmation');

    await detail.getByLabel('Ngày cấp (đ)').fill('20/03/2024');
    await detail.getByLabel('Ngày cấp (đ)').press('Enter');
    await expect.poll(() => detail.getByTestId('dz-code').textContent().catch(() => null), { timeout: 15_000 }).toBe('001324012345.GKS.125/2024/KS');
    expect(await detail.getAttribute('data-status')).toBe('confirmed');
    expect(await detail.getByTestId('dz-code-line').textContent()).toContain('Xác nhận bởi');

    const stored = await product.database.db('digitizations').where({ dossier_id: dossierId }).first<{ code: string; metadata: { synopsis: string; issuedOn: string }; confirmation: Record<string, string> }>('code', 'metadata', 'confirmation');
    expect(stored.code).toBe('001324012345.GKS.125/2024/KS');
    expect(stored.metadata).toMatchObject({ synopsis: 'Giấy khai sinh bản chính của Nguyễn Thị Hồng Nhung', issuedOn: '2024-03-20' });
    expect(stored.confirmation).toMatchObject({ synopsis: 'corrected', holderId: 'confirmed', issuedOn: 'confirmed' });

    const copy = await desk.request.get(`${product.api.url}${await detail.getByTestId('dz-copy').getAttribute('href')}`);
    expect(copy.status()).toBe(200);
    expect(copy.headers()['content-type']).toBe('application/pdf');
    expect((await copy.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await desk.screenshot({ path: path.join(screenshots, 'digitization-3-confirmed.png') });
  });

  it('reads in English on the switch', async () => {
    await desk.getByRole('button', { name: 'English' }).click();
    await desk.getByRole('heading', { name: 'Digitize dossier components' }).waitFor();
    expect(await desk.getByTestId('dz-status').textContent()).toBe('Confirmed');
    expect(await desk.getByTestId('dz-code-line').textContent()).toContain('Digitized document code (Art. 10)');
    await desk.screenshot({ path: path.join(screenshots, 'digitization-4-english.png') });
  });
});
