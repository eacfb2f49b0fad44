/**
 * The indicators as an .xlsx workbook (exceljs, as server/reports/restructuring-workbook.ts):
 * numbers stay numbers, a percent as Excel's percent of the fraction (the reader's locale shows
 * 92,5 %), so the reviewer can sum and chart them. Sheet 1: the figures, the total first then one
 * row per agency and procedure; sheet 2: each formula and its source. The half-yearly report of
 * Decree 45 Art. 26.9 / 27.8 is the same workbook with its period and due date in the heading.
 */
import ExcelJS from 'exceljs';
import type { Bilingual } from '../../engine/errors.ts';
import type { IndicatorFigures, IndicatorReport } from './report.ts';

type Language = 'vi' | 'en';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const LABELS = {
  title: { vi: 'Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)', en: 'Indicators of service to citizens and businesses (Decision 766/QĐ-TTg)' },
  period: { vi: 'Kỳ', en: 'Period' },
  at: { vi: 'Số liệu tại thời điểm', en: 'Figures as of' },
  agency: { vi: 'Cơ quan', en: 'Agency' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  received: { vi: 'Hồ sơ tiếp nhận', en: 'Dossiers received' },
  total: { vi: 'Tổng cộng', en: 'Total' },
  all: { vi: 'Tất cả', en: 'All' },
  formulas: { vi: 'Công thức', en: 'Formulas' },
  figures: { vi: 'Chỉ số', en: 'Indicators' },
  group: { vi: 'Nhóm chỉ số', en: 'Group' },
  indicator: { vi: 'Chỉ số', en: 'Indicator' },
  numerator: { vi: 'Tử số', en: 'Numerator' },
  denominator: { vi: 'Mẫu số', en: 'Denominator' },
  source: { vi: 'Nguồn dữ liệu', en: 'Source' },
  legal: { vi: 'Căn cứ', en: 'Legal basis' },
} satisfies Record<string, Bilingual>;

/** dd/mm/yyyy of a YYYY-MM-DD day. */
export const vietnameseDay = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

export interface WorkbookHeading {
  /** The title line; the indicators' by default. */
  title?: Bilingual;
  /** Lines under the title (the half-year's period and due date). */
  lines?: Bilingual[];
}

export async function indicatorsWorkbook(report: IndicatorReport, language: Language, heading: WorkbookHeading = {}): Promise<Buffer> {
  const t = (label: Bilingual) => label[language];
  const indicators = report.groups.flatMap((group) => group.indicators);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Quy Trình';
  workbook.title = t(heading.title ?? LABELS.title);
  workbook.created = new Date(report.at);

  const sheet = workbook.addWorksheet(t(LABELS.figures), { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.addRow([t(heading.title ?? LABELS.title)]).font = { bold: true, size: 14 };
  for (const line of heading.lines ?? []) sheet.addRow([t(line)]);
  sheet.addRow([`${t(LABELS.period)}: ${vietnameseDay(report.period.from)} – ${vietnameseDay(report.period.to)}`]);
  sheet.addRow([`${t(LABELS.agency)}: ${report.agency ?? t(LABELS.all)} · ${t(LABELS.procedure)}: ${report.procedure ?? t(LABELS.all)} · ${t(LABELS.at)}: ${report.at}`]);
  sheet.addRow([]);

  // Two header rows: the group over its indicators, then each indicator's name.
  const groupRow = sheet.addRow([t(LABELS.agency), t(LABELS.procedure), t(LABELS.received), ...report.groups.flatMap((group) => group.indicators.map(() => t(group.name)))]);
  const nameRow = sheet.addRow(['', '', '', ...indicators.map((indicator) => t(indicator.name))]);
  let column = 4;
  for (const group of report.groups) {
    if (group.indicators.length > 1) sheet.mergeCells(groupRow.number, column, groupRow.number, column + group.indicators.length - 1);
    column += group.indicators.length;
  }
  for (const row of [groupRow, nameRow]) {
    row.font = { bold: true };
    row.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    row.eachCell((cell) => (cell.fill = HEADER_FILL));
  }
  nameRow.height = 48;

  const addFigures = (agency: string, procedure: string, figures: IndicatorFigures, bold = false) => {
    const row = sheet.addRow([agency, procedure, figures.received, ...indicators.map((indicator) => {
      const figure = figures.figures[indicator.id]!;
      if (figure.value === null) return null;
      return indicator.unit === 'percent' ? figure.numerator / figure.denominator : figure.value;
    })]);
    row.getCell(3).numFmt = '#,##0';
    indicators.forEach((indicator, i) => (row.getCell(4 + i).numFmt = indicator.unit === 'percent' ? '0.0 %' : '0.00'));
    if (bold) row.font = { bold: true };
  };
  addFigures(t(LABELS.total), '', report.total, true);
  for (const row of report.rows) addFigures(`${row.agency.name} (${row.agency.code})`, row.procedure.name, row);
  sheet.columns.forEach((col, i) => (col.width = i === 0 ? 40 : i === 1 ? 44 : i === 2 ? 12 : 16));

  const formulas = workbook.addWorksheet(t(LABELS.formulas));
  formulas.columns = [{ width: 28 }, { width: 40 }, { width: 50 }, { width: 40 }, { width: 40 }, { width: 50 }];
  const header = formulas.addRow([t(LABELS.group), t(LABELS.indicator), t(LABELS.numerator), t(LABELS.denominator), t(LABELS.source), t(LABELS.legal)]);
  header.font = { bold: true };
  header.eachCell((cell) => (cell.fill = HEADER_FILL));
  for (const group of report.groups) {
    for (const indicator of group.indicators) formulas.addRow([t(group.name), t(indicator.name), t(indicator.numerator), t(indicator.denominator), indicator.source, indicator.legal]).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
