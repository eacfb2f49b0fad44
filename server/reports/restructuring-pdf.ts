/**
 * The restructuring report as a PDF (pdfkit), A4 portrait, laid out like a report an agency
 * files: the procedure, each cost item before and after, the totals and the rate, the aims of
 * Art. 17.1, and the contents removed or simplified. The standard PDF fonts have no Vietnamese
 * letters; DejaVu Sans (shipped through npm, dejavu-fonts-ttf, every Vietnamese letter) is
 * embedded, subset by pdfkit, so the file reads the same everywhere.
 */
import PDFDocument from 'pdfkit';
import type { Bilingual } from '../../engine/errors.ts';
import type { RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { pdfBytes, registerPdfFonts, type PdfFont as Font } from '../printing/pdf-document.ts';
import { formatValue, REPORT_LABELS, restructuringReport, type ReportFileOptions } from './restructuring-report.ts';



const MARGIN = 50;
const FOOTER_ROOM = 20;
const CELL_PADDING = 3;
const TABLE_FONT_SIZE = 9;
const NOTE_FONT_SIZE = 7.5;
const COLOURS = { text: '#000000', muted: '#555555', rule: '#c8c8c8', header: '#dce6f1', section: '#f2f2f2', total: '#fbf6e3', met: '#1e7b34', notMet: '#b00020' };

interface Column {
  width: number;
  align: 'left' | 'right' | 'center';
}

interface Cell {
  text: string;
  colour?: string;
}

interface TableRow {
  cells: Array<string | Cell>;
  bold?: boolean;
  /** A row with one cell across the table: a section heading. */
  section?: boolean;
  /** Small grey text under the first cell. */
  note?: string;
}

export function restructuringPdf(analysis: RestructuringAnalysis, options: ReportFileOptions = {}): Promise<Buffer> {
  const language = options.language ?? 'vi';
  const t = (label: Bilingual) => label[language];
  const value = (amount: number, unit: Parameters<typeof formatValue>[1]) => formatValue(amount, unit, language);
  const report = restructuringReport(analysis);
  const document = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_ROOM },
    bufferPages: true,
    lang: language === 'vi' ? 'vi-VN' : 'en-GB',
    info: { Title: t(report.title), Author: 'Quy Trình', Subject: [report.procedure.name, report.procedure.code].filter(Boolean).join(' — ') },
  });
  registerPdfFonts(document);
  const done = pdfBytes(document);

  const width = document.page.width - 2 * MARGIN;
  const bottom = () => document.page.height - document.page.margins.bottom;
  const use = (font: Font, size: number, colour = COLOURS.text) => document.font(font).fontSize(size).fillColor(colour);
  const paragraph = (text: string, font: Font, size: number, align: 'left' | 'center' = 'left', colour = COLOURS.text) => {
    use(font, size, colour).text(text, MARGIN, document.y, { width, align });
  };
  const heading = (text: string) => {
    document.moveDown(0.8);
    // Keep a heading with the start of what follows it.
    if (document.y + 60 > bottom()) document.addPage();
    paragraph(text, 'bold', 11);
    document.moveDown(0.3);
  };

  /** Rows that break across pages, the header repeated on each page. */
  const table = (columns: Column[], header: string[], rows: TableRow[]) => {
    const cellText = (cell: string | Cell) => (typeof cell === 'string' ? cell : cell.text);
    const rowHeight = (row: TableRow, font: Font) => {
      use(font, TABLE_FONT_SIZE);
      const cells = row.section ? [width] : columns.map((column) => column.width);
      let height = Math.max(...row.cells.map((cell, index) => document.heightOfString(cellText(cell) || ' ', { width: cells[index]! - 2 * CELL_PADDING })));
      if (row.note) height += use('regular', NOTE_FONT_SIZE).heightOfString(row.note, { width: columns[0]!.width - 2 * CELL_PADDING }) + 1;
      return height + 2 * CELL_PADDING;
    };
    const draw = (row: TableRow, font: Font, fill?: string) => {
      const height = rowHeight(row, font);
      const top = document.y;
      if (fill) document.rect(MARGIN, top, width, height).fill(fill);
      let x = MARGIN;
      const cells = row.section ? [{ width, align: 'left' as const }] : columns;
      row.cells.forEach((cell, index) => {
        const column = cells[index]!;
        use(font, TABLE_FONT_SIZE, typeof cell === 'string' ? COLOURS.text : (cell.colour ?? COLOURS.text)).text(cellText(cell), x + CELL_PADDING, top + CELL_PADDING, {
          width: column.width - 2 * CELL_PADDING,
          align: column.align,
        });
        if (index === 0 && row.note) {
          use('regular', NOTE_FONT_SIZE, COLOURS.muted).text(row.note, x + CELL_PADDING, document.y + 1, { width: column.width - 2 * CELL_PADDING });
        }
        x += column.width;
      });
      document
        .moveTo(MARGIN, top + height)
        .lineTo(MARGIN + width, top + height)
        .lineWidth(0.5)
        .strokeColor(COLOURS.rule)
        .stroke();
      document.x = MARGIN;
      document.y = top + height;
    };
    const headerRow: TableRow = { cells: header };
    const drawHeader = () => draw(headerRow, 'bold', COLOURS.header);
    drawHeader();
    for (const row of rows) {
      if (document.y + rowHeight(row, row.bold || row.section ? 'bold' : 'regular') > bottom()) {
        document.addPage();
        drawHeader();
      }
      draw(row, row.bold || row.section ? 'bold' : 'regular', row.section ? COLOURS.section : row.bold ? COLOURS.total : undefined);
    }
  };

  /** Number columns as wide as their widest figure, the label column taking the rest. */
  const columnsFor = (numberCells: string[][]): Column[] => {
    use('bold', TABLE_FONT_SIZE);
    const count = numberCells[0]?.length ?? 0;
    const widest = Math.max(0, ...numberCells.flat().map((text) => document.widthOfString(text)));
    const numberWidth = Math.min(Math.max(widest + 2 * CELL_PADDING + 4, 72), 120);
    return [{ width: width - count * numberWidth, align: 'left' }, ...Array.from({ length: count }, () => ({ width: numberWidth, align: 'right' as const }))];
  };
  const texts = (row: TableRow, from: number) => row.cells.slice(from).map((cell) => (typeof cell === 'string' ? cell : cell.text));

  // Title block: the title on one line where it fits.
  const title = t(report.title).toUpperCase();
  const titleSize = [15, 14, 13, 12].find((size) => use('bold', size).widthOfString(title) <= width) ?? 12;
  paragraph(title, 'bold', titleSize, 'center');
  document.moveDown(0.6);
  if (report.procedure.name) paragraph(report.procedure.name, 'bold', 12, 'center');
  if (report.procedure.code) paragraph(`${t(REPORT_LABELS.procedureCode)}: ${report.procedure.code}`, 'regular', 10, 'center');
  document.moveDown(0.3);
  paragraph(t(report.legalBasis), 'italic', 8.5, 'center', COLOURS.muted);
  document.moveDown(0.5);
  document.moveTo(MARGIN + width / 3, document.y).lineTo(MARGIN + (2 * width) / 3, document.y).lineWidth(0.7).strokeColor(COLOURS.muted).stroke();
  document.moveDown(0.5);

  // I. The cost items before and after, per dossier and per year.
  const costRows: TableRow[] = report.sections.flatMap((section) => [
    { cells: [t(section.title)], section: true },
    ...section.rows.map((row) => ({ cells: [t(row.label), value(row.asIs, row.unit), value(row.toBe, row.unit), value(row.reduction, row.unit)], bold: row.total })),
  ]);
  const costHeader = [REPORT_LABELS.item, REPORT_LABELS.asIs, REPORT_LABELS.toBe, REPORT_LABELS.reduction].map(t);
  heading(`I. ${t(REPORT_LABELS.costs)}`);
  table(columnsFor(costRows.filter((row) => !row.section).map((row) => texts(row, 1))), costHeader, costRows);

  // II. The savings and the rate.
  heading(`II. ${t(REPORT_LABELS.savings)}`);
  const summary: Array<[string, string, boolean]> = [
    [t(REPORT_LABELS.savingsPerYear), value(report.savings.perYearVnd, 'vnd'), true],
    [t(REPORT_LABELS.savingsPerDossier), value(report.savings.perDossierVnd, 'vnd'), false],
    [t(REPORT_LABELS.rate), value(report.savings.ratePercent, 'percent'), true],
  ];
  const figureWidth = Math.max(120, ...summary.map(([, figure]) => use('bold', 10).widthOfString(figure) + 4));
  const boxTop = document.y;
  document.y += 6;
  for (const [label, figure, bold] of summary) {
    const y = document.y;
    use(bold ? 'bold' : 'regular', 10).text(label, MARGIN + 10, y, { width: width - figureWidth - 30 });
    const labelBottom = document.y;
    use(bold ? 'bold' : 'regular', 10).text(figure, MARGIN + width - figureWidth - 10, y, { width: figureWidth, align: 'right' });
    document.y = Math.max(labelBottom, document.y) + 3;
  }
  document.y += 3;
  document.rect(MARGIN, boxTop, width, document.y - boxTop).lineWidth(0.8).strokeColor(COLOURS.muted).stroke();
  document.x = MARGIN;

  // III. The aims of Art. 17.1.
  heading(`III. ${t(REPORT_LABELS.aims)}`);
  table(
    [{ width: width - 3 * 90, align: 'left' }, { width: 90, align: 'right' }, { width: 90, align: 'right' }, { width: 90, align: 'center' }],
    [t(REPORT_LABELS.aim), t(REPORT_LABELS.asIs), t(REPORT_LABELS.toBe), t(REPORT_LABELS.result)],
    report.aims.map((aim) => ({
      cells: [
        `${aim.met ? '✔' : '✘'} ${t(aim.label)}`,
        value(aim.asIs, 'count'),
        value(aim.toBe, 'count'),
        { text: t(aim.met ? REPORT_LABELS.met : REPORT_LABELS.notMet), colour: aim.met ? COLOURS.met : COLOURS.notMet },
      ],
    })),
  );

  // IV. The contents removed or simplified, with what differs.
  heading(`IV. ${t(REPORT_LABELS.changes)}`);
  if (report.changes.length === 0) {
    paragraph(t(REPORT_LABELS.noChanges), 'italic', 9, 'left', COLOURS.muted);
  } else {
    const changeRows: TableRow[] = report.changes.map((change) => ({
      cells: [`${change.name ?? change.elementId} (${change.elementId})`, t(change.label), value(-change.costEffectVnd, 'vnd'), value(-change.costEffectPerYearVnd, 'vnd')],
      ...(change.differences.length > 0 ? { note: `${t(REPORT_LABELS.differences)}: ${change.differences.join(', ')}` } : {}),
    }));
    const numbers = columnsFor(changeRows.map((row) => texts(row, 2)));
    const kindWidth = 78;
    const columns: Column[] = [{ width: numbers[0]!.width - kindWidth, align: 'left' }, { width: kindWidth, align: 'left' }, numbers[1]!, numbers[2]!];
    table(columns, [t(REPORT_LABELS.stepAndId), t(REPORT_LABELS.change), t(REPORT_LABELS.savedPerDossier), t(REPORT_LABELS.savedPerYear)], changeRows);
  }

  // Page numbers, once the pages are known, in the room kept below the bottom margin.
  const pages = document.bufferedPageRange();
  const footer = [report.procedure.code, 'Quy Trình'].filter(Boolean).join(' · ');
  for (let index = 0; index < pages.count; index++) {
    document.switchToPage(pages.start + index);
    document.page.margins.bottom = 0;
    const y = document.page.height - MARGIN;
    document.moveTo(MARGIN, y - 4).lineTo(MARGIN + width, y - 4).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    use('regular', 8, COLOURS.muted).text(footer, MARGIN, y, { width: width / 2, lineBreak: false });
    use('regular', 8, COLOURS.muted).text(`${t(REPORT_LABELS.page)} ${index + 1}/${pages.count}`, MARGIN + width / 2, y, { width: width / 2, align: 'right', lineBreak: false });
  }
  document.end();
  return done;
}
