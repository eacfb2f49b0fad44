/**
 * The restructuring report as a PDF (pdfkit), A4 portrait, laid out like a report an agency
 * files (the layout of Decree 30/2020/ND-CP Appendix I): the issuing agency and number beside the
 * national title and motto, place and date; the procedure, each cost item before and after, the
 * totals and the rate, the aims of Circular 01 Art. 17.1 and the procedures cut (17.1.a), the
 * contents removed or simplified (Art. 18), the signature block, and the as-is and to-be diagrams
 * as figures (Art. 16.3.c, 17.3.c). Steps are named, never shown by their element ids, and model
 * attributes by what they mean. One sign convention: a reduction is as-is − to-be, an increase
 * is negative and red with its reason. The standard PDF fonts have no Vietnamese
 * letters; DejaVu Sans (shipped through npm, dejavu-fonts-ttf, every Vietnamese letter) is
 * embedded, subset by pdfkit, so the file reads the same everywhere.
 */
import PDFDocument from 'pdfkit';
import type { Bilingual } from '../../engine/errors.ts';
import type { ChangeKind, RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { pdfBytes, registerPdfFonts, type PdfFont as Font } from '../printing/pdf-document.ts';
import { drawDiagram, readDiagramLayout } from './diagram-figure.ts';
import { DIRECTION_COLOURS, formatReduction, formatValue, REPORT_LABELS, restructuringReport, type FilingDetails, type ReportFileOptions } from './restructuring-report.ts';

/** The national title and motto (Quốc hiệu, Tiêu ngữ) and the rest of the filed layout's words. */
const FILING_LABELS = {
  nation: { vi: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', en: 'SOCIALIST REPUBLIC OF VIETNAM' },
  motto: { vi: 'Độc lập - Tự do - Hạnh phúc', en: 'Independence - Freedom - Happiness' },
  number: { vi: 'Số', en: 'No.' },
  signerTitle: { vi: 'NGƯỜI CÓ THẨM QUYỀN', en: 'AUTHORISED SIGNATORY' },
  signHint: { vi: '(Ký, ghi rõ họ tên, đóng dấu)', en: '(Signature, full name, seal)' },
  recipients: { vi: 'Nơi nhận:', en: 'Recipients:' },
  recipientList: { vi: ['- Như trên;', '- Lưu: VT.'], en: ['- As above;', '- File.'] },
  appendix: { vi: 'PHỤ LỤC: SƠ ĐỒ QUY TRÌNH', en: 'APPENDIX: PROCESS DIAGRAMS' },
  figureAsIs: { vi: 'Hình 1. Sơ đồ quy trình hiện trạng (Điều 16.3 Thông tư 01/2023/TT-VPCP)', en: 'Figure 1. The as-is process (Circular 01/2023/TT-VPCP Art. 16.3)' },
  figureToBe: { vi: 'Hình 2. Quy trình điện tử sau tái cấu trúc (Điều 17.3.c Thông tư 01/2023/TT-VPCP)', en: 'Figure 2. The electronic process after restructuring (Circular 01/2023/TT-VPCP Art. 17.3.c)' },
  legend: { vi: 'Tô đỏ: bước cắt bỏ; tô xanh: bước thêm mới; tô vàng: bước thay đổi.', en: 'Red: step removed; green: step added; amber: step changed.' },
  noDiagram: { vi: 'Mô hình không có sơ đồ (BPMN DI) để vẽ.', en: 'The model has no diagram (BPMN DI) to draw.' },
} satisfies Record<string, { vi: string | string[]; en: string | string[] }>;

/** A blank to fill in by hand where a particular is not given. */
const BLANK = '……';

/** "Hà Nội, ngày 06 tháng 12 năm 2026" (Decree 30/2020 Appendix I: day and month below 10 with a leading zero). */
function placeAndDate(filing: FilingDetails, language: 'vi' | 'en'): string {
  const place = filing.place?.trim() || BLANK;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(filing.date ?? '');
  if (language === 'en') return match ? `${place}, ${match[3]}/${match[2]}/${match[1]}` : `${place}, date ${BLANK}`;
  return match ? `${place}, ngày ${match[3]} tháng ${match[2]} năm ${match[1]}` : `${place}, ngày ${BLANK} tháng ${BLANK} năm ${BLANK}`;
}

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
  /** The note's colour when it is not grey (the reason of a worse figure, in red). */
  noteColour?: string;
}

export async function restructuringPdf(analysis: RestructuringAnalysis, options: ReportFileOptions = {}): Promise<Buffer> {
  const language = options.language ?? 'vi';
  const t = (label: Bilingual) => label[language];
  const value = (amount: number, unit: Parameters<typeof formatValue>[1]) => formatValue(amount, unit, language);
  const report = restructuringReport(analysis);
  const filing = options.filing ?? {};
  const layouts = options.diagrams ? await Promise.all([readDiagramLayout(options.diagrams.asIs), readDiagramLayout(options.diagrams.toBe)]) : undefined;
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
          use('regular', NOTE_FONT_SIZE, row.noteColour ?? COLOURS.muted).text(row.note, x + CELL_PADDING, document.y + 1, { width: column.width - 2 * CELL_PADDING });
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

  // The filed layout's header: agency and number on the left, national title and motto on the right.
  const half = width / 2;
  const headerTop = document.y;
  const agencyLines = [filing.parentAgency?.trim().toUpperCase(), filing.agency?.trim().toUpperCase() || BLANK].filter((line): line is string => Boolean(line));
  agencyLines.forEach((line, index) => use(index === agencyLines.length - 1 ? 'bold' : 'regular', 10).text(line, MARGIN, document.y, { width: half - 20, align: 'center' }));
  const agencyRule = document.y + 2;
  document.moveTo(MARGIN + half / 2 - 30, agencyRule).lineTo(MARGIN + half / 2 + 10, agencyRule).lineWidth(0.6).strokeColor(COLOURS.text).stroke();
  use('regular', 10).text(`${t(FILING_LABELS.number)}: ${filing.number?.trim() || `${BLANK}/BC-${BLANK}`}`, MARGIN, agencyRule + 6, { width: half - 20, align: 'center' });
  const leftBottom = document.y;
  use('bold', 10).text(t(FILING_LABELS.nation), MARGIN + half - 20, headerTop, { width: half + 20, align: 'center' });
  use('bold', 10.5).text(t(FILING_LABELS.motto), MARGIN + half - 20, document.y, { width: half + 20, align: 'center' });
  const mottoWidth = document.widthOfString(t(FILING_LABELS.motto));
  const mottoRule = document.y + 2;
  const mottoCentre = MARGIN + half - 20 + (half + 20) / 2;
  document.moveTo(mottoCentre - mottoWidth / 2, mottoRule).lineTo(mottoCentre + mottoWidth / 2, mottoRule).lineWidth(0.6).strokeColor(COLOURS.text).stroke();
  use('italic', 10).text(placeAndDate(filing, language), MARGIN + half - 20, mottoRule + 6, { width: half + 20, align: 'center' });
  document.x = MARGIN;
  document.y = Math.max(leftBottom, document.y) + 16;

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
  paragraph(t(REPORT_LABELS.convention), 'italic', 8, 'left', COLOURS.muted);

  // I. The cost items before and after, per dossier and per year.
  const costRows: TableRow[] = report.sections.flatMap((section) => [
    { cells: [t(section.title)], section: true },
    ...section.rows.map((row): TableRow => ({
      cells: [t(row.label), value(row.asIs, row.unit), value(row.toBe, row.unit), { text: formatReduction(row.reduction, row.unit, language, row.direction === 'neutral'), colour: DIRECTION_COLOURS[row.direction] }],
      bold: row.total,
      ...(row.reason ? { note: t(row.reason), noteColour: DIRECTION_COLOURS.worse } : {}),
    })),
  ]);
  const costHeader = [REPORT_LABELS.item, REPORT_LABELS.asIs, REPORT_LABELS.toBe, REPORT_LABELS.reduction].map(t);
  heading(`I. ${t(REPORT_LABELS.costs)}`);
  table(columnsFor(costRows.filter((row) => !row.section).map((row) => texts(row, 1))), costHeader, costRows);

  // II. The savings and the rate.
  heading(`II. ${t(REPORT_LABELS.savings)}`);
  const summary: Array<[string, string, boolean]> = [
    [t(REPORT_LABELS.savingsPerYear), formatReduction(report.savings.perYearVnd, 'vnd', language), true],
    [t(REPORT_LABELS.savingsPerDossier), formatReduction(report.savings.perDossierVnd, 'vnd', language), false],
    [t(REPORT_LABELS.rate), formatReduction(report.savings.ratePercent, 'percent', language), true],
  ];
  const savingColour = DIRECTION_COLOURS[report.savings.direction];
  const figureWidth = Math.max(120, ...summary.map(([, figure]) => use('bold', 10).widthOfString(figure) + 4));
  const boxTop = document.y;
  document.y += 6;
  for (const [label, figure, bold] of summary) {
    const y = document.y;
    use(bold ? 'bold' : 'regular', 10).text(label, MARGIN + 10, y, { width: width - figureWidth - 30 });
    const labelBottom = document.y;
    use(bold ? 'bold' : 'regular', 10, savingColour).text(figure, MARGIN + width - figureWidth - 10, y, { width: figureWidth, align: 'right' });
    document.y = Math.max(labelBottom, document.y) + 3;
  }
  if (report.savings.reason) {
    use('regular', 8.5, DIRECTION_COLOURS.worse).text(t(report.savings.reason), MARGIN + 10, document.y, { width: width - 20 });
    document.y += 3;
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
        `${value(aim.asIs, 'count')} ${t(aim.unit)}`,
        `${value(aim.toBe, 'count')} ${t(aim.unit)}`,
        { text: t(aim.met ? REPORT_LABELS.met : REPORT_LABELS.notMet), colour: aim.met ? COLOURS.met : COLOURS.notMet },
      ],
    })),
  );
  // Art. 17.1.a: which procedures, and how each is cut.
  document.moveDown(0.5);
  paragraph(t(REPORT_LABELS.cutProcedures), 'bold', 9.5);
  document.moveDown(0.2);
  if (report.cutProcedures.length === 0) paragraph(t(REPORT_LABELS.noCutProcedures), 'italic', 9, 'left', COLOURS.muted);
  else {
    table(
      [{ width: width - 190, align: 'left' }, { width: 190, align: 'left' }],
      [t(REPORT_LABELS.procedure), t(REPORT_LABELS.how)],
      report.cutProcedures.map((procedure) => ({ cells: [procedure.code ? `${procedure.name} (${procedure.code})` : procedure.name, t(procedure.label)] })),
    );
  }

  // IV. The contents removed or simplified, with what differs.
  heading(`IV. ${t(REPORT_LABELS.changes)}`);
  if (report.changes.length === 0) {
    paragraph(t(REPORT_LABELS.noChanges), 'italic', 9, 'left', COLOURS.muted);
  } else {
    const changeRows: TableRow[] = report.changes.map((change) => {
      const colour = DIRECTION_COLOURS[change.costEffectVnd > 1e-9 ? 'worse' : change.costEffectVnd < -1e-9 ? 'saving' : 'same'];
      return {
        cells: [t(change.step), t(change.label), { text: formatReduction(-change.costEffectVnd, 'vnd', language), colour }, { text: formatReduction(-change.costEffectPerYearVnd, 'vnd', language), colour }],
        ...(change.differenceLabels.length > 0 ? { note: `${t(REPORT_LABELS.differences)}: ${change.differenceLabels.map(t).join(', ')}` } : {}),
      };
    });
    const numbers = columnsFor(changeRows.map((row) => texts(row, 2)));
    const kindWidth = 78;
    const columns: Column[] = [{ width: numbers[0]!.width - kindWidth, align: 'left' }, { width: kindWidth, align: 'left' }, numbers[1]!, numbers[2]!];
    table(columns, [t(REPORT_LABELS.step), t(REPORT_LABELS.change), t(REPORT_LABELS.savedPerDossier), t(REPORT_LABELS.savedPerYear)], changeRows);
  }

  // The signature block: recipients on the left, the signer on the right (Decree 30/2020 Appendix I).
  document.moveDown(1.5);
  if (document.y + 130 > bottom()) document.addPage();
  const signTop = document.y;
  use('bold', 9).text(t(FILING_LABELS.recipients), MARGIN, signTop, { width: half - 20 });
  for (const line of FILING_LABELS.recipientList[language]) use('regular', 8.5).text(line, MARGIN, document.y, { width: half - 20 });
  use('bold', 10).text(filing.signerTitle?.trim().toUpperCase() || t(FILING_LABELS.signerTitle), MARGIN + half, signTop, { width: half, align: 'center' });
  use('italic', 9, COLOURS.muted).text(t(FILING_LABELS.signHint), MARGIN + half, document.y, { width: half, align: 'center' });
  document.y += 60;
  use('bold', 10).text(filing.signerName?.trim() || BLANK, MARGIN + half, document.y, { width: half, align: 'center' });
  document.x = MARGIN;

  // The appendix: both diagrams as figures, each on a landscape page with room to read it.
  if (layouts) {
    const marks = diagramMarks(analysis);
    const figures = [
      [layouts[0], FILING_LABELS.figureAsIs, marks.asIs],
      [layouts[1], FILING_LABELS.figureToBe, marks.toBe],
    ] as const;
    figures.forEach(([layout, caption, marked], index) => {
      document.addPage({ size: 'A4', layout: 'landscape', margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_ROOM } });
      const pageWidth = document.page.width - 2 * MARGIN;
      if (index === 0) use('bold', 12).text(t(FILING_LABELS.appendix), MARGIN, document.y, { width: pageWidth, align: 'center' }).moveDown(0.5);
      const top = document.y;
      const room = document.page.height - document.page.margins.bottom - top - 40;
      const used = layout ? drawDiagram(document, layout, { x: MARGIN, y: top, width: pageWidth, height: room }, (font) => document.font(font), marked) : 0;
      if (!layout) use('italic', 9, COLOURS.muted).text(t(FILING_LABELS.noDiagram), MARGIN, top, { width: pageWidth });
      document.y = top + used + 10;
      use('bold', 10).text(t(caption), MARGIN, document.y, { width: pageWidth, align: 'center' });
      use('italic', 8, COLOURS.muted).text(t(FILING_LABELS.legend), MARGIN, document.y, { width: pageWidth, align: 'center' });
    });
  }

  // Page numbers, once the pages are known, in the room kept below the bottom margin.
  const pages = document.bufferedPageRange();
  const footer = [report.procedure.code, 'Quy Trình'].filter(Boolean).join(' · ');
  for (let index = 0; index < pages.count; index++) {
    document.switchToPage(pages.start + index);
    document.page.margins.bottom = 0;
    const pageWidth = document.page.width - 2 * MARGIN;
    const y = document.page.height - MARGIN;
    document.moveTo(MARGIN, y - 4).lineTo(MARGIN + pageWidth, y - 4).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    use('regular', 8, COLOURS.muted).text(footer, MARGIN, y, { width: pageWidth / 2, lineBreak: false });
    use('regular', 8, COLOURS.muted).text(`${t(REPORT_LABELS.page)} ${index + 1}/${pages.count}`, MARGIN + pageWidth / 2, y, { width: pageWidth / 2, align: 'right', lineBreak: false });
  }
  document.end();
  return done;
}

/** The comparison's changes on each diagram: removed on the as-is, added on the to-be, changed on both. */
function diagramMarks(analysis: RestructuringAnalysis): { asIs: Map<string, ChangeKind>; toBe: Map<string, ChangeKind> } {
  const marks = { asIs: new Map<string, ChangeKind>(), toBe: new Map<string, ChangeKind>() };
  for (const change of analysis.changes) {
    if (change.asIs && change.change !== 'added') marks.asIs.set(change.asIs.elementId, change.change);
    if (change.toBe && change.change !== 'removed') marks.toBe.set(change.toBe.elementId, change.change);
  }
  return marks;
}
