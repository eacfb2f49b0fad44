import { z } from 'zod';
import { agencyCodeSchema, applicationNumberSchema } from '../codes/application-number.ts';
import { procedureCodeSchema } from '../codes/form-code.ts';
import { amountVndSchema, citadCodeSchema, feeCodeSchema } from '../codes/transaction-code.ts';
import { QuyTrinhError, type Bilingual, type ErrorDetail } from '../errors.ts';
import { readIdNumber, readTaxId } from '../forms/formats.ts';

/**
 * The revenue data of a payment request (Circular 01 Art. 27.1 a–o; Art. 27.2: every payment
 * document carries all of it) and the collection settings an agency administers (its account,
 * CITAD code and the State Treasury's fee codes of its procedures), from which most of it comes.
 */

const text = z.string().trim().min(1).max(500);

/** A collecting account at a bank or the State Treasury (Art. 27.1.m): digits and letters, Treasury accounts also dots and hyphens. */
const accountNumberSchema = z.string().regex(/^[0-9A-Z](?:[0-9A-Z.-]{2,32}[0-9A-Z])$/, 'an account number of 4 to 34 digits, capital letters, dots or hyphens');

/**
 * The payer's tax identification number (Art. 27.1.k): an organisation's 10 digits (or 10-3 for a
 * branch), or an individual's personal identification number, which serves as the tax ID of
 * individuals from 1 July 2025 (Circular 86/2024/TT-BTC Art. 5).
 */
const payerTaxIdSchema = z.string().refine((value) => readTaxId(value).ok || readIdNumber(value).ok, 'a tax ID of 10 digits (10-3 for a branch) or a 12-digit personal identification number');

/** Other fields a sector prescribes (Art. 27.1.o): a flat record of short values. */
const sectorFieldsSchema = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.union([z.string().max(500), z.number(), z.boolean()]));

export const revenueSchema = z.strictObject({
  /** a) the dossier code, unique nationwide (Decree 45 Art. 12.2.c). */
  revenueIdentifier: applicationNumberSchema,
  /** b) the collecting agency's electronic identification code. */
  collectingAgencyCode: agencyCodeSchema,
  /** c) */
  collectingAgencyName: text,
  /** d) the procedure's code on the National Database (or the catalogue's local stand-in until it is known). */
  procedureCode: procedureCodeSchema,
  /** dd) the State Treasury's code; absent when the list has none, and the transaction code stands in. */
  feeCode: feeCodeSchema.optional(),
  /** e) */
  amountVnd: amountVndSchema,
  /** g) fees and charges are collected in đồng. */
  currency: z.literal('VND'),
  /** h) */
  payerName: text,
  /** i) if any. */
  paymentDeadline: z.iso.datetime({ offset: true }).optional(),
  /** k) if any. */
  payerTaxId: payerTaxIdSchema.optional(),
  /** l) */
  citadCode: citadCodeSchema,
  /** m) */
  accountNumber: accountNumberSchema,
  /** n) */
  accountName: text,
  /** o) */
  sectorFields: sectorFieldsSchema.default({}),
});

export type Revenue = z.infer<typeof revenueSchema>;

const feeCodeEntrySchema = z.strictObject({
  procedureCode: procedureCodeSchema,
  feeCode: feeCodeSchema,
  /** What the code collects, as the State Treasury's list names it. */
  name: text.optional(),
});

/** What an agency administers to collect online (Art. 27.1 b, c, l, m, n, dd; Art. 27.5). */
export const collectionSettingsSchema = z
  .strictObject({
    agencyCode: agencyCodeSchema,
    agencyName: text,
    accountNumber: accountNumberSchema,
    accountName: text,
    citadCode: citadCodeSchema,
    /** The bank or State Treasury office holding the account, as shown to the payer. */
    bankName: text,
    /** Art. 27.5: the agency's system issues `<agency code>.X-YYMMDDZZZZZZ` instead of the Portal's G22.99 codes. */
    issuesOwnTransactionCodes: z.boolean().default(false),
    feeCodes: z.array(feeCodeEntrySchema).max(1000).default([]),
  })
  .superRefine((settings, context) => {
    const seen = new Set<string>();
    settings.feeCodes.forEach((entry, index) => {
      if (seen.has(entry.procedureCode)) context.addIssue({ code: 'custom', path: ['feeCodes', index, 'procedureCode'], message: `procedure ${entry.procedureCode} has a fee code already` });
      seen.add(entry.procedureCode);
    });
  });

export type CollectionSettings = z.infer<typeof collectionSettingsSchema>;

/** What each field must be, in both languages: the text of every error about it. */
const FIELD_TEXT: Record<string, Bilingual> = {
  revenueIdentifier: { vi: 'Mã định danh khoản thu là mã hồ sơ, ví dụ 000.00.01.H01-250310-0001', en: 'The revenue identifier is the dossier code, e.g. 000.00.01.H01-250310-0001' },
  collectingAgencyCode: { vi: 'Mã cơ quan thu là mã định danh điện tử của cơ quan, ví dụ 000.00.01.H01', en: "The collecting agency code is the agency's electronic identification code, e.g. 000.00.01.H01" },
  agencyCode: { vi: 'Mã cơ quan là mã định danh điện tử của cơ quan, ví dụ 000.00.01.H01', en: "The agency code is the agency's electronic identification code, e.g. 000.00.01.H01" },
  collectingAgencyName: { vi: 'Cần tên cơ quan thu (tối đa 500 ký tự)', en: "The collecting agency's name is required (at most 500 characters)" },
  agencyName: { vi: 'Cần tên cơ quan (tối đa 500 ký tự)', en: "The agency's name is required (at most 500 characters)" },
  procedureCode: { vi: 'Mã thủ tục hành chính theo Cơ sở dữ liệu quốc gia, ví dụ 1.001193', en: 'The procedure code of the National Database, e.g. 1.001193' },
  feeCode: { vi: 'Mã phí, lệ phí theo danh mục của Kho bạc Nhà nước: chữ, số, dấu chấm, gạch ngang hoặc gạch dưới, tối đa 50 ký tự', en: "A fee code of the State Treasury's list: letters, digits, dots, hyphens or underscores, at most 50" },
  amountVnd: { vi: 'Số tiền phải nộp là số nguyên đồng, ít nhất 1 đ', en: 'The amount is a whole number of đồng, at least 1' },
  currency: { vi: 'Loại tiền phải nộp là VND', en: 'The currency is VND' },
  payerName: { vi: 'Cần tên tổ chức, cá nhân có nghĩa vụ nộp (tối đa 500 ký tự)', en: 'The name of the person or organisation who pays is required (at most 500 characters)' },
  paymentDeadline: { vi: 'Thời hạn nộp là thời điểm ISO 8601 có múi giờ, ví dụ 2026-01-15T17:00:00+07:00', en: 'The payment deadline is an ISO 8601 time with its offset, e.g. 2026-01-15T17:00:00+07:00' },
  payerTaxId: { vi: 'Mã số thuế gồm 10 chữ số (10 chữ số-3 chữ số cho đơn vị phụ thuộc) hoặc số định danh cá nhân 12 chữ số', en: 'A tax ID has 10 digits (10-3 for a branch) or is a 12-digit personal identification number' },
  citadCode: { vi: 'Mã CITAD gồm đúng 8 chữ số', en: 'A CITAD code has exactly 8 digits' },
  accountNumber: { vi: 'Số tài khoản gồm 4 đến 34 chữ số, chữ in hoa, dấu chấm hoặc gạch ngang', en: 'An account number has 4 to 34 digits, capital letters, dots or hyphens' },
  accountName: { vi: 'Cần tên tài khoản của cơ quan thu (tối đa 500 ký tự)', en: "The collecting account's name is required (at most 500 characters)" },
  bankName: { vi: 'Cần tên ngân hàng hoặc Kho bạc nơi mở tài khoản (tối đa 500 ký tự)', en: 'The bank or State Treasury office holding the account is required (at most 500 characters)' },
  sectorFields: { vi: 'Thông tin khác theo ngành: tên trường bằng chữ Latinh, giá trị là chuỗi (tối đa 500 ký tự), số hoặc đúng/sai', en: 'Sector fields: Latin-letter names, values that are text (at most 500 characters), numbers or true/false' },
  issuesOwnTransactionCodes: { vi: 'Tự cấp mã giao dịch là đúng hoặc sai', en: 'Issuing own transaction codes is true or false' },
  feeCodes: { vi: 'Mỗi thủ tục có một mã phí, lệ phí (mã thủ tục, mã phí, tên)', en: 'Each procedure has one fee code (procedure code, fee code, name)' },
};

const UNKNOWN_FIELD: Bilingual = { vi: 'Không có trường này', en: 'No such field' };

function details(error: z.ZodError, part: string): ErrorDetail[] {
  return error.issues.map((issue) => {
    // An unknown key is reported on the object with the key named; the rest on their field.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    const path = [part, ...issue.path.map(String)];
    const field = issue.path[0] === undefined ? undefined : String(issue.path[0]);
    const messages = issue.code === 'unrecognized_keys' ? UNKNOWN_FIELD : FIELD_TEXT[field ?? ''];
    return keys.map((key) => ({
      field: key === undefined ? path.join('.') : [...path, key].join('.'),
      message: messages ? `${messages.en} (${issue.message})` : issue.message,
      ...(messages ? { messages } : {}),
    }));
  }).flat();
}

function parseOrRefuse<Schema extends z.ZodType>(schema: Schema, value: unknown, part: string, code: string, what: Bilingual): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const found = details(parsed.error, part);
  const fields = [...new Set(found.map((detail) => detail.field))].join(', ');
  throw new QuyTrinhError('invalid-input', code, { vi: `${what.vi} không hợp lệ ở: ${fields}`, en: `Invalid ${what.en} at: ${fields}` }, found);
}

/** The revenue data of a payment request, or `payment.revenue-invalid` naming every faulty field. */
export function parseRevenue(value: unknown, part = 'revenue'): Revenue {
  return parseOrRefuse(revenueSchema, value, part, 'payment.revenue-invalid', { vi: 'Dữ liệu khoản thu', en: 'revenue data' });
}

/** An agency's collection settings, or `payment.settings-invalid` naming every faulty field. */
export function parseCollectionSettings(value: unknown, part = 'body'): CollectionSettings {
  return parseOrRefuse(collectionSettingsSchema, value, part, 'payment.settings-invalid', { vi: 'Thiết lập thu phí', en: 'collection settings' });
}

/** What the dossier side supplies for one payable step; the rest comes from the agency's settings. */
export interface RevenueRequest {
  revenueIdentifier: string;
  procedureCode: string;
  amountVnd: number;
  payerName: string;
  payerTaxId?: string | undefined;
  paymentDeadline?: string | undefined;
  sectorFields?: Record<string, string | number | boolean> | undefined;
}

/**
 * The revenue data of a request to the agency whose settings are given: the agency's code, name,
 * account and CITAD code, and the fee code the agency set for the procedure, if any (Art. 27.1.dd).
 */
export function revenueFromSettings(settings: CollectionSettings, request: RevenueRequest): Revenue {
  const feeCode = settings.feeCodes.find((entry) => entry.procedureCode === request.procedureCode)?.feeCode;
  return parseRevenue({
    revenueIdentifier: request.revenueIdentifier,
    collectingAgencyCode: settings.agencyCode,
    collectingAgencyName: settings.agencyName,
    procedureCode: request.procedureCode,
    ...(feeCode === undefined ? {} : { feeCode }),
    amountVnd: request.amountVnd,
    currency: 'VND',
    payerName: request.payerName,
    ...(request.paymentDeadline === undefined ? {} : { paymentDeadline: request.paymentDeadline }),
    ...(request.payerTaxId === undefined ? {} : { payerTaxId: request.payerTaxId }),
    citadCode: settings.citadCode,
    accountNumber: settings.accountNumber,
    accountName: settings.accountName,
    sectorFields: request.sectorFields ?? {},
  });
}
