import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CatalogueSummaryRow, CatalogueSummaryTotals } from '../../engine/catalogue/summary.ts';
import { formatNumber, formatVnd } from '../../designer/src/format.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/**
 * Issue 16 in Chromium at 1366×768: the catalogue summary opened from the designer's toolbar by
 * keyboard, its figures those of the API, sortable, in Vietnamese and English, and its workbook.
 */
describe.runIf(browserAvailable)('the catalogue summary in the designer', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const dialog = () => page().getByRole('dialog', { name: /Tổng hợp danh mục|Catalogue summary/ });
  let rows: CatalogueSummaryRow[];
  let totals: CatalogueSummaryTotals;

  it('opens from the toolbar by keyboard and shows each entry as the API computes it', async () => {
    const { items, totals: all } = (await (await designer.api.fetch('/api/catalogue/summary?limit=100')).json()) as { items: CatalogueSummaryRow[]; totals: CatalogueSummaryTotals };
    [rows, totals] = [items, all];
    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    // Tab from the start of the page to the toolbar's button, then Enter: no mouse.
    await page().locator('body').focus();
    let focused = '';
    for (let presses = 0; presses < 40 && focused !== 'Tổng hợp danh mục'; presses++) {
      await page().keyboard.press('Tab');
      focused = await page().evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    }
    expect(focused).toBe('Tổng hợp danh mục');
    await page().screenshot({ path: path.join(screenshots, 'catalogue-summary-toolbar.png'), clip: { x: 0, y: 0, width: 1366, height: 60 } });
    await page().keyboard.press('Enter');
    await expect.poll(() => dialog().getByTestId('summary-row-dang-ky-khai-sinh').isVisible(), { timeout: 30_000 }).toBe(true);

    const birth = rows.find((row) => row.id === 'dang-ky-khai-sinh')!;
    const row = dialog().getByTestId('summary-row-dang-ky-khai-sinh');
    expect(await row.getByTestId('saving').textContent()).toBe(formatVnd(birth.savingPerYearVnd, 'vi'));
    expect(await row.getByTestId('rate').textContent()).toBe(`${formatNumber(birth.ratePercent, 'vi', 1)} %`);
    expect(await row.getByTestId('cost').textContent()).toBe(`${formatVnd(birth.asIs.costPerDossierVnd, 'vi')} → ${formatVnd(birth.toBe.costPerDossierVnd, 'vi')}`);
    expect(await row.getByTestId('hours').textContent()).toBe(`${formatNumber(birth.asIs.applicantHours, 'vi', 1)} giờ → ${formatNumber(birth.toBe.applicantHours, 'vi', 1)} giờ`);
    expect(await row.getByTestId('dossiers').textContent()).toBe('1.400.000');
    // A saving in the compare view's green.
    expect(await row.getByTestId('saving').evaluate((cell) => getComputedStyle(cell).color)).toBe('rgb(30, 123, 52)');
    expect(await dialog().getByTestId('total-saving').textContent()).toBe(formatVnd(totals.savingPerYearVnd, 'vi'));
    expect(await dialog().getByTestId('total-rate').textContent()).toBe(`${formatNumber(totals.ratePercent, 'vi', 1)} %`);
    expect(await dialog().getByTestId('total-hours').textContent()).toBe(formatNumber(totals.applicantHoursSavedPerYear, 'vi', 0));
    expect(await dialog().getByText('(nhóm liên thông, không cộng vào tổng)').count()).toBe(3);
    expect(await page().evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page().screenshot({ path: path.join(screenshots, 'catalogue-summary-vi.png') });
  });

  it('sorts by a column from the keyboard, largest saving first then smallest', async () => {
    const order = async () => (await dialog().locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')!.replace('summary-row-', ''))));
    const bySaving = [...rows].sort((a, b) => b.savingPerYearVnd - a.savingPerYearVnd).map((row) => row.id);
    expect(await order()).toEqual(bySaving);
    const header = dialog().getByRole('button', { name: 'Tiết kiệm/năm' });
    await header.focus();
    await page().keyboard.press('Enter');
    expect(await order()).toEqual([...bySaving].reverse());
    expect(await dialog().getByRole('columnheader', { name: /Tiết kiệm\/năm/ }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('switches to English and downloads the workbook with the same rows', async () => {
    await dialog().getByRole('button', { name: 'English' }).click();
    await expect.poll(() => dialog().getByRole('heading').first().textContent()).toBe('Catalogue summary');
    const birth = rows.find((row) => row.id === 'dang-ky-khai-sinh')!;
    await expect.poll(() => dialog().getByTestId('summary-row-dang-ky-khai-sinh').getByTestId('saving').textContent()).toBe(formatVnd(birth.savingPerYearVnd, 'en'));
    await page().screenshot({ path: path.join(screenshots, 'catalogue-summary-en.png') });

    const [download] = await Promise.all([page().waitForEvent('download'), dialog().getByRole('button', { name: 'Download workbook (.xlsx)' }).click()]);
    expect(download.suggestedFilename()).toBe('Catalogue summary.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const sheet = workbook.getWorksheet('Summary')!;
    const names: string[] = [];
    sheet.getColumn(2).eachCell((cell) => names.push(cell.text));
    for (const row of rows) expect(names.some((name) => name.startsWith(row.name.en))).toBe(true);

    await page().keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
    expect(designer.pageErrors).toEqual([]);
  });
});
