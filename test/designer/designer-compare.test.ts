import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import type { OnlineServiceClassification } from '../../engine/rules/online-service-level.ts';
import { formatNumber, formatVnd } from '../../designer/src/format.ts';
import { projectRoot } from '../../server/paths.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { pdfText } from '../support/restructuring.ts';

describe.runIf(browserAvailable)('the designer’s compare view in Chromium', () => {
  const designer = useDesignerPage();
  const { pageErrors } = designer;
  const page = () => designer.page;
  /** The compare view itself: the designer's own toolbar and panel have labels of the same words. */
  const view = () => page().locator('main.compare');
  const asIsViewer = () => page().getByTestId('compare-asIs');
  const toBeViewer = () => page().getByTestId('compare-toBe');
  /** 1366×768: no horizontal scroll on the page, nor inside the savings table. */
  const fitsTheWidth = () =>
    page().evaluate(() => {
      const savings = document.querySelector('.savings')!;
      return { page: document.documentElement.scrollWidth <= window.innerWidth, savings: savings.scrollWidth <= savings.clientWidth };
    });
  const transformOf = async (viewer: ReturnType<typeof asIsViewer>) => viewer.locator('svg g.viewport').first().getAttribute('transform');
  /** What the server says about the catalogue's birth-registration pair. */
  let expected: { analysis: RestructuringAnalysis; asIsXml: string; toBeXml: string };

  const post = async <T,>(route: string, body: object): Promise<T> => {
    const response = await designer.api.fetch(`${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  it('opens Compare from the toolbar on the birth registration and shows the savings the API computes', async () => {
    const catalogueModel = async (stage: string) => (await designer.api.fetch(`/api/catalogue/dang-ky-khai-sinh/${stage}.bpmn`)).text();
    const [asIsXml, toBeXml] = [await catalogueModel('as-is'), await catalogueModel('to-be')];
    expected = { analysis: await post<RestructuringAnalysis>('/api/analysis/cost', { asIs: asIsXml, toBe: toBeXml }), asIsXml, toBeXml };
    const { analysis } = expected;
    // The figures the catalogue documents for this pair (docs/cost-model.md), as a check on the check.
    expect([Math.round(analysis.asIs.perDossier.totalVnd), Math.round(analysis.toBe.perDossier.totalVnd), Number(analysis.savings.ratePercent.toFixed(1))]).toEqual([173_080, 40_513, 76.6]);

    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    await page().getByRole('button', { name: 'So sánh' }).click();
    await view().getByRole('combobox', { name: 'Thủ tục', exact: true }).selectOption('dang-ky-khai-sinh');
    const savings = page().getByTestId('savings');
    await expect.poll(() => page().getByTestId('per-dossier-before').textContent(), { timeout: 20_000 }).toBe(formatVnd(analysis.asIs.perDossier.totalVnd, 'vi'));
    expect(await savings.getByTestId('per-dossier-before').textContent()).toBe('173.080 đ');
    expect(await savings.getByTestId('per-dossier-after').textContent()).toBe(formatVnd(analysis.toBe.perDossier.totalVnd, 'vi'));
    expect(await savings.getByTestId('per-dossier-saving').textContent()).toBe(formatVnd(analysis.savings.perDossierVnd, 'vi'));
    expect(await savings.getByTestId('per-year-before').textContent()).toBe(formatVnd(analysis.asIs.perYear.totalVnd, 'vi'));
    expect(await savings.getByTestId('per-year-saving').textContent()).toBe(formatVnd(analysis.savings.perYearVnd, 'vi'));
    expect(await savings.getByTestId('saving-rate').textContent()).toBe(`${formatNumber(analysis.savings.ratePercent, 'vi', 1)} %`);
    expect(await savings.getByTestId('saving-rate').textContent()).toBe('76,6 %');
    expect(await savings.getByTestId('trips-reduction').textContent()).toBe(formatNumber(analysis.savings.trips, 'vi'));
    expect(await savings.getByTestId('manual-steps-after').textContent()).toBe(formatNumber(analysis.toBe.perDossier.manualSteps, 'vi'));
    expect(await savings.getByTestId('lead-time-after').textContent()).toBe(formatNumber(analysis.toBe.perDossier.leadTimeWorkingHours, 'vi'));
    expect(await savings.getByTestId('applicant-hours-reduction').textContent()).toBe(formatNumber(analysis.savings.applicantHoursPerYear, 'vi'));
    for (const aim of analysis.aims) expect(await savings.getByTestId(`aim-${aim.aim}`).getAttribute('class')).toBe(aim.met ? 'met' : 'not-met');
    expect(await fitsTheWidth()).toEqual({ page: true, savings: true });
    await page().screenshot({ path: path.join(screenshots, 'designer-compare-vi.png') });
  });

  it('marks a removed step red on the as-is, an added one green on the to-be and a changed one amber on both', async () => {
    const visual = (viewer: ReturnType<typeof asIsViewer>, id: string) => viewer.locator(`.djs-element[data-element-id="${id}"] .djs-visual > :first-child`);
    const stroke = (viewer: ReturnType<typeof asIsViewer>, id: string) => visual(viewer, id).evaluate((element) => getComputedStyle(element).stroke);
    expect(await stroke(asIsViewer(), 'Task_nop')).toBe('rgb(198, 40, 40)');
    expect(await toBeViewer().locator('.djs-element[data-element-id="Task_nop"]').count()).toBe(0);
    expect(await stroke(toBeViewer(), 'Task_nop_truc_tuyen')).toBe('rgb(46, 125, 50)');
    expect(await stroke(asIsViewer(), 'Task_bo_sung')).toBe('rgb(217, 119, 6)');
    expect(await stroke(toBeViewer(), 'Task_bo_sung')).toBe('rgb(217, 119, 6)');
    // Unchanged steps keep bpmn-js's black.
    expect(await stroke(asIsViewer(), 'Gateway_qua_han')).toBe('rgb(34, 36, 42)');
    expect(await stroke(toBeViewer(), 'Gateway_qua_han')).toBe('rgb(34, 36, 42)');
  });

  it('lists each change with the server’s cost effect and shows the step when its line is clicked', async () => {
    const nop = expected.analysis.changes.find((change) => change.elementId === 'Task_nop')!;
    const list = page().getByTestId('change-list');
    // The report's convention: what a change saves, positive.
    expect(await list.getByTestId('cost-effect-Task_nop').textContent()).toContain(formatVnd(-nop.costEffectVnd, 'vi'));
    // The costliest change comes first.
    const costliest = [...expected.analysis.changes].sort((a, b) => Math.abs(b.costEffectPerYearVnd) - Math.abs(a.costEffectPerYearVnd))[0]!;
    expect(await list.locator('tbody tr').first().getAttribute('data-element-id')).toBe(costliest.toBe?.elementId ?? costliest.asIs?.elementId);

    await list.locator('tr[data-element-id="Task_nhan_ket_qua"] button').click();
    const shape = asIsViewer().locator('.djs-element[data-element-id="Task_nhan_ket_qua"]');
    await expect.poll(() => shape.getAttribute('class')).toContain('selected');
    const [box, viewer] = [await shape.boundingBox(), await asIsViewer().boundingBox()];
    expect(box!.x + box!.width / 2).toBeCloseTo(viewer!.x + viewer!.width / 2, -1);

    // The other way round: a changed step clicked on the to-be is selected on both sides and its line marked.
    await toBeViewer().locator('.djs-element[data-element-id="Task_bo_sung"]').click();
    const row = list.locator('tr[data-element-id="Task_bo_sung"]');
    await expect.poll(() => row.getAttribute('class')).toBe('change-changed highlighted');
    expect(await asIsViewer().locator('.djs-element[data-element-id="Task_bo_sung"]').getAttribute('class')).toContain('selected');
    expect(await row.locator('.differences').textContent()).toContain('thời gian của người dân');
  });

  it('zooms and pans the two diagrams together', async () => {
    const before = await transformOf(asIsViewer());
    expect(await transformOf(toBeViewer())).toBe(before);
    const box = (await asIsViewer().boundingBox())!;
    await page().mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page().keyboard.down('Control');
    await page().mouse.wheel(0, -300);
    await page().keyboard.up('Control');
    await expect.poll(() => transformOf(asIsViewer())).not.toBe(before);
    const zoomed = await transformOf(asIsViewer());
    const scale = (transform: string | null) => Number(/matrix\(([\d.]+)/.exec(transform ?? '')?.[1]);
    expect(scale(zoomed)).toBeGreaterThan(scale(before));
    expect(await transformOf(toBeViewer())).toBe(zoomed);

    // Dragging the to-be's canvas moves the as-is the same way.
    const toBe = (await toBeViewer().boundingBox())!;
    await page().mouse.move(toBe.x + 40, toBe.y + toBe.height - 30);
    await page().mouse.down();
    await page().mouse.move(toBe.x + 140, toBe.y + toBe.height - 60, { steps: 5 });
    await page().mouse.up();
    await expect.poll(() => transformOf(toBeViewer())).not.toBe(zoomed);
    expect(await transformOf(asIsViewer())).toBe(await transformOf(toBeViewer()));
  });

  it('draws the before/after charts and downloads the reports the API writes', async () => {
    await page().getByRole('tab', { name: 'Biểu đồ' }).click();
    for (const chart of ['chart-cost', 'chart-burden', 'chart-lead-time']) {
      await expect.poll(() => page().getByTestId(chart).locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    }
    // Time cost, other costs and fees, before and after: six bars.
    expect(await page().getByTestId('chart-cost').locator('.recharts-bar-rectangle').count()).toBe(6);
    await page().screenshot({ path: path.join(screenshots, 'designer-compare-charts-vi.png') });

    const [excel] = await Promise.all([page().waitForEvent('download'), page().getByRole('button', { name: 'Báo cáo Excel (.xlsx)' }).click()]);
    expect(excel.suggestedFilename()).toMatch(/^Báo cáo tái cấu trúc 1\.001193\.xlsx$/);
    expect((await readFile(await excel.path())).subarray(0, 2).toString()).toBe('PK');
    await page().getByRole('button', { name: 'Báo cáo PDF' }).click();
    const [pdf] = await Promise.all([page().waitForEvent('download'), page().getByRole('dialog').getByRole('button', { name: 'Tạo PDF' }).click()]);
    const text = await pdfText(new Uint8Array(await readFile(await pdf.path())));
    expect(text).toContain(formatVnd(expected.analysis.savings.perYearVnd, 'vi'));
  });

  it('shows the to-be’s online-service level (Art. 13) from the API', async () => {
    const classification = await post<OnlineServiceClassification>('/api/analysis/classify', { model: expected.toBeXml });
    await page().getByRole('tab', { name: 'Mức độ trực tuyến (Điều 13)' }).click();
    expect(await page().getByTestId('online-level-label').textContent()).toBe(classification.label.vi);
    await page().screenshot({ path: path.join(screenshots, 'designer-compare-online-vi.png') });
    await page().getByRole('tab', { name: /^Thay đổi/ }).click();
  });

  it('switches to English', async () => {
    await page().getByRole('button', { name: 'English' }).click();
    await page().getByRole('button', { name: 'Back to the designer' }).waitFor();
    const { analysis } = expected;
    expect(await page().getByTestId('per-dossier-before').textContent()).toBe(formatVnd(analysis.asIs.perDossier.totalVnd, 'en'));
    expect(await page().getByTestId('per-dossier-before').textContent()).toBe('173,080 VND');
    expect(await page().getByTestId('saving-rate').textContent()).toBe('76.6 %');
    expect(await page().getByTestId('aim-b').textContent()).toContain('b) Reduce travel and direct contact');
    expect(await page().getByRole('tab', { name: /^Changes/ }).count()).toBe(1);
    expect(await fitsTheWidth()).toEqual({ page: true, savings: true });
    await page().screenshot({ path: path.join(screenshots, 'designer-compare-en.png') });
  });

  it('lists the unmet Art. 13 criteria of a model that is not online, each leading to its element', async () => {
    // The as-is compared with itself: nothing differs, and as a "to-be" it is not an online service.
    await view().getByRole('combobox', { name: 'To-be (restructured)', exact: true }).selectOption('catalogue|dang-ky-khai-sinh|as-is');
    await page().getByText('The two models do not differ.').waitFor();
    expect(await page().getByTestId('per-dossier-saving').textContent()).toBe('0 VND');
    const classification = await post<OnlineServiceClassification>('/api/analysis/classify', { model: expected.asIsXml });
    await page().getByRole('tab', { name: 'Online level (Art. 13)' }).click();
    expect(await page().getByTestId('online-level-label').textContent()).toBe(classification.label.en);
    const unmet = classification.criteria.filter((criterion) => !criterion.met);
    expect(unmet.length).toBeGreaterThan(0);
    for (const criterion of unmet) await page().getByTestId(`criterion-${criterion.criterion}`).waitFor();
    const breach = unmet.flatMap((criterion) => criterion.breaches).find((candidate) => candidate.elementId.startsWith('Task_'))!;
    await page().getByRole('button', { name: breach.reason.en }).first().click();
    await expect.poll(() => toBeViewer().locator(`.djs-element[data-element-id="${breach.elementId}"]`).getAttribute('class')).toContain('selected');
    await page().screenshot({ path: path.join(screenshots, 'designer-compare-online-en.png') });
  });

  it('compares the model open in the designer with a file and with a saved model', async () => {
    await page().getByRole('button', { name: 'Back to the designer' }).click();
    await page().locator('.djs-palette').waitFor();
    await page().getByLabel('Procedure catalogue').selectOption('dang-ky-khai-sinh|as-is');
    await page().getByRole('button', { name: 'Save', exact: true }).click();
    await page().getByRole('dialog').getByRole('button', { name: 'Save version' }).click();
    await page().getByText('Saved version 1').waitFor();

    await page().getByRole('button', { name: 'Compare' }).click();
    const sides = { asIs: view().getByRole('combobox', { name: 'As-is', exact: true }), toBe: view().getByRole('combobox', { name: 'To-be (restructured)', exact: true }) };
    await sides.asIs.selectOption('open');
    await view().getByLabel('Choose a file… — To-be (restructured)').setInputFiles(path.join(projectRoot, 'processes/dang-ky-khai-sinh/to-be.bpmn'));
    // The file is read before the side switches to it.
    await expect.poll(() => sides.toBe.locator('option:checked').textContent()).toBe('File: to-be.bpmn');
    const { analysis } = expected;
    await expect.poll(() => page().getByTestId('per-dossier-saving').textContent()).toBe(formatVnd(analysis.savings.perDossierVnd, 'en'));
    expect(await page().getByTestId('per-dossier-after').textContent()).toBe(formatVnd(analysis.toBe.perDossier.totalVnd, 'en'));

    // The saved model is the same as-is: nothing saved, nothing differs.
    const [saved] = ((await (await designer.api.fetch(`/api/models`)).json()) as { items: Array<{ id: string }> }).items;
    await sides.toBe.selectOption(`saved|${saved!.id}`);
    await expect.poll(() => page().getByTestId('per-dossier-saving').textContent()).toBe('0 VND');
    expect(await page().getByTestId('per-dossier-after').textContent()).toBe(formatVnd(analysis.asIs.perDossier.totalVnd, 'en'));
    await page().getByRole('tab', { name: /^Changes/ }).click();
    await page().getByText('The two models do not differ.').waitFor();
  });

  it('explains, with each problem of the server, a file that is not a BPMN model', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'quytrinh-compare-'));
    const file = path.join(folder, 'ghi-chu.bpmn');
    await writeFile(file, 'không phải BPMN');
    const errorsBefore = pageErrors.length;
    await view().getByLabel('Choose a file… — As-is').setInputFiles(file);
    const alert = view().getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Cannot compare: Cannot analyse the as-is model: 1 problem/);
    // The XML parser's own reason, on the side it concerns.
    expect(await alert.locator('li').allTextContents()).toEqual([expect.stringMatching(/^As-is: unparsable content/)]);
    // The browser logs the refused request (422): that one was expected.
    expect(pageErrors.splice(errorsBefore)).toEqual([expect.stringMatching(/status of 422/)]);
    await rm(folder, { recursive: true });
  });

  it('returns to the designer with its model kept, and logged no error or warning', async () => {
    await page().getByRole('button', { name: 'Back to the designer' }).click();
    await page().getByTestId('canvas').waitFor();
    expect(await page().locator('.djs-palette').isVisible()).toBe(true);
    expect(await page().locator('.djs-element[data-element-id="Task_nop"]').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
