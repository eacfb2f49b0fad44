/**
 * The restructuring report as an .xlsx workbook (exceljs): the sheet an agency files and keeps
 * working in. Numbers stay numbers (formatted, not printed into text), so the reviewer can sum,
 * chart and check them; Excel shows the separators of the reader's locale (1.234.567 in
 * Vietnamese). Sheet "Báo cáo": the report; sheet "Thay đổi": one row per element change.
 */
import ExcelJS from 'exceljs';
import type { Bilingual } from '../../engine/errors.ts';
import type { RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { DIRECTION_COLOURS, REPORT_LABELS, restructuringReport, UNIT_LABELS, type Direction, type ReportFileOptions, type Unit } from './restructuring-report.ts';

export const NUMBER_FORMATS: Record<Unit, string> = {
  vnd: '#,##0',
  hours: '#,##0.00',
  count: '#,##0.00',
  percent: '0.00',
};

/** A reduction's format: the one sign convention, a negative (an increase) in red as on screen and in the PDF. */
export const reductionFormat = (unit: Unit) => `${NUMBER_FORMATS[unit]};[Red]-${NUMBER_FORMATS[unit]}`;

/** exceljs colours are ARGB. */
export const argb = (direction: Direction) => `FF${DIRECTION_COLOURS[direction].slice(1).toUpperCase()}`;

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
export const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  left: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  right: { style: 'thin', color: { argb: 'FFBFBFBF' } },
};
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];
/** Khoản mục | Hiện trạng | Sau tái cấu trúc | Cắt giảm | Đơn vị | Lý do tăng */
const REPORT_COLUMNS = 6;

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
  sheet.columns = [{ width: 62 }, { width: 22 }, { width: 22 }, { width: 22 }, { width: 14 }, { width: 60 }];

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
  /** A row of figures; `unit` is a unit of the report, or the words of one (an aim's "thủ tục"). */
  const figures = (label: string, values: Array<number | string | null>, unit: string, bold = false, note = '') => {
    const unitText = unit in UNIT_LABELS ? t(UNIT_LABELS[unit as Unit]) : unit;
    const row = sheet.addRow([label, ...values, unitText, note]);
    if (bold) row.font = { bold: true };
    for (let column = 1; column <= REPORT_COLUMNS; column++) {
      const cell = row.getCell(column);
      cell.border = THIN;
      if (typeof cell.value === 'number') cell.numFmt = NUMBER_FORMATS[(unit in NUMBER_FORMATS ? unit : 'count') as Unit];
    }
    row.getCell(1).alignment = { indent: 1, wrapText: true, vertical: 'top' };
    row.getCell(5).alignment = { horizontal: 'center' };
    row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
    return row;
  };
  /** Marks a reduction cell by the convention: red with its reason when the figure grew, green when saved. */
  const reductionCell = (row: ExcelJS.Row, column: number, unit: Unit, direction: Direction) => {
    const cell = row.getCell(column);
    cell.numFmt = reductionFormat(unit);
    if (direction === 'saving' || direction === 'worse') cell.font = { ...row.font, color: { argb: argb(direction) } };
    if (direction === 'worse') row.getCell(6).font = { color: { argb: argb('worse') } };
  };

  banner(t(report.title).toUpperCase(), { bold: true, size: 14 }, 24);
  if (report.procedure.name) banner(report.procedure.name, { bold: true, size: 12 });
  if (report.procedure.code) banner(`${t(REPORT_LABELS.procedureCode)}: ${report.procedure.code}`, { bold: false });
  banner(t(report.legalBasis), { italic: true }, 30);
  sheet.addRow([]);

  banner(t(REPORT_LABELS.convention), { italic: true, size: 9 }, 28);
  const columnLabels = [REPORT_LABELS.item, REPORT_LABELS.asIs, REPORT_LABELS.toBe, REPORT_LABELS.reduction, REPORT_LABELS.unit, REPORT_LABELS.reason].map(t);
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
    for (const row of section.rows) reductionCell(figures(t(row.label), [row.asIs, row.toBe, row.reduction], row.unit, row.total, row.reason ? t(row.reason) : ''), 4, row.unit, row.direction);
  }

  partTitle(t(REPORT_LABELS.savings));
  const reason = report.savings.reason ? t(report.savings.reason) : '';
  for (const [label, amount, unit, bold] of [
    [REPORT_LABELS.savingsPerYear, report.savings.perYearVnd, 'vnd', true],
    [REPORT_LABELS.savingsPerDossier, report.savings.perDossierVnd, 'vnd', false],
    [REPORT_LABELS.rate, report.savings.ratePercent, 'percent', true],
  ] as const) {
    const row = figures(t(label), [amount, null, null], unit, bold, reason);
    reductionCell(row, 2, unit, report.savings.direction);
  }

  partTitle(t(REPORT_LABELS.aims));
  header([t(REPORT_LABELS.aim), t(REPORT_LABELS.asIs), t(REPORT_LABELS.toBe), t(REPORT_LABELS.result), t(REPORT_LABELS.unit), '']);
  for (const aim of report.aims) {
    const row = figures(t(aim.label), [aim.asIs, aim.toBe, t(aim.met ? REPORT_LABELS.met : REPORT_LABELS.notMet)], t(aim.unit));
    row.getCell(4).alignment = { horizontal: 'center' };
    row.getCell(4).font = { bold: true, color: { argb: argb(aim.met ? 'saving' : 'worse') } };
  }

  partTitle(t(REPORT_LABELS.cutProcedures));
  if (report.cutProcedures.length === 0) banner(t(REPORT_LABELS.noCutProcedures), { italic: true });
  for (const procedure of report.cutProcedures) {
    const row = sheet.addRow([procedure.name, procedure.code ?? '', t(procedure.label)]);
    sheet.mergeCells(row.number, 3, row.number, REPORT_COLUMNS);
    row.eachCell({ includeEmpty: true }, (cell) => (cell.border = THIN));
  }
  sheet.views = [{ state: 'frozen', ySplit: frozen ?? 0, topLeftCell: `A${(frozen ?? 0) + 1}`, activeCell: 'A1' }];
  if (frozen) sheet.pageSetup.printTitlesRow = `${frozen}:${frozen}`;

  const changes = workbook.addWorksheet(language === 'vi' ? 'Thay đổi' : 'Changes', {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });
  // The same convention as the report: what a change saves is positive, what it adds negative and red.
  changes.columns = [
    { header: t(REPORT_LABELS.change), width: 24 },
    { header: t(REPORT_LABELS.step), width: 60 },
    { header: `${t(REPORT_LABELS.savedPerDossier)} (${t(UNIT_LABELS.vnd)})`, width: 24, style: { numFmt: reductionFormat('vnd') } },
    { header: `${t(REPORT_LABELS.savedPerYear)} (${t(UNIT_LABELS.vnd)})`, width: 24, style: { numFmt: reductionFormat('vnd') } },
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
    const row = changes.addRow([t(change.label), t(change.step), -change.costEffectVnd, -change.costEffectPerYearVnd, change.differenceLabels.map(t).join(', ')]);
    row.eachCell({ includeEmpty: true }, (cell) => (cell.border = THIN));
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    const direction = change.costEffectVnd > 1e-9 ? 'worse' : change.costEffectVnd < -1e-9 ? 'saving' : 'same';
    if (direction !== 'same') for (const column of [3, 4]) row.getCell(column).font = { color: { argb: argb(direction) } };
  }
  if (report.changes.length > 0) changes.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + report.changes.length, column: 5 } };

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
