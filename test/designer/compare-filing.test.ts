import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { formatNumber, formatVnd } from '../../designer/src/format.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { pdfToPngs } from '../support/pdf-png.ts';
import { pdfText } from '../support/restructuring.ts';

/**
 * Issue 16 in Chromium at 1366×768: the compare view opens on the open procedure's pair, shows a
 * figure that grows as worse (red, with its reason), and files the PDF with its particulars.
 */
describe.runIf(browserAvailable)('comparing the open procedure and filing its report', () => {
  const designer = useDesignerPage();
  const page = () => designer.page;
  const view = () => page().locator('main.compare');
  let analysis: RestructuringAnalysis;

  it('opens on the pair of the procedure open in the designer, not the first catalogue entry', async () => {
    const xml = async (stage: string) => (await designer.api.fetch(`/api/catalogue/cap-phieu-ly-lich-tu-phap/${stage}.bpmn`)).text();
    const response = await designer.api.fetch('/api/analysis/cost', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ asIs: await xml('as-is'), toBe: await xml('to-be') }) });
    analysis = (await response.json()) as RestructuringAnalysis;

    await page().goto(designer.api.url);
    await page().locator('.djs-palette .entry').first().waitFor();
    // Not the catalogue's first procedure (cap-giay-chung-nhan-quyen-su-dung-dat-lan-dau).
    await page().getByLabel('Danh mục thủ tục').selectOption('cap-phieu-ly-lich-tu-phap|to-be');
    await page().getByRole('button', { name: 'So sánh' }).click();
    const sides = { asIs: view().getByRole('combobox', { name: 'Hiện trạng', exact: true }), toBe: view().getByRole('combobox', { name: 'Sau tái cấu trúc', exact: true }) };
    await expect.poll(() => sides.toBe.inputValue(), { timeout: 20_000 }).toBe('open');
    await expect.poll(() => sides.asIs.inputValue(), { timeout: 20_000 }).toBe('catalogue|cap-phieu-ly-lich-tu-phap|as-is');
    await expect.poll(() => page().getByTestId('per-dossier-before').textContent(), { timeout: 20_000 }).toBe(formatVnd(analysis.asIs.perDossier.totalVnd, 'vi'));
    await expect.poll(() => page().getByTestId('per-dossier-after').textContent(), { timeout: 20_000 }).toBe(formatVnd(analysis.toBe.perDossier.totalVnd, 'vi'));
  });

  it('shows a figure that grows as worse, in red with its reason, and the savings in green', async () => {
    await view().getByRole('combobox', { name: 'Thủ tục', exact: true }).selectOption('dang-ky-khai-sinh');
    await expect.poll(() => page().getByTestId('per-dossier-before').textContent(), { timeout: 20_000 }).toBe('173.080 đ');
    const lead = page().getByTestId('lead-time-reduction');
    // 5 → 12,17 working hours: an increase of 7,17, never shown as a saving.
    expect(await lead.textContent()).toBe(`−${formatNumber(7.171333, 'vi')} (tăng)`);
    expect(await lead.getAttribute('class')).toBe('worse');
    expect(await lead.evaluate((cell) => getComputedStyle(cell).color)).toBe('rgb(176, 0, 32)');
    const reason = page().getByTestId('lead-time-reason');
    expect(await reason.isVisible()).toBe(true);
    expect(await reason.textContent()).toMatch(/^Thời gian giải quyết tăng do: Gửi bản chính Giấy khai sinh qua bưu chính công ích \(thêm mới, \+7,84 giờ\)/);
    expect(await page().getByTestId('per-year-saving').evaluate((cell) => getComputedStyle(cell).color)).toBe('rgb(30, 123, 52)');
    // Art. 17.1.a counts administrative procedures: this restructuring cuts none.
    expect(await page().getByTestId('aim-a').textContent()).toContain('a) Cắt giảm thủ tục hành chính không cần thiết (1 → 1 thủ tục; Chưa đạt)');
    expect(await page().getByTestId('people-steps-reduction').textContent()).toBe(formatNumber(8.4333 - 4.2222, 'vi'));
    expect(await page().evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page().screenshot({ path: path.join(screenshots, 'compare-worse-vi.png') });
  });

  it('asks for the filing particulars, refuses a date that does not exist, and files the PDF with them', async () => {
    await page().getByRole('button', { name: 'Báo cáo PDF' }).click();
    const dialog = page().getByRole('dialog', { name: 'Thông tin báo cáo PDF' });
    await dialog.getByLabel('Cơ quan chủ quản').fill('UBND tỉnh Bắc Ninh');
    await dialog.getByLabel('Cơ quan ban hành').fill('Văn phòng UBND tỉnh');
    await dialog.getByLabel('Số, ký hiệu').fill('15/BC-VP');
    await dialog.getByLabel('Địa danh').fill('Bắc Ninh');
    await dialog.getByLabel('Ngày (dd/mm/yyyy)').fill('31/02/2026');
    await dialog.getByLabel('Chức vụ người ký').fill('Chánh Văn phòng');
    await dialog.getByLabel('Họ tên người ký').fill('Nguyễn Văn An');
    await page().screenshot({ path: path.join(screenshots, 'compare-filing-dialog-vi.png') });
    await dialog.getByRole('button', { name: 'Tạo PDF' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('Ngày không hợp lệ');
    await dialog.getByLabel('Ngày (dd/mm/yyyy)').fill('06/12/2026');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    const [download] = await Promise.all([page().waitForEvent('download'), dialog.getByRole('button', { name: 'Tạo PDF' }).click()]);
    const bytes = new Uint8Array(await readFile(await download.path()));
    const text = (await pdfText(bytes.slice())).replace(/\s+/g, ' ');
    for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'VĂN PHÒNG UBND TỈNH', 'Số: 15/BC-VP', 'Bắc Ninh, ngày 06 tháng 12 năm 2026', 'Nguyễn Văn An', 'Hình 2. Quy trình điện tử sau tái cấu trúc']) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('qt:');
    expect(text).not.toMatch(/\b(Task|Gateway|Flow|Event|StartEvent|EndEvent)_\w+/);
    // The PDF as a reader sees it, page by page.
    const pngs = await pdfToPngs(designer.browser, bytes);
    expect(pngs.length).toBeGreaterThanOrEqual(4);
    for (const [index, png] of pngs.entries()) await writeFile(path.join(screenshots, `compare-report-page-${index + 1}.png`), png);
    expect(designer.pageErrors).toEqual([]);
  });
});
