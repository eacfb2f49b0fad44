import path from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { useJobRunner } from '../support/api-server.ts';
import { BIRTH_CHILD_TEXT } from '../support/birth-application.ts';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowserSessions } from '../support/demo-browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { fillRequiredFields, type ApplicationForm } from '../support/portal-form.ts';

/**
 * Issue 11's "done when", in Chromium at 1366×768: the catalogue's birth registration as
 * `npm run demo` deploys it, from the citizen's application to an annulled result, each person in
 * their own browser session on their own page of the product.
 */
const CITIZEN = '001099054321';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe.runIf(browserAvailable)('a birth registration from application to annulled result, in the browser (issue 11)', () => {
  const product = useDesignerPage({ signedIn: false });
  useJobRunner(product);
  const sessions = demoBrowserSessions(product);
  const signedIn = (where: string, username: string) => sessions.signedIn(where, username);
  let code: string;

  beforeAll(async () => {
    await createDemoData(product.database.db, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await sessions.close();
  });

  /** A person's own browser session, signed in on a page of the product. */

  /** An official's inbox row of this dossier, once the workers have brought it to their step. */
  async function openInInbox(page: Page): Promise<void> {
    const row = page.locator(`[data-testid="task-row"][data-code="${code}"]`);
    await expect
      .poll(async () => {
        if (await row.isVisible()) return true;
        await page.getByRole('button', { name: 'Tải lại' }).click();
        return false;
      }, { timeout: 30_000, interval: 1000 })
      .toBe(true);
    await row.locator('.ws-task-open').click();
    await page.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
  }

  let citizen: Page;

  it('a citizen applies with the form filled from their account and gets the receipt with the official time', async () => {
    citizen = await signedIn('/cong-dich-vu', CITIZEN);
    await citizen.getByRole('tab', { name: 'Nộp hồ sơ' }).waitFor();
    const application = (await (await citizen.request.get(`${product.api.url}/api/portal/procedures/Process_dang_ky_khai_sinh/form`)).json()) as ApplicationForm;
    await citizen.getByTestId('procedure-select').selectOption('Process_dang_ky_khai_sinh');
    // Autofill (Decree 45 Art. 16.4): the requester's part comes from the account, marked for checking.
    await citizen.getByTestId('prefill-summary').waitFor();
    await citizen.getByText('Tự điền từ tài khoản/kho dữ liệu — kiểm tra lại').first().waitFor();
    expect(await citizen.getByText('Tự điền từ tài khoản/kho dữ liệu — kiểm tra lại').count()).toBe(application.prefill.fields.length);
    await fillRequiredFields(citizen, application, BIRTH_CHILD_TEXT);
    for (const [index] of application.components.entries()) await citizen.locator(`#portal-component-${index}`).setInputFiles({ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: PDF });
    const [answer] = await Promise.all([
      citizen.waitForResponse((response) => new URL(response.url()).pathname === '/api/dossiers' && response.request().method() === 'POST'),
      citizen.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).and(citizen.locator('.portal-submit')).click(),
    ]);
    expect(answer.status()).toBe(201);
    await citizen.getByTestId('receipt').waitFor();
    code = (await citizen.getByTestId('receipt-code').textContent())!;
    expect(code).toMatch(/^DEMO\.01\.H01-\d{6}-\d{4}$/);
    expect(await citizen.getByTestId('receipt-time').textContent()).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    await citizen.screenshot({ path: path.join(screenshots, 'journey-1-receipt.png') });
  });

  it("only the receiving commune's one-stop desk is offered it, and asks for an amendment once", async () => {
    const otherAgency = await signedIn('/xu-ly', 'motcua.tinh');
    await otherAgency.getByTestId('task-total').waitFor();
    expect(await otherAgency.locator(`[data-testid="task-row"][data-code="${code}"]`).count()).toBe(0);

    const desk = await signedIn('/xu-ly', 'motcua.xa');
    await openInInbox(desk);
    // Where the dossier stands, on the deployed diagram.
    await desk.locator('[data-testid="dossier-diagram"] .djs-element.ws-active[data-element-id="Task_tiep_nhan"]').waitFor();
    await desk.getByRole('button', { name: 'Yêu cầu bổ sung (một lần)' }).click();
    await desk.getByLabel('Nội dung cần bổ sung, mỗi dòng một mục').fill('Bản chụp Giấy chứng sinh bị mờ, đề nghị tải lại');
    await desk.getByRole('button', { name: 'Gửi' }).click();
    await expect.poll(() => desk.getByTestId('dossier-status').textContent()).toBe('Cần bổ sung hồ sơ');
    // Once (Decree 45 Art. 11.3): the server refuses a second request, whatever a client sends.
    const again = await desk.request.post(`${product.api.url}/api/dossiers/${await dossierId()}/request-amendment`, { data: { items: ['Lần hai'] }, headers: { 'X-CSRF-Token': await csrfOf(desk) } });
    expect(again.status()).toBe(409);
    await desk.screenshot({ path: path.join(screenshots, 'journey-2-amendment.png') });
  });

  it('the citizen amends, and the dossier keeps its code', async () => {
    await citizen.getByRole('tab', { name: 'Hồ sơ của tôi' }).click();
    await citizen.getByTestId('dossier-list').getByText(code).click();
    await citizen.getByTestId('amendment-items').waitFor();
    expect(await citizen.getByTestId('amendment-items').textContent()).toContain('Bản chụp Giấy chứng sinh bị mờ');
    await citizen.getByRole('button', { name: 'Bổ sung hồ sơ' }).click();
    await citizen.locator('#portal-component-0').setInputFiles({ name: 'giay-chung-sinh-ro.pdf', mimeType: 'application/pdf', buffer: PDF });
    const [answer] = await Promise.all([citizen.waitForResponse((response) => response.url().endsWith('/amend')), citizen.getByRole('button', { name: 'Gửi bổ sung' }).click()]);
    expect(answer.status(), await answer.text()).toBe(200);
    expect(((await answer.json()) as { code: string }).code).toBe(code);
    await citizen.getByText('Đã gửi bổ sung hồ sơ.').waitFor();
  });

  it('the desk receives it; the specialist and the approver complete their steps', async () => {
    const desk = await signedIn('/xu-ly', 'motcua.xa');
    await openInInbox(desk);
    // Back at the receipt check after the amendment: the page will not ask again, and says why.
    expect(await desk.getByRole('button', { name: 'Yêu cầu bổ sung (một lần)' }).isDisabled()).toBe(true);
    expect(await desk.getByTestId('amendment-once').textContent()).toContain('chỉ được yêu cầu một lần');
    await desk.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
    await expect.poll(() => desk.getByTestId('action-notice').textContent()).toBe('Đã tiếp nhận hồ sơ.');

    const specialist = await signedIn('/xu-ly', 'chuyenvien.xa');
    await openInInbox(specialist);
    // The decision form of the step (qt:form="ket-qua-xac-minh"): eligible, with the child's new ID.
    await specialist.getByLabel(/Đủ điều kiện/).check();
    const complete = specialist.getByRole('button', { name: 'Hoàn thành / Chuyển bước' });
    await complete.click();
    await expect.poll(() => specialist.getByTestId('action-notice').textContent()).toBe('Đã hoàn thành bước.');

    const approver = await signedIn('/xu-ly', 'lanhdao.xa');
    await openInInbox(approver);
    await approver.getByRole('button', { name: 'Hoàn thành / Chuyển bước' }).click();
    await expect.poll(() => approver.getByTestId('action-notice').textContent()).toBe('Đã hoàn thành bước.');
  });

  it('the result with its KQ code and printed QR reaches the citizen; the lookup shows the level only; annulled, both say so', async () => {
    const resultCode = `${code}-KQ1`;
    await expect.poll(async () => (await product.database.db('dossier_results').where({ code: resultCode }).first('code')) !== undefined, { timeout: 30_000 }).toBe(true);
    await citizen.reload();
    await citizen.getByRole('tab', { name: 'Hồ sơ của tôi' }).click();
    await citizen.getByTestId('dossier-list').getByText(code).click();
    await citizen.getByTestId('results').getByText(resultCode).waitFor();
    const printed = await citizen.request.get(`${product.api.url}/api/results/${resultCode}.pdf`);
    expect(printed.status()).toBe(200);
    expect((await printed.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await citizen.screenshot({ path: path.join(screenshots, 'journey-3-result.png') });

    // Anyone, signed out: where the QR leads, the procedure and level, nothing about the person.
    const anyone = await (await product.browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await anyone.goto(`${product.api.url}/tra-cuu/${code}`);
    await expect.poll(() => anyone.getByTestId('lookup-level').textContent()).toBe('Đã có kết quả');
    expect(await anyone.getByTestId('lookup-answer').textContent()).not.toContain('Trần Thị Bình');

    const approver = await signedIn('/xu-ly', 'lanhdao.xa');
    await approver.getByTestId('task-total').waitFor();
    await approver.getByTestId('task-search').fill(code);
    await approver.getByTestId('task-search').press('Enter');
    await approver.getByTestId('dossier-matches').getByRole('button', { name: code }).click();
    await approver.getByRole('button', { name: 'Huỷ kết quả' }).click();
    const dialog = approver.getByRole('alertdialog', { name: `Huỷ kết quả ${resultCode}?` });
    await dialog.getByLabel('Lý do huỷ').fill('Sai ngày sinh của trẻ');
    await dialog.getByRole('button', { name: 'Huỷ kết quả' }).click();
    await expect.poll(() => approver.getByTestId('action-notice').textContent()).toBe(`Đã huỷ kết quả ${resultCode}.`);

    // The QR of the printed result leads to the lookup of its code, which now calls it annulled (Decree 45 Art. 15.3).
    await anyone.goto(`${product.api.url}/tra-cuu/${resultCode}`);
    await anyone.getByTestId('lookup-annulled').waitFor();
    expect(await anyone.getByTestId('lookup-annulled').locator('strong').textContent()).toBe('Kết quả đã bị huỷ');
    await citizen.reload();
    await citizen.getByRole('tab', { name: 'Hồ sơ của tôi' }).click();
    await citizen.getByTestId('dossier-list').getByText(code).click();
    await citizen.getByTestId('annulment').waitFor();
    expect(await citizen.getByTestId('annulment').textContent()).toContain('Sai ngày sinh của trẻ');
    // In the citizen's data store too (Decree 45 Art. 14.1), struck through with why.
    await citizen.getByRole('tab', { name: 'Kho dữ liệu' }).click();
    await citizen.getByTestId('store-results').getByText(resultCode).waitFor();
    expect(await citizen.getByTestId('store-results').getByTestId('annulment').textContent()).toContain('Sai ngày sinh của trẻ');
    await anyone.screenshot({ path: path.join(screenshots, 'journey-4-annulled.png') });
    await anyone.context().close();
  });

  async function dossierId(): Promise<string> {
    return (await product.database.db('dossiers').where({ code }).first<{ id: string }>('id')).id;
  }
  async function csrfOf(page: Page): Promise<string> {
    return ((await (await page.request.get(`${product.api.url}/api/session`)).json()) as { csrfToken: string }).csrfToken;
  }
});
