import path from 'node:path';
import { pino } from 'pino';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency } from '../../server/identity/agencies.ts';
import { createDemoData, DEMO_PASSWORD } from '../../server/identity/demo.ts';
import { onePagePdf } from '../support/signed-pdf.ts';
import { configuredLookupBase, signResultDocument } from '../../server/dossiers/printing.ts';
import { officialSigner } from '../../server/signatures/credentials.ts';
import { signAsAgency } from '../../server/signatures/sign-pdf.ts';
import { useJobRunner } from '../support/api-server.ts';
import { BIRTH_CHILD } from '../support/birth-application.ts';
import { BIRTH_PROCEDURE, signInDemo } from '../support/birth-dossier.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { callAs } from '../support/identities.ts';

/**
 * Issue 12 in Chromium at 1366×768: the signature of an issued result checked by the people who
 * read it ("Kiểm tra chữ ký số": signer, agency, time, trusted root, valid), in the portal and in
 * the workspace; and a signed component's verification (Decree 45 Art. 11.2.b) in both dossier
 * views. The demo birth registration, a dossier submitted with a component the hospital signed,
 * and its result KQ1 recorded by fixture and signed as result.sign signs an approved result: by the
 * approver (the demo commune's leader, personal certificate), then by the agency.
 */
const CITIZEN = '001099054321';
const HOSPITAL = { code: '000.00.77.H26', name: 'Bệnh viện Đa khoa huyện Tân Lập' };
const BIRTH_CERTIFICATE = 'Giấy chứng sinh (dữ liệu điện tử từ cơ sở khám chữa bệnh hoặc bản chụp)';


describe.runIf(browserAvailable)('the signature information of a result and of a signed component, in the browser (issue 12)', () => {
  const product = useDesignerPage({ signedIn: false });
  useJobRunner(product);
  const contexts: BrowserContext[] = [];
  let code: string;
  let resultCode: string;

  beforeAll(async () => {
    const { db } = product.database;
    await createDemoData(db, pino({ level: 'silent' }));
    await createAgency(db, HOSPITAL);
    const signed = await signAsAgency(db, HOSPITAL.code, await onePagePdf('Giấy chứng sinh số 77/2026'), { reason: 'Cấp giấy chứng sinh' });
    const citizen = await signInDemo(product.api, CITIZEN);
    const form = await callAs(product.api, citizen, 'GET', `/api/portal/procedures/${BIRTH_PROCEDURE}/form`);
    const submitted = await callAs(product.api, citizen, 'POST', '/api/dossiers', {
      procedureKey: BIRTH_PROCEDURE,
      formVersion: form.body.form.version,
      data: { ...form.body.prefill.values, ...BIRTH_CHILD },
      components: [{ name: BIRTH_CERTIFICATE, fileName: 'giay-chung-sinh.pdf', mediaType: 'application/pdf', contentBase64: signed.toString('base64') }],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    code = submitted.body.dossier.code;
    resultCode = `${code}-KQ1`;
    const [result] = await db('dossier_results').insert({ dossier_id: submitted.body.dossier.id, n: 1, code: resultCode, title: 'Giấy khai sinh', issued_by: 'lanhdao.xa' }).returning('*');
    const dossier = await db('dossiers').where({ id: submitted.body.dossier.id }).first();
    const approver = await officialSigner(db, 'account:lanhdao.xa', dossier.agency_code);
    expect(approver).not.toBeNull();
    await signResultDocument(db, dossier, result, configuredLookupBase(), new Date(), undefined, approver!);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  async function signedIn(where: string, username: string): Promise<Page> {
    const context = await product.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${product.api.url}${where}`);
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    return page;
  }

  it('the citizen checks the result’s signature in the portal and sees the signed component', async () => {
    const citizen = await signedIn('/cong-dich-vu', CITIZEN);
    await citizen.getByRole('tab', { name: 'Hồ sơ của tôi' }).click();
    await citizen.getByTestId('dossier-list').getByText(code).click();
    await citizen.getByTestId('results').getByText(resultCode).waitFor();
    const component = citizen.getByTestId('component-signature');
    expect(await component.textContent()).toMatch(/^✔ Chữ ký số hợp lệ \(ký bởi .+ lúc \d\d\/\d\d\/\d{4} \d\d:\d\d\)$/);

    // By keyboard: the action is a button reached and pressed like any other.
    await citizen.getByRole('button', { name: `Kiểm tra chữ ký số ${resultCode}` }).focus();
    await citizen.keyboard.press('Enter');
    const report = citizen.getByTestId(`signature-report-${resultCode}`);
    await report.waitFor();
    expect(await report.locator('strong').textContent()).toBe('✔ Chữ ký số hợp lệ');
    // Both signatures, in the order signed: the approver's personal one, then the agency's.
    expect(await report.locator('.signature-count').textContent()).toBe(' — 2 chữ ký, theo thứ tự ký');
    const items = report.getByTestId('signature-item');
    expect(await items.count()).toBe(2);
    expect(await items.nth(0).locator('.signature-ordinal').textContent()).toBe('Chữ ký 1/2: ✔ hợp lệ');
    expect(await items.nth(0).locator('dd').first().textContent()).toContain('Lãnh đạo');
    expect(await items.nth(1).locator('dd').first().textContent()).toBe('UBND xã Minh Khai (demo)');
    const fields = Object.fromEntries(await report.locator('dt').evaluateAll((terms) => terms.map((term) => [term.textContent, term.nextElementSibling?.textContent])));
    expect(fields['Cơ quan']).toContain('DEMO.01.H01');
    expect(fields['Thời điểm ký']).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    expect(fields['Chứng thư gốc tin cậy']).toContain('CN=');
    expect(fields['Người ký']).toBeTruthy();
    await report.scrollIntoViewIfNeeded();
    await citizen.screenshot({ path: path.join(screenshots, 'result-signature-portal.png') });

    // English: the same report in the other language.
    await citizen.getByRole('button', { name: 'English' }).click();
    await citizen.getByRole('button', { name: `Check the digital signature ${resultCode}` }).click();
    await expect.poll(() => report.locator('strong').textContent()).toBe('✔ Valid digital signature');
  });

  it('the one-stop desk sees the component’s signature and checks the result’s in the workspace', async () => {
    const official = await signedIn('/xu-ly', 'motcua.xa');
    const row = official.locator(`[data-testid="task-row"][data-code="${code}"]`);
    await expect
      .poll(async () => {
        if (await row.isVisible()) return true;
        await official.getByRole('button', { name: 'Tải lại' }).click();
        return false;
      }, { timeout: 30_000, interval: 1000 })
      .toBe(true);
    await row.locator('.ws-task-open').click();
    await official.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
    expect(await official.getByTestId('dossier-components').getByTestId('component-signature').textContent()).toContain('✔ Chữ ký số hợp lệ');
    await official.getByTestId('dossier-results').getByRole('button', { name: `Kiểm tra chữ ký số ${resultCode}` }).click();
    const report = official.getByTestId(`signature-report-${resultCode}`);
    await report.waitFor();
    expect(await report.locator('strong').textContent()).toBe('✔ Chữ ký số hợp lệ');
    expect(await report.textContent()).toContain('DEMO.01.H01');
    await report.scrollIntoViewIfNeeded();
    await official.screenshot({ path: path.join(screenshots, 'result-signature-workspace.png') });
  });
});
