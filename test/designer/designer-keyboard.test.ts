import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { projectRoot } from '../../server/paths.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/** The widest catalogue model: the inter-connected birth, residence and health-insurance procedure (Circular 01 Art. 16.4). */
const wideModel = path.join(projectRoot, 'processes/lien-thong-khai-sinh-thuong-tru-bhyt/as-is.bpmn');
const birthToBe = path.join(projectRoot, 'processes/dang-ky-khai-sinh/to-be.bpmn');

describe.runIf(browserAvailable)('the designer at 1366×768 by keyboard: zoom, tabs, labels, a bad file, the procedures cut (Chromium)', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const zoom = () => page().evaluate(() => window.quyTrinhModeler!.get<{ zoom(): number }>('canvas').zoom());
  const tab = (name: string) => page().getByRole('tab', { name });
  const panel = () => page().getByTestId('properties-panel');
  const exportedXml = async () => {
    const [download] = await Promise.all([page().waitForEvent('download'), page().getByRole('button', { name: 'Tải BPMN' }).click()]);
    return readFile(await download.path(), 'utf8');
  };

  it('reaches every control of the toolbar with Tab, each with a name', async () => {
    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    const controls = page().locator('.toolbar').locator('button:not([disabled]), select:not([disabled]), input:not([hidden]), a[href]');
    const names = await controls.evaluateAll((elements) => elements.map((element) => (element.getAttribute('aria-label') ?? element.textContent ?? '').trim()));
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => name === '')).toEqual([]);
    await controls.evaluateAll((elements) => elements.forEach((element, index) => element.setAttribute('data-control', String(index))));
    const reached = new Set<string>();
    for (let presses = 0; presses < 40 && reached.size < names.length; presses++) {
      await page().keyboard.press('Tab');
      const control = await page().evaluate(() => document.activeElement?.getAttribute('data-control'));
      if (control) reached.add(control);
    }
    expect([...reached].sort((a, b) => Number(a) - Number(b))).toEqual(names.map((_, index) => String(index)));
  });

  it('reaches "Mở tệp" with Tab, opens the file chooser with Enter, and explains a file that is not BPMN in Vietnamese and in English', async () => {
    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    const focused = () => page().evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    let presses = 0;
    while ((await focused()) !== 'Mở tệp' && presses < 10) {
      await page().keyboard.press('Tab');
      presses++;
    }
    expect(await focused()).toBe('Mở tệp');
    const notXml = path.join(os.tmpdir(), 'khong-phai-bpmn.bpmn');
    await writeFile(notXml, 'Đây là một văn bản, không phải sơ đồ.');
    // Enter must reach the hidden file input (the click that opens the system's file chooser).
    // Counted in the page rather than awaited as Playwright's 'filechooser' event, which Chromium
    // does not always deliver under load (the second CI pass timed out on it once).
    const fileInput = page().locator('input[type="file"]');
    await fileInput.evaluate((input) => input.addEventListener('click', () => input.setAttribute('data-opened', String(Number(input.getAttribute('data-opened') ?? 0) + 1))));
    await page().keyboard.press('Enter');
    await expect.poll(() => fileInput.getAttribute('data-opened')).toBe('1');
    await fileInput.setInputFiles(notXml);
    const problem = page().getByTestId('import-error');
    await expect.poll(() => problem.textContent()).toContain('Tệp không phải là XML hợp lệ, nên không phải sơ đồ BPMN');
    expect(await problem.getAttribute('role')).toBe('alert');
    // The reader's own words only under "Chi tiết kỹ thuật", folded.
    expect(await problem.locator('code').isVisible()).toBe(false);

    const broken = path.join(os.tmpdir(), 'hong.bpmn');
    await writeFile(broken, (await readFile(birthToBe, 'utf8')).replace('</bpmn:process>', ''));
    await fileInput.setInputFiles(broken);
    await expect.poll(() => problem.textContent()).toMatch(/Tệp XML bị hỏng \(thẻ mở và thẻ đóng không khớp, hoặc tệp bị cắt ngắn\) \(dòng \d+, cột \d+\)/);
    const notBpmn = path.join(os.tmpdir(), 'khong-phai-bpmn.xml');
    await writeFile(notBpmn, '<?xml version="1.0"?><hoSo><ten>Nguyễn Văn A</ten></hoSo>');
    await fileInput.setInputFiles(notBpmn);
    await expect.poll(() => problem.textContent()).toContain('Tệp là XML nhưng không phải sơ đồ BPMN 2.0');
    await page().screenshot({ path: path.join(screenshots, 'designer-bad-file-vi.png') });
    await page().getByRole('button', { name: 'English' }).click();
    await expect.poll(() => problem.textContent()).toContain('The file is XML but not a BPMN 2.0 diagram');
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
    await problem.getByRole('button', { name: 'Đóng' }).click();
    expect(await problem.count()).toBe(0);
  });

  it('labels the stage selector and shows the stage in Vietnamese; the model name is shown whole', async () => {
    await page().locator('input[type="file"]').setInputFiles(wideModel);
    await page().getByTestId('cost-per-dossier').waitFor();
    const stage = page().getByRole('combobox', { name: 'Giai đoạn của mô hình' });
    expect(await stage.inputValue()).toBe('as-is');
    expect(await stage.locator('option:checked').textContent()).toBe('Hiện trạng');
    expect(await stage.locator('option').allTextContents()).toEqual(['Hiện trạng', 'Sau tái cấu trúc']);
    // The longest name of the catalogue, from its menu: not cut off.
    await page().getByRole('combobox', { name: 'Danh mục thủ tục' }).selectOption('lien-thong-khai-sinh-thuong-tru-bhyt|to-be');
    const name = page().getByRole('textbox', { name: 'Tên mô hình' });
    await expect.poll(() => name.inputValue()).toMatch(/^Liên thông đăng ký khai sinh.*\(tái cấu trúc\)$/);
    const cut = () => page().locator('.model-name').evaluate((field: HTMLTextAreaElement) => field.scrollWidth > field.clientWidth || field.scrollHeight > field.clientHeight);
    expect(await cut()).toBe(false);
    expect(await stage.inputValue()).toBe('to-be');
    await page().getByRole('button', { name: 'English' }).click();
    await page().getByRole('button', { name: 'Tiếng Việt' }).waitFor();
    expect(await cut()).toBe(false);
    expect(await page().getByRole('combobox', { name: 'Model stage' }).locator('option:checked').textContent()).toBe('To-be (restructured)');
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  it('zooms in, out, to the whole diagram and to its lanes’ height, where the steps’ names are readable', async () => {
    await page().locator('input[type="file"]').setInputFiles(wideModel);
    await page().getByTestId('cost-per-dossier').waitFor();
    const fitted = await zoom();
    expect(fitted).toBeLessThan(0.3); // the whole of a 3 550 px wide procedure
    await page().getByRole('button', { name: 'Phóng to' }).click();
    await expect.poll(zoom).toBeGreaterThan(fitted);
    const zoomedIn = await zoom();
    await expect.poll(() => page().getByTestId('zoom-level').textContent()).toBe(`${Math.round(zoomedIn * 100)} %`);
    // By keyboard: the zoom-out button is one Shift+Tab before the level.
    await page().getByRole('button', { name: 'Thu nhỏ' }).focus();
    await page().keyboard.press('Enter');
    await expect.poll(zoom).toBeLessThan(zoomedIn);
    await page().getByRole('button', { name: 'Vừa khung' }).click();
    await expect.poll(zoom).toBeCloseTo(fitted, 5);

    await page().getByRole('button', { name: 'Vừa chiều cao' }).click();
    await expect.poll(zoom).toBeGreaterThan(0.6);
    const canvas = (await page().getByTestId('canvas').boundingBox())!;
    // Every lane from top to bottom, and the start event at the left, in view.
    const pool = (await page().locator('.djs-element.djs-shape[data-element-id^="Participant"] > .djs-visual').first().boundingBox())!;
    expect(pool.y).toBeGreaterThanOrEqual(canvas.y);
    expect(pool.y + pool.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    const startId = await page().evaluate(() => window.quyTrinhModeler!.get<{ filter(match: (element: { type: string }) => boolean): Array<{ id: string }> }>('elementRegistry').filter((element) => element.type === 'bpmn:StartEvent')[0]!.id);
    const start = (await page().locator(`.djs-element[data-element-id="${startId}"] > .djs-visual`).boundingBox())!;
    expect(start.x).toBeGreaterThan(canvas.x);
    expect(start.x + start.width).toBeLessThan(canvas.x + canvas.width);
    // A step's name drawn at 9 px or more on screen (bpmn-js writes them at 12 px).
    const textHeight = await page().locator('.djs-element.djs-shape[data-element-id^="Task"] .djs-visual text').first().evaluate((text) => text.getBoundingClientRect().height / text.querySelectorAll('tspan').length);
    expect(textHeight).toBeGreaterThanOrEqual(9);
    await page().screenshot({ path: path.join(screenshots, 'designer-1366-fit-height.png') });
  });

  it('shows the properties panel in its tab without scrolling, and the checks and deployment in theirs, by keyboard too', async () => {
    expect(await tab('Thuộc tính').getAttribute('aria-selected')).toBe('true');
    const box = (await panel().boundingBox())!;
    expect(box.y).toBeLessThan(300);
    expect(box.y + box.height).toBeLessThanOrEqual(768);
    expect(await page().locator('.inspector').evaluate((inspector) => inspector.scrollHeight <= inspector.clientHeight)).toBe(true);
    await tab('Thuộc tính').focus();
    await page().keyboard.press('ArrowRight');
    expect(await tab('Kiểm tra, triển khai').getAttribute('aria-selected')).toBe('true');
    expect(await page().evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tab');
    await page().getByRole('region', { name: 'Kiểm tra' }).waitFor();
    await page().getByRole('region', { name: 'Triển khai' }).waitFor();
    expect(await panel().isVisible()).toBe(false);
    await page().keyboard.press('ArrowRight'); // round to the first
    expect(await tab('Thuộc tính').getAttribute('aria-selected')).toBe('true');
    await page().keyboard.press('End');
    expect(await tab('Kiểm tra, triển khai').getAttribute('aria-selected')).toBe('true');
    await page().keyboard.press('Home');
    expect(await tab('Thuộc tính').getAttribute('aria-selected')).toBe('true');
    expect(await panel().isVisible()).toBe(true);
    await page().screenshot({ path: path.join(screenshots, 'designer-1366-keyboard-vi.png') });
    await page().getByRole('button', { name: 'English' }).click();
    await tab('Properties').waitFor();
    await page().screenshot({ path: path.join(screenshots, 'designer-1366-keyboard-en.png') });
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  it('adds, edits and removes the procedures the restructuring cuts, written into the XML the engine reads', async () => {
    await page().goto(designer.api.url);
    await page().locator('input[type="file"]').setInputFiles(birthToBe);
    await page().getByTestId('cost-per-dossier').waitFor();
    // Nothing selected in a one-pool model: the process's own groups.
    await page().evaluate(() => window.quyTrinhModeler!.get<{ select(elements: unknown[]): void }>('selection').select([]));
    const group = panel().locator('[data-group-id="group-qt-cut-procedures"]');
    await group.getByText('Thủ tục hành chính được cắt giảm').click();
    for (const [name, code, how] of [['Đăng ký thường trú cho trẻ em', '1.004222', 'merged'], ['Cấp giấy chứng sinh bản giấy', '', 'not-required']] as const) {
      await group.getByTitle('Thêm một mục').click();
      // The panel's list opens the first item added; a later one opens with a click on its header.
      const added = group.locator('.bio-properties-panel-collapsible-entry').last();
      if (!(await added.getByLabel('Tên thủ tục').isVisible())) await added.locator('.bio-properties-panel-collapsible-entry-header').click();
      const nameField = group.getByLabel('Tên thủ tục').last();
      await nameField.fill('');
      await expect.poll(() => group.locator('.bio-properties-panel-error').first().textContent()).toBe('Thủ tục được cắt giảm phải có tên');
      await nameField.fill(name);
      if (code) await group.getByLabel('Mã thủ tục (không bắt buộc)').last().fill(code);
      await group.getByLabel('Cách cắt giảm').last().selectOption(how);
      await expect.poll(() => group.locator('.bio-properties-panel-collapsible-entry-header-title').last().textContent()).toBe(name);
    }
    expect(await group.getByLabel('Cách cắt giảm').first().locator('option').allTextContents()).toEqual(['Gộp vào thủ tục này', 'Bãi bỏ', 'Không còn cần']);
    await page().screenshot({ path: path.join(screenshots, 'designer-cut-procedures-vi.png') });
    let xml = await exportedXml();
    expect(xml).toMatch(/<qt:cutProcedure code="1.004222" name="Đăng ký thường trú cho trẻ em" how="merged" \/>/);
    expect(xml).toMatch(/<qt:cutProcedure name="Cấp giấy chứng sinh bản giấy" how="not-required" \/>/);
    expect((await readProcess(xml)).procedure.cutProcedures).toEqual([
      { code: '1.004222', name: 'Đăng ký thường trú cho trẻ em', how: 'merged' },
      { name: 'Cấp giấy chứng sinh bản giấy', how: 'not-required' },
    ]);

    // Edit the first (abolished, renamed), remove the second.
    await group.getByLabel('Cách cắt giảm').first().selectOption('abolished');
    await group.getByLabel('Tên thủ tục').first().fill('Đăng ký thường trú');
    await expect.poll(() => group.locator('.bio-properties-panel-collapsible-entry-header-title').first().textContent()).toBe('Đăng ký thường trú');
    // The remove button shows on the item's header under the pointer.
    const second = group.locator('.bio-properties-panel-collapsible-entry').last();
    await second.locator('.bio-properties-panel-collapsible-entry-header').hover();
    await second.getByTitle('Xóa mục').click();
    await expect.poll(() => group.locator('.bio-properties-panel-collapsible-entry').count()).toBe(1);
    xml = await exportedXml();
    expect((await readProcess(xml)).procedure.cutProcedures).toEqual([{ code: '1.004222', name: 'Đăng ký thường trú', how: 'abolished' }]);

    await page().getByRole('button', { name: 'English' }).click();
    await group.getByText('Administrative procedures cut').waitFor();
    await page().screenshot({ path: path.join(screenshots, 'designer-cut-procedures-en.png') });
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  it('logged no error or warning in the page', () => {
    expect(designer.pageErrors).toEqual([]);
  });
});
