/**
 * The restructuring report as an .xlsx workbook (exceljs): the sheet an agency files and keeps
 * working in. Numbers stay numbers (formatted, not printed into text), so the reviewer can sum,
 * chart and check them; Excel shows the separators of the reader's locale (1.234.567 in
 * Vietnamese). Sheet "Báo cáo": the report; sheet "Thay đổi": one row per element change.
 */
import ExcelJS from 'exceljs';
import type { Bilingual } from '../../engine/errors.ts';
import type { RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { REPORT_LABELS, restructuringReport, UNIT_LABELS, type ReportFileOptions, type Unit } from './restructuring-report.ts';

const NUMBER_FORMATS: Record<Unit, string> = {
  vnd: '#,##0',
  hours: '#,##0.00',
  count: '#,##0.00',
  percent: '0.00',
};

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  left: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  right: { style: 'thin', color: { argb: 'FFBFBFBF' } },
};
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];
/** Khoản mục | Hiện trạng | Sau tái cấu trúc | Cắt giảm | Đơn vị */
const REPORT_COLUMNS = 5;

export async function restructuringWorkbook(analysis: RestructuringAnalysis, options: ReportFileOptions = {}): Promise<Buffer> {
  const language = options.language ?? 'vi';
  const t = (label: Bilingual) => label[language];
  const report = restructuringReport(analysis);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quy Trình';
  workbook.title = t(report.title);
  workbook.subject = report.procedure.name ?? '';
  workbook.created = new Date();

  const sheet = workbook.addWorksheet(language === 'vi' ? 'Báo cáo' : 'Report', {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: { left: 0.6, right: 0.6, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 } },
    headerFooter: { oddFooter: `&C${t(REPORT_LABELS.page)} &P/&N` },
  });
  sheet.columns = [{ width: 62 }, { width: 22 }, { width: 22 }, { width: 22 }, { width: 10 }];

  /** A line of text across the whole table width. */
  const banner = (text: string, font: Partial<ExcelJS.Font>, height?: number) => {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, REPORT_COLUMNS);
    row.font = font;
    row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    if (height) row.height = height;
    return row;
  };
  const header = (labels: string[]) => {
    const row = sheet.addRow(labels);
    row.font = { bold: true };
    for (let column = 1; column <= REPORT_COLUMNS; column++) {
      const cell = row.getCell(column);
      cell.fill = HEADER_FILL;
      cell.border = THIN;
      cell.alignment = { horizontal: column === 1 ? 'left' : 'center', vertical: 'middle', wrapText: true };
    }
    return row;
  };
  const figures = (label: string, values: Array<number | string | null>, unit: Unit, bold = false) => {
    const row = sheet.addRow([label, ...values, t(UNIT_LABELS[unit])]);
    if (bold) row.font = { bold: true };
    for (let column = 1; column <= REPORT_COLUMNS; column++) {
      const cell = row.getCell(column);
      cell.border = THIN;
      if (typeof cell.value === 'number') cell.numFmt = NUMBER_FORMATS[unit];
    }
    row.getCell(1).alignment = { indent: 1, wrapText: true, vertical: 'top' };
    row.getCell(REPORT_COLUMNS).alignment = { horizontal: 'center' };
    return row;
  };

  banner(t(report.title).toUpperCase(), { bold: true, size: 14 }, 24);
  if (report.procedure.name) banner(report.procedure.name, { bold: true, size: 12 });
  if (report.procedure.code) banner(`${t(REPORT_LABELS.procedureCode)}: ${report.procedure.code}`, { bold: false });
  banner(t(report.legalBasis), { italic: true }, 30);
  sheet.addRow([]);

  const columnLabels = [REPORT_LABELS.item, REPORT_LABELS.asIs, REPORT_LABELS.toBe, REPORT_LABELS.reduction, REPORT_LABELS.unit].map(t);
  let part = 0;
  const partTitle = (text: string) => {
    if (part > 0) sheet.addRow([]);
    sheet.addRow([`${ROMAN[part++]}. ${text}`]).font = { bold: true, size: 12 };
  };
  let frozen: number | undefined;
  for (const section of report.sections) {
    partTitle(t(section.title));
    const headerRow = header(columnLabels);
    frozen ??= headerRow.number;
    for (const row of section.rows) figures(t(row.label), [row.asIs, row.toBe, row.reduction], row.unit, row.total);
  }

  partTitle(t(REPORT_LABELS.savings));
  figures(t(REPORT_LABELS.savingsPerYear), [report.savings.perYearVnd, null, null], 'vnd', true);
  figures(t(REPORT_LABELS.savingsPerDossier), [report.savings.perDossierVnd, null, null], 'vnd');
  figures(t(REPORT_LABELS.rate), [report.savings.ratePercent, null, null], 'percent', true);

  partTitle(t(REPORT_LABELS.aims));
  header([t(REPORT_LABELS.aim), t(REPORT_LABELS.asIs), t(REPORT_LABELS.toBe), t(REPORT_LABELS.result), '']);
  for (const aim of report.aims) {
    const row = figures(t(aim.label), [aim.asIs, aim.toBe, t(aim.met ? REPORT_LABELS.met : REPORT_LABELS.notMet)], 'count');
    row.getCell(4).alignment = { horizontal: 'center' };
    row.getCell(4).font = { bold: true, color: { argb: aim.met ? 'FF1E7B34' : 'FFB00020' } };
  }
  sheet.views = [{ state: 'frozen', ySplit: frozen ?? 0, topLeftCell: `A${(frozen ?? 0) + 1}`, activeCell: 'A1' }];
  if (frozen) sheet.pageSetup.printTitlesRow = `${frozen}:${frozen}`;

  const changes = workbook.addWorksheet(language === 'vi' ? 'Thay đổi' : 'Changes', {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });
  changes.columns = [
    { header: t(REPORT_LABELS.change), width: 24 },
    { header: t(REPORT_LABELS.elementId), width: 28 },
    { header: t(REPORT_LABELS.step), width: 60 },
    { header: `${t(REPORT_LABELS.effectPerDossier)} (${t(UNIT_LABELS.vnd)}; ${t(REPORT_LABELS.negativeIsSaving)})`, width: 24, style: { numFmt: NUMBER_FORMATS.vnd } },
    { header: `${t(REPORT_LABELS.effectPerYear)} (${t(UNIT_LABELS.vnd)}; ${t(REPORT_LABELS.negativeIsSaving)})`, width: 24, style: { numFmt: NUMBER_FORMATS.vnd } },
    { header: t(REPORT_LABELS.differences), width: 40 },
  ];
  const changesHeader = changes.getRow(1);
  changesHeader.font = { bold: true };
  changesHeader.height = 32;
  changesHeader.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
  for (const change of report.changes) {
    const row = changes.addRow([t(change.label), change.elementId, change.name ?? '', change.costEffectVnd, change.costEffectPerYearVnd, change.differences.join(', ')]);
    row.eachCell({ includeEmpty: true }, (cell) => (cell.border = THIN));
    row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
  }
  if (report.changes.length > 0) changes.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + report.changes.length, column: 6 } };

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
