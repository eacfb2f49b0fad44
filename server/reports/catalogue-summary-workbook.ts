/**
 * The catalogue summary (issue 16) as an .xlsx workbook, in the restructuring workbook's style
 * (restructuring-workbook.ts: exceljs, numbers stay numbers, one sign convention: a saving
 * positive in green, an increase negative in red). Sheet "Tổng hợp": one row per catalogue entry
 * and the totals row; sheet "Nguồn số liệu": every figure of every entry with its source and
 * whether it is an estimate (Circular 01 Art. 18; Circular 02/2017 Art. 27).
 */
import ExcelJS from 'exceljs';
import type { Bilingual } from '../../engine/errors.ts';
import type { Procedure } from '../../engine/catalogue/procedure.ts';
import type { CatalogueSummary, CatalogueSummaryRow } from '../../engine/catalogue/summary.ts';
import { directionOf } from './restructuring-report.ts';
import { argb, HEADER_FILL, NUMBER_FORMATS, reductionFormat, THIN } from './restructuring-workbook.ts';
import { aimsText, LEVEL_LABELS, SUMMARY_LABELS as L } from './catalogue-summary-report.ts';

type Language = keyof Bilingual;
type Format = 'text' | 'vnd' | 'hours' | 'count' | 'percent';

interface Column {
  label: Bilingual;
  width: number;
  format: Format;
  /** A reduction (as-is − to-be): green when saved, red and negative when it grew. */
  reduction?: boolean;
  value: (row: CatalogueSummaryRow, language: Language) => string | number;
  /** For a to-be figure: its as-is, so that a to-be above it is shown worse (red). */
  asIs?: (row: CatalogueSummaryRow) => number;
  /** The totals row's cell. */
  total?: (totals: CatalogueSummary['totals']) => number;
}

const COLUMNS: Column[] = [
  { label: L.procedure, width: 48, format: 'text', value: (row, language) => (row.inTotals ? row.name[language] : `${row.name[language]} (${L.group[language]})`) },
  { label: L.code, width: 12, format: 'text', value: (row) => row.procedureCode ?? '' },
  { label: L.level, width: 12, format: 'text', value: (row, language) => LEVEL_LABELS[row.level][language] },
  { label: { vi: `${L.costAsIs.vi} (đ)`, en: `${L.costAsIs.en} (VND)` }, width: 16, format: 'vnd', value: (row) => row.asIs.costPerDossierVnd },
  { label: { vi: `${L.costToBe.vi} (đ)`, en: `${L.costToBe.en} (VND)` }, width: 16, format: 'vnd', value: (row) => row.toBe.costPerDossierVnd, asIs: (row) => row.asIs.costPerDossierVnd },
  { label: L.dossiers, width: 14, format: 'vnd', value: (row) => row.dossiersPerYear, total: (totals) => totals.dossiersPerYear },
  { label: { vi: `${L.saving.vi} (đ)`, en: `${L.saving.en} (VND)` }, width: 20, format: 'vnd', reduction: true, value: (row) => row.savingPerYearVnd, total: (totals) => totals.savingPerYearVnd },
  { label: { vi: `${L.rate.vi} (%)`, en: `${L.rate.en} (%)` }, width: 12, format: 'percent', reduction: true, value: (row) => row.ratePercent, total: (totals) => totals.ratePercent },
  { label: L.hoursAsIs, width: 12, format: 'hours', value: (row) => row.asIs.applicantHours },
  { label: L.hoursToBe, width: 12, format: 'hours', value: (row) => row.toBe.applicantHours, asIs: (row) => row.asIs.applicantHours },
  { label: L.hoursSaved, width: 16, format: 'vnd', reduction: true, value: (row) => row.applicantHoursSavedPerYear, total: (totals) => totals.applicantHoursSavedPerYear },
  { label: L.tripsAsIs, width: 11, format: 'count', value: (row) => row.asIs.trips },
  { label: L.tripsToBe, width: 11, format: 'count', value: (row) => row.toBe.trips, asIs: (row) => row.asIs.trips },
  { label: L.tripsSaved, width: 16, format: 'vnd', reduction: true, value: (row) => row.tripsSavedPerYear, total: (totals) => totals.tripsSavedPerYear },
  { label: L.documentsAsIs, width: 11, format: 'count', value: (row) => row.asIs.documents },
  { label: L.documentsToBe, width: 11, format: 'count', value: (row) => row.toBe.documents, asIs: (row) => row.asIs.documents },
  { label: L.aims, width: 12, format: 'text', value: (row, language) => aimsText(row.aimsMet, language) },
  { label: L.online, width: 30, format: 'text', value: (row, language) => row.onlineService.label[language] },
  { label: L.estimates, width: 12, format: 'text', value: (row) => `${row.figures.estimates}/${row.figures.total}` },
];

/** A to-be figure is red when it grew; one that fell stays black (the saving is in its own column). */
const worseOnly = (reduction: number) => (directionOf(reduction) === 'worse' ? 'worse' : 'same');

export async function catalogueSummaryWorkbook(summary: CatalogueSummary, procedures: readonly Procedure[], language: Language = 'vi'): Promise<Buffer> {
  const t = (label: Bilingual) => label[language];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quy Trình';
  workbook.title = t(L.heading);
  workbook.created = new Date();
  const width = COLUMNS.length + 1;

  const sheet = workbook.addWorksheet(t(L.summarySheet), {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = [{ width: 6 }, ...COLUMNS.map((column) => ({ width: column.width }))];
  const note = (text: string, font: Partial<ExcelJS.Font>, height?: number) => {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, width);
    row.font = font;
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    if (height) row.height = height;
  };
  note(t(L.heading), { bold: true, size: 14 }, 22);
  note(t(L.sourcesNote), { italic: true }, 30);
  note(t(L.groups), { italic: true }, 30);
  note(t(L.convention), { italic: true, size: 9 }, 28);
  sheet.addRow([]);

  const header = sheet.addRow([t(L.number), ...COLUMNS.map((column) => t(column.label))]);
  header.font = { bold: true };
  header.height = 48;
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  const formatCells = (row: ExcelJS.Row, entry?: CatalogueSummaryRow) => {
    COLUMNS.forEach((column, index) => {
      const cell = row.getCell(index + 2);
      cell.border = THIN;
      if (typeof cell.value !== 'number') {
        cell.alignment = { wrapText: true, vertical: 'top' };
        return;
      }
      const unit = column.format === 'text' ? 'count' : column.format;
      cell.numFmt = column.reduction ? reductionFormat(unit) : NUMBER_FORMATS[unit];
      const direction = column.reduction ? directionOf(cell.value) : entry && column.asIs ? worseOnly(column.asIs(entry) - cell.value) : 'same';
      if (direction === 'saving' || direction === 'worse') cell.font = { ...row.font, color: { argb: argb(direction) } };
    });
    row.getCell(1).border = THIN;
  };
  summary.rows.forEach((entry, index) => {
    const row = sheet.addRow([index + 1, ...COLUMNS.map((column) => column.value(entry, language))]);
    if (!entry.inTotals) row.font = { italic: true };
    formatCells(row, entry);
  });
  const totals = sheet.addRow(['', `${t(L.total)} (${summary.totals.entries} ${t(L.totalOf)})`, ...COLUMNS.slice(1).map((column) => (column.total ? column.total(summary.totals) : ''))]);
  totals.font = { bold: true };
  formatCells(totals);
  sheet.views = [{ state: 'frozen', xSplit: 2, ySplit: header.number, activeCell: 'A1' }];
  sheet.pageSetup.printTitlesRow = `${header.number}:${header.number}`;

  const sources = workbook.addWorksheet(t(L.sources), { views: [{ state: 'frozen', ySplit: 1 }] });
  sources.columns = [
    { header: t(L.procedure), width: 36 },
    { header: t(L.model), width: 8 },
    { header: t(L.element), width: 28 },
    { header: t(L.attribute), width: 22 },
    { header: t(L.value), width: 14, style: { numFmt: '#,##0.##' } },
    { header: t(L.estimate), width: 10 },
    { header: t(L.source), width: 90 },
  ];
  sources.getRow(1).font = { bold: true };
  sources.getRow(1).eachCell((cell) => (cell.fill = HEADER_FILL));
  for (const procedure of procedures) {
    for (const figure of procedure.figures) {
      sources.addRow([procedure.name[language], figure.model, figure.element, figure.attribute, figure.value, t(figure.estimate ? L.yes : L.no), figure.source]).getCell(7).alignment = { wrapText: true, vertical: 'top' };
    }
  }
  sources.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 7 } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
