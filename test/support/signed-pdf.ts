import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { pdfBytes, registerPdfFonts } from '../../server/printing/pdf-document.ts';

/** A one-page A4 PDF holding `text`, in the product's own fonts: a document to sign in a test. */
export async function onePagePdf(text: string): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4' });
  registerPdfFonts(pdf);
  const bytes = pdfBytes(pdf);
  pdf.font('regular').fontSize(12).text(text);
  pdf.end();
  return bytes;
}

/**
 * The signed bytes and the CMS of the `n`-th signature of a PDF (0-based in file order, the last
 * when omitted), as any PDF reader finds them from its /ByteRange.
 */
export function signedParts(pdf: Buffer, n?: number): { content: Buffer; cms: Buffer; ranges: [number, number, number, number] } {
  const matches = [...pdf.toString('latin1').matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const match = n === undefined ? matches.at(-1) : matches[n];
  if (!match) throw new Error(`the PDF has no signature ${n ?? '(none at all)'}`);
  const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
  const der = Buffer.from(pdf.subarray(b + 1, c - 1).toString('latin1'), 'hex');
  // The DER's own length (a SEQUENCE with a two-byte length), without the placeholder's zero padding.
  if (der[0] !== 0x30 || der[1] !== 0x82) throw new Error('the signature is not a DER SEQUENCE with a two-byte length');
  return { content: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]), cms: der.subarray(0, 4 + der.readUInt16BE(2)), ranges: [a, b, c, d] };
}

/** OpenSSL's own check of a detached CMS over `content` and of its chain to `caPem`: an implementation other than ours. */
export function opensslVerifiesCms(content: Buffer, cms: Buffer, caPem: string): boolean {
  const dir = mkdtempSync(path.join(tmpdir(), 'quytrinh-cms-'));
  writeFileSync(path.join(dir, 'content'), content);
  writeFileSync(path.join(dir, 'cms.der'), cms);
  writeFileSync(path.join(dir, 'ca.pem'), caPem);
  try {
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'cms.der'), '-content', path.join(dir, 'content'), '-CAfile', path.join(dir, 'ca.pem'), '-purpose', 'any', '-out', '/dev/null'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** OpenSSL's check of the `n`-th signature of a PDF (the last when omitted). */
export function opensslVerifiesPdf(pdf: Buffer, caPem: string, n?: number): boolean {
  const { content, cms } = signedParts(pdf, n);
  return opensslVerifiesCms(content, cms, caPem);
}
