/**
 * The fonts of every PDF the server prints. The standard PDF fonts have no Vietnamese letters;
 * DejaVu Sans (shipped through npm, dejavu-fonts-ttf, every Vietnamese letter) is embedded,
 * subset by pdfkit, so a printed notice reads the same everywhere (Decree 45 Art. 18.2.a: the
 * paper reflects the electronic content fully, diacritics included).
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
