import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { analyseProcedureCost } from '../../engine/cost/procedure-cost.ts';
import { lintModelXml } from '../../engine/rules/lint.ts';
import { DRAFT_KEY, readDraft, writeDraft, type DraftStorage } from '../../designer/src/drafts/draft-store.ts';
import { svgPixelSize } from '../../designer/src/export/png.ts';
import { formatDateTime } from '../../designer/src/format.ts';
import { procedureTemplateXml } from '../../designer/src/templates/procedure-template.ts';
import { parseChoice } from '../../designer/src/templates/templates.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/** localStorage's three calls over a Map. */
function memoryStorage(): DraftStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) };
}

/** The ids of the flow nodes a lane holds, as the engine's BPMN reader sees them. */
async function laneNodes(xml: string, laneId: string): Promise<string[]> {
  const { definitions } = await parseBpmn(xml);
  const processes = (definitions as any).rootElements.filter((element: any) => element.$type === 'bpmn:Process');
  const lanes = processes.flatMap((process: any) => (process.laneSets ?? []).flatMap((laneSet: any) => laneSet.lanes ?? []));
  const lane = lanes.find((candidate: any) => candidate.id === laneId);
  if (!lane) throw new Error(`no lane ${laneId}`);
  return (lane.flowNodeRef ?? []).map((node: any) => node.id as string);
}

describe('the model lifecycle’s pure parts', () => {
  it('writes dates the Vietnamese way, dd/mm/yyyy HH:mm on Vietnam\'s clock whatever the zone it runs in', () => {
    expect(formatDateTime(new Date('2026-01-05T09:07:00+07:00'))).toBe('05/01/2026 09:07');
    expect(formatDateTime('2026-12-31T16:59:00Z')).toBe('31/12/2026 23:59');
    expect(formatDateTime('2026-12-31T17:00:00Z')).toBe('01/01/2027 00:00');
  });

  it('keeps a draft with its model’s identity and refuses what is not one', () => {
    const storage = memoryStorage();
    expect(readDraft(storage)).toBeUndefined();
    writeDraft(storage, { modelId: 'm-1', baseVersion: 3, name: 'Khai sinh', stage: 'to-be' }, '<bpmn/>', new Date('2026-12-01T10:00:00Z'));
    expect(readDraft(storage)).toEqual({ modelId: 'm-1', baseVersion: 3, name: 'Khai sinh', stage: 'to-be', xml: '<bpmn/>', savedAt: '2026-12-01T10:00:00.000Z' });
    writeDraft(storage, { modelId: undefined, baseVersion: undefined, name: 'Mới', stage: 'as-is' }, '<bpmn/>');
    expect(readDraft(storage)).toMatchObject({ modelId: undefined, baseVersion: undefined, stage: 'as-is' });
    for (const stored of ['{', '[]', '{"xml":"","name":"x","stage":"to-be","savedAt":"2026-12-01"}', '{"xml":"<a/>","name":"x","stage":"draft","savedAt":"2026-12-01"}', '{"xml":"<a/>","name":"x","stage":"to-be","savedAt":"hôm qua"}']) {
      storage.items.set(DRAFT_KEY, stored);
      expect(readDraft(storage)).toBeUndefined();
    }
  });

  it('sizes the PNG from the SVG bpmn-js writes, twice over', () => {
    expect(svgPixelSize('<svg xmlns="http://www.w3.org/2000/svg" width="300.5" height="100" viewBox="0 0 300.5 100" version="1.1">')).toEqual({ width: 601, height: 200 });
    expect(svgPixelSize('<svg viewBox="10 10 40 20">', 1)).toEqual({ width: 40, height: 20 });
    expect(() => svgPixelSize('<svg>')).toThrow('no size');
  });

  it('reads the template menu’s choices and nothing else', () => {
    expect(parseChoice('procedure')).toEqual({ kind: 'procedure' });
    expect(parseChoice('catalogue|dang-ky-khai-sinh|as-is')).toEqual({ kind: 'catalogue', id: 'dang-ky-khai-sinh', stage: 'as-is' });
    expect(parseChoice('catalogue|dang-ky-khai-sinh|draft')).toBeUndefined();
    expect(parseChoice('')).toBeUndefined();
  });

  it('offers a one-stop template the cost model and the procedure rules accept as it is', async () => {
    for (const language of ['vi', 'en'] as const) {
      const xml = procedureTemplateXml(language);
      expect(await lintModelXml(xml)).toEqual([]);
      const cost = analyseProcedureCost(await readProcess(xml));
      expect(cost.perDossier.totalVnd).toBeGreaterThan(0);
      expect(cost.perYear.dossiers).toBe(1000);
    }
    const xml = procedureTemplateXml('vi');
    // Decree 45 Art. 11.4: receipt within 08 working hours, by the one-stop unit (test/designer/procedure-template.test.ts runs it).
    expect(xml).toMatch(/<bpmn:userTask id="Task_tiep_nhan" name="Tiếp nhận, kiểm tra hồ sơ"[^>]* qt:dueWorkingHours="8"/);
    expect(await laneNodes(xml, 'Lane_mot_cua')).toEqual(['Task_tiep_nhan', 'Gateway_hop_le', 'Task_tra_ket_qua']);
    expect(await laneNodes(xml, 'Lane_chuyen_mon')).toEqual(['Task_giai_quyet', 'Gateway_du_dieu_kien', 'Task_tu_choi', 'End_tu_choi']);
    expect(await laneNodes(xml, 'Lane_lanh_dao')).toEqual(['Task_phe_duyet', 'Task_ky_so']);
  });
});

describe.runIf(browserAvailable)('the designer: versions, drafts, PNG export and templates (Chromium)', () => {
  const designer = useDesignerPage();
  const { pageErrors } = designer;
  const page = () => designer.page;
  const shape = (id: string) => page().locator(`.djs-element[data-element-id="${id}"]`);
  const panel = () => page().getByTestId('properties-panel');
  const applicantHours = () => panel().getByLabel('Thời gian của người dân (giờ)');
  const dirtyMark = () => page().getByTestId('dirty-indicator');
  const versionsPanel = () => page().getByRole('region', { name: 'Phiên bản', exact: true });
  const storedVersion = (version: number) =>
    designer.database.db('procedure_model_versions').where({ version }).first<{ xml: string; comment: string; author: string; created_at: Date } | undefined>();
  let taskId = '';

  /** Clicks the empty canvas (ending any label editing), then the element. */
  const select = async (id: string) => {
    const canvas = await page().getByTestId('canvas').boundingBox();
    if (!canvas) throw new Error('canvas has no box');
    await page().mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height - 40);
    // A click right after the label editing ended may find the canvas still settling: click until the panel shows the element.
    await expect
      .poll(async () => {
        await shape(id).click();
        return panel().locator('.bio-properties-panel-header-label').count();
      }, { timeout: 10_000 })
      .toBe(1);
  };

  const saveWith = async (comment: string, author?: string) => {
    await page().getByRole('button', { name: 'Lưu', exact: true }).click();
    const dialog = page().getByRole('dialog', { name: /Lưu phiên bản mới/ });
    await dialog.getByLabel('Ghi chú (không bắt buộc)').fill(comment);
    if (author !== undefined) await dialog.getByLabel('Người lưu').fill(author);
    await dialog.getByRole('button', { name: 'Lưu phiên bản' }).click();
  };

  it('draws a task dragged from the palette into a lane of a catalogue procedure and saves it with a comment and author', async () => {
    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    await page().getByLabel('Danh mục thủ tục').selectOption('dang-ky-khai-sinh|as-is');
    await shape('Task_ghi_so').waitFor();
    expect(await dirtyMark().count()).toBe(0);

    // The lane of the civil-status officer holds one task far right: its left part is empty.
    const lane = await shape('Lane_tu_phap').boundingBox();
    const entry = await page().locator('.djs-palette .entry.bpmn-icon-task').boundingBox();
    if (!lane || !entry) throw new Error('no lane or palette entry on screen');
    const target = { x: lane.x + lane.width * 0.13, y: lane.y + lane.height / 2 };
    await page().mouse.move(entry.x + entry.width / 2, entry.y + entry.height / 2);
    await page().mouse.down();
    await page().mouse.move(target.x - 40, target.y - 20, { steps: 5 });
    await page().mouse.move(target.x, target.y, { steps: 5 });
    await page().mouse.up();
    const created = page().locator('.djs-element.djs-shape[data-element-id^="Activity_"]');
    await expect.poll(() => created.count()).toBe(1);
    taskId = (await created.getAttribute('data-element-id'))!;
    // bpmn-js opens the new task's label for typing.
    await page().keyboard.type('Xác minh thông tin hộ tịch');
    await select(taskId);
    await dirtyMark().waitFor();
    expect(await dirtyMark().getAttribute('title')).toBe('Có thay đổi chưa lưu');

    await saveWith('Thêm bước xác minh', 'Nguyễn Thị Hoa');
    await page().getByText('Đã lưu phiên bản 1').waitFor();
    await expect.poll(() => dirtyMark().count()).toBe(0);
    const first = await storedVersion(1);
    expect(first).toMatchObject({ comment: 'Thêm bước xác minh', author: 'Nguyễn Thị Hoa' });
    expect(await laneNodes(first!.xml, 'Lane_tu_phap')).toEqual(['Task_ghi_so', taskId]);
    expect(first!.xml).toContain(`name="Xác minh thông tin hộ tịch"`);
    expect(await page().evaluate(() => localStorage.getItem('quytrinh.designer.author'))).toBe('Nguyễn Thị Hoa');
  });

  it('saves a change as version 2 and finds it after reloading the page', async () => {
    await select(taskId);
    await applicantHours().fill('2');
    await dirtyMark().waitFor();
    // Ctrl+S asks for the comment, as the button does; the author typed once is offered again.
    await page().keyboard.press('Control+s');
    expect(await page().getByRole('dialog').getByLabel('Người lưu').inputValue()).toBe('Nguyễn Thị Hoa');
    await page().screenshot({ path: path.join(screenshots, 'designer-save-dialog-vi.png') });
    await page().getByRole('dialog').getByRole('button', { name: 'Hủy' }).click();
    await saveWith('Người dân mất 2 giờ xác minh');
    await page().getByText('Đã lưu phiên bản 2').waitFor();
    expect((await storedVersion(2))?.xml).toMatch(new RegExp(`<bpmn:task id="${taskId}" name="Xác minh thông tin hộ tịch" qt:applicantHours="2"`));

    // The requests that follow a save are answered before the reload, which would otherwise cut them off.
    await page().locator('.sidebar').getByText('Hiện trạng · phiên bản 2').waitFor();
    await expect.poll(() => versionsPanel().locator('li').count()).toBe(2);
    await page().reload();
    await page().locator('.djs-palette .entry').first().waitFor();
    expect(await page().getByTestId('draft-banner').count()).toBe(0);
    await page().locator('.sidebar').getByRole('button', { name: 'Đăng ký khai sinh (hiện trạng)' }).click();
    await shape(taskId).waitFor();
    await select(taskId);
    expect(await applicantHours().inputValue()).toBe('2');

    // The history, newest first: number, who, when (dd/mm/yyyy HH:mm), why.
    const items = versionsPanel().locator('li');
    await expect.poll(() => items.count()).toBe(2);
    const second = await storedVersion(2);
    expect(await items.nth(0).innerText()).toBe(`phiên bản 2 · mới nhất\nNguyễn Thị Hoa · ${formatDateTime(second!.created_at)}\nNgười dân mất 2 giờ xác minh`);
    expect(await items.nth(1).innerText()).toContain('phiên bản 1');
    expect(await items.nth(1).innerText()).toContain('Thêm bước xác minh');
  });

  it('opens version 1, which lacks the change, and restores it as version 3', async () => {
    await versionsPanel().getByRole('button', { name: 'phiên bản 1' }).click();
    const banner = page().getByTestId('viewing-banner');
    await banner.getByText('Đang xem phiên bản 1').waitFor();
    await select(taskId);
    expect(await applicantHours().inputValue()).toBe('');
    await page().screenshot({ path: path.join(screenshots, 'designer-versions-vi.png') });

    await banner.getByRole('button', { name: 'Khôi phục' }).click();
    await page().getByText('Khôi phục phiên bản 1 thành phiên bản 3').waitFor();
    expect(await banner.count()).toBe(0);
    const [first, third] = [await storedVersion(1), await storedVersion(3)];
    expect(third).toMatchObject({ comment: 'Khôi phục phiên bản 1', author: 'Nguyễn Thị Hoa' });
    expect(third!.xml).toBe(first!.xml);
    await expect.poll(() => versionsPanel().locator('li').count()).toBe(3);
  });

  it('offers the unsaved change back after a reload, with the warning on leaving', async () => {
    await select(taskId);
    await applicantHours().fill('3');
    await dirtyMark().waitFor();
    // The draft is autosaved, half a second after the last change.
    const draftXml = () => page().evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? '{}') as { xml?: string }).xml ?? '', DRAFT_KEY);
    await expect.poll(draftXml).toContain(`<bpmn:task id="${taskId}" name="Xác minh thông tin hộ tịch" qt:applicantHours="3"`);

    const dialogs: string[] = [];
    page().once('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await page().reload();
    expect(dialogs).toEqual(['beforeunload']);
    const banner = page().getByTestId('draft-banner');
    await banner.waitFor();
    await page().screenshot({ path: path.join(screenshots, 'designer-draft-vi.png') });
    expect(await banner.innerText()).toContain('Đăng ký khai sinh (hiện trạng) (phiên bản 3)');
    await banner.getByRole('button', { name: /^Khôi phục bản nháp chưa lưu \(\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\)$/ }).click();
    await shape(taskId).waitFor();
    await select(taskId);
    expect(await applicantHours().inputValue()).toBe('3');
    await dirtyMark().waitFor();
    expect(await page().getByTestId('draft-banner').count()).toBe(0);

    // The recovered draft saves onto the model it came from.
    await saveWith('Bản nháp khôi phục');
    await page().getByText('Đã lưu phiên bản 4').waitFor();
    expect((await storedVersion(4))?.xml).toContain('qt:applicantHours="3"');
    expect(await page().evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).toBeNull();
  });

  it('asks in the page before unsaved changes give way to another model', async () => {
    await select(taskId);
    await applicantHours().fill('4');
    await dirtyMark().waitFor();
    await page().getByLabel('Danh mục thủ tục').selectOption('cap-ho-chieu-pho-thong|to-be');
    const question = page().getByRole('alertdialog', { name: 'Bỏ các thay đổi chưa lưu?' });
    await question.waitFor();
    expect(await question.innerText()).toContain('“Đăng ký khai sinh (hiện trạng)”: các thay đổi chưa lưu sẽ mất nếu tiếp tục.');
    await page().screenshot({ path: path.join(screenshots, 'designer-confirm-vi.png') });
    await question.getByRole('button', { name: 'Hủy' }).click();
    expect(await question.count()).toBe(0);
    expect(await applicantHours().inputValue()).toBe('4');
    expect(await page().getByLabel('Tên mô hình').inputValue()).toBe('Đăng ký khai sinh (hiện trạng)');

    // Undone back to what was saved, the model is clean again; redone, it is not.
    await select(taskId);
    await page().keyboard.press('Control+z');
    await expect.poll(() => applicantHours().inputValue()).toBe('3');
    await expect.poll(() => dirtyMark().count()).toBe(0);
    await page().keyboard.press('Control+y');
    await expect.poll(() => applicantHours().inputValue()).toBe('4');
    await dirtyMark().waitFor();

    await page().getByLabel('Danh mục thủ tục').selectOption('cap-ho-chieu-pho-thong|to-be');
    await question.getByRole('button', { name: 'Bỏ thay đổi và tiếp tục' }).click();
    await expect.poll(() => page().getByLabel('Tên mô hình').inputValue()).toMatch(/hộ chiếu/i);
    expect(await shape(taskId).count()).toBe(0);
    expect(await dirtyMark().count()).toBe(0);
    expect(await page().evaluate((key) => localStorage.getItem(key), DRAFT_KEY)).toBeNull();
  });

  it('exports the diagram as a real PNG', async () => {
    const [download] = await Promise.all([page().waitForEvent('download'), page().getByRole('button', { name: 'Tải PNG' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const png = await readFile(await download.path());
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    // Twice the size of the diagram, which is wider than the screen.
    expect(png.readUInt32BE(16)).toBeGreaterThan(2000);
    expect(png.readUInt32BE(20)).toBeGreaterThan(500);
    expect(png.length).toBeGreaterThan(50_000);
  });

  it('starts a procedure from the one-stop template with its cost shown at once', async () => {
    await page().getByLabel('Mới từ mẫu').selectOption('procedure');
    await expect.poll(() => page().getByLabel('Tên mô hình').inputValue()).toBe('Thủ tục một cửa (Nghị định 45)');
    await shape('Task_giai_quyet').waitFor();
    for (const lane of ['Lane_to_chuc_ca_nhan', 'Lane_he_thong', 'Lane_mot_cua', 'Lane_chuyen_mon', 'Lane_lanh_dao']) expect(await shape(lane).count()).toBe(1);
    const expected = analyseProcedureCost(await readProcess(procedureTemplateXml('vi')));
    const amount = (vnd: number) => `${new Intl.NumberFormat('vi-VN').format(Math.round(vnd))} đ`;
    await expect.poll(() => page().getByTestId('cost-per-dossier').textContent()).toBe(amount(expected.perDossier.totalVnd));
    expect(await page().getByTestId('cost-per-year').textContent()).toBe(amount(expected.perYear.totalVnd));
    expect(await page().getByTestId('cost-problems').count()).toBe(0);
    expect(await versionsPanel().count()).toBe(0);
    await page().screenshot({ path: path.join(screenshots, 'designer-template-vi.png') });

    // Saved, it is a new model of its own.
    await saveWith('Từ mẫu');
    await page().getByText('Đã lưu phiên bản 1').waitFor();
    const models = await designer.database.db('procedure_models').select<Array<{ name: string }>>('name').orderBy('created_at');
    expect(models.map((model) => model.name)).toEqual(['Đăng ký khai sinh (hiện trạng)', 'Thủ tục một cửa (Nghị định 45)']);
  });

  it('copies a catalogue procedure into a new unsaved model', async () => {
    await page().getByLabel('Mới từ mẫu').selectOption('catalogue|dang-ky-khai-sinh|to-be');
    // The template just saved has a Task_tiep_nhan too: the birth registration's own steps tell them apart.
    await shape('Task_nop_truc_tuyen').waitFor();
    expect(await page().getByLabel('Tên mô hình').inputValue()).toBe('Đăng ký khai sinh (tái cấu trúc, bản sao)');
    expect(await versionsPanel().count()).toBe(0);
    expect(await page().locator('.sidebar .current').count()).toBe(0);
    await page().getByTestId('cost-per-dossier').waitFor();
  });

  it('speaks English too: the template menu, the history, the save dialog', async () => {
    await page().getByRole('button', { name: 'English' }).click();
    await page().getByLabel('From template').waitFor();
    await page().locator('.sidebar').getByRole('button', { name: 'Thủ tục một cửa (Nghị định 45)' }).click();
    await page().getByRole('region', { name: 'Versions', exact: true }).getByText('Từ mẫu').waitFor();
    await page().getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = page().getByRole('dialog', { name: /Save a new version \(version 2\)/ });
    expect(await dialog.getByLabel('Saved by').inputValue()).toBe('Nguyễn Thị Hoa');
    await page().screenshot({ path: path.join(screenshots, 'designer-versions-en.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  it('logged no error or warning in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
