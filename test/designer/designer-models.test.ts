import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialSources } from '../../designer/src/compare/model-source.ts';
import { deployBlockers } from '../../designer/src/deploy/deploy-blockers.ts';
import { callApi } from '../support/api-server.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, showInspectorTab, useDesignerPage } from '../support/designer-page.ts';

describe('what blocks a deployment of the open model', () => {
  const checked = { findings: [], checking: false, opened: 1 };
  it('asks for a saved, latest version', () => {
    expect(deployBlockers(checked, 'to-be', false, { viewingOld: false, saved: true })).toEqual([]);
    expect(deployBlockers(checked, 'to-be', false, { viewingOld: false, saved: false })).toEqual(['deployBlockedUnsaved']);
    expect(deployBlockers(checked, 'to-be', false, { viewingOld: true, saved: true })).toEqual(['deployBlockedOldVersion']);
  });
});

describe('the compare view on the open procedure', () => {
  it('opens on the saved model of the other stage of the procedure, before the catalogue', () => {
    const catalogue = [{ id: 'dang-ky-khai-sinh', procedureCode: '1.001193' }];
    expect(initialSources({ stage: 'to-be', catalogueId: 'dang-ky-khai-sinh', pairModelId: 'm-as-is' }, catalogue)).toEqual({ asIs: { kind: 'saved', id: 'm-as-is' }, toBe: { kind: 'open' } });
    expect(initialSources({ stage: 'as-is', pairModelId: 'm-to-be' }, catalogue)).toEqual({ asIs: { kind: 'open' }, toBe: { kind: 'saved', id: 'm-to-be' } });
    expect(initialSources({ stage: 'to-be', catalogueId: 'dang-ky-khai-sinh' }, catalogue)).toEqual({ asIs: { kind: 'catalogue', id: 'dang-ky-khai-sinh', stage: 'as-is' }, toBe: { kind: 'open' } });
  });
});

describe.runIf(browserAvailable)('the designer: models managed, old versions read-only, guarded deployments and rollback (Chromium)', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const shape = (id: string) => page().locator(`.djs-element[data-element-id="${id}"]`);
  const deployButton = () => page().getByRole('button', { name: 'Triển khai', exact: true });
  const blockers = () => page().getByTestId('deploy-blockers');
  const dialog = () => page().getByRole('dialog', { name: 'Triển khai mô hình' });
  const deploymentsPanel = () => page().getByRole('region', { name: 'Các lần triển khai' });
  const versionsPanel = () => page().getByRole('region', { name: 'Phiên bản', exact: true });
  const definitions = () => designer.database.db('process_definitions').select<Array<{ key: string; version: number; xml: string }>>('key', 'version', 'xml').orderBy('version');
  const checkCounts = () => page().getByTestId('check-counts').textContent();

  const save = async (comment: string) => {
    await page().getByRole('button', { name: 'Lưu', exact: true }).click();
    const saveDialog = page().getByRole('dialog', { name: /Lưu phiên bản mới/ });
    await saveDialog.getByLabel('Ghi chú (không bắt buộc)').fill(comment);
    await saveDialog.getByLabel('Người lưu').fill('Nguyễn Thị Hoa');
    await saveDialog.getByRole('button', { name: 'Lưu phiên bản' }).click();
  };

  it('goes from the catalogue to a deployment: refused while unsaved, then the dialog names the version, says it is the first, and deploys it', async () => {
    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    await page().getByLabel('Danh mục thủ tục').selectOption('dang-ky-khai-sinh|to-be');
    await shape('Task_tiep_nhan').waitFor();
    await showInspectorTab(page(), 'checks');
    await expect.poll(checkCounts, { timeout: 20_000 }).toBe(' 0 lỗi · 0 cảnh báo');
    await page().screenshot({ path: '/tmp/dbg0.png' });
    expect(await deployButton().isDisabled()).toBe(true);
    expect(await blockers().textContent()).toContain('Mô hình chưa được lưu: lưu trước khi triển khai');

    await save('Bản đầu');
    await page().getByText('Đã lưu phiên bản 1').waitFor();
    await expect.poll(() => deployButton().isEnabled(), { timeout: 20_000 }).toBe(true);
    await deployButton().click();
    await dialog().getByTestId('deploy-running').getByText('Chưa triển khai lần nào').waitFor();
    expect(await dialog().getByTestId('deploy-version').textContent()).toBe('Đăng ký khai sinh (tái cấu trúc) — phiên bản 1');
    expect(await dialog().getByTestId('deploy-checks').textContent()).toBe('Không có lỗi · 0 cảnh báo');
    // The safe answer has the focus; the dialog is answered with the keyboard.
    expect(await dialog().getByRole('button', { name: 'Hủy' }).evaluate((button) => button === document.activeElement)).toBe(true);
    await page().screenshot({ path: path.join(screenshots, 'designer-deploy-first-vi.png') });
    await page().keyboard.press('Tab');
    await page().keyboard.press('Enter');
    await expect.poll(() => page().getByTestId('deploy-result').textContent()).toBe('Đã triển khai Process_dang_ky_khai_sinh, phiên bản 1');
    expect((await definitions()).map((row) => row.version)).toEqual([1]);
    const items = deploymentsPanel().locator('li');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().innerText()).toMatch(/^phiên bản 1 · đang chạy\nProcess_dang_ky_khai_sinh v1\n[\w.-]+ · \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  });

  it('lists the changes since the version running and does not let a removed signing step pass silently', async () => {
    await page().evaluate(() => {
      const modeler = window.quyTrinhModeler!;
      const registry = modeler.get<{ get(id: string): unknown }>('elementRegistry');
      const modeling = modeler.get<{ updateProperties(element: unknown, properties: object): void; updateLabel(element: unknown, text: string): void }>('modeling');
      // The approval is no longer marked: its official would not sign the result (the agency's
      // result.sign step stays, so the procedure rules still pass: the dialog is what must object).
      modeling.updateProperties(registry.get('Task_phe_duyet'), { 'qt:dossierStep': undefined });
      modeling.updateLabel(registry.get('Task_tiep_nhan'), 'Tiếp nhận hồ sơ trực tuyến');
    });
    // Changed and not saved: the deployment waits for the save.
    await expect.poll(() => blockers().textContent()).toContain('Mô hình chưa được lưu');
    await save('Bỏ đánh dấu bước phê duyệt');
    await page().getByText('Đã lưu phiên bản 2').waitFor();
    await expect.poll(() => deployButton().isEnabled(), { timeout: 20_000 }).toBe(true);
    await deployButton().click();
    const changes = dialog().getByTestId('deploy-changes');
    await changes.locator('li').first().waitFor();
    expect(await dialog().getByTestId('deploy-running').textContent()).toMatch(/^phiên bản 1 · kiemsoat\./);
    expect(await changes.locator('li[data-element-id="Task_tiep_nhan"]').textContent()).toBe('Thay đổi Tiếp nhận hồ sơ trực tuyến (name)');
    expect(await changes.locator('li[data-element-id="Task_phe_duyet"]').textContent()).toContain('Thay đổi Phê duyệt, ký số Giấy khai sinh');
    const warning = dialog().getByTestId('signing-removed');
    expect(await warning.textContent()).toContain('Bỏ bước ký');
    expect(await warning.textContent()).toContain('Phê duyệt, ký số Giấy khai sinh');
    const confirm = dialog().getByRole('button', { name: 'Triển khai phiên bản 2' });
    expect(await confirm.isDisabled()).toBe(true);
    await page().screenshot({ path: path.join(screenshots, 'designer-deploy-signing-vi.png') });
    await warning.getByLabel('Tôi xác nhận bỏ bước ký này là đúng ý định').check();
    await confirm.click();
    await expect.poll(() => page().getByTestId('deploy-result').textContent()).toBe('Đã triển khai Process_dang_ky_khai_sinh, phiên bản 2');
    const stored = await designer.database.db('model_deployments').orderBy('deployed_at', 'desc').first();
    expect(stored.removed_signing_steps).toEqual([{ id: 'Task_phe_duyet', name: 'Phê duyệt, ký số Giấy khai sinh', type: 'bpmn:UserTask' }]);
  });

  it('rolls back to version 1: deployed again as a new deployment that names it', async () => {
    const items = deploymentsPanel().locator('li');
    await expect.poll(() => items.count()).toBe(2);
    await deploymentsPanel().getByRole('button', { name: 'Triển khai lại phiên bản 1' }).click();
    const question = page().getByRole('alertdialog', { name: 'Triển khai lại phiên bản cũ?' });
    await question.waitFor();
    await question.getByRole('button', { name: 'Triển khai lại' }).click();
    await page().getByText('Đã triển khai lại phiên bản 1 → Process_dang_ky_khai_sinh phiên bản 3').waitFor();
    await expect.poll(() => items.count()).toBe(3);
    expect(await items.first().innerText()).toContain('phiên bản 1 · đang chạy\nProcess_dang_ky_khai_sinh v3');
    expect(await items.first().innerText()).toContain('↺ khôi phục lần triển khai phiên bản 1');
    const stored = await definitions();
    expect(stored.map((row) => row.version)).toEqual([1, 2, 3]);
    expect(stored[2]!.xml).toBe(stored[0]!.xml);
    await page().screenshot({ path: path.join(screenshots, 'designer-deployments-vi.png') });
  });

  it('opens version 1 read-only: no palette, no context pad, no edit, no save, no deployment, until restored', async () => {
    await versionsPanel().getByRole('button', { name: 'phiên bản 1' }).click();
    const banner = page().getByTestId('viewing-banner');
    await banner.getByText('Đang xem phiên bản 1').waitFor();
    expect(await page().locator('.djs-palette').isVisible()).toBe(false);
    await shape('Task_xac_minh').click({ position: { x: 4, y: 4 } });
    await expect.poll(() => page().getByTestId('properties-panel').locator('.bio-properties-panel-header-label').textContent()).toContain('Kiểm tra, cập nhật CSDL hộ tịch');
    expect(await page().locator('.djs-context-pad').isVisible()).toBe(false);
    expect(await page().getByTestId('properties-panel').getAttribute('inert')).not.toBeNull();
    // The keyboard's delete and a drag change nothing.
    await page().keyboard.press('Delete');
    const box = (await shape('Task_xac_minh').boundingBox())!;
    await page().mouse.move(box.x + 10, box.y + 10);
    await page().mouse.down();
    await page().mouse.move(box.x + 160, box.y + 90, { steps: 5 });
    await page().mouse.up();
    expect(await shape('Task_xac_minh').count()).toBe(1);
    expect(await page().getByTestId('dirty-indicator').count()).toBe(0);
    expect(await page().getByRole('button', { name: 'Lưu', exact: true }).isDisabled()).toBe(true);
    await page().keyboard.press('Control+s');
    expect(await page().getByRole('dialog', { name: /Lưu phiên bản mới/ }).count()).toBe(0);
    expect(await deployButton().isDisabled()).toBe(true);
    expect(await blockers().textContent()).toContain('Đang xem phiên bản cũ');
    await page().screenshot({ path: path.join(screenshots, 'designer-old-version-vi.png') });

    await banner.getByRole('button', { name: 'Khôi phục phiên bản này' }).click();
    await page().getByText('Khôi phục phiên bản 1 thành phiên bản 3').waitFor();
    expect(await page().locator('.djs-palette').isVisible()).toBe(true);
    expect(await page().getByTestId('properties-panel').getAttribute('inert')).toBeNull();
    expect(await page().getByRole('button', { name: 'Lưu', exact: true }).isEnabled()).toBe(true);
  });

  it('manages the models: finds one without accents, refuses a duplicate name, renames, duplicates, bins and restores', async () => {
    await page().getByRole('button', { name: 'Quản lý mô hình…' }).click();
    const manager = page().getByRole('dialog', { name: 'Mô hình của các thủ tục' });
    await manager.getByLabel('Tìm theo tên (không cần dấu)').fill('dang ky khai');
    const rows = manager.getByRole('list').locator('li');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Đăng ký khai sinh (tái cấu trúc)');

    await rows.first().getByRole('button', { name: 'Nhân bản' }).click();
    expect(await manager.getByLabel('Tên mới').inputValue()).toBe('Đăng ký khai sinh (tái cấu trúc) (bản sao)');
    await page().keyboard.press('Enter');
    await manager.getByText('Đã nhân bản thành “Đăng ký khai sinh (tái cấu trúc) (bản sao)”').waitFor();
    await expect.poll(() => rows.count()).toBe(2);

    // No silent duplicates: the name of the other model is refused, and the message names it.
    const copy = rows.filter({ hasText: '(bản sao)' });
    await copy.getByRole('button', { name: 'Đổi tên' }).click();
    await manager.getByLabel('Tên mới').fill('dang ky khai sinh (tai cau truc)');
    await page().keyboard.press('Enter');
    await expect.poll(() => manager.getByTestId('manager-message').textContent()).toContain('Đã có mô hình tái cấu trúc tên “Đăng ký khai sinh (tái cấu trúc)” (phiên bản 3)');
    await manager.getByLabel('Tên mới').fill('Đăng ký khai sinh trực tuyến');
    await page().keyboard.press('Enter');
    await manager.getByText('Đã đổi tên thành “Đăng ký khai sinh trực tuyến”').waitFor();
    await page().screenshot({ path: path.join(screenshots, 'designer-models-vi.png') });

    await rows.filter({ hasText: 'trực tuyến' }).getByRole('button', { name: 'Chuyển vào thùng rác: Đăng ký khai sinh trực tuyến' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await manager.getByRole('checkbox', { name: 'Thùng rác' }).check();
    // The bin's list replaces the other (one row each): it shows the model binned, with its restore button.
    await rows.getByRole('button', { name: 'Khôi phục' }).waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Đăng ký khai sinh trực tuyến');
    await rows.first().getByRole('button', { name: 'Khôi phục' }).click();
    await manager.getByText('Đã khôi phục “Đăng ký khai sinh trực tuyến”').waitFor();
    await manager.getByRole('checkbox', { name: 'Thùng rác' }).uncheck();
    await expect.poll(() => rows.count()).toBe(2);
    await page().keyboard.press('Escape');
    expect(await manager.count()).toBe(0);
    await page().locator('.sidebar').getByRole('button', { name: 'Đăng ký khai sinh trực tuyến' }).waitFor();
  });

  it('deploys a model of two executable pools as two processes, and names both', async () => {
    const xml = await readFile(new URL('../fixtures/bpmn/two-agencies.bpmn', import.meta.url), 'utf8');
    expect((await callApi(designer.api, 'POST', '/api/models', { name: 'Xác nhận và phê duyệt hai cấp', stage: 'to-be', xml })).status).toBe(201);
    await page().reload();
    await page().locator('.sidebar').getByRole('button', { name: 'Xác nhận và phê duyệt hai cấp' }).click();
    await shape('Task_2').waitFor();
    await showInspectorTab(page(), 'checks');
    await expect.poll(checkCounts, { timeout: 20_000 }).toMatch(/^ 0 lỗi/);
    await expect.poll(() => deployButton().isEnabled(), { timeout: 20_000 }).toBe(true);
    await deployButton().click();
    await dialog().getByRole('button', { name: 'Triển khai phiên bản 1' }).click();
    await expect.poll(() => page().getByTestId('deploy-result').textContent()).toBe('Đã triển khai Process_1, phiên bản 1; Process_2, phiên bản 1');
    expect((await definitions()).filter((row) => row.key.startsWith('Process_')).map((row) => row.key).sort()).toEqual(['Process_1', 'Process_2', 'Process_dang_ky_khai_sinh', 'Process_dang_ky_khai_sinh', 'Process_dang_ky_khai_sinh']);
    await page().screenshot({ path: path.join(screenshots, 'designer-deploy-several-vi.png') });
  });

  it('logged no error or warning in the page but the refusal of the name taken', () => {
    expect(designer.pageErrors.filter((error) => !/status of 409/.test(error))).toEqual([]);
    expect(designer.pageErrors.filter((error) => /status of 409/.test(error))).toHaveLength(1);
  });
});
