/**
 * The restructuring report as a PDF (pdfkit), A4 portrait, laid out like a report an agency
 * files: the procedure, each cost item before and after, the totals and the rate, the aims of
 * Art. 17.1, and the contents removed or simplified. The standard PDF fonts have no Vietnamese
 * letters; DejaVu Sans (shipped through npm, dejavu-fonts-ttf) has them all and is embedded.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { RestructuringAnalysis } from '../../engine/cost/restructuring.ts';
import { formatValue, restructuringReport, type ReportRow } from './restructuring-report.ts';

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = path.join(fontDir, 'DejaVuSans.ttf');
const BOLD = path.join(fontDir, 'DejaVuSans-Bold.ttf');

const MARGIN = 50;
const COLUMNS = [MARGIN, 245, 345, 445]; // label, then three number columns NUMBER_WIDTH wide, ending at the right margin
const NUMBER_WIDTH = 100;

export function restructuringPdf(analysis: RestructuringAnalysis): Promise<Buffer> {
  const report = restructuringReport(analysis);
  const document = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: report.title.vi, Author: 'Quy Trình', Subject: report.procedure.name ?? '' } });
  document.registerFont('regular', REGULAR);
  document.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });

  const width = document.page.width - 2 * MARGIN;
  document.font('bold').fontSize(15).text(report.title.vi.toUpperCase(), { align: 'center', width });
  document.moveDown(0.5);
  document.font('bold').fontSize(11).text([report.procedure.name, report.procedure.code && `Mã thủ tục: ${report.procedure.code}`].filter(Boolean).join(' — '), { align: 'center', width });
  document.font('regular').fontSize(9).fillColor('#444444').text(report.legalBasis.vi, { align: 'center', width });
  document.fillColor('black').moveDown(1);

  const numbers = (texts: string[], bold: boolean) => {
    const y = document.y;
    document.font(bold ? 'bold' : 'regular').fontSize(9);
    texts.forEach((text, index) => document.text(text, COLUMNS[index + 1], y, { width: NUMBER_WIDTH, align: 'right' }));
    return y;
  };
  const row = (label: string, texts: string[], bold = false) => {
    ensureRoom(document, 18);
    const y = document.y;
    document.font(bold ? 'bold' : 'regular').fontSize(9).text(label, COLUMNS[0], y, { width: COLUMNS[1]! - COLUMNS[0]! - 10 });
    const labelBottom = document.y;
    document.y = y;
    numbers(texts, bold);
    document.x = MARGIN;
    document.y = Math.max(labelBottom, document.y) + 3;
  };
  const rule = () => {
    document.moveTo(MARGIN, document.y).lineTo(MARGIN + width, document.y).strokeColor('#999999').lineWidth(0.5).stroke();
    document.y += 4;
  };

  row('Khoản mục', ['Hiện trạng', 'Sau tái cấu trúc', 'Cắt giảm'], true);
  rule();
  for (const section of report.sections) {
    row(section.title.vi, [], true);
    for (const item of section.rows) row(`   ${item.label.vi}`, values(item), item.label.vi.startsWith('Tổng'));
    rule();
  }

  document.moveDown(0.5);
  ensureRoom(document, 60);
  document.font('bold').fontSize(11).text(`Chi phí tiết kiệm: ${formatValue(report.savings.perYearVnd, 'vnd')} mỗi năm`, MARGIN, document.y, { width });
  document.font('regular').fontSize(10).text(`(${formatValue(report.savings.perDossierVnd, 'vnd')} mỗi hồ sơ) — tỷ lệ cắt giảm ${formatValue(report.savings.ratePercent, 'percent')}`, { width });
  document.moveDown(1);

  ensureRoom(document, 80);
  document.font('bold').fontSize(11).text('Mục tiêu tái cấu trúc (Điều 17.1 Thông tư 01/2023/TT-VPCP)', MARGIN, document.y, { width });
  document.moveDown(0.3);
  for (const aim of report.aims) row(`${aim.met ? '✔' : '✘'} ${aim.label.vi}`, [formatValue(aim.asIs, 'count'), formatValue(aim.toBe, 'count'), aim.met ? 'Đạt' : 'Chưa đạt']);
  document.moveDown(1);

  ensureRoom(document, 80);
  document.font('bold').fontSize(11).text('Nội dung cắt giảm, đơn giản hóa (Điều 18)', MARGIN, document.y, { width });
  document.moveDown(0.3);
  row('Bước (mã phần tử)', ['Thay đổi', 'Tiết kiệm/hồ sơ', 'Tiết kiệm/năm'], true);
  rule();
  for (const change of report.changes) {
    row(`${change.name ?? change.elementId} (${change.elementId})`, [change.label.vi, formatValue(-change.costEffectVnd, 'vnd'), formatValue(-change.costEffectPerYearVnd, 'vnd')]);
  }

  // Page numbers, once the pages are known.
  const pages = document.bufferedPageRange();
  for (let index = 0; index < pages.count; index++) {
    document.switchToPage(pages.start + index);
    // The footer sits in the bottom margin: without this, pdfkit would start a new page for it.
    document.page.margins.bottom = 0;
    document.font('regular').fontSize(8).fillColor('#666666').text(`Quy Trình — trang ${index + 1}/${pages.count}`, MARGIN, document.page.height - MARGIN + 15, { width, align: 'center', lineBreak: false });
  }
  document.end();
  return done;
}

function values(row: ReportRow): string[] {
  return [formatValue(row.asIs, row.unit), formatValue(row.toBe, row.unit), formatValue(row.reduction, row.unit)];
}

/** A new page when fewer than `height` points are left above the bottom margin. */
function ensureRoom(document: PDFKit.PDFDocument, height: number): void {
  if (document.y + height > document.page.height - MARGIN) {
    document.addPage();
    document.y = MARGIN;
  }
}
