import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadCatalogue, summariseCatalogue } from '../../engine/catalogue/index.ts';
import { catalogueSummaryWorkbook } from '../../server/reports/catalogue-summary-workbook.ts';

/**
 * The one sign convention in the summary's workbook: no catalogue entry is made worse by its
 * restructuring, so the birth registration is summarised backwards (its to-be as the as-is): every
 * figure grows, and the workbook must show it in red, never in the savings' green.
 */
describe('the catalogue summary workbook', () => {
  it('shows a restructuring that makes things worse in red, negative, and the others in green', async () => {
    const entries = await loadCatalogue(path.join(import.meta.dirname, '../../processes'));
    const birth = entries.find((entry) => entry.folder === 'dang-ky-khai-sinh')!;
    const marriage = entries.find((entry) => entry.folder === 'dang-ky-ket-hon')!;
    const backwards = { ...birth, models: { 'as-is': birth.models['to-be'], 'to-be': birth.models['as-is'] } };
    const summary = await summariseCatalogue([backwards, marriage]);
    const [worse] = summary.rows;
    expect(worse!.savingPerYearVnd).toBeLessThan(0);
    expect(worse!.toBe.applicantHours).toBeGreaterThan(worse!.asIs.applicantHours);
    // The totals stay honest: the backwards entry's loss is subtracted from the marriage's saving.
    expect(summary.totals.savingPerYearVnd).toBeCloseTo(summary.rows[0]!.savingPerYearVnd + summary.rows[1]!.savingPerYearVnd, 3);

    const workbook = new ExcelJS.Workbook();
    const file = await catalogueSummaryWorkbook(summary, [birth.procedure, marriage.procedure], 'vi');
    await workbook.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    const sheet = workbook.getWorksheet('Tổng hợp')!;
    let header = 0;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'STT') header = row.number;
    });
    const labels = (sheet.getRow(header).values as unknown[]).map(String);
    const cell = (row: number, label: string) => sheet.getRow(header + row).getCell(labels.indexOf(label));
    const red = 'FFB00020';
    const green = 'FF1E7B34';
    expect(cell(1, 'Tiết kiệm/năm (đ)').value).toBeLessThan(0);
    expect(cell(1, 'Tiết kiệm/năm (đ)').font.color?.argb).toBe(red);
    expect(cell(1, 'Giờ/hồ sơ sau').font.color?.argb).toBe(red);
    expect(cell(1, 'Giờ tiết kiệm/năm').font.color?.argb).toBe(red);
    expect(cell(2, 'Tiết kiệm/năm (đ)').font.color?.argb).toBe(green);
    expect(cell(2, 'Giờ/hồ sơ sau').font.color?.argb).toBeUndefined();
    expect(cell(1, 'Tỷ lệ cắt giảm (%)').numFmt).toBe('0.00;[Red]-0.00');
  });
});
