import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/paths.ts';
import { browserAvailable } from '../support/browser.ts';
import { useDesignerPage } from '../support/designer-page.ts';

const landModel = path.join(projectRoot, 'processes/cap-giay-chung-nhan-quyen-su-dung-dat-lan-dau/to-be.bpmn');

describe.runIf(browserAvailable)('the designer: money and hours typed the way the language writes them (Chromium)', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const shape = (id: string) => page().locator(`.djs-element[data-element-id="${id}"]`);
  const panel = () => page().getByTestId('properties-panel');
  const errorOf = (id: string) => panel().locator(`[data-entry-id="${id}"] .bio-properties-panel-error`);
  const select = async (id: string) => {
    const canvas = await page().getByTestId('canvas').boundingBox();
    if (!canvas) throw new Error('canvas has no box');
    await page().mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height - 60);
    await shape(id).click();
  };
  /** A qt attribute as the model holds it now (what the export writes). */
  const stored = (elementId: string, name: string) =>
    page().evaluate(([id, attribute]) => {
      const modeler = window.quyTrinhModeler!;
      const element = modeler.get<{ get(id: string): { businessObject: { get(name: string): unknown } } }>('elementRegistry').get(id!);
      return element.businessObject.get(`qt:${attribute}`);
    }, [elementId, name]);
  const exportedTask = async (button: string, id: string) => {
    const [download] = await Promise.all([page().waitForEvent('download'), page().getByRole('button', { name: button }).click()]);
    const xml = await readFile(await download.path(), 'utf8');
    return new RegExp(`<bpmn:(?:userTask|serviceTask) id="${id}"[^>]*>`).exec(xml)?.[0] ?? '';
  };

  it('reads 50.000 as fifty thousand and 2,5 as two and a half in Vietnamese, and shows 100.000 as stored', async () => {
    await page().goto(designer.api.url);
    await page().locator('input[type="file"]').setInputFiles(landModel);
    await shape('Task_thanh_toan').waitFor();
    await select('Task_thanh_toan');
    const fee = panel().getByLabel('Phí, lệ phí (VNĐ)');
    const hours = panel().getByLabel('Thời gian của người dân (giờ)');
    expect(await fee.inputValue()).toBe('100.000');
    expect(await hours.inputValue()).toBe('0,3');

    await fee.fill('50.000');
    await expect.poll(() => stored('Task_thanh_toan', 'feeVnd')).toBe(50_000);
    await hours.fill('2,5');
    await expect.poll(() => stored('Task_thanh_toan', 'applicantHours')).toBe(2.5);

    // 2.5 is not how Vietnamese writes two and a half: refused, naming the form, nothing written.
    await hours.fill('2.5');
    await expect.poll(() => errorOf('qt-applicantHours').textContent()).toContain('1.400.000 hoặc 2,5');
    // The stored value typed again clears the error.
    await hours.fill('2,5');
    await expect.poll(() => errorOf('qt-applicantHours').count()).toBe(0);
    await fee.fill('abc');
    await expect.poll(() => errorOf('qt-feeVnd').count()).toBe(1);
    await fee.fill('50.000');
    await expect.poll(() => errorOf('qt-feeVnd').count()).toBe(0);
    expect(await stored('Task_thanh_toan', 'feeVnd')).toBe(50_000);
    expect(await stored('Task_thanh_toan', 'applicantHours')).toBe(2.5);

    const task = await exportedTask('Tải BPMN', 'Task_thanh_toan');
    expect(task).toContain('qt:feeVnd="50000"');
    expect(task).toContain('qt:applicantHours="2.5"');

    await select('Task_tiep_nhan');
    await select('Task_thanh_toan');
    expect(await panel().getByLabel('Phí, lệ phí (VNĐ)').inputValue()).toBe('50.000');
    expect(await panel().getByLabel('Thời gian của người dân (giờ)').inputValue()).toBe('2,5');
  });

  it('reads 50,000 and 2.5 in English, refuses 2,5 there, and shows the stored fee as 50,000', async () => {
    await page().getByRole('button', { name: 'English' }).click();
    await select('Task_thanh_toan');
    await expect.poll(() => panel().getByLabel('Fees and charges (VND)').inputValue()).toBe('50,000');

    await select('Task_xac_nhan');
    const fee = panel().getByLabel('Fees and charges (VND)');
    const hours = panel().getByLabel("Applicant's time (hours)");
    await fee.fill('1,400,000');
    await expect.poll(() => stored('Task_xac_nhan', 'feeVnd')).toBe(1_400_000);
    await fee.fill('50,000');
    await expect.poll(() => stored('Task_xac_nhan', 'feeVnd')).toBe(50_000);
    await hours.fill('2,5');
    await expect.poll(() => errorOf('qt-applicantHours').textContent()).toContain('1,400,000 or 2.5');
    expect(await stored('Task_xac_nhan', 'applicantHours')).toBeUndefined();
    await hours.fill('2.5');
    await expect.poll(() => stored('Task_xac_nhan', 'applicantHours')).toBe(2.5);
    await expect.poll(() => errorOf('qt-applicantHours').count()).toBe(0);

    const task = await exportedTask('Download BPMN', 'Task_xac_nhan');
    expect(task).toContain('qt:feeVnd="50000"');
    expect(task).toContain('qt:applicantHours="2.5"');
    await select('Task_thanh_toan');
    await select('Task_xac_nhan');
    expect(await panel().getByLabel('Fees and charges (VND)').inputValue()).toBe('50,000');
    expect(await panel().getByLabel("Officials' time (hours)").inputValue()).toBe('2');
  });
});
