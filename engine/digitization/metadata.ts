import { z } from 'zod';
import { QuyTrinhError, type Bilingual, type ErrorDetail } from '../errors.ts';
import { documentTypeCodeSchema, holderIdSchema, makeDigitizationCode, numberSymbolSchema } from '../codes/digitization-code.ts';
import { readDate } from '../forms/formats.ts';

/**
 * The metadata of a digitized document (Circular 01 Art. 9.2, at least a–i), as the official
 * confirms or corrects it (Art. 9.1: typed by hand where OCR cannot read it). Dates are
 * YYYY-MM-DD (dd/mm/yyyy accepted on entry); optional fields are null when the document has none.
 */
export const METADATA_FIELDS = [
  'documentTypeCode',
  'holderId',
  'holderName',
  'holderBornOn',
  'documentName',
  'numberSymbol',
  'issuedOn',
  'issuingAgency',
  'synopsis',
  'validUntil',
  'validityScope',
] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

export interface DocumentMetadata {
  /** Art. 9.2.a. */
  documentTypeCode: string;
  /** Art. 9.2.b: the personal identification number or the organisation's code; null when the document has none. */
  holderId: string | null;
  /** Art. 9.2.b: the holder's full name (an organisation's name); required without holderId. */
  holderName: string | null;
  /** Art. 9.2.b: date of birth (YYYY-MM-DD) or an organisation's year of establishment (YYYY); required without holderId. */
  holderBornOn: string | null;
  /** Art. 9.2.c. */
  documentName: string;
  /** Art. 9.2.d. */
  numberSymbol: string;
  /** Art. 9.2.dd. */
  issuedOn: string;
  /** Art. 9.2.e. */
  issuingAgency: string;
  /** Art. 9.2.g. */
  synopsis: string;
  /** Art. 9.2.h, if any. */
  validUntil: string | null;
  /** Art. 9.2.i, if any. */
  validityScope: string | null;
}

/** A zod issue carrying its Vietnamese text beside zod's English one (as engine/forms/submission.ts does). */
const bilingual = (message: Bilingual) => ({ message: message.en, params: { vi: message.vi } });

const text = (max: number, name: Bilingual) =>
  z.string({ error: () => bilingual({ vi: `Cần nhập ${name.vi}`, en: `${name.en} is required` }) })
    .trim()
    .min(1, bilingual({ vi: `Cần nhập ${name.vi}`, en: `${name.en} is required` }))
    .max(max, bilingual({ vi: `${name.vi} dài tối đa ${max} ký tự`, en: `${name.en} is at most ${max} characters` }));

const optionalText = (max: number, name: Bilingual) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? null : value), text(max, name).nullable());

const date = (name: Bilingual) =>
  z.string({ error: () => bilingual({ vi: `Cần nhập ${name.vi}`, en: `${name.en} is required` }) }).transform((value, context) => {
    const read = readDate(value);
    if (read.ok) return read.value;
    context.addIssue({ code: 'custom', ...bilingual({ vi: `${name.vi}: ${read.message.vi}`, en: `${name.en}: ${read.message.en}` }) });
    return z.NEVER;
  });

const optionalDate = (name: Bilingual) => z.preprocess((value) => (value === '' ? null : value), date(name).nullable());

/** A date of birth, or an organisation's year of establishment (Art. 9.2.b). */
const bornOn = z.preprocess(
  (value) => (value === '' ? null : value),
  z
    .string()
    .transform((value, context) => {
      if (/^\d{4}$/.test(value.trim())) return value.trim();
      const read = readDate(value);
      if (read.ok) return read.value;
      context.addIssue({ code: 'custom', ...bilingual({ vi: `Ngày sinh (hoặc năm thành lập): ${read.message.vi}`, en: `Date of birth (or year of establishment): ${read.message.en}` }) });
      return z.NEVER;
    })
    .nullable(),
);

const pattern = <Schema extends z.ZodString>(schema: Schema, message: Bilingual) =>
  z.string({ error: () => bilingual(message) }).trim().refine((value) => schema.safeParse(value).success, bilingual(message));

export const metadataSchema = z
  .strictObject({
    documentTypeCode: pattern(documentTypeCodeSchema, { vi: 'Mã loại giấy tờ gồm chữ, số, - và _, các phần nối bằng dấu chấm, ví dụ GKS hoặc 1.001193.GKS', en: 'A document type code of letters, digits, - and _, parts joined by dots, such as GKS or 1.001193.GKS' }),
    holderId: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? null : typeof value === 'string' ? value.replace(/\s/g, '') : value),
      pattern(holderIdSchema, { vi: 'Số định danh cá nhân (12 chữ số) hoặc mã số của tổ chức (10 chữ số, hoặc 10-3)', en: 'A personal identification number (12 digits) or an organisation code (10 digits, or 10-3)' }).nullable(),
    ),
    holderName: optionalText(200, { vi: 'họ và tên (tên tổ chức)', en: 'The full name (organisation name)' }),
    holderBornOn: bornOn,
    documentName: text(300, { vi: 'tên giấy tờ', en: "The document's name" }),
    numberSymbol: z.preprocess(
      (value) => (typeof value === 'string' ? value.replace(/\s/g, '') : value),
      pattern(numberSymbolSchema, { vi: 'Số, ký hiệu gồm chữ, số, / và -, không có dấu cách hay dấu chấm, ví dụ 125/2024/KS', en: 'A number and symbol of letters, digits, / and -, without spaces or dots, such as 125/2024/KS' }),
    ),
    issuedOn: date({ vi: 'Ngày ban hành', en: 'The issue date' }),
    issuingAgency: text(300, { vi: 'cơ quan ban hành', en: 'The issuing agency' }),
    synopsis: text(1000, { vi: 'trích yếu nội dung', en: 'The synopsis' }),
    validUntil: optionalDate({ vi: 'Thời hạn hiệu lực', en: 'The end of validity' }),
    validityScope: optionalText(300, { vi: 'phạm vi hiệu lực', en: 'The scope of validity' }),
  })
  .superRefine((metadata, context) => {
    if (metadata.holderId === null && (metadata.holderName === null || metadata.holderBornOn === null)) {
      context.addIssue({
        code: 'custom',
        path: ['holderId'],
        ...bilingual({ vi: 'Không có số định danh thì phải có họ tên và ngày sinh (tổ chức: tên và năm thành lập) (Thông tư 01/2023 Điều 9.2.b)', en: 'Without an identification number, the full name and date of birth (an organisation: name and year of establishment) are required (Circular 01/2023 Art. 9.2.b)' }),
      });
    }
  });

/**
 * The metadata the official confirmed, or `digitization.metadata-invalid` (422) with one detail
 * per faulty field at `body.metadata.<field>`, in both languages.
 */
export function validateMetadata(input: unknown): DocumentMetadata {
  const parsed = metadataSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: `body.metadata.${key}`, message: 'Not a metadata field of Art. 9.2', messages: { vi: 'Không phải trường siêu dữ liệu của Điều 9.2', en: 'Not a metadata field of Art. 9.2' } }));
    const vi = (issue as { params?: { vi?: string } }).params?.vi ?? issue.message;
    return [{ field: ['body.metadata', ...issue.path.map(String)].join('.'), message: issue.message, messages: { vi, en: issue.message } }];
  });
  throw new QuyTrinhError('unprocessable', 'digitization.metadata-invalid', {
    vi: `Siêu dữ liệu có ${details.length} trường không hợp lệ (Thông tư 01/2023 Điều 9.2): ${details.map((detail) => detail.field).join(', ')}`,
    en: `The metadata has ${details.length} invalid field(s) (Circular 01/2023 Art. 9.2): ${details.map((detail) => detail.field).join(', ')}`,
  }, details);
}

/** The Art. 10 code of confirmed metadata. */
export function codeOf(metadata: DocumentMetadata): string {
  return makeDigitizationCode({
    holder: metadata.holderId !== null ? { id: metadata.holderId } : { name: metadata.holderName ?? '', bornOn: metadata.holderBornOn ?? '' },
    documentTypeCode: metadata.documentTypeCode,
    numberSymbol: metadata.numberSymbol,
  });
}
