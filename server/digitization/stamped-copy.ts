/**
 * The electronic copy of Circular 01 Art. 8.1: the page images assembled into one PDF in the
 * paper's order (Art. 8.2.c), one page each, with the copier's stamp at the top left of page 1 (in a
 * band above the scanned image) —
 * the name of the person who made the copy, the time, and where the digital signature is — and
 * then signed, before the data is extracted, with the copier's own personal certificate as Art.
 * 8.1 asks (server/signatures/credentials.ts: an official of the receiving agency); a copy made
 * by someone who holds none in that agency's name (the applicant scanning their own paper, an
 * administrator) is signed by the receiving agency, and the stamp still names the copier.
 */
import PDFDocument from 'pdfkit';
import type { Database } from '../db/connect.ts';
import { pdfBytes, registerPdfFonts } from '../printing/pdf-document.ts';
import { vietnamMoment } from '../printing/vietnam-time.ts';
import type { CredentialHolder } from '../signatures/credentials.ts';
import { signAs } from '../signatures/sign-pdf.ts';

export const DIGITIZATION_SIGNING_REASON = 'Ký số bản chụp số hóa giấy tờ, Thông tư 01/2023/TT-VPCP Điều 8.1';
/** A page is drawn A4 wide (595.28 pt), as tall as the image's proportions make it. */
const PAGE_WIDTH = 595.28;
const STAMP = { x: 14, y: 14, width: 250, height: 58 };
const STAMP_BAND = STAMP.y * 2 + STAMP.height;

export interface StampDetails {
  copierName: string;
  copiedAt: Date;
}

/** The stamp's lines, as drawn (and as the tests read them back). */
export function stampLines({ copierName, copiedAt }: StampDetails): string[] {
  return [`Người sao chụp: ${copierName}`, `Thời gian: ${vietnamMoment(copiedAt)}`, 'Vị trí chữ ký số: ô này, góc trên bên trái trang 1'];
}

/** The pages as one PDF, stamped on page 1 (unsigned). */
export async function assembleStampedCopy(pages: ReadonlyArray<{ content: Buffer; width: number; height: number }>, stamp: StampDetails, title: string): Promise<Buffer> {
  const document = new PDFDocument({ autoFirstPage: false, info: { Title: title, Producer: 'Quy Trình', CreationDate: stamp.copiedAt } });
  const bytes = pdfBytes(document);
  registerPdfFonts(document);
  pages.forEach((page, index) => {
    const height = (PAGE_WIDTH * page.height) / page.width;
    // Page 1 gets a band above the scan for the stamp, so that the stamp hides nothing of the
    // paper (Art. 8.2.b: the copy is complete and accurate).
    const band = index === 0 ? STAMP_BAND : 0;
    document.addPage({ size: [PAGE_WIDTH, height + band], margin: 0 });
    document.image(page.content, 0, band, { width: PAGE_WIDTH, height });
    if (index === 0) {
      document.save().lineWidth(1).rect(STAMP.x, STAMP.y, STAMP.width, STAMP.height).stroke('#b00020').restore();
      document.font('regular').fontSize(8).fillColor('#b00020');
      stampLines(stamp).forEach((line, n) => document.text(line, STAMP.x + 6, STAMP.y + 6 + n * 16, { width: STAMP.width - 12, lineBreak: false }));
    }
  });
  document.end();
  return bytes;
}

/**
 * Assembles, stamps and signs the copy as `signer` — the copier, or the agency (Art. 8.1) — in the
 * PDF pool, the signature's widget over the stamp: a PDF reader opens the signature from the
 * signature position the stamp names.
 */
export async function signedStampedCopy(db: Database, signer: CredentialHolder, pages: ReadonlyArray<{ content: Buffer; width: number; height: number }>, stamp: StampDetails, title: string): Promise<Buffer> {
  const pdf = await assembleStampedCopy(pages, stamp, title);
  const first = pages[0]!;
  const pageHeight = (PAGE_WIDTH * first.height) / first.width + STAMP_BAND;
  return signAs(db, signer, pdf, {
    reason: DIGITIZATION_SIGNING_REASON,
    signedAt: stamp.copiedAt,
    widgetRect: [STAMP.x, pageHeight - STAMP.y - STAMP.height, STAMP.x + STAMP.width, pageHeight - STAMP.y],
  });
}
