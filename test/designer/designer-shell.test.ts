import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';


describe.runIf(browserAvailable)('the designer in Chromium', () => {
  const designer = useDesignerPage();
  const { pageErrors } = designer;

  it('renders an empty bpmn-js modeler with its palette', async () => {
    await designer.page.goto(designer.api.url);
    await designer.page.locator('.djs-container svg').first().waitFor();
    await expect.poll(() => designer.page.locator('.djs-palette .entry').count()).toBeGreaterThan(10);
    // A new diagram is bpmn-js's blank one: a single start event.
    expect(await designer.page.locator('.djs-element.djs-shape[data-element-id^="StartEvent_"]').count()).toBe(1);
    await designer.page.getByText('CSDL hoạt động').waitFor();
  });

  it('draws a task from the palette and exports it as BPMN XML', async () => {
    await designer.page.locator('.djs-palette .entry.bpmn-icon-task').click();
    const canvas = await designer.page.locator('[data-testid="canvas"]').boundingBox();
    if (!canvas) throw new Error('canvas has no box');
    await designer.page.mouse.move(canvas.x + 420, canvas.y + 260);
    await designer.page.mouse.click(canvas.x + 420, canvas.y + 260);
    await expect.poll(() => designer.page.locator('.djs-element.djs-shape[data-element-id^="Activity_"]').count()).toBe(1);

    const [download] = await Promise.all([designer.page.waitForEvent('download'), designer.page.getByRole('button', { name: 'Tải BPMN' }).click()]);
    expect(download.suggestedFilename()).toBe('Quy-trinh-chua-dat-ten.bpmn');
    const xml = await readFile(await download.path(), 'utf8');
    expect(xml).toMatch(/<bpmn:task id="Activity_\w+"/);
    expect(xml).toMatch(/<bpmndi:BPMNShape id="Activity_\w+_di" bpmnElement="Activity_\w+">/);
  });

  it('saves the drawing to the server as version 1 and lists it', async () => {
    await designer.page.getByLabel('Tên mô hình').fill('Đăng ký khai sinh');
    await designer.page.getByRole('button', { name: 'Lưu', exact: true }).click();
    await designer.page.getByRole('dialog').getByRole('button', { name: 'Lưu phiên bản' }).click();
    await designer.page.getByText('Đã lưu phiên bản 1').waitFor();
    await designer.page.locator('.sidebar').getByText('Đăng ký khai sinh').waitFor();
    const [stored] = await designer.database.db('procedure_model_versions').select<Array<{ xml: string }>>('xml');
    expect(stored?.xml).toMatch(/<bpmn:task id="Activity_/);
    await designer.page.screenshot({ path: path.join(screenshots, 'designer-vi.png') });
  });

  it('switches to English', async () => {
    await designer.page.getByRole('button', { name: 'English' }).click();
    await designer.page.getByRole('button', { name: 'Download BPMN' }).waitFor();
    await designer.page.screenshot({ path: path.join(screenshots, 'designer-en.png') });
  });

  it('logged no error or warning in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
