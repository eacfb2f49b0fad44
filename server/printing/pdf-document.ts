/**
 * What every PDF the server prints shares: its fonts and the collection of its bytes. The
 * standard PDF fonts have no Vietnamese letters; DejaVu Sans (shipped through npm,
 * dejavu-fonts-ttf, every Vietnamese letter) is embedded, subset by pdfkit, so a printed notice
 * reads the same everywhere (Decree 45 Art. 18.2.a: the paper reflects the electronic content
 * fully, diacritics included).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type PDFDocument from 'pdfkit';

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const PDF_FONTS = {
  regular: path.join(fontDir, 'DejaVuSans.ttf'),
  bold: path.join(fontDir, 'DejaVuSans-Bold.ttf'),
  italic: path.join(fontDir, 'DejaVuSans-Oblique.ttf'),
};

export type PdfFont = keyof typeof PDF_FONTS;

/** Registers the fonts under their keys, so `document.font('bold')` picks DejaVu Sans Bold. */
export function registerPdfFonts(document: InstanceType<typeof PDFDocument>): void {
  for (const [name, file] of Object.entries(PDF_FONTS)) document.registerFont(name, file);
}

/**
 * The bytes of the document once it has ended: call before drawing (pdfkit streams as it goes),
 * then `document.end()`.
 */
export function pdfBytes(document: InstanceType<typeof PDFDocument>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });
}
