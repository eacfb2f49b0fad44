import path from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { useJobRunner } from '../support/api-server.ts';
import { BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { browserAvailable } from '../support/browser.ts';
import { demoBrowserSessions } from '../support/demo-browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/**
 * Issue 14's monitoring in Chromium at 1366×768 (docs/monitoring.md): a real birth registration
 * submitted through the portal's API and brought by the engine to the receipt check; the operator
 * finds it by code at /theo-doi, sees it on its diagram (the current step highlighted, the times
 * each element was entered), retries an incident, opens the procedure's heat map, moves the
 * dossier's token to another step, is refused a migration naming the step, and cancels the
 * dossier with a reason.
 */
describe.runIf(browserAvailable)('monitoring a dossier in the browser (issue 14)', () => {
  const product = useDesignerPage({ signedIn: false });
  useJobRunner(product);
  const sessions = demoBrowserSessions(product);
  let page: Page;
  let dossier: { id: string; code: string; instanceId: string };
  let incidentId: string;
  const errors: string[] = [];

  beforeAll(async () => {
    const db = product.database.db;
    await createDemoData(db, pino({ level: 'silent' }));
    dossier = await submitBirthDossier(product.api, await signInDemo(product.api, '001099054321'));
    page = await sessions.signedIn('/theo-doi', 'kiemsoat', errors);
    await page.getByRole('heading', { name: 'Tìm hồ sơ' }).waitFor();
  }, 120_000);
  afterAll(async () => {
    await sessions.close();
  });

  it('finds the dossier by its code', async () => {
    const db = product.database.db;
    // The engine's workers bring it to the receipt check.
    await expect.poll(async () => (await db('process_instances').where({ id: dossier.instanceId }).first<{ active_element_ids: string[] }>('active_element_ids')).active_element_ids, { timeout: 20_000 }).toEqual(['Task_tiep_nhan']);
    // An incident on the automatic check it passed through, as a failing worker would leave one.
    [{ id: incidentId }] = await db('incidents').insert({ instance_id: dossier.instanceId, element_id: 'Task_doi_chieu', message: 'Cơ sở dữ liệu hộ tịch không trả lời (thử nghiệm)' }).returning<Array<{ id: string }>>('id') as [{ id: string }];
    await page.getByTestId('filter-code').fill(dossier.code);
    await page.getByTestId('filter-from').fill('31/02/2026');
    await page.keyboard.press('Enter');
    // A date that does not exist is named, and nothing is asked.
    await page.getByText('Ngày phải viết dd/mm/yyyy').waitFor();
    await page.getByTestId('filter-from').fill('');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    const row = page.locator(`[data-testid="search-row"][data-code="${dossier.code}"]`);
    await row.waitFor();
    expect(await page.getByTestId('search-row').count()).toBe(1);
    expect(await page.getByTestId('search-total').textContent()).toBe('Tìm thấy 1 kết quả');
    expect(await row.textContent()).toMatch(/\d\d\/\d\d\/\d{4} \d\d:\d\d/);
    expect(await row.textContent()).toContain('Tiếp nhận, kiểm tra hồ sơ điện tử');
    await page.screenshot({ path: path.join(screenshots, 'monitoring-search-vi.png') });
  });

  it('shows it on its diagram: the current step highlighted, a count on each element entered, the incident marked', async () => {
    await page.locator(`[data-testid="search-row"][data-code="${dossier.code}"] .mon-open`).click();
    await page.getByTestId('instance-title').getByText(dossier.code).waitFor();
    const current = page.locator('[data-testid="instance-diagram"] .djs-element.mon-active');
    await current.first().waitFor();
    expect(await current.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-element-id')))).toEqual(['Task_tiep_nhan']);
    const count = page.locator('.mon-count[data-element="Task_tiep_nhan"]');
    expect(await count.textContent()).toBe('1');
    expect(await page.locator('[data-testid="instance-diagram"] .djs-element.mon-incident').getAttribute('data-element-id')).toBe('Task_doi_chieu');
    // The path: the flow into the current step is drawn as taken.
    expect(await page.locator('[data-testid="instance-diagram"] .djs-connection.mon-path').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('instance-active').textContent()).not.toBe('—');
    await page.getByTestId('instance-variables').waitFor();
    expect(await page.getByTestId('instance-history').locator('li').first().textContent()).toContain('Bắt đầu');
    await page.screenshot({ path: path.join(screenshots, 'monitoring-instance-vi.png') });
  });

  it('retries the incident through the existing incident retry', async () => {
    await page.getByTestId('incident').getByRole('button', { name: 'Thử lại' }).click();
    await page.getByText('Đã cho chạy lại bước có sự cố.').waitFor();
    expect(await page.getByTestId('incident').count()).toBe(0);
    expect((await product.database.db('incidents').where({ id: incidentId }).first<{ resolved_at: Date | null }>('resolved_at')).resolved_at).not.toBeNull();
  });

  it("lays the procedure out as a heat map with the dossier at its step", async () => {
    await page.getByRole('button', { name: /Đăng ký khai sinh/ }).first().click();
    const badge = page.locator('[data-testid="procedure-diagram"] .mon-count[data-element="Task_tiep_nhan"]');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('1');
    expect(await page.locator('[data-testid="procedure-steps"] li').first().getAttribute('data-element')).toBe('Task_tiep_nhan');
    expect(page.url()).toContain(`/theo-doi/thu-tuc/${BIRTH_PROCEDURE}`);
    await page.screenshot({ path: path.join(screenshots, 'monitoring-procedure-vi.png') });
  });

  it('moves the stuck token to verification from the keyboard, and the diagram shows the new current step', async () => {
    await page.goBack();
    await page.getByTestId('instance-title').getByText(dossier.code).waitFor();
    await page.getByTestId('open-move').focus();
    await page.keyboard.press('Enter');
    // The dialog takes the focus at its first field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('move-from');
    const confirm = page.getByTestId('move-dialog').getByRole('button', { name: 'Chuyển bước' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId('move-to').selectOption('Task_xac_minh');
    await page.getByTestId('move-reason').fill('Kết nối CSDL hộ tịch bị treo, đã đối chiếu thủ công');
    await page.screenshot({ path: path.join(screenshots, 'monitoring-move-vi.png') });
    await confirm.click();
    await page.getByText('Đã chuyển hồ sơ sang bước mới.').waitFor();
    const current = page.locator('[data-testid="instance-diagram"] .djs-element.mon-active');
    await expect.poll(() => current.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-element-id')))).toEqual(['Task_xac_minh']);
    expect(await page.locator('.mon-count[data-element="Task_xac_minh"]').textContent()).toBe('1');
    const line = page.getByTestId('history-intervention');
    expect(await line.textContent()).toBe('Tiếp nhận, kiểm tra hồ sơ điện tử → Kiểm tra, cập nhật CSDL hộ tịch, cấp số định danh cá nhân · lý do: Kết nối CSDL hộ tịch bị treo, đã đối chiếu thủ công');
    expect((await product.database.db('process_instances').where({ id: dossier.instanceId }).first<{ active_element_ids: string[] }>('active_element_ids')).active_element_ids).toEqual(['Task_xac_minh']);
  });

  it('refuses a migration to a version without the current step, naming it in Vietnamese, and changes nothing', async () => {
    const db = product.database.db;
    const deployed = await db('process_definitions').where({ key: BIRTH_PROCEDURE }).orderBy('version', 'desc').first<{ id: string; xml: string; version: number }>('id', 'xml', 'version');
    const next = await fetch(`${product.api.url}/api/definitions`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${product.api.token}` }, body: deployed.xml.replaceAll('"Task_xac_minh"', '"Task_xac_minh_moi"') });
    expect(next.status).toBe(201);
    await page.getByTestId('open-migrate').click();
    const target = page.getByTestId('migrate-target');
    await expect.poll(() => target.locator('option').allTextContents()).toEqual([`Phiên bản ${deployed.version + 1}`]);
    await page.getByTestId('migrate-reason').fill('Áp dụng quy trình mới');
    await page.getByTestId('migrate-dialog').getByRole('button', { name: 'Chuyển phiên bản' }).click();
    const refusal = page.getByTestId('migrate-dialog-problem');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('migration.no-counterpart');
    expect(await refusal.textContent()).toContain('Không chuyển được hồ sơ từ phiên bản');
    expect(await refusal.textContent()).toContain('Task_xac_minh');
    await page.screenshot({ path: path.join(screenshots, 'monitoring-migrate-refused-vi.png') });
    expect((await db('process_instances').where({ id: dossier.instanceId }).first<{ definition_id: string }>('definition_id')).definition_id).toBe(deployed.id);
    // The browser reports the refused request itself; nothing else went wrong.
    expect(errors.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
    // The same refusal in English at the switch.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Migrate to a newer version of the process' }).waitFor();
    expect(await refusal.textContent()).toContain('cannot be migrated from version');
    await page.screenshot({ path: path.join(screenshots, 'monitoring-migrate-refused-en.png') });
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByTestId('migrate-dialog').getByRole('button', { name: 'Đóng' }).click();
  });

  it('cancels the dossier with a reason, and says so in English too', async () => {
    const cancel = page.getByRole('button', { name: 'Dừng xử lý', exact: true });
    expect(await cancel.isDisabled()).toBe(true);
    await page.getByTestId('cancel-reason').fill('Người nộp đề nghị rút hồ sơ');
    await cancel.click();
    await page.getByText('Đã dừng xử lý hồ sơ.').first().waitFor();
    expect(await page.getByTestId('instance-status').textContent()).toBe('Đã dừng');
    expect((await product.database.db('process_instances').where({ id: dossier.instanceId }).first<{ status: string }>('status')).status).toBe('terminated');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.getByTestId('instance-status').textContent()).toBe('Cancelled');
    await page.getByRole('status').getByText('The instance was cancelled.').waitFor();
    await page.screenshot({ path: path.join(screenshots, 'monitoring-instance-en.png') });
    expect(errors).toEqual([]);
  });
});
