/**
 * A QR symbol drawn into a PDF as vector squares (TCVN 7322:2009 / ISO/IEC 18004, as Circular 01
 * Art. 26.1 requires), one square per dark module, so it prints sharp at any resolution and
 * stays a symbol, not a picture, in the file. The squares form one path filled at once: adjacent
 * squares then show no hairline seams where a viewer anti-aliases their shared edges.
 */
import type PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * Level M restores up to about 15 % of the symbol: enough for a folded or stamped paper, and a
 * smaller symbol than Q or H for the same payload.
 */
const ERROR_CORRECTION = 'M';

/** ISO/IEC 18004: a quiet zone of four light modules around the symbol, which the caller keeps clear. */
export const QUIET_ZONE_MODULES = 4;

export interface DrawnQrSymbol {
  /** The side of the symbol, in points. */
  size: number;
  /** The side of one module, in points. */
  moduleSize: number;
}

/**
 * Draws `text` as a QR symbol with its top-left corner at (x, y), `size` points wide, or wider when
 * that many modules would come out smaller than `minModuleSize`: a phone reads a printed module
 * of 0.4 mm at arm's length, and a longer payload then gets a larger symbol rather than a denser one.
 */
export function drawQrSymbol(document: InstanceType<typeof PDFDocument>, text: string, x: number, y: number, size: number, minModuleSize: number): DrawnQrSymbol {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: ERROR_CORRECTION });
  const moduleSize = Math.max(size / modules.size, minModuleSize);
  document.save();
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column)) document.rect(x + column * moduleSize, y + row * moduleSize, moduleSize, moduleSize);
    }
  }
  document.fill('#000000');
  document.restore();
  return { size: moduleSize * modules.size, moduleSize };
}
