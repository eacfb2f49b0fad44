import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { addWorkingHours, createWorkingCalendar } from '../../engine/calendar/index.ts';
import { isQuyTrinhError } from '../../engine/errors.ts';
import type { AmendmentGuidance, DossierDocument, PrintedDossier, ReceiptNotice, RefusalNotice, ResultDocument } from '../../server/printing/dossier-document.ts';
import { printDossierDocument } from '../../server/printing/notice-pdf.ts';
import { qrPayload } from '../../server/printing/qr-payload.ts';
import { pdfText } from '../support/restructuring.ts';

/**
 * Printed notices and results (Decree 45 Art. 18) with the QR of Circular 01 Art. 26: the text a
 * reader copies from the PDF, and the QR symbol rebuilt from the squares drawn on page one.
 */

const MM = 72 / 25.4;

// The applicant's name typed with combining marks ("Unicode tổ hợp"): it must print and encode precomposed.
const dossier: PrintedDossier = {
  code: '000.00.12.H29-250310-0007',
  procedure: { code: '1.001612', name: 'Đăng ký thành lập hộ kinh doanh' },
  agency: { code: '000.00.12.H29', name: 'Uỷ ban nhân dân phường Bến Thành' },
  applicant: { name: 'Nguyễn Thị Hoà'.normalize('NFD'), idNumber: '079185012345' },
};
const lookupBaseUrl = 'https://dichvucong.quytrinh.gov.vn/';

// 09:20 UTC is 16:20 in Vietnam, Monday 10/03/2025.
const receivedAt = new Date('2025-03-10T09:20:00Z');
const receipt: ReceiptNotice = {
  kind: 'receipt',
  dossier,
  lookupBaseUrl,
  receivedAt,
  receiptDueAt: addWorkingHours(createWorkingCalendar(), receivedAt, 8),
  components: ['Giấy đề nghị đăng ký hộ kinh doanh', 'Bản sao hợp đồng thuê địa điểm kinh doanh'],
};

const amendment: AmendmentGuidance = {
  kind: 'amendment',
  dossier,
  lookupBaseUrl,
  requestedAt: new Date('2025-03-11T03:05:00Z'),
  items: ['Bổ sung bản sao hợp đồng thuê nhà có công chứng', 'Ghi rõ ngành, nghề kinh doanh theo mã ngành cấp 4', 'Chữ ký của chủ hộ kinh doanh trên giấy đề nghị'],
  note: 'Nộp bổ sung trực tuyến trên Cổng dịch vụ công',
};

// 17:30 UTC on the 12th is 00:30 on 13/03/2025 in Vietnam: the date printed is Vietnam's.
const refusal: RefusalNotice = {
  kind: 'refusal',
  dossier,
  lookupBaseUrl,
  refusedAt: new Date('2025-03-12T17:30:00Z'),
  reasons: ['Địa điểm kinh doanh nằm trong khu vực cấm kinh doanh', 'Chủ hộ đã đăng ký một hộ kinh doanh khác'],
};

const result: ResultDocument = {
  kind: 'result',
  dossier,
  lookupBaseUrl,
  result: {
    code: `${dossier.code}-KQ1`,
    title: 'Giấy chứng nhận đăng ký hộ kinh doanh',
    issuedAt: new Date('2025-03-14T02:05:00Z'),
    issuer: 'Phó Chủ tịch Lê Văn Bình',
    details: [
      { label: 'Tên hộ kinh doanh', value: 'Tạp hoá Hoà Phát' },
      { label: 'Địa điểm kinh doanh', value: '12 Lê Lợi, phường Bến Thành' },
    ],
    validUntil: new Date('2030-03-13T17:00:00Z'),
    scope: 'Thành phố Hồ Chí Minh',
  },
};

const annulled: ResultDocument = {
  ...result,
  result: { ...result.result, annulment: { at: new Date('2025-04-01T16:10:00Z'), reason: 'Hồ sơ kê khai không trung thực về địa điểm kinh doanh' } },
};

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface PageDrawing {
  width: number;
  height: number;
  /** Every filled axis-aligned rectangle, in points from the page's top-left corner. */
  filledRectangles: Box[];
  /** Every piece of text with its box, from the top-left corner. */
  texts: Array<Box & { text: string }>;
}

type Matrix = [number, number, number, number, number, number];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
const concat = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

// pdf.js's compact path operators inside a constructPath (its DrawOPS).
const MOVE_TO = 0;
const LINE_TO = 1;
const CURVE_TO = 2;
const QUADRATIC_CURVE_TO = 3;
const CLOSE_PATH = 4;

/** What pdf.js finds drawn on a page: the filled rectangles from its operator list, the text from its text layer. */
async function pageDrawing(bytes: Uint8Array, pageNumber = 1): Promise<PageDrawing> {
  const document = await getDocument({ data: bytes.slice() }).promise;
  const page = await document.getPage(pageNumber);
  const [, , width, height] = page.view as [number, number, number, number];
  const operators = await page.getOperatorList();
  const filledRectangles: Box[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const saved: Matrix[] = [];
  operators.fnArray.forEach((fn, index) => {
    const args = operators.argsArray[index];
    if (fn === OPS.save) saved.push(ctm);
    else if (fn === OPS.restore) ctm = saved.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = concat(ctm, args as Matrix);
    else if (fn === OPS.constructPath && (args[0] === OPS.fill || args[0] === OPS.eoFill) && args[1][0]) {
      const buffer = args[1][0] as Float32Array;
      let points: Array<[number, number]> = [];
      const closeSubpath = () => {
        if (points.length === 4) {
          const xs = points.map(([x]) => x);
          const ys = points.map(([, y]) => y);
          const axisAligned = points.every(([x, y]) => xs.some((other) => Math.abs(other - x) < 1e-3) && ys.some((other) => Math.abs(other - y) < 1e-3));
          if (axisAligned && new Set(xs.map((x) => x.toFixed(3))).size === 2 && new Set(ys.map((y) => y.toFixed(3))).size === 2) {
            filledRectangles.push({ left: Math.min(...xs), right: Math.max(...xs), top: height - Math.max(...ys), bottom: height - Math.min(...ys) });
          }
        }
        points = [];
      };
      for (let k = 0; k < buffer.length; ) {
        const op = buffer[k++];
        if (op === MOVE_TO) {
          closeSubpath();
          points.push(apply(ctm, buffer[k]!, buffer[k + 1]!));
          k += 2;
        } else if (op === LINE_TO) {
          points.push(apply(ctm, buffer[k]!, buffer[k + 1]!));
          k += 2;
        } else if (op === CURVE_TO) {
          points.push([Number.NaN, Number.NaN]);
          k += 6;
        } else if (op === QUADRATIC_CURVE_TO) {
          points.push([Number.NaN, Number.NaN]);
          k += 4;
        } else if (op === CLOSE_PATH) {
          closeSubpath();
        }
      }
      closeSubpath();
    }
  });
  const content = await page.getTextContent();
  const texts = content.items.flatMap((item) => {
    if (!('str' in item) || item.str.trim() === '') return [];
    const [, , , , x, y] = item.transform as number[];
    return [{ text: item.str, left: x!, right: x! + item.width, top: height - y! - item.height, bottom: height - y! }];
  });
  return { width, height, filledRectangles, texts };
}

interface DrawnQr {
  box: Box;
  moduleSize: number;
  /** Dark modules, row by row. */
  matrix: boolean[][];
}

/**
 * The QR symbol drawn on the page, rebuilt: the most numerous filled squares of one size are its
 * dark modules; their bounding box is the symbol (the finder patterns fill three corners and the
 * timing patterns join them), which fixes the grid.
 */
function drawnQr(drawing: PageDrawing): DrawnQr {
  const squares = drawing.filledRectangles.filter((box) => Math.abs(box.right - box.left - (box.bottom - box.top)) < 0.01);
  const bySize = new Map<string, Box[]>();
  for (const square of squares) {
    const size = (square.right - square.left).toFixed(2);
    bySize.set(size, [...(bySize.get(size) ?? []), square]);
  }
  const modules = [...bySize.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  expect(modules.length, 'the dark modules of a QR symbol drawn as squares').toBeGreaterThan(100);
  const moduleSize = modules[0]!.right - modules[0]!.left;
  const box = {
    left: Math.min(...modules.map((m) => m.left)),
    top: Math.min(...modules.map((m) => m.top)),
    right: Math.max(...modules.map((m) => m.right)),
    bottom: Math.max(...modules.map((m) => m.bottom)),
  };
  const size = Math.round((box.right - box.left) / moduleSize);
  expect(Math.round((box.bottom - box.top) / moduleSize)).toBe(size);
  const matrix = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  for (const square of modules) {
    const column = (square.left - box.left) / moduleSize;
    const row = (square.top - box.top) / moduleSize;
    // Every square sits on the grid, none between two modules.
    expect(Math.abs(column - Math.round(column))).toBeLessThan(0.01);
    expect(Math.abs(row - Math.round(row))).toBeLessThan(0.01);
    matrix[Math.round(row)]![Math.round(column)] = true;
  }
  return { box, moduleSize, matrix };
}

/** The module matrix of `text` as TCVN 7322 / ISO 18004 encodes it at level M. */
function expectedMatrix(text: string): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return Array.from({ length: modules.size }, (_, row) => Array.from({ length: modules.size }, (_, column) => modules.get(row, column) === 1));
}

/** The PDF's text as one line of words, for phrases that may wrap. */
async function printedText(bytes: Uint8Array): Promise<string> {
  // pdf.js takes the bytes it is given: hand it a copy.
  return (await pdfText(bytes.slice())).replace(/\s+/g, ' ');
}

describe('the QR payload (Circular 01 Art. 26.2)', () => {
  it('holds, in its documented order, the lookup address, the codes, the identifier, the document, the system and the time in Vietnam', () => {
    expect(qrPayload(receipt).split('\n')).toEqual([
      'https://dichvucong.quytrinh.gov.vn/tra-cuu/000.00.12.H29-250310-0007',
      '000.00.12.H29-250310-0007',
      '',
      '1.001612',
      '000.00.12.H29',
      '079185012345',
      'Thông báo tiếp nhận hồ sơ',
      'Quy Trình',
      '10/03/2025 16:20',
      'Đã nộp thành công',
    ]);
  });

  it('names a result by its KQ code, with its time limit and scope (Decree 45 Art. 14.3.d; Art. 26.2.h)', () => {
    expect(qrPayload(result).split('\n')).toEqual([
      'https://dichvucong.quytrinh.gov.vn/tra-cuu/000.00.12.H29-250310-0007-KQ1',
      '000.00.12.H29-250310-0007',
      '000.00.12.H29-250310-0007-KQ1',
      '1.001612',
      '000.00.12.H29',
      '079185012345',
      'Giấy chứng nhận đăng ký hộ kinh doanh',
      'Quy Trình',
      '14/03/2025 09:05',
      'Đã cấp',
      '14/03/2030',
      'Thành phố Hồ Chí Minh',
    ]);
  });

  it('says when a result is annulled, and when (Decree 45 Art. 15)', () => {
    const lines = qrPayload(annulled).split('\n');
    expect(lines[9]).toBe('Đã huỷ');
    expect(lines[12]).toBe('01/04/2025 23:10');
  });

  it('gives the receipt notice the date appointed for the result when there is one (Art. 26.2.g)', () => {
    const lines = qrPayload({ ...receipt, resultDueAt: new Date('2025-03-20T01:00:00Z') }).split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe('20/03/2025');
  });

  it('stays small: notices fit 2.5 cm with modules of 0.4 mm (version 11 or less), results version 13 or less', () => {
    for (const document of [receipt, amendment, refusal]) {
      expect(QRCode.create(qrPayload(document), { errorCorrectionLevel: 'M' }).version, document.kind).toBeLessThanOrEqual(11);
    }
    for (const document of [result, annulled]) {
      expect(QRCode.create(qrPayload(document), { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(13);
    }
  });

  it('cuts a very long name, which the paper carries whole', () => {
    const title = 'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất '.repeat(5);
    const line = qrPayload({ ...result, result: { ...result.result, title } }).split('\n')[6]!;
    expect(Array.from(line)).toHaveLength(120);
    expect(line.endsWith('…')).toBe(true);
    expect(title.startsWith(line.slice(0, -1))).toBe(true);
  });

  it('encodes names precomposed and on one line, whatever was typed', () => {
    const payload = qrPayload({ ...result, result: { ...result.result, title: 'Giấy  chứng nhận\nđăng ký'.normalize('NFD') } });
    expect(payload.split('\n')[6]).toBe('Giấy chứng nhận đăng ký');
    expect(payload).toBe(payload.normalize('NFC'));
  });
});

describe('printed notices and results (Decree 45 Art. 18)', () => {
  it('prints the receipt notice with the official receipt time and the 08-working-hour deadline in Vietnam time (Art. 11.1, 11.4)', async () => {
    const bytes = new Uint8Array(await printDossierDocument(receipt));
    const text = await printedText(bytes);
    for (const expected of [
      'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'UỶ BAN NHÂN DÂN PHƯỜNG BẾN THÀNH',
      'THÔNG BÁO TIẾP NHẬN HỒ SƠ',
      'Mã hồ sơ: 000.00.12.H29-250310-0007',
      'Đăng ký thành lập hộ kinh doanh (mã 1.001612)',
      'Nguyễn Thị Hoà',
      'Số định danh: 079185012345',
      'Thời điểm tiếp nhận chính thức: 16 giờ 20 phút, ngày 10/03/2025',
      // 16:20 Monday plus 08 working hours on the default calendar (office hours to 17:00).
      'Hạn thông báo tiếp nhận hoặc yêu cầu bổ sung: 16 giờ 20 phút, ngày 11/03/2025',
      '1. Giấy đề nghị đăng ký hộ kinh doanh',
      '2. Bản sao hợp đồng thuê địa điểm kinh doanh',
      '08 giờ làm việc',
      'Quy Trình',
      'Tra cứu: https://dichvucong.quytrinh.gov.vn/tra-cuu/000.00.12.H29-250310-0007',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('prints every item of the amendment guidance, once, and that the code stays (Art. 11.3, 12.2.c)', async () => {
    const text = await printedText(new Uint8Array(await printDossierDocument(amendment)));
    expect(text).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(text).toContain('Thời điểm yêu cầu: 10 giờ 05 phút, ngày 11/03/2025');
    amendment.items.forEach((item, index) => expect(text).toContain(`${index + 1}. ${item}`));
    expect(text).toContain('Ghi chú: Nộp bổ sung trực tuyến trên Cổng dịch vụ công');
    expect(text).toContain('giữ nguyên mã hồ sơ');
  });

  it('prints a refusal with its reasons, dated in Vietnam even past midnight UTC+7', async () => {
    const text = await printedText(new Uint8Array(await printDossierDocument(refusal)));
    expect(text).toContain('PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Thời điểm từ chối: 00 giờ 30 phút, ngày 13/03/2025');
    expect(text).toContain('Ngày 13/03/2025');
    expect(text).toContain('1. Địa điểm kinh doanh nằm trong khu vực cấm kinh doanh');
    expect(text).toContain('2. Chủ hộ đã đăng ký một hộ kinh doanh khác');
  });

  it('prints a result with its code <dossier code>-KQ<n> (Art. 14.3.d) and no annulment stamp', async () => {
    const text = await printedText(new Uint8Array(await printDossierDocument(result)));
    expect(text).toContain('GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH');
    expect(text).toContain('Mã kết quả: 000.00.12.H29-250310-0007-KQ1');
    expect(text).toContain('Thời điểm cấp: 09 giờ 05 phút, ngày 14/03/2025');
    expect(text).toContain('Thời hạn hiệu lực: đến hết ngày 14/03/2030');
    expect(text).toContain('Tên hộ kinh doanh: Tạp hoá Hoà Phát');
    expect(text).toContain('Tra cứu: https://dichvucong.quytrinh.gov.vn/tra-cuu/000.00.12.H29-250310-0007-KQ1');
    expect(text).not.toContain('ĐÃ HUỶ');
  });

  it('stamps an annulled result ĐÃ HUỶ / ANNULLED with the time and reason of annulment (Art. 15)', async () => {
    const text = await printedText(new Uint8Array(await printDossierDocument(annulled)));
    expect(text).toContain('ĐÃ HUỶ / ANNULLED');
    expect(text).toContain('Huỷ lúc 23 giờ 10 phút, ngày 01/04/2025');
    expect(text).toContain('Lý do huỷ: Hồ sơ kê khai không trung thực về địa điểm kinh doanh');
    expect(text).toContain('không còn giá trị');
    expect(text).toContain('Mã kết quả: 000.00.12.H29-250310-0007-KQ1');
  });

  it('draws, top left, a QR symbol of about 2.5 cm that encodes exactly the Art. 26 payload', async () => {
    for (const document of [receipt, amendment, refusal, result]) {
      const drawing = await pageDrawing(new Uint8Array(await printDossierDocument(document)));
      const qr = drawnQr(drawing);
      expect(qr.matrix, document.kind).toEqual(expectedMatrix(qrPayload(document)));
      // 2.5 cm, or modules of 0.4 mm for a longer payload.
      const side = qr.box.right - qr.box.left;
      expect(qr.moduleSize).toBeGreaterThanOrEqual(0.4 * MM - 0.01);
      expect(side).toBeGreaterThanOrEqual(25 * MM - 0.01);
      expect(side).toBeLessThanOrEqual(28 * MM);
      if (qr.matrix.length <= 61) expect(side).toBeCloseTo(25 * MM, 1);
      // Top left: nothing printed left of it or above it (the header beside it starts level with
      // it, within a point of font ascent), and it is in the page's top-left corner.
      expect(qr.box.left).toBeLessThanOrEqual(Math.min(...drawing.texts.map((text) => text.left)) + 1);
      expect(qr.box.top).toBeLessThanOrEqual(Math.min(...drawing.texts.map((text) => text.top)) + 1);
      expect(qr.box.right).toBeLessThan(drawing.width / 3);
      expect(qr.box.bottom).toBeLessThan(drawing.height / 6);
      // The quiet zone of four modules (ISO/IEC 18004) is free of text.
      const quiet = { left: qr.box.left - 4 * qr.moduleSize, top: qr.box.top - 4 * qr.moduleSize, right: qr.box.right + 4 * qr.moduleSize, bottom: qr.box.bottom + 4 * qr.moduleSize };
      const inQuietZone = drawing.texts.filter((text) => text.left < quiet.right && text.right > quiet.left && text.top < quiet.bottom && text.bottom > quiet.top);
      expect(inQuietZone.map((text) => text.text)).toEqual([]);
    }
  });

  it('draws on an annulled result the QR of a payload that says annulled', async () => {
    const drawing = await pageDrawing(new Uint8Array(await printDossierDocument(annulled)));
    const expected = [
      'https://dichvucong.quytrinh.gov.vn/tra-cuu/000.00.12.H29-250310-0007-KQ1',
      '000.00.12.H29-250310-0007',
      '000.00.12.H29-250310-0007-KQ1',
      '1.001612',
      '000.00.12.H29',
      '079185012345',
      'Giấy chứng nhận đăng ký hộ kinh doanh',
      'Quy Trình',
      '14/03/2025 09:05',
      'Đã huỷ',
      '14/03/2030',
      'Thành phố Hồ Chí Minh',
      '01/04/2025 23:10',
    ].join('\n');
    expect(drawnQr(drawing).matrix).toEqual(expectedMatrix(expected));
    // The same result before annulment carries another symbol: the drawing follows the payload.
    expect(drawnQr(drawing).matrix).not.toEqual(expectedMatrix(qrPayload(result)));
  });

  it('flows a long amendment list over pages, every item printed and the QR on page one only', async () => {
    const items = Array.from({ length: 60 }, (_, index) => `Nội dung cần bổ sung số ${index + 1}: bản sao giấy tờ có chứng thực theo quy định`);
    const bytes = new Uint8Array(await printDossierDocument({ ...amendment, items }));
    const text = await printedText(bytes);
    for (const [index, item] of items.entries()) expect(text).toContain(`${index + 1}. ${item}`);
    const document = await getDocument({ data: bytes.slice() }).promise;
    expect(document.numPages).toBeGreaterThan(1);
    expect(text).toContain(`Trang 2/${document.numPages}`);
    const second = await pageDrawing(bytes, 2);
    expect(second.filledRectangles).toEqual([]);
  });

  it('refuses to print what the law does not allow: a result code of another dossier, guidance without items, no identifier', async () => {
    const refusedWith = async (document: DossierDocument) => {
      try {
        await printDossierDocument(document);
      } catch (error) {
        return isQuyTrinhError(error) ? error.code : error;
      }
      return 'printed';
    };
    expect(await refusedWith({ ...result, result: { ...result.result, code: '000.00.12.H29-250310-0008-KQ1' } })).toBe('printing.result-code');
    expect(await refusedWith({ ...result, result: { ...result.result, code: `${dossier.code}-KQ0` } })).toBe('printing.result-code');
    expect(await refusedWith({ ...amendment, items: [' '] })).toBe('printing.amendment-items');
    expect(await refusedWith({ ...refusal, reasons: [] })).toBe('printing.refusal-reasons');
    expect(await refusedWith({ ...receipt, lookupBaseUrl: 'javascript:alert(1)' })).toBe('printing.lookup-base-url');
    expect(await refusedWith({ ...receipt, dossier: { ...dossier, code: 'HS-1' } })).toBe('printing.dossier-code');
    // Circular 01 Art. 26.2.c: the QR must carry the applicant's identification code.
    expect(await refusedWith({ ...receipt, dossier: { ...dossier, applicant: { ...dossier.applicant, idNumber: ' ' } } })).toBe('printing.missing-field');
  });
});
