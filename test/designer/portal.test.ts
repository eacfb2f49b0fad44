import path from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData, DEMO_PASSWORD } from '../../server/identity/demo.ts';
import { BIRTH_CHILD_TEXT } from '../support/birth-application.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { fieldsOf, fillRequiredFields, portalInput, type ApplicationForm, type FormField } from '../support/portal-form.ts';

/** A demo citizen of server/identity/demo.ts (level 2), and the catalogue's birth registration (Decree 45 submission online). */
const CITIZEN = '001099054321';
const BIRTH_REGISTRATION = '1.001193';
const PREFILL_NOTE = 'Tự điền từ tài khoản/kho dữ liệu — kiểm tra lại';

/** The smallest well-formed PDF: what a scanned component is sent as. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');


/** dd/mm/yyyy HH:mm in Vietnam time, computed here independently of the page. */
const vietnamTime = (iso: string) => {
  const shifted = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(shifted.getUTCDate())}/${two(shifted.getUTCMonth() + 1)}/${shifted.getUTCFullYear()} ${two(shifted.getUTCHours())}:${two(shifted.getUTCMinutes())}`;
};

/** A plausible answer for a required text field of the birth registration form, by its key. */
const TEXT_ANSWERS: Record<string, string> = {
  hoTen: 'Trần Thị Bình',
  soDinhDanh: CITIZEN,
  xa: 'Phường Minh Khai',
  diaChi: 'Số 12, ngõ 34, phố Minh Khai',
  soDienThoai: '0912345678',
  ...BIRTH_CHILD_TEXT,
  hoTenTre: 'Nguyễn Minh Khôi',
};

describe.runIf(browserAvailable)('the citizen portal /cong-dich-vu (Chromium, 1366×768, vi-VN)', () => {
  const designer = useDesignerPage({ signedIn: false });
  let page: Page;
  const pageErrors: string[] = [];
  /** Every POST /api/dossiers the page sent. */
  const submissions: string[] = [];
  let procedureKey: string;
  let form: ApplicationForm;

  const submitButton = () => page.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).and(page.locator('.portal-submit'));
  /** A form-js field's own input (a date's date part, a radio group's first option), by the field's id in the schema: labels repeat across the form's groups. */
  const input = (field: FormField) => portalInput(page, field);
  /** What form-js shows under a field: its description and its errors. */
  const description = (field: FormField) => page.locator(`.portal-form [id$="-${field.id}-description"]`);
  const errors = (field: FormField) => page.locator(`.portal-form [id$="-${field.id}-error-message"]`);

  beforeAll(async () => {
    await createDemoData(designer.database.db, pino({ level: 'silent' }));
    // A Vietnamese browser: form-js's date picker reads and writes dates as the browser's locale does (dd/mm/yyyy).
    page = await designer.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    page.on('console', (message) => {
      // Refusals the test provokes are answered 4xx on purpose; the page shows them.
      if (message.type() === 'error' && /status of 4\d\d/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') pageErrors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/dossiers') submissions.push(request.url());
    });
  });
  afterAll(async () => {
    await page?.close();
  });

  it('signs a demo citizen in from the keyboard, and offers registration and the public lookup first', async () => {
    await page.goto(`${designer.api.url}/cong-dich-vu`);
    await page.getByRole('heading', { name: 'Đăng nhập để nộp hồ sơ' }).waitFor();
    expect(await page.getByRole('button', { name: 'Đăng ký tài khoản' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Tra cứu hồ sơ, kết quả (không cần đăng nhập)' }).getAttribute('href')).toBe('/tra-cuu');
    await page.getByLabel('Tên đăng nhập').focus();
    await page.keyboard.type(CITIZEN);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    const [answer] = await Promise.all([page.waitForResponse((response) => response.url().endsWith('/api/session') && response.request().method() === 'POST'), page.keyboard.press('Enter')]);
    expect(answer.status()).toBe(200);
    await page.getByRole('tab', { name: 'Nộp hồ sơ' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Nộp hồ sơ' }).getAttribute('aria-selected')).toBe('true');
  });

  it('shows the application form with the fields filled from the account marked for checking', async () => {
    const procedures = (await (await page.request.get(`${designer.api.url}/api/portal/procedures`)).json()) as { items: Array<{ key: string; procedureCode: string | null; agencies: Array<{ code: string }> }> };
    const birth = procedures.items.find((item) => item.procedureCode === BIRTH_REGISTRATION);
    expect(birth).toBeDefined();
    procedureKey = birth!.key;
    form = (await (await page.request.get(`${designer.api.url}/api/portal/procedures/${encodeURIComponent(procedureKey)}/form`)).json()) as ApplicationForm;
    expect(form.prefill.fields.length).toBeGreaterThan(0);

    await page.getByTestId('procedure-select').selectOption(procedureKey);
    if (birth!.agencies.length > 1) await page.getByTestId('agency-select').selectOption(birth!.agencies[0]!.code);
    await page.getByTestId('prefill-summary').waitFor();
    await page.getByText(PREFILL_NOTE).first().waitFor();
    // One note per prefilled field, each under that field, whose input holds the value the server filled in.
    expect(await page.getByText(PREFILL_NOTE).count()).toBe(form.prefill.fields.length);
    const fields = fieldsOf(form.form.schema);
    for (const key of form.prefill.fields) {
      const field = fields.find((candidate) => candidate.key === key)!;
      expect(await description(field).textContent()).toContain(PREFILL_NOTE);
      // The field itself is highlighted, and its input holds the value the server filled in.
      await page.locator(`.fjs-form-field.portal-prefilled:has(> [id$="-${field.id}-description"])`).waitFor();
      if (field.type === 'textfield') expect(await input(field).inputValue()).toBe(form.prefill.values[key]);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await page.screenshot({ path: path.join(screenshots, 'portal-form.png') });
  });

  it('refuses in the browser, sending nothing, an application with a required field empty', async () => {
    const child = fieldsOf(form.form.schema).find((field) => field.key === 'hoTenTre')!;
    expect(child.validate?.required).toBe(true);
    await submitButton().click();
    await expect.poll(() => page.getByTestId('portal-refusal').textContent()).toBe('Hồ sơ chưa nộp: còn trường bắt buộc chưa điền hoặc chưa hợp lệ (xem các ô được đánh dấu).');
    expect(await errors(child).textContent()).toBe('Trường này là bắt buộc.');
    expect(await input(child).getAttribute('aria-invalid')).toBe('true');
    // A missing required component is named too, by the page.
    for (const component of form.components.filter((slot) => slot.required)) expect(await page.getByText(`Thiếu thành phần bắt buộc: ${component.name}.`).isVisible()).toBe(true);
    expect(submissions).toEqual([]);
    await page.screenshot({ path: path.join(screenshots, 'portal-refused-in-browser.png') });
  });

  it('refuses a component of the wrong type in the browser, in words', async () => {
    const first = page.locator('#portal-component-0');
    await first.setInputFiles({ name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('không phải bản quét') });
    await expect.poll(() => page.getByText(/^Tệp ghi-chu\.txt không đúng định dạng được nhận/).isVisible()).toBe(true);
    expect(await first.inputValue()).toBe('');
  });

  it('submits the completed application with its components and shows the receipt with the dossier code', async () => {
    const fields = fieldsOf(form.form.schema);
    await fillRequiredFields(page, form, TEXT_ANSWERS);
    for (const [index, component] of form.components.entries()) {
      await page.locator(`#portal-component-${index}`).setInputFiles({ name: `thanh-phan-${index + 1}.pdf`, mimeType: 'application/pdf', buffer: PDF });
      await page.getByText(`Đã chọn: thanh-phan-${index + 1}.pdf (${PDF.length} B)`).waitFor();
      expect(component.accept).toContain('application/pdf');
    }
    const submission = () => page.waitForResponse((response) => new URL(response.url()).pathname === '/api/dossiers' && response.request().method() === 'POST');

    // A telephone number form-js cannot check is refused by the server, its words under the field (body.data.soDienThoai).
    const phone = fields.find((field) => field.key === 'soDienThoai')!;
    const phoneNumber = await input(phone).inputValue();
    await input(phone).fill('12345');
    const [refused] = await Promise.all([submission(), submitButton().click()]);
    expect(refused.status()).toBe(422);
    const problem = (await refused.json()) as { messages: { vi: string }; errors: Array<{ field: string; messages: { vi: string } }> };
    const phoneError = problem.errors.find((error) => error.field === 'body.data.soDienThoai');
    expect(phoneError).toBeDefined();
    await expect.poll(() => errors(phone).textContent()).toBe(phoneError!.messages.vi);
    await expect.poll(() => page.getByTestId('portal-refusal').textContent()).toBe(problem.messages.vi);
    // The keyboard is taken to the field to correct.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toMatch(new RegExp(`-${phone.id}$`));
    await page.screenshot({ path: path.join(screenshots, 'portal-refused-by-server.png') });
    await input(phone).fill(phoneNumber);

    const [answer] = await Promise.all([submission(), submitButton().click()]);
    const sent = answer.request().postDataJSON() as { procedureKey: string; formVersion: number; data: Record<string, unknown>; components: Array<{ name: string; fileName: string; mediaType: string; contentBase64: string }> };
    expect(answer.status(), await answer.text()).toBe(201);
    expect(sent.procedureKey).toBe(procedureKey);
    expect(sent.formVersion).toBe(form.form.version);
    expect(sent.data.hoTenTre).toBe('Nguyễn Minh Khôi');
    expect(sent.components.map((component) => [component.name, Buffer.from(component.contentBase64, 'base64').equals(PDF)])).toEqual(form.components.map((component) => [component.name, true]));

    const { dossier, receipt } = (await answer.json()) as { dossier: { id: string; code: string; components: Array<{ name: string; size: number }> }; receipt: { code: string; receivedAt: string; receiptDueAt: string } };
    expect(receipt.code).toMatch(/^DEMO\.\d\d\.[A-Z]\d\d-\d{6}-\d{4}$/);
    expect(dossier.components.map((component) => component.size)).toEqual(form.components.map(() => PDF.length));
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt-code').textContent()).toBe(receipt.code);
    expect(await page.getByTestId('receipt-time').textContent()).toBe(vietnamTime(receipt.receivedAt));
    expect(await page.getByText(vietnamTime(receipt.receiptDueAt)).isVisible()).toBe(true);
    const notice = page.getByRole('link', { name: 'Giấy tiếp nhận hồ sơ (PDF)' });
    expect(await notice.getAttribute('href')).toBe(`/api/dossiers/${dossier.id}/notices/receipt.pdf`);
    const printed = await page.request.get(`${designer.api.url}/api/dossiers/${dossier.id}/notices/receipt.pdf`);
    expect(printed.status()).toBe(200);
    expect(printed.headers()['content-type']).toBe('application/pdf');
    expect((await printed.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.screenshot({ path: path.join(screenshots, 'portal-receipt.png') });

    // The new dossier heads "Hồ sơ của tôi", its status in the server's words.
    const listed = (await (await page.request.get(`${designer.api.url}/api/dossiers`)).json()) as { items: Array<{ code: string; statusText: { vi: string } }> };
    expect(listed.items[0]!.code).toBe(receipt.code);
    await page.getByRole('tab', { name: 'Hồ sơ của tôi' }).click();
    const firstRow = page.getByTestId('dossier-list').locator('tbody tr').first();
    await firstRow.waitFor();
    expect(await firstRow.locator('td').first().textContent()).toBe(receipt.code);
    expect(await firstRow.locator('td').nth(3).textContent()).toBe(listed.items[0]!.statusText.vi);
    expect(pageErrors).toEqual([]);
  });
});
