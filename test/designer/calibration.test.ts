import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatNumber, formatVnd } from '../../designer/src/format.ts';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { analyseProcedureCost } from '../../engine/cost/procedure-cost.ts';
import { projectRoot } from '../../server/paths.ts';
import { browserAvailable } from '../support/browser.ts';
import { birthHistories, skippedStep } from '../support/calibration-history.ts';
import { seedExecutedHistories } from '../support/calibration-seed.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/**
 * Issue 14, calibration in the compare view: the catalogue's birth registration deployed with a
 * fixture history (test/support/calibration-history.ts, figures worked out by hand in
 * test/engine/calibration/calibration.test.ts), then "Hiệu chỉnh theo thực tế" shows the predicted
 * and as-executed cost and lead time side by side, each step and branch with its sample size.
 */
describe.runIf(browserAvailable)('calibration in the designer’s compare view (Chromium)', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const view = () => page().locator('main.compare');
  const toBeXml = readFile(path.join(projectRoot, 'processes/dang-ky-khai-sinh/to-be.bpmn'), 'utf8');

  beforeAll(async () => {
    const deployed = await designer.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: await toBeXml });
    expect(deployed.status).toBe(201);
    const definition = await designer.database.db('process_definitions').where({ key: 'Process_dang_ky_khai_sinh' }).first<{ id: string }>('id');
    await seedExecutedHistories(designer.database.db, definition.id, [...birthHistories, skippedStep]);
  });

  it('calibrates the birth registration and shows predicted beside as executed with the sample sizes', async () => {
    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    await page().getByRole('button', { name: 'So sánh' }).click();
    await view().getByRole('combobox', { name: 'Thủ tục', exact: true }).selectOption('dang-ky-khai-sinh');
    await view().getByRole('tab', { name: 'Dự kiến và thực tế' }).click();
    const action = view().getByRole('button', { name: 'Hiệu chỉnh theo thực tế' });
    await expect.poll(() => action.isEnabled(), { timeout: 20_000 }).toBe(true);
    // By keyboard, as any action of the view.
    await action.focus();
    await page().keyboard.press('Enter');
    const panel = page().getByTestId('calibration');
    await panel.waitFor({ timeout: 20_000 });

    // The sample: the four dossiers that followed the model, 2–6 March 2026, the fifth left out.
    expect(await panel.getByTestId('calibration-sample').textContent()).toContain('Đo trên 4 hồ sơ từ 02/03/2026 đến 06/03/2026 (1 hồ sơ không theo mô hình, không tính)');
    expect(await panel.getByTestId('calibration-sample').textContent()).toContain('Đã lưu bản hiệu chỉnh thành mô hình “Đăng ký khai sinh — hiệu chỉnh 2026-03-02…2026-03-06”, phiên bản 1.');

    // Predicted from the model as deployed, as executed from the calibrated copy the server saved.
    const saved = await designer.database.db('procedure_model_versions').orderBy('created_at', 'desc').first<{ xml: string }>('xml');
    const predicted = analyseProcedureCost(await readProcess(await toBeXml)).perDossier;
    const asExecuted = analyseProcedureCost(await readProcess(saved.xml)).perDossier;
    expect(await panel.getByTestId('calibration-cost-predicted').textContent()).toBe(formatVnd(predicted.totalVnd, 'vi'));
    expect(await panel.getByTestId('calibration-cost-actual').textContent()).toBe(formatVnd(asExecuted.totalVnd, 'vi'));
    expect(await panel.getByTestId('calibration-lead-time-predicted').textContent()).toBe(formatNumber(predicted.leadTimeWorkingHours, 'vi'));
    expect(await panel.getByTestId('calibration-lead-time-actual').textContent()).toBe(formatNumber(asExecuted.leadTimeWorkingHours, 'vi'));

    // The hand-computed figures: receipt 1 h modelled → 1,3 h measured, the desk worked 1,2 h, waited 0,1 h, 5 stays.
    const receipt = panel.getByTestId('calibration-step-Task_tiep_nhan');
    expect((await receipt.locator('td').allTextContents()).map((text) => text.trim())).toEqual(['1 → 1,3', '0,2 → 1,2', '0,1', '5']);
    // The amendment loop: 10 % modelled, 20 % measured over 5 decisions.
    const loop = panel.getByTestId('calibration-flow-Flow_Gateway_hop_le_Task_huong_dan');
    expect(await loop.textContent()).toContain('vòng bổ sung');
    expect((await loop.locator('td').allTextContents()).map((text) => text.trim())).toEqual(['10 %', '20 %', '5']);
    expect((await panel.getByTestId('calibration-flow-Flow_Gateway_qua_han_Task_thanh_toan').locator('td').allTextContents()).map((text) => text.trim())).toEqual(['10 %', '25 %', '4']);

    // 1366×768: the page does not scroll sideways.
    expect(await page().evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page().screenshot({ path: path.join(screenshots, 'designer-calibration-vi.png') });
    expect(designer.pageErrors).toEqual([]);
  });

  it('switches to English with English number formats', async () => {
    await page().getByRole('button', { name: 'English' }).click();
    const panel = page().getByTestId('calibration');
    await expect.poll(() => panel.locator('thead th').nth(1).textContent()).toBe('Predicted (model)');
    const saved = await designer.database.db('procedure_model_versions').orderBy('created_at', 'desc').first<{ xml: string }>('xml');
    expect(await panel.getByTestId('calibration-cost-actual').textContent()).toBe(formatVnd(analyseProcedureCost(await readProcess(saved.xml)).perDossier.totalVnd, 'en'));
    expect(await panel.getByTestId('calibration-sample').textContent()).toContain('Measured on 4 dossiers from 02/03/2026 to 06/03/2026 (1 not following the model, left out)');
    expect((await panel.getByTestId('calibration-step-Task_tiep_nhan').locator('td').allTextContents()).map((text) => text.trim())).toEqual(['1 → 1.3', '0.2 → 1.2', '0.1', '5']);
    await page().screenshot({ path: path.join(screenshots, 'designer-calibration-en.png') });
  });
});
