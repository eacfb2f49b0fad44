/**
 * The page images of a scanned PDF (Circular 01 Art. 8.2.c: one picture per physical page, in the
 * page order). A scanner writes each page as one image XObject drawn over the whole page; this
 * reads the page tree in order and takes, from each page's resources, its largest image (looking
 * one form XObject deep, as some scanners wrap the image). Only what a scan holds is read, not
 * every PDF: JPEG (`/DCTDecode`) streams are JPEG files already and are kept as they are;
 * `/FlateDecode` images of 1 or 8 bits per component in DeviceGray or DeviceRGB (also through
 * ICCBased with 1 or 3 components), with or without PNG predictors, are written as PNG. Anything
 * else (CCITT, JBIG2, JPEG 2000, indexed colours, encrypted files) is refused with a problem naming
 * the page, as is a page without an image (a PDF made from text, not scanned).
 */
import { promisify } from 'node:util';
import { deflate as deflateCallback, inflateSync, inflate as inflateCallback } from 'node:zlib';
import { QuyTrinhError, type Bilingual } from '../../engine/errors.ts';

export interface PageImage {
  mediaType: 'image/jpeg' | 'image/png';
  content: Buffer;
}

// Image data is inflated and deflated on libuv's thread pool, not on the event loop.
const inflate = promisify(inflateCallback);
const deflate = promisify(deflateCallback);

class Name {
  constructor(readonly name: string) {}
}
class Ref {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
type Value = number | boolean | null | string | Name | Ref | Value[] | Dict;
class Dict {
  constructor(readonly entries: Map<string, Value>) {}
  get(key: string): Value | undefined {
    return this.entries.get(key);
  }
}
interface PdfObject {
  value: Value;
  stream?: Buffer;
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

/** A reader of PDF objects (ISO 32000-1 §7.3) over the file's bytes. */
class Parser {
  position: number;
  constructor(
    readonly bytes: Buffer,
    start: number,
  ) {
    this.position = start;
  }

  private skip(): void {
    const { bytes } = this;
    while (this.position < bytes.length) {
      const byte = bytes[this.position]!;
      if (WHITESPACE.has(byte)) this.position++;
      else if (byte === 0x25) while (this.position < bytes.length && bytes[this.position] !== 0x0a && bytes[this.position] !== 0x0d) this.position++;
      else return;
    }
  }

  private token(): string {
    this.skip();
    const start = this.position;
    while (this.position < this.bytes.length && !WHITESPACE.has(this.bytes[this.position]!) && !DELIMITERS.has(this.bytes[this.position]!)) this.position++;
    return this.bytes.toString('latin1', start, this.position);
  }

  value(): Value {
    this.skip();
    const { bytes } = this;
    const byte = bytes[this.position];
    if (byte === undefined) throw new Error('unexpected end of file');
    if (byte === 0x3c && bytes[this.position + 1] === 0x3c) {
      this.position += 2;
      const entries = new Map<string, Value>();
      for (;;) {
        this.skip();
        if (bytes[this.position] === 0x3e && bytes[this.position + 1] === 0x3e) {
          this.position += 2;
          return new Dict(entries);
        }
        const key = this.value();
        if (!(key instanceof Name)) throw new Error('a dictionary key that is not a name');
        entries.set(key.name, this.value());
      }
    }
    if (byte === 0x5b) {
      this.position++;
      const items: Value[] = [];
      for (;;) {
        this.skip();
        if (bytes[this.position] === 0x5d) {
          this.position++;
          return items;
        }
        items.push(this.value());
      }
    }
    if (byte === 0x2f) {
      this.position++;
      return new Name(this.token().replace(/#([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
    }
    if (byte === 0x28) {
      let depth = 0;
      const start = this.position;
      for (; this.position < bytes.length; this.position++) {
        const c = bytes[this.position];
        if (c === 0x5c) this.position++;
        else if (c === 0x28) depth++;
        else if (c === 0x29 && --depth === 0) break;
      }
      this.position++;
      return bytes.toString('latin1', start + 1, this.position - 1);
    }
    if (byte === 0x3c) {
      const end = bytes.indexOf(0x3e, this.position);
      const hex = bytes.toString('latin1', this.position + 1, end).replace(/\s/g, '');
      this.position = end + 1;
      return Buffer.from(hex, 'hex').toString('latin1');
    }
    const word = this.token();
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    const number = Number(word);
    if (word === '' || Number.isNaN(number)) throw new Error(`unexpected token ${word || String.fromCharCode(byte)}`);
    // `n g R` is a reference: look ahead without consuming when it is not.
    if (Number.isInteger(number)) {
      const mark = this.position;
      const gen = this.token();
      if (/^\d+$/.test(gen) && this.token() === 'R') return new Ref(number, Number(gen));
      this.position = mark;
    }
    return number;
  }
}

/** Every object of the file, the last definition of a number winning (incremental updates), object streams included. */
function readObjects(bytes: Buffer): Map<number, PdfObject> {
  const text = bytes.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(?<![0-9])(\d+)\s+(\d+)\s+obj\b/g;
  for (let match = header.exec(text); match; match = header.exec(text)) {
    try {
      const parser = new Parser(bytes, match.index + match[0].length);
      const value = parser.value();
      const object: PdfObject = { value };
      const after = /^\s*stream\r?\n/.exec(text.slice(parser.position, parser.position + 20));
      if (after && value instanceof Dict) {
        const start = parser.position + after[0].length;
        const length = value.get('Length');
        const end = typeof length === 'number' && text.startsWith('endstream', skipWhitespace(text, start + length)) ? start + length : text.indexOf('endstream', start);
        object.stream = bytes.subarray(start, end < 0 ? bytes.length : end);
        header.lastIndex = end < 0 ? bytes.length : end;
      }
      objects.set(Number(match[1]), object);
    } catch {
      // A damaged object: the pages that need it say so below.
    }
  }
  for (const object of [...objects.values()]) {
    if (!(object.value instanceof Dict) || !isName(object.value.get('Type'), 'ObjStm') || !object.stream) continue;
    const data = decode(object.value, object.stream, objects);
    const count = num(object.value.get('N'));
    const first = num(object.value.get('First'));
    const numbers = data.toString('latin1', 0, first).trim().split(/\s+/).map(Number);
    for (let i = 0; i < count; i++) {
      const parser = new Parser(data, first + numbers[2 * i + 1]!);
      if (!objects.has(numbers[2 * i]!)) objects.set(numbers[2 * i]!, { value: parser.value() });
    }
  }
  return objects;
}

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

const isName = (value: Value | undefined, name: string) => value instanceof Name && value.name === name;
const num = (value: Value | undefined) => (typeof value === 'number' ? value : 0);

function resolve(value: Value | undefined, objects: Map<number, PdfObject>): Value | undefined {
  return value instanceof Ref ? objects.get(value.num)?.value : value;
}

function filters(dict: Dict, objects: Map<number, PdfObject>): string[] {
  const filter = resolve(dict.get('Filter'), objects);
  return (Array.isArray(filter) ? filter : filter === undefined ? [] : [filter]).map((f) => (f instanceof Name ? f.name : '?'));
}

function decode(dict: Dict, stream: Buffer, objects: Map<number, PdfObject>): Buffer {
  const applied = filters(dict, objects);
  if (applied.length === 0) return stream;
  if (applied.length === 1 && applied[0] === 'FlateDecode') return inflateSync(stream);
  throw new Error(`filters ${applied.join(', ')}`);
}

/** The pages in order: the page tree's leaves, with their inherited resources. */
function pagesOf(objects: Map<number, PdfObject>): Array<Dict | undefined> {
  const catalog = [...objects.values()].reverse().find((object) => object.value instanceof Dict && isName(object.value.get('Type'), 'Catalog'))?.value as Dict | undefined;
  const pages: Array<Dict | undefined> = [];
  const visit = (node: Value | undefined, inherited: Value | undefined, depth: number) => {
    const dict = resolve(node, objects);
    if (!(dict instanceof Dict) || depth > 50) return;
    const resources = dict.get('Resources') ?? inherited;
    if (isName(dict.get('Type'), 'Pages') || dict.get('Kids') !== undefined) {
      const kids = resolve(dict.get('Kids'), objects);
      for (const kid of Array.isArray(kids) ? kids : []) visit(kid, resources, depth + 1);
    } else {
      pages.push(new Dict(new Map([...dict.entries, ['Resources', resources ?? null]])));
    }
  };
  visit(catalog?.get('Pages'), undefined, 0);
  return pages;
}

/** The images a page's resources draw, one form XObject deep. */
function imagesOf(resources: Value | undefined, objects: Map<number, PdfObject>, depth = 0): PdfObject[] {
  const dict = resolve(resources, objects);
  const xobjects = dict instanceof Dict ? resolve(dict.get('XObject'), objects) : undefined;
  if (!(xobjects instanceof Dict)) return [];
  return [...xobjects.entries.values()].flatMap((entry) => {
    const object = entry instanceof Ref ? objects.get(entry.num) : undefined;
    if (!object || !(object.value instanceof Dict) || !object.stream) return [];
    if (isName(object.value.get('Subtype'), 'Image')) return [object];
    return isName(object.value.get('Subtype'), 'Form') && depth === 0 ? imagesOf(object.value.get('Resources'), objects, 1) : [];
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG (ISO/IEC 15948) of rows already carrying their filter bytes. */
async function png(width: number, height: number, bits: number, colours: 1 | 3, filteredRows: Buffer): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(bits, 8);
  header.writeUInt8(colours === 1 ? 0 : 2, 9);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', await deflate(filteredRows)), chunk('IEND', Buffer.alloc(0))]);
}

function colourCount(space: Value | undefined, objects: Map<number, PdfObject>): 1 | 3 | undefined {
  const resolved = resolve(space, objects);
  if (isName(resolved, 'DeviceGray') || isName(resolved, 'CalGray')) return 1;
  if (isName(resolved, 'DeviceRGB') || isName(resolved, 'CalRGB')) return 3;
  if (Array.isArray(resolved) && isName(resolved[0], 'ICCBased')) {
    const profile = resolve(resolved[1], objects);
    const n = profile instanceof Dict ? profile.get('N') : undefined;
    return n === 1 || n === 3 ? n : undefined;
  }
  return undefined;
}

/** One image XObject as a JPEG or PNG file, or the reason it cannot be. */
async function imageFile(image: PdfObject, objects: Map<number, PdfObject>): Promise<PageImage | Bilingual> {
  const dict = image.value as Dict;
  const applied = filters(dict, objects);
  if (applied.length === 1 && applied[0] === 'DCTDecode') return { mediaType: 'image/jpeg', content: Buffer.from(image.stream!) };
  if (applied.length !== 1 || applied[0] !== 'FlateDecode') return { vi: `ảnh nén bằng ${applied.join(', ') || '(không nén)'} chưa đọc được (chỉ DCTDecode và FlateDecode)`, en: `images compressed with ${applied.join(', ') || 'no filter'} are not read (only DCTDecode and FlateDecode)` };
  const width = num(resolve(dict.get('Width'), objects));
  const height = num(resolve(dict.get('Height'), objects));
  const bits = num(resolve(dict.get('BitsPerComponent'), objects)) || (dict.get('ImageMask') === true ? 1 : 0);
  const colours = dict.get('ImageMask') === true ? 1 : colourCount(dict.get('ColorSpace'), objects);
  if (!colours || (bits !== 8 && bits !== 1) || width <= 0 || height <= 0) return { vi: 'hệ màu hoặc độ sâu màu của ảnh chưa đọc được (chỉ ảnh xám 1 hoặc 8 bit và RGB 8 bit)', en: 'the image’s colour space or depth is not read (only 1- or 8-bit grey and 8-bit RGB)' };
  const data = await inflate(image.stream!);
  const parameters = resolve(dict.get('DecodeParms'), objects);
  const predictor = parameters instanceof Dict ? num(resolve(parameters.get('Predictor'), objects)) : 1;
  const rowBytes = Math.ceil((width * colours * bits) / 8);
  if (predictor >= 10) return { mediaType: 'image/png', content: await png(width, height, bits, colours, data.subarray(0, (rowBytes + 1) * height)) };
  if (predictor > 1) return { vi: 'bộ dự đoán TIFF chưa đọc được', en: 'the TIFF predictor is not read' };
  const rows = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) data.copy(rows, y * (rowBytes + 1) + 1, y * rowBytes, (y + 1) * rowBytes);
  return { mediaType: 'image/png', content: await png(width, height, bits, colours, rows) };
}

function problem(code: string, vi: string, en: string, field: string): QuyTrinhError {
  return new QuyTrinhError('unprocessable', code, { vi, en }, [{ field, message: en, messages: { vi, en } }]);
}

/**
 * The page images of a scanned PDF, in page order; `field` names the upload in the problems:
 * `digitization.pdf-unreadable` (no page tree, encrypted), `digitization.pdf-without-images`
 * (pages with no image: not a scan), `digitization.pdf-image-unsupported`.
 */
export async function pdfPageImages(pdf: Buffer, field: string): Promise<PageImage[]> {
  if (/\/Encrypt\s/.test(pdf.toString('latin1', Math.max(0, pdf.length - 4096)))) {
    throw problem('digitization.pdf-unreadable', 'Tệp PDF được mã hóa: hãy gửi bản quét không đặt mật khẩu', 'The PDF is encrypted: send the scan without a password', field);
  }
  const objects = readObjects(pdf);
  const pages = pagesOf(objects);
  if (pages.length === 0) throw problem('digitization.pdf-unreadable', 'Không đọc được trang nào của tệp PDF', 'No page of the PDF could be read', field);
  const without: number[] = [];
  const images = pages.map((page, index) => {
    const found = imagesOf(page?.get('Resources'), objects);
    const largest = found.sort((a, b) => num((b.value as Dict).get('Width')) * num((b.value as Dict).get('Height')) - num((a.value as Dict).get('Width')) * num((a.value as Dict).get('Height')))[0];
    if (!largest) without.push(index + 1);
    return largest;
  });
  if (without.length > 0) {
    throw problem(
      'digitization.pdf-without-images',
      `Trang ${without.join(', ')} của tệp PDF không có ảnh quét: chỉ số hóa bản chụp của giấy tờ (Thông tư 01/2023 Điều 8.1); PDF tạo từ văn bản không phải bản chụp`,
      `Page(s) ${without.join(', ')} of the PDF hold no scanned image: only photocopies of the paper are digitized (Circular 01/2023 Art. 8.1); a PDF made from text is not a scan`,
      field,
    );
  }
  const files: PageImage[] = [];
  for (const [index, image] of images.entries()) {
    let file: PageImage | Bilingual;
    try {
      file = await imageFile(image!, objects);
    } catch {
      file = { vi: 'dữ liệu ảnh bị hỏng', en: 'the image data is damaged' };
    }
    if (!('content' in file)) throw problem('digitization.pdf-image-unsupported', `Không đọc được ảnh của trang ${index + 1}: ${file.vi}`, `The image of page ${index + 1} cannot be read: ${file.en}`, field);
    files.push(file);
  }
  return files;
}
