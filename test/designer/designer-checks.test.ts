import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LintFinding } from '../../designer/src/api.ts';
import type { ChecksState } from '../../designer/src/checks/live-checks.ts';
import { deployBlockers } from '../../designer/src/deploy/deploy-blockers.ts';
import { vietnameseSearch, withoutDiacritics } from '../../designer/src/modeler/vietnamese-search.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, showInspectorTab, useDesignerPage } from '../support/designer-page.ts';

interface DefinitionRow {
  key: string;
  version: number;
  xml: string;
}

describe.runIf(browserAvailable)('the designer: live checks, deployment, token simulation, minimap and search (Chromium)', () => {
  const designer = useDesignerPage();
  const { pageErrors } = designer;

  const page = () => designer.page;
  const shape = (id: string) => page().locator(`.djs-element[data-element-id="${id}"]`);
  const panel = () => page().getByTestId('properties-panel');
  const headerType = () => panel().locator('.bio-properties-panel-header-type').textContent();
  const checkCounts = () => page().getByTestId('check-counts').textContent();
  const deployButton = () => page().getByRole('button', { name: 'Triển khai', exact: true });
  const definitions = () => designer.database.db<DefinitionRow>('process_definitions').select('key', 'version', 'xml').orderBy('version');
  /** Clicks the empty canvas (focusing it, closing any context pad), then the element. */
  const select = async (id: string) => {
    // The properties first: the canvas keeps the focus, for the keyboard's shortcuts.
    await showInspectorTab(page(), 'properties');
    await clickEmptyCanvas();
    // Near the top left corner: at this zoom a flow's label may lie over the middle of a shape.
    await shape(id).click({ position: { x: 4, y: 4 } });
  };
  const clickEmptyCanvas = async () => {
    const canvas = await page().getByTestId('canvas').boundingBox();
    if (!canvas) throw new Error('canvas has no box');
    await page().mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height - 30);
  };
  const probability = () => panel().getByLabel('Xác suất đi theo luồng (0–1)');
  /** A deployment is of a saved version (docs/models.md): saved, then confirmed in the deploy dialog. */
  const saveAndDeploy = async (version: number) => {
    await page().getByRole('button', { name: 'Lưu', exact: true }).click();
    await page().getByRole('dialog', { name: /Lưu phiên bản mới/ }).getByRole('button', { name: 'Lưu phiên bản' }).click();
    await page().getByText(`Đã lưu phiên bản ${version}`).waitFor();
    await showInspectorTab(page(), 'checks');
    await expect.poll(() => deployButton().isEnabled(), { timeout: 20_000 }).toBe(true);
    await deployButton().click();
    const confirm = page().getByRole('dialog', { name: 'Triển khai mô hình' }).getByRole('button', { name: `Triển khai phiên bản ${version}` });
    await expect.poll(() => confirm.isEnabled()).toBe(true);
    return Promise.all([page().waitForResponse((answer) => answer.url().endsWith('/deployments') && answer.request().method() === 'POST'), confirm.click()]);
  };

  it('opens the birth registration (to-be) from the catalogue: no error, no warning, and deploys it as version 1', async () => {
    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    await page().getByLabel('Danh mục thủ tục').selectOption('dang-ky-khai-sinh|to-be');
    await shape('Task_tiep_nhan').waitFor();
    await showInspectorTab(page(), 'checks');
    await expect.poll(checkCounts).toBe(' 0 lỗi · 0 cảnh báo');
    await page().getByText('Không có lỗi hay cảnh báo nào.').waitFor();
    expect(await page().locator('.qt-check-badge').count()).toBe(0);

    const [response] = await saveAndDeploy(1);
    expect(response.status()).toBe(201);
    await expect.poll(() => page().getByTestId('deploy-result').textContent()).toBe('Đã triển khai Process_dang_ky_khai_sinh, phiên bản 1');

    const listed = ((await (await designer.api.fetch(`/api/definitions`)).json()) as { items: Array<{ key: string; version: number }> }).items;
    expect(listed.map(({ key, version }) => `${key} ${version}`)).toEqual(['Process_dang_ky_khai_sinh 1']);
  });

  it('lists a broken split probability, marks its gateway red and blocks deployment with the reason; a line selects the gateway', async () => {
    await select('Flow_Gateway_hop_le_Task_huong_dan_label');
    await expect.poll(headerType).toBe('Luồng tuần tự');
    expect(await probability().inputValue()).toBe('0,1');
    await probability().fill('0,5');

    const message = 'Tổng xác suất các nhánh là 1,4, phải bằng 1';
    await expect.poll(checkCounts).toBe(' 1 lỗi · 0 cảnh báo');
    const line = page().getByTestId('check-list').locator('li.error[data-element-id="Gateway_hop_le"]');
    expect(await line.textContent()).toBe(`${message} · Hồ sơ đầy đủ, hợp lệ?`);
    // On the canvas: the gateway outlined as an error, its badge's tooltip saying why.
    await expect.poll(() => shape('Gateway_hop_le').getAttribute('class')).toContain('qt-check-error');
    expect(await page().locator('.qt-check-badge.error[data-element-id="Gateway_hop_le"]').getAttribute('title')).toBe(`Lỗi: ${message}`);
    expect(await page().locator('.djs-element.qt-check-error').count()).toBe(1);

    await showInspectorTab(page(), 'checks');
    expect(await deployButton().isDisabled()).toBe(true);
    const blockers = page().getByTestId('deploy-blockers');
    expect(await blockers.textContent()).toContain('Còn lỗi kiểm tra cần sửa');
    // The error itself is listed once, in the checks list, not again under the deploy button (issue 16).
    expect(await blockers.textContent()).not.toContain(message);
    await page().screenshot({ path: path.join(screenshots, 'designer-checks-vi.png') });

    await line.getByRole('button').click();
    await expect.poll(headerType).toBe('Cổng loại trừ');
    expect(await panel().getByLabel('Tên', { exact: true }).inputValue()).toBe('Hồ sơ đầy đủ, hợp lệ?');
  });

  it('clears the error once the branches add up to 1 again, and deploys the change as version 2', async () => {
    await select('Flow_Gateway_hop_le_Task_ma_ho_so_label');
    await expect.poll(headerType).toBe('Luồng mặc định');
    await probability().fill('0,5');
    await expect.poll(checkCounts).toBe(' 0 lỗi · 0 cảnh báo');
    expect(await page().locator('.djs-element.qt-check-error, .qt-check-badge').count()).toBe(0);
    await saveAndDeploy(2);
    expect(await page().getByTestId('deploy-blockers').count()).toBe(0);
    await expect.poll(() => page().getByTestId('deploy-result').textContent()).toBe('Đã triển khai Process_dang_ky_khai_sinh, phiên bản 2');
    const stored = await definitions();
    expect(stored.map((row) => row.version)).toEqual([1, 2]);
    expect(stored[1]!.xml).toMatch(/id="Flow_Gateway_hop_le_Task_huong_dan"[^>]* qt:probability="0.5"/);
    expect(stored[1]!.xml).toMatch(/id="Flow_Gateway_hop_le_Task_ma_ho_so"[^>]* qt:probability="0.5"/);
  });

  it('shows the server’s refusal (422) element by element; Ctrl+Z undoes the change that caused it and the refusal goes', async () => {
    // A service task naming no job passes the checks but cannot run: the engine refuses it
    // (a receive task without a message now runs, waiting for a message named by its id).
    await select('Task_xac_minh');
    await page().locator('.djs-context-pad .entry[data-action="replace"]').click();
    await page().locator('.djs-popup [data-id="replace-with-service-task"]').click();
    await expect.poll(headerType).toBe('Tác vụ dịch vụ');
    await expect.poll(checkCounts).toBe(' 0 lỗi · 0 cảnh báo');
    const [response] = await saveAndDeploy(3);
    expect(response.status()).toBe(422);
    const refused = page().getByTestId('deploy-refused');
    // Refused for what it now is (the engine cannot run it), named by its id.
    const line = refused.locator('li[data-element-id="Task_xac_minh"]', { hasText: 'là tác vụ tự động' });
    await expect.poll(() => line.textContent()).toContain('là tác vụ tự động nhưng thiếu qt:jobType');
    expect(await definitions()).toHaveLength(2);

    await select('Task_tiep_nhan');
    await showInspectorTab(page(), 'checks');
    await line.getByRole('button').click();
    await expect.poll(headerType).toBe('Tác vụ dịch vụ');

    await clickEmptyCanvas();
    await page().keyboard.press('Control+z');
    await select('Task_xac_minh');
    await expect.poll(headerType).toBe('Tác vụ người dùng');
    // The refusal was about the model as sent: the model changed, it goes.
    await expect.poll(() => refused.count()).toBe(0);
  });

  it('deletes with the Delete key and restores with Ctrl+Z', async () => {
    await select('Task_tu_choi');
    await page().keyboard.press('Delete');
    await expect.poll(() => shape('Task_tu_choi').count()).toBe(0);
    await page().keyboard.press('Control+z');
    await expect.poll(() => shape('Task_tu_choi').count()).toBe(1);
  });

  it('aligns a multi-selection from its context pad', async () => {
    await select('Task_xac_minh');
    await shape('Task_tu_choi').click({ modifiers: ['Shift'], position: { x: 4, y: 4 } });
    await shape('Task_phe_duyet').click({ modifiers: ['Shift'], position: { x: 4, y: 4 } });
    await page().locator('.djs-context-pad .entry[data-action="align-elements"]').click();
    await page().locator('.djs-popup [data-id="distribute-elements-horizontal"]').waitFor();
    await page().locator('.djs-popup [data-id="align-elements-left"]').click();
    const left = async (id: string) => (await shape(id).locator('.djs-visual').boundingBox())!.x;
    await expect.poll(async () => Math.abs((await left('Task_xac_minh')) - (await left('Task_tu_choi')))).toBeLessThan(1);
    expect(Math.abs((await left('Task_xac_minh')) - (await left('Task_phe_duyet')))).toBeLessThan(1);
    await page().keyboard.press('Control+z');
    await expect.poll(async () => Math.abs((await left('Task_xac_minh')) - (await left('Task_tu_choi')))).toBeGreaterThan(1);
  });

  it('finds a task by its Vietnamese name with Ctrl+F, with or without diacritics', async () => {
    await clickEmptyCanvas();
    await page().keyboard.press('Control+f');
    const input = page().locator('.djs-search-input input');
    await input.waitFor();
    expect(await input.getAttribute('aria-label')).toBe('Tìm trong sơ đồ');
    // diagram-js searches on keyup: typed letter by letter, as a user types.
    await input.pressSequentially('tiep nhan');
    const results = page().locator('.djs-search-result');
    await expect.poll(() => results.first().textContent()).toContain('Tiếp nhận, kiểm tra hồ sơ điện tử');
    // The words found are highlighted in the name as written, diacritics and all.
    expect(await results.first().locator('.djs-search-result-primary .djs-search-highlight').allTextContents()).toEqual(['Tiếp nhận']);
    await page().keyboard.press('Enter');
    await expect.poll(() => shape('Task_tiep_nhan').getAttribute('class')).toContain('selected');

    // Typed with diacritics, the search matches them as typed: "bổ sung" is not "bộ".
    await clickEmptyCanvas();
    await page().keyboard.press('Control+f');
    // A Vietnamese input method commits "ổ", "ồ", "ơ" as text, without a key of their own: the next key searches.
    await input.fill('Bổ sung hồ sơ');
    await input.press('End');
    await expect.poll(() => results.allTextContents()).toEqual([expect.stringContaining('Bổ sung hồ sơ trực tuyến')]);
    await page().keyboard.press('Escape');
  });

  it('shows and hides the minimap from the toolbar', async () => {
    const minimap = page().getByRole('button', { name: 'Bản đồ nhỏ' });
    expect(await page().locator('.djs-minimap.open').count()).toBe(0);
    await minimap.click();
    await page().locator('.djs-minimap.open .map').waitFor();
    expect(await minimap.getAttribute('aria-pressed')).toBe('true');
    await minimap.click();
    await expect.poll(() => page().locator('.djs-minimap.open').count()).toBe(0);
    expect(await minimap.getAttribute('aria-pressed')).toBe('false');
  });

  it('walks the model with the token simulation: a token leaves the start event', async () => {
    const simulate = page().getByRole('button', { name: 'Mô phỏng', exact: true });
    await simulate.click();
    expect(await simulate.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page().locator('.djs-palette').getAttribute('class')).toContain('hidden');
    // The play button the simulation puts on each start event.
    const play = page().locator('.djs-overlay-container [data-container-id="Start_can_khai_sinh"] .bts-context-pad');
    await play.click();
    await page().locator('.bts-token').first().waitFor();
    // Its words in Vietnamese: the notifications, the tooltips of its palette and of the buttons on the diagram.
    await page().locator('.bts-notifications').getByText('Quy trình bắt đầu').first().waitFor();
    expect(await page().locator('.bts-palette [title="Đặt lại mô phỏng"]').count()).toBe(1);
    expect(await page().locator('.bts-context-pad[title="Kích hoạt sự kiện"]').count()).toBeGreaterThan(0);
    expect(await page().locator('.bts-context-pad[title="Trigger Event"]').count()).toBe(0);
    await page().screenshot({ path: path.join(screenshots, 'designer-simulation.png') });

    // In English after the switch, the simulation's words included, and back.
    await page().getByRole('button', { name: 'English' }).click();
    await expect.poll(checkCounts).toBe(' 0 errors · 0 warnings');
    await showInspectorTab(page(), 'checks');
    await page().getByRole('button', { name: 'Deploy', exact: true }).waitFor();
    expect(await page().locator('.bts-palette [title="Reset Simulation"]').count()).toBe(1);
    expect(await page().locator('.bts-context-pad[title="Trigger Event"]').count()).toBeGreaterThan(0);
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => page().locator('.bts-palette [title="Đặt lại mô phỏng"]').count()).toBe(1);
    await simulate.click();
    expect(await simulate.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => page().locator('.djs-palette').getAttribute('class')).not.toContain('hidden');
  });

  it('logged no error or warning in the page', () => {
    // bpmn-js 18's own context pad opens its replace and align menus through diagram-js's deprecated
    // ContextPad#getPad (bpmn-js lib/features/context-pad/ContextPadProvider.js), which warns each time.
    const deprecatedInBpmnJs = 'warning: Error: ContextPad#getPad is deprecated';
    expect(pageErrors.filter((error) => !error.startsWith(deprecatedInBpmnJs))).toEqual([]);
  });
});

describe('what blocks a deployment', () => {
  const finding = (severity: 'error' | 'warn'): LintFinding => ({ rule: 'quytrinh/task-in-lane', severity, elementId: 'Task_1', message: { vi: 'vi', en: 'en' } });
  const checked = (...findings: LintFinding[]): ChecksState => ({ findings, checking: false, opened: 1 });

  it('lets a checked to-be model without errors go, warnings or not', () => {
    expect(deployBlockers(checked(), 'to-be')).toEqual([]);
    expect(deployBlockers(checked(finding('warn')), 'to-be')).toEqual([]);
  });

  it('holds an as-is model, a model being checked or never checked, and one with errors', () => {
    expect(deployBlockers(checked(), 'as-is')).toEqual(['deployBlockedAsIs']);
    expect(deployBlockers({ ...checked(), checking: true }, 'to-be')).toEqual(['deployBlockedChecking']);
    expect(deployBlockers({ findings: undefined, checking: false, opened: 1 }, 'to-be')).toEqual(['deployBlockedUnchecked']);
    expect(deployBlockers({ ...checked(), failure: 'HTTP 500' }, 'to-be')).toEqual(['deployBlockedUnchecked']);
    expect(deployBlockers(checked(finding('error'), finding('warn')), 'to-be')).toEqual(['deployBlockedErrors']);
  });
});

describe('element search in Vietnamese', () => {
  const items = ['Tiếp nhận hồ sơ', 'Bổ sung hồ sơ', 'Bộ phận một cửa', 'Cấp mã hồ sơ'].map((label, index) => ({ label, id: `Task_${index}` }));
  const found = (pattern: string) => vietnameseSearch(items, pattern, { keys: ['label', 'id'] }).map((result) => result.item.label);

  it('ignores diacritics when none are typed, and matches them as typed otherwise', () => {
    expect(found('tiep nhan')).toEqual(['Tiếp nhận hồ sơ']);
    expect(found('bo')).toEqual(expect.arrayContaining(['Bổ sung hồ sơ', 'Bộ phận một cửa']));
    expect(found('bổ')).toEqual(['Bổ sung hồ sơ']);
    expect(found('cap ma')).toEqual(['Cấp mã hồ sơ']);
  });

  it('reads letters a keyboard sends decomposed (NFD) as the precomposed ones a name is saved with', () => {
    expect(found('Tiếp nhận'.normalize('NFD'))).toEqual(['Tiếp nhận hồ sơ']);
    const nfdName = [{ label: 'Đối chiếu hồ sơ'.normalize('NFD'), id: 'Task_nfd' }];
    expect(vietnameseSearch(nfdName, 'đối chiếu', { keys: ['label', 'id'] }).map((result) => result.item.id)).toEqual(['Task_nfd']);
  });

  it('highlights the words found in the name as written', () => {
    const [result] = vietnameseSearch(items, 'ho so', { keys: ['label', 'id'] });
    const tokens = result!.tokens.label as Array<{ value: string; match?: boolean }>;
    expect(tokens.filter((token) => token.match).map((token) => token.value)).toEqual(['hồ sơ']);
    expect(tokens.map((token) => token.value).join('')).toBe(result!.item.label);
  });

  it('folds each letter to one letter, so positions stay those of the name', () => {
    expect(withoutDiacritics('Đăng ký khai sinh, cấp Thẻ BHYT')).toBe('Dang ky khai sinh, cap The BHYT');
    expect(withoutDiacritics('Quy trình')).toHaveLength('Quy trình'.length);
  });
});
