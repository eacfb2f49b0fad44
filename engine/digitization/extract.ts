import { readIdNumber, readTaxId, isCalendarDate } from '../forms/formats.ts';
import type { MetadataField } from './metadata.ts';

/**
 * Pre-filling the metadata of Circular 01 Art. 9.2 from the OCR of a digitized document (Art. 9.1:
 * data extraction by OCR, the official confirming each field). Pure: OCR lines in, suggestions
 * out, each with the page and line it was read from and a confidence in [0, 1] — the OCR's
 * confidence in the line times how sure the rule is (a labelled field "Số định danh cá nhân: …"
 * more than a number found anywhere). A field the text does not give is null: the official types it.
 */
export interface OcrLine {
  text: string;
  /** Tesseract's confidence in the line, 0–100. */
  confidence: number;
}

export interface OcrPage {
  lines: readonly OcrLine[];
}

export interface Suggestion {
  value: string;
  confidence: number;
  /** 1-based page and the line as read. */
  page: number;
  line: string;
}

export type Suggestions = Record<MetadataField, Suggestion | null>;

/**
 * Titles of common documents and the type code suggested for them. The type code of a result is
 * its code on the National Database of administrative procedures (Art. 10.2), which this product
 * cannot look up: these are local abbreviations for the official to confirm or replace.
 */
const KNOWN_DOCUMENTS: ReadonlyArray<{ title: RegExp; name: string; typeCode: string }> = [
  { title: /^TRÍCH LỤC KHAI SINH$/u, name: 'Trích lục khai sinh', typeCode: 'TLKS' },
  { title: /^GIẤY KHAI SINH$/u, name: 'Giấy khai sinh', typeCode: 'GKS' },
  { title: /^GIẤY CHỨNG NHẬN KẾT HÔN$/u, name: 'Giấy chứng nhận kết hôn', typeCode: 'GCNKH' },
  { title: /^TRÍCH LỤC KẾT HÔN$/u, name: 'Trích lục kết hôn', typeCode: 'TLKH' },
  { title: /^GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN$/u, name: 'Giấy xác nhận tình trạng hôn nhân', typeCode: 'XNTTHN' },
  { title: /^(?:TRÍCH LỤC KHAI TỬ|GIẤY CHỨNG TỬ)$/u, name: 'Trích lục khai tử', typeCode: 'TLKT' },
  { title: /^CĂN CƯỚC(?: CÔNG DÂN)?$/u, name: 'Căn cước', typeCode: 'CC' },
  { title: /^GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP$/u, name: 'Giấy chứng nhận đăng ký doanh nghiệp', typeCode: 'GCNĐKDN' },
  { title: /^QUYẾT ĐỊNH$/u, name: 'Quyết định', typeCode: 'QĐ' },
  { title: /^GIẤY PHÉP[\p{Lu} ]*$/u, name: 'Giấy phép', typeCode: 'GP' },
];

/** Lines every document of the state carries and that name nothing (the national name and motto). */
const MOTTO = /^(CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐỘC LẬP\s*-\s*TỰ DO\s*-\s*HẠNH PHÚC)$/u;
const AGENCY_HEADER = /^(ỦY BAN NHÂN DÂN|UBND|SỞ|BỘ|CÔNG AN|CỤC|CHI CỤC|TÒA ÁN|PHÒNG|VĂN PHÒNG)\b/u;

const DATE = String.raw`(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})`;
const VIETNAMESE_DATE = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu;

interface Line extends OcrLine {
  page: number;
  /** Spaces collapsed, trimmed. */
  clean: string;
}

const upper = (text: string) => text.toLocaleUpperCase('vi');

function isoDate(day: string, month: string, year: string): string | undefined {
  return isCalendarDate(Number(year), Number(month), Number(day)) ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : undefined;
}

/** NGUYỄN THỊ HỒNG NHUNG → Nguyễn Thị Hồng Nhung: a name as the metadata keeps it. */
export function properName(text: string): string {
  return text
    .toLocaleLowerCase('vi')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toLocaleUpperCase('vi') + word.slice(1))
    .join(' ');
}

function suggest(line: Line, value: string, weight: number): Suggestion {
  return { value, confidence: Math.round((Math.max(0, Math.min(100, line.confidence)) / 100) * weight * 100) / 100, page: line.page, line: line.clean };
}

/** The first line (in page order) for which `read` gives a suggestion. */
function first(lines: readonly Line[], read: (line: Line, index: number) => Suggestion | undefined): Suggestion | null {
  for (const [index, line] of lines.entries()) {
    const found = read(line, index);
    if (found) return found;
  }
  return null;
}

/** A labelled value: `<label>: <value>`, the label matched from the line's start. */
function labelled(line: Line, label: RegExp): string | undefined {
  const match = new RegExp(String.raw`^(?:${label.source})\s*[:：]\s*(.+)$`, 'iu').exec(line.clean);
  return match?.[1]?.trim();
}

/** Digits OCR split with spaces or dots (`001 324 012 345`) joined again. */
const joinDigits = (text: string) => text.replace(/(\d)[ .](?=\d)/g, '$1');

export function extractMetadata(pages: readonly OcrPage[]): Suggestions {
  const lines: Line[] = pages.flatMap((page, index) =>
    page.lines.map((line) => ({ ...line, page: index + 1, clean: line.text.replace(/\s+/g, ' ').trim() })).filter((line) => line.clean !== ''),
  );

  const known = first(lines, (line) => {
    const title = KNOWN_DOCUMENTS.find((document) => document.title.test(upper(line.clean)));
    return title && suggest(line, title.name, 1);
  });
  const knownType = known && KNOWN_DOCUMENTS.find((document) => document.name === known.value);
  // Otherwise the first line in capitals that is neither the motto nor an agency's name: the title.
  const documentName =
    known ??
    first(lines, (line) => (line.clean.length >= 6 && line.clean === upper(line.clean) && /\p{Lu}{3}/u.test(line.clean) && !MOTTO.test(upper(line.clean)) && !AGENCY_HEADER.test(line.clean) ? suggest(line, properName(line.clean).replace(/^(\p{Lu})(.*)$/u, (_, head: string, rest: string) => head + rest.toLocaleLowerCase('vi')), 0.5) : undefined));
  const documentTypeCode = known && knownType ? { ...known, value: knownType.typeCode, confidence: Math.round(known.confidence * 0.6 * 100) / 100 } : null;

  const holderId =
    first(lines, (line) => {
      if (!/định danh|căn cước|CCCD|CMND|mã số thuế|mã số doanh nghiệp/iu.test(line.clean)) return undefined;
      const digits = /\d[\d .-]{8,}\d/.exec(joinDigits(line.clean))?.[0];
      if (!digits) return undefined;
      if (readIdNumber(digits).ok) return suggest(line, digits, 1);
      return readTaxId(digits).ok ? suggest(line, digits, 0.9) : undefined;
    }) ??
    first(lines, (line) => {
      const digits = /(?<!\d)\d{12}(?!\d)/.exec(joinDigits(line.clean))?.[0];
      return digits && readIdNumber(digits).ok ? suggest(line, digits, 0.5) : undefined;
    });

  const holderName = first(lines, (line) => {
    const value = labelled(line, /họ,?\s*chữ đệm,?\s*(?:và\s*)?tên|họ và tên|họ tên|tên tổ chức|tên doanh nghiệp/);
    return value && /\p{L}/u.test(value) ? suggest(line, properName(value), 1) : undefined;
  });

  const holderBornOn = first(lines, (line) => {
    const match = new RegExp(String.raw`^(?:ngày,?\s*tháng,?\s*năm sinh|ngày sinh|sinh ngày)\s*[:：]?\s*${DATE}`, 'iu').exec(line.clean);
    const value = match && isoDate(match[1]!, match[2]!, match[3]!);
    return value ? suggest(line, value, 1) : undefined;
  });

  const numberSymbol = first(lines, (line) => {
    // "Số: 125/2024/KS", never "Số định danh …" (no number right after the label).
    const match = /^(?:Số|So)\s*[:.]?\s*(\d[\p{L}\d]*(?:\s*[/-]\s*[\p{L}\d]+)+|\d+)(?=\s|$)/iu.exec(line.clean);
    return match ? suggest(line, match[1]!.replace(/\s/g, ''), match[1]!.includes('/') ? 1 : 0.7) : undefined;
  });

  const issuedOn =
    first(lines, (line) => {
      const match = new RegExp(String.raw`(?:ngày cấp|cấp ngày|ngày ban hành)\s*[:：]?\s*${DATE}`, 'iu').exec(line.clean);
      const value = match && isoDate(match[1]!, match[2]!, match[3]!);
      return value ? suggest(line, value, 1) : undefined;
    }) ??
    // The place and date line of an official document ("Hà Nội, ngày 20 tháng 03 năm 2024"); the last one is the signing.
    first([...lines].reverse(), (line) => {
      const match = VIETNAMESE_DATE.exec(line.clean);
      const value = match && isoDate(match[1]!, match[2]!, match[3]!);
      return value ? suggest(line, value, 0.9) : undefined;
    });

  const issuingAgency =
    first(lines, (line, index) => {
      const value = labelled(line, /nơi đăng ký(?:\s+(?:khai sinh|kết hôn|khai tử|hộ tịch))?|cơ quan cấp|nơi cấp|cơ quan ban hành|cơ quan đăng ký/);
      if (!value) return undefined;
      // A name wrapped onto the next line: a short line with no label, no date and no digits.
      const next = lines[index + 1];
      const wrapped = next && next.page === line.page && !/[:：\d]/.test(next.clean) && !/ngày/iu.test(next.clean) && next.clean.length < 40 ? ` ${next.clean}` : '';
      return suggest(line, `${value}${wrapped}`, 0.9);
    }) ??
    first(lines, (line, index) => {
      if (!AGENCY_HEADER.test(line.clean) || line.clean !== upper(line.clean)) return undefined;
      const next = lines[index + 1];
      const more = next && next.clean === upper(next.clean) && !MOTTO.test(upper(next.clean)) && !KNOWN_DOCUMENTS.some((document) => document.title.test(upper(next.clean))) ? ` ${next.clean}` : '';
      return suggest(line, `${line.clean}${more}`, 0.7);
    });

  const synopsis =
    first(lines, (line) => {
      const value = labelled(line, /v\/v|về việc|trích yếu/) ?? /^(?:V\/v|Về việc)\s+(.+)$/iu.exec(line.clean)?.[1];
      return value ? suggest(line, value, 0.9) : undefined;
    }) ??
    (documentName && holderName ? { ...documentName, value: `${documentName.value} của ${holderName.value}`, confidence: Math.round(Math.min(documentName.confidence, holderName.confidence) * 0.5 * 100) / 100 } : null);

  const validUntil = first(lines, (line) => {
    const match = new RegExp(String.raw`(?:có giá trị (?:đến|tới)|hiệu lực (?:đến|tới)|có thời hạn (?:đến|tới))(?:\s*ngày)?\s*[:：]?\s*${DATE}`, 'iu').exec(line.clean);
    const value = match && isoDate(match[1]!, match[2]!, match[3]!);
    return value ? suggest(line, value, 1) : undefined;
  });

  const validityScope = first(lines, (line) => {
    const value = labelled(line, /phạm vi(?: hiệu lực| áp dụng)?/) ?? /(có giá trị (?:sử dụng )?(?:trên|trong) (?:phạm vi )?[^.,;]+)/iu.exec(line.clean)?.[1];
    return value ? suggest(line, value, 0.8) : undefined;
  });

  return { documentTypeCode, holderId, holderName, holderBornOn, documentName, numberSymbol, issuedOn, issuingAgency, synopsis, validUntil, validityScope };
}
