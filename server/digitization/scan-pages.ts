/**
 * The pages of an uploaded scan (Circular 01 Art. 8.2): the files in the order sent, a PDF giving
 * its page images in page order (pdf-images.ts), an image one page. Each page is checked to be a
 * PNG or JPEG whose size can be read; the count is then compared with the paper's.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { QuyTrinhError, type ErrorDetail } from '../../engine/errors.ts';
import { MAX_COMPONENT_BYTES, MAX_DOSSIER_UPLOAD_BYTES } from '../dossiers/components.ts';
import { pdfPageImages, type PageImage } from './pdf-images.ts';

export const SCAN_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
/** A scan is at most 100 pages (a thick civil-status book is scanned in parts). */
export const MAX_SCAN_PAGES = 100;

export const scanFileSchema = z.strictObject({
  fileName: z.string().trim().min(1, 'required').max(255).refine((name) => !/[/\\]/.test(name), 'a file name, without folders'),
  mediaType: z.enum(SCAN_MEDIA_TYPES, { error: 'one of application/pdf, image/jpeg, image/png' }),
  contentBase64: z
    .string()
    .min(1, 'required: the file is empty')
    .superRefine((value, context) => {
      // Too large is 413, before the base64 is even looked at (problem.ts).
      if (value.length > Math.ceil((MAX_COMPONENT_BYTES * 4) / 3) + 4) context.addIssue({ code: 'custom', message: `at most ${MAX_COMPONENT_BYTES} bytes once decoded`, params: { tooLarge: true } });
    })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
});
export type ScanFile = z.infer<typeof scanFileSchema>;

export interface ScanPage extends PageImage {
  width: number;
  height: number;
  sha256: string;
}

/** Width and height of a PNG (IHDR) or JPEG (its SOF marker), or undefined when the bytes are not one. */
export function imageSize(image: PageImage): { width: number; height: number } | undefined {
  const { content } = image;
  if (image.mediaType === 'image/png') {
    if (content.length < 24 || !content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) || content.toString('latin1', 12, 16) !== 'IHDR') return undefined;
    return { width: content.readUInt32BE(16), height: content.readUInt32BE(20) };
  }
  if (content[0] !== 0xff || content[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < content.length) {
    if (content[at] !== 0xff) return undefined;
    const marker = content[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = content.readUInt16BE(at + 2);
    // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: content.readUInt16BE(at + 5), width: content.readUInt16BE(at + 7) };
    at += 2 + length;
  }
  return undefined;
}

const fault = (field: string, vi: string, en: string): ErrorDetail => ({ field, message: en, messages: { vi, en } });

function refuse(details: ErrorDetail[]): QuyTrinhError {
  return new QuyTrinhError('unprocessable', 'digitization.scan-invalid', {
    vi: `Bản quét chưa đạt (Thông tư 01/2023 Điều 8.2): ${details.map((detail) => `${detail.field}: ${detail.messages?.vi ?? detail.message}`).join('; ')}`,
    en: `The scan is not acceptable (Circular 01/2023 Art. 8.2): ${details.map((detail) => `${detail.field}: ${detail.message}`).join('; ')}`,
  }, details);
}

/** The scan's pages in order, or 422 naming each faulty file (`body.files[i]`); nothing is stored by the caller then. */
export async function scanPages(files: readonly ScanFile[]): Promise<ScanPage[]> {
  const details: ErrorDetail[] = [];
  const pages: ScanPage[] = [];
  let total = 0;
  for (const [index, file] of files.entries()) {
    const field = `body.files[${index}]`;
    const content = Buffer.from(file.contentBase64, 'base64');
    total += content.length;
    if (content.length === 0) {
      details.push(fault(`${field}.contentBase64`, 'tệp rỗng', 'the file is empty'));
      continue;
    }
    if (content.length > MAX_COMPONENT_BYTES) {
      details.push(fault(`${field}.contentBase64`, `tệp ${content.length} byte; tối đa ${MAX_COMPONENT_BYTES}`, `the file is ${content.length} bytes; at most ${MAX_COMPONENT_BYTES}`));
      continue;
    }
    let images: PageImage[];
    if (file.mediaType === 'application/pdf') {
      if (!content.subarray(0, 1024).includes('%PDF-')) {
        details.push(fault(`${field}.mediaType`, 'nội dung không phải PDF', 'the content is not application/pdf'));
        continue;
      }
      try {
        images = await pdfPageImages(content, `${field}.contentBase64`);
      } catch (error) {
        if (!(error instanceof QuyTrinhError)) throw error;
        details.push(...error.details);
        continue;
      }
    } else images = [{ mediaType: file.mediaType, content }];
    images.forEach((image, n) => {
      const size = imageSize(image);
      if (!size || size.width === 0 || size.height === 0) {
        const where = file.mediaType === 'application/pdf' ? `trang ${n + 1}: ` : '';
        details.push(fault(file.mediaType === 'application/pdf' ? `${field}.contentBase64` : `${field}.mediaType`, `${where}nội dung không phải ảnh ${image.mediaType} đọc được`, `${file.mediaType === 'application/pdf' ? `page ${n + 1}: ` : ''}the content is not a readable ${image.mediaType}`));
      } else pages.push({ ...image, ...size, sha256: createHash('sha256').update(image.content).digest('hex') });
    });
  }
  if (total > MAX_DOSSIER_UPLOAD_BYTES) details.push(fault('body.files', `${total} byte tất cả; tối đa ${MAX_DOSSIER_UPLOAD_BYTES}`, `${total} bytes in all; at most ${MAX_DOSSIER_UPLOAD_BYTES}`));
  if (pages.length > MAX_SCAN_PAGES) details.push(fault('body.files', `${pages.length} trang; tối đa ${MAX_SCAN_PAGES}`, `${pages.length} pages; at most ${MAX_SCAN_PAGES}`));
  if (details.length > 0) throw refuse(details);
  return pages;
}

/** Art. 8.2.c: as many pictures as physical pages, or 422 naming `body.paperPages`. */
export function checkPageCount(pages: readonly ScanPage[], paperPages: number): void {
  if (pages.length === paperPages) return;
  throw new QuyTrinhError('unprocessable', 'digitization.page-count-mismatch', {
    vi: `Bản quét có ${pages.length} trang nhưng giấy tờ gốc có ${paperPages} trang: số ảnh phải bằng số trang vật lý và đúng thứ tự (Thông tư 01/2023 Điều 8.2.c)`,
    en: `The scan has ${pages.length} page(s) but the paper has ${paperPages}: there must be one picture per physical page, in order (Circular 01/2023 Art. 8.2.c)`,
  }, [fault('body.paperPages', `bản quét có ${pages.length} trang`, `the scan has ${pages.length} page(s)`)]);
}
