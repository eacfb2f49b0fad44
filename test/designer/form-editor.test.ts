import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_COMPONENT_TYPES } from '../../engine/forms/form-schema.ts';
import { projectRoot } from '../../server/paths.ts';
import { browserAvailable } from '../support/browser.ts';
import { useDesignerPage } from '../support/designer-page.ts';
import { createTestAccount, signInPage } from '../support/sign-in.ts';

const TO_KHAI = '1.001193.to-khai';
const toKhaiFile = path.join(projectRoot, 'processes/dang-ky-khai-sinh/forms/to-khai.form.json');
const shot = (name: string) => `/tmp/formeditor-${name}.png`;

describe.runIf(browserAvailable)('the designer: the form editor beside the BPMN (Chromium, docs/dossiers.md)', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const dialog = (on: Page) => on.getByRole('dialog', { name: 'Biểu mẫu điện tử' });
  const latest = async (code: string) => {
    const response = await page().request.get(`${designer.api.url}/api/forms/${encodeURIComponent(code)}`);
    return response.status() === 404 ? undefined : ((await response.json()) as { version: number; schema: { components: Array<{ type: string; key?: string; components?: unknown[] }> } });
  };
  const openBirthRegistration = async (on: Page) => {
    await on.goto(designer.api.url);
    await on.getByLabel('Danh mục thủ tục').selectOption('dang-ky-khai-sinh|to-be');
    await on.locator('.djs-element[data-element-id="Start_can_khai_sinh"]').waitFor();
  };
  const textfieldKeys = (schema: { components: Array<{ type: string; key?: string; components?: unknown[] }> }): string[] =>
    schema.components.flatMap((each) => (each.type === 'group' ? textfieldKeys(each as never) : each.type === 'textfield' ? [each.key!] : []));

  it('opens the application form from the start event, adds a text field and saves it as the next version', async () => {
    // The catalogue's form, saved once as the demo does: version 1.
    const saved = await page().request.put(`${designer.api.url}/api/forms/${TO_KHAI}`, {
      headers: { 'X-CSRF-Token': designer.staff!.csrfToken },
      data: JSON.parse(await readFile(toKhaiFile, 'utf8')),
    });
    expect(saved.status()).toBe(201);
    const before = (await latest(TO_KHAI))!;

    await openBirthRegistration(page());
    await page().locator('.djs-element[data-element-id="Start_can_khai_sinh"]').click();
    // The bar above the properties panel names the selected step's form.
    await expect.poll(() => page().locator('.forms-entry').textContent()).toBe('Biểu mẫuto-khai · Cần đăng ký khai sinh cho trẻ');
    await page().screenshot({ path: shot('context-pad') });
    await page().locator('.djs-context-pad [data-action="qt-form"]').click();
    const editor = dialog(page());
    await expect.poll(() => editor.locator('.form-code').textContent()).toBe(`Mã biểu mẫu: ${TO_KHAI} · phiên bản ${before.version}`);
    expect(await editor.getByLabel('Ký hiệu (qt:form)').inputValue()).toBe('to-khai');
    // The palette offers only what the server accepts.
    const offered = await editor.locator('.fjs-palette-field').evaluateAll((buttons) => buttons.map((button) => (button as HTMLElement).dataset.fieldType!));
    expect(offered.sort()).toEqual([...SUPPORTED_COMPONENT_TYPES].sort());
    await page().screenshot({ path: shot('opened') });

    // Enter on a palette entry appends the component: the keyboard's way in.
    await editor.locator('.fjs-palette-field[data-field-type="textfield"]').press('Enter');
    await editor.getByRole('button', { name: 'Lưu biểu mẫu' }).click();
    await expect.poll(() => editor.locator('.form-editor-outcome').textContent()).toBe(`Đã lưu phiên bản ${before.version + 1}`);
    const after = (await latest(TO_KHAI))!;
    expect(after.version).toBe(before.version + 1);
    expect(textfieldKeys(after.schema).length).toBe(textfieldKeys(before.schema).length + 1);
    expect(await editor.locator('.form-code').textContent()).toBe(`Mã biểu mẫu: ${TO_KHAI} · phiên bản ${after.version}`);
    await page().screenshot({ path: shot('saved') });
  });

  it("shows the server's refusal of a bad form, naming the component, and stores nothing", async () => {
    const editor = dialog(page());
    const before = (await latest(TO_KHAI))!;
    // The text field just added: a custom property qt:format with a value the server does not know.
    await editor.locator('.fjs-form-field-textfield').last().click();
    const custom = editor.locator('[data-group-id="group-custom-values"]');
    await custom.locator('.bio-properties-panel-add-entry').click();
    await custom.locator('[data-entry-id="property-0-key"] input').fill('qt:format');
    await custom.locator('[data-entry-id="property-0-value"] input').fill('cmnd');
    await editor.getByRole('button', { name: 'Lưu biểu mẫu' }).click();
    const outcome = editor.locator('.form-editor-outcome');
    await expect.poll(() => outcome.textContent()).toContain('Máy chủ không nhận biểu mẫu');
    expect(await editor.locator('.form-problems li').first().textContent()).toMatch(/^thành phần "textfield_\w+": qt:format "cmnd" không có; các định dạng: cccd, date, phone, taxId, email, province, commune \(body\.components\[\d+\]\.properties\.qt:format\)$/);
    await page().screenshot({ path: shot('refused') });
    // The problem leads to its component: selected, its properties beside it.
    await editor.locator('.fjs-form-field-text').first().click();
    await expect.poll(() => custom.locator('[data-entry-id="property-0-value"] input').count()).toBe(0);
    await editor.locator('.form-problems li button').first().click();
    await expect.poll(() => custom.locator('[data-entry-id="property-0-value"] input').inputValue()).toBe('cmnd');
    expect((await latest(TO_KHAI))!.version).toBe(before.version);

    // Closing with the refused edits asks first.
    await editor.getByRole('button', { name: 'Đóng' }).click();
    await page().getByRole('alertdialog').getByRole('button', { name: 'Bỏ thay đổi' }).click();
    await expect.poll(() => dialog(page()).count()).toBe(0);
  });

  it('gives a step without a form its symbol (qt:form on the element) and saves a new form with the national heading', async () => {
    await page().getByRole('button', { name: 'Biểu mẫu', exact: true }).click();
    const editor = dialog(page());
    await editor.getByLabel('Bước').selectOption('Task_tu_choi');
    await expect.poll(() => editor.getByRole('status').first().textContent()).toContain('Bước này chưa có biểu mẫu');
    const symbol = editor.getByLabel('Ký hiệu (qt:form)');
    await symbol.fill('Văn bản');
    await expect.poll(() => editor.getByText('Ký hiệu gồm chữ thường không dấu').count()).toBe(1);
    await symbol.fill('van-ban-tu-choi');
    await symbol.press('Enter');
    await expect.poll(() => editor.locator('.form-code').textContent()).toBe('Mã biểu mẫu: 1.001193.van-ban-tu-choi · mới, chưa lưu');
    expect(await editor.locator('.form-editor-outcome').textContent()).toBe('Đã ghi vào bước (lưu mô hình để giữ thay đổi này): qt:form="van-ban-tu-choi"');
    expect(await editor.locator('.fjs-form-field-text').first().textContent()).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    // The help lists the two qt properties and their values.
    await editor.getByRole('button', { name: 'Hướng dẫn' }).click();
    expect(await editor.locator('#form-editor-help').textContent()).toMatch(/qt:format: .*cccd.*province.*qt:autofill: .*holder\.idNumber/s);
    await page().screenshot({ path: shot('new-form') });
    await editor.getByRole('button', { name: 'Hướng dẫn' }).click();
    await editor.getByRole('button', { name: 'Lưu biểu mẫu' }).click();
    await expect.poll(() => editor.locator('.form-editor-outcome').textContent()).toBe('Đã lưu phiên bản 1');
    expect((await latest('1.001193.van-ban-tu-choi'))?.version).toBe(1);
    const xml = await page().evaluate(async () => (await window.quyTrinhModeler!.saveXML()).xml!);
    expect(xml).toMatch(/<bpmn:userTask id="Task_tu_choi"[^>]* qt:form="van-ban-tu-choi"/);
    await editor.getByRole('button', { name: 'Đóng' }).click();
    // The focus goes back to the button that opened the dialog.
    expect(await page().evaluate(() => document.activeElement?.textContent)).toBe('Biểu mẫu');
    // Chromium logs the two refusals the dialog expects: the bad form (400) and the form not saved yet (404).
    expect(designer.pageErrors.filter((error) => !/status of (400 \(Bad Request\)|404 \(Not Found\))$/.test(error))).toEqual([]);
    expect(designer.pageErrors.length).toBe(2);
  });

  it('lets an analyst open and view a form but not save it, saying why', async () => {
    const context = await designer.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const analystPage = await context.newPage();
    try {
      await signInPage(analystPage, designer.api, await createTestAccount(designer.database.db, { username: 'phantich.lan', displayName: 'Lê Thị Lan', roles: ['analyst'] }));
      await openBirthRegistration(analystPage);
      await analystPage.locator('.djs-element[data-element-id="Start_can_khai_sinh"]').click();
      await analystPage.getByRole('button', { name: 'Biểu mẫu', exact: true }).click();
      const editor = dialog(analystPage);
      await expect.poll(() => editor.locator('.form-code').textContent()).toMatch(new RegExp(`^Mã biểu mẫu: ${TO_KHAI.replaceAll('.', '\\.')} · phiên bản \\d+$`));
      expect(await editor.getByRole('button', { name: 'Lưu biểu mẫu' }).isDisabled()).toBe(true);
      expect(await editor.getByLabel('Ký hiệu (qt:form)').isDisabled()).toBe(true);
      expect(await editor.getByText('Bạn đăng nhập với vai trò phân tích viên').count()).toBe(1);
      await analystPage.screenshot({ path: shot('analyst') });
    } finally {
      await context.close();
    }
  });
});
