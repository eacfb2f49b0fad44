import { tessdataDirectory } from '../../server/digitization/ocr-pool.ts';

/**
 * Real OCR needs Debian's Vietnamese Tesseract data (`apt-get install tesseract-ocr-vie`), which
 * `.ci/run` installs. On a developer machine without it the OCR tests are skipped with a note
 * saying how to get it, as the browser tests are without Chromium; in CI its absence is an error.
 */
export const ocrAvailable = tessdataDirectory() !== undefined;
if (!ocrAvailable) {
  if (process.env.CI) throw new Error('vie.traineddata is missing: CI must install Debian\'s tesseract-ocr-vie before the OCR tests');
  console.warn('OCR tests skipped: vie.traineddata is missing (apt-get install tesseract-ocr-vie)');
}
