/**
 * The restructuring report as an .xlsx workbook (exceljs): the sheet an agency files and keeps
 * working in. Numbers stay numbers (formatted, not printed into text), so the reviewer can sum,
 * chart and check them.
 */
import ExcelJS from 'exceljs';
import type { RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { restructuringReport, type Unit } from './restructuring-report.ts';

const NUMBER_FORMATS: Record<Unit, string> = {
  vnd: '#,##0 "đ"',
  hours: '#,##0.00 "giờ"',
  count: '#,##0.00',
  percent: '0.00 "%"',
};

const UNIT_LABELS: Record<Unit, string> = { vnd: 'VNĐ', hours: 'giờ', count: '', percent: '%' };

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };

export async function restructuringWorkbook(analysis: RestructuringAnalysis): Promise<Buffer> {
  const report = restructuringReport(analysis);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quy Trình';
  workbook.created = new Date();

  const sheet = workbook.addWorksheet('Báo cáo', { views: [{ state: 'frozen', ySplit: 5 }], pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [{ width: 58 }, { width: 22 }, { width: 22 }, { width: 22 }, { width: 8 }];
  sheet.addRow([report.title.vi.toUpperCase()]).font = { bold: true, size: 14 };
  sheet.addRow([[report.procedure.name, report.procedure.code && `Mã thủ tục: ${report.procedure.code}`].filter(Boolean).join(' — ')]).font = { bold: true };
  sheet.addRow([report.legalBasis.vi]).font = { italic: true };
  sheet.addRow([]);
  const header = sheet.addRow(['Khoản mục', 'Hiện trạng', 'Sau tái cấu trúc', 'Cắt giảm', 'Đơn vị']);
  header.font = { bold: true };
  header.eachCell((cell) => (cell.fill = HEADER_FILL));

  for (const section of report.sections) {
    sheet.addRow([section.title.vi]).font = { bold: true };
    for (const row of section.rows) {
      const added = sheet.addRow([`  ${row.label.vi}`, row.asIs, row.toBe, row.reduction, UNIT_LABELS[row.unit]]);
      for (const column of [2, 3, 4]) added.getCell(column).numFmt = NUMBER_FORMATS[row.unit];
      if (row.label.vi.startsWith('Tổng')) added.font = { bold: true };
    }
  }
  sheet.addRow([]);
  const savings = sheet.addRow(['Chi phí tiết kiệm mỗi năm', report.savings.perYearVnd, null, null, 'VNĐ']);
  savings.font = { bold: true };
  savings.getCell(2).numFmt = NUMBER_FORMATS.vnd;
  const perDossier = sheet.addRow(['Chi phí tiết kiệm mỗi hồ sơ', report.savings.perDossierVnd, null, null, 'VNĐ']);
  perDossier.getCell(2).numFmt = NUMBER_FORMATS.vnd;
  const rate = sheet.addRow(['Tỷ lệ cắt giảm chi phí (Điều 18 Thông tư 01/2023/TT-VPCP)', report.savings.ratePercent, null, null, '%']);
  rate.font = { bold: true };
  rate.getCell(2).numFmt = NUMBER_FORMATS.percent;

  sheet.addRow([]);
  const aimsHeader = sheet.addRow(['Mục tiêu tái cấu trúc (Điều 17.1)', 'Hiện trạng', 'Sau tái cấu trúc', 'Đạt']);
  aimsHeader.font = { bold: true };
  aimsHeader.eachCell((cell) => (cell.fill = HEADER_FILL));
  for (const aim of report.aims) {
    const added = sheet.addRow([aim.label.vi, aim.asIs, aim.toBe, aim.met ? 'Đạt' : 'Chưa đạt']);
    for (const column of [2, 3]) added.getCell(column).numFmt = NUMBER_FORMATS.count;
  }

  const changes = workbook.addWorksheet('Thay đổi', { views: [{ state: 'frozen', ySplit: 1 }] });
  changes.columns = [
    { header: 'Thay đổi', width: 24 },
    { header: 'Mã phần tử', width: 28 },
    { header: 'Bước', width: 60 },
    { header: 'Ảnh hưởng chi phí / hồ sơ (VNĐ)', width: 26 },
    { header: 'Ảnh hưởng chi phí / năm (VNĐ)', width: 26 },
    { header: 'Nội dung thay đổi', width: 50 },
  ];
  changes.getRow(1).font = { bold: true };
  changes.getRow(1).eachCell((cell) => (cell.fill = HEADER_FILL));
  for (const change of report.changes) {
    const added = changes.addRow([change.label.vi, change.elementId, change.name ?? '', change.costEffectVnd, change.costEffectPerYearVnd, change.differences.join(', ')]);
    added.getCell(4).numFmt = NUMBER_FORMATS.vnd;
    added.getCell(5).numFmt = NUMBER_FORMATS.vnd;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
