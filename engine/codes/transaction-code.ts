import { z } from 'zod';
import type { CivilDate } from '../calendar/index.ts';
import { isCalendarDate } from '../forms/formats.ts';
import { agencyCodeSchema, applicationNumberSchema } from './application-number.ts';
import { procedureCodeSchema } from './form-code.ts';

/**
 * Payment transaction codes and the payment order's content (Circular 01 Art. 27.3–27.5).
 *
 * The National Public Service Portal issues `G22.99.X-YYMMDDZZZZZZ` (Art. 27.4); an agency's own
 * information system may issue `<electronic identification code of the collecting agency>.X-YYMMDDZZZZZZ`
 * (Art. 27.5). Both share the tail: X the kind of revenue, YYMMDD the day the transaction arose
 * (in Vietnam), ZZZZZZ the ordinal of the transaction in that day.
 */

/** The kinds of revenue of Art. 27.4 and their digit X; `procedure-fees` (2) is what dossiers pay. */
export const REVENUE_KIND_DIGITS = {
  penalties: 1,
  'procedure-fees': 2,
  taxes: 3,
  'social-health-insurance': 4,
  electricity: 5,
  'hospital-fees': 6,
  'court-fees-advance': 7,
  'tuition-and-other': 8,
} as const;

export type RevenueKind = keyof typeof REVENUE_KIND_DIGITS;
export const revenueKindSchema = z.enum(Object.keys(REVENUE_KIND_DIGITS) as [RevenueKind, ...RevenueKind[]]);
const KIND_OF_DIGIT = new Map(Object.entries(REVENUE_KIND_DIGITS).map(([kind, digit]) => [digit as number, kind as RevenueKind]));

/** The issuer part of a code the Portal issues (Art. 27.4); shaped like an agency code, which is why it is reserved. */
export const PORTAL_ISSUER = 'G22.99';

/** ZZZZZZ is six digits, so a day has at most this many transactions per issuer. */
export const MAX_DAILY_ORDINAL = 999_999;

// The agency code's segments are greedy; the `.X-` that follows a code is found by backtracking.
const TRANSACTION_CODE = /^(?<issuer>[0-9A-Z]{1,4}(?:\.[0-9A-Z]{1,4}){1,5})\.(?<kind>[1-8])-(?<date>\d{6})(?<ordinal>\d{6})$/;
const PORTAL_TRANSACTION_CODE = /^G22\.99\.[1-8]-\d{12}$/;

function hasRealDay(code: string): boolean {
  const groups = TRANSACTION_CODE.exec(code)?.groups;
  if (!groups) return false;
  const date = groups.date!;
  return isCalendarDate(2000 + Number(date.slice(0, 2)), Number(date.slice(2, 4)), Number(date.slice(4, 6))) && Number(groups.ordinal) >= 1;
}

/** Either form: the Portal's (Art. 27.4) or an agency's (Art. 27.5). */
export const transactionCodeSchema = z
  .string()
  .regex(TRANSACTION_CODE, 'a transaction code such as G22.99.2-260115000042 or <agency code>.2-260115000042')
  .refine(hasRealDay, 'a transaction code whose YYMMDD is a day of the calendar and whose ordinal is at least 000001');

/** The Portal's form only, `G22.99.X-YYMMDDZZZZZZ` (Art. 27.4). */
export const portalTransactionCodeSchema = transactionCodeSchema.refine((code) => PORTAL_TRANSACTION_CODE.test(code), 'a transaction code of the Portal, G22.99.X-YYMMDDZZZZZZ');

/** An agency's form only, `<agency e-ID>.X-YYMMDDZZZZZZ` (Art. 27.5). */
export const agencyTransactionCodeSchema = transactionCodeSchema.refine((code) => !PORTAL_TRANSACTION_CODE.test(code), "a transaction code of an agency's own system, <agency code>.X-YYMMDDZZZZZZ");

export interface TransactionCode {
  /** `G22.99` for the Portal (Art. 27.4), else the collecting agency's electronic identification code (Art. 27.5). */
  issuer: string;
  kind: RevenueKind;
  /** The day the transaction arose, in Vietnam, YYYY-MM-DD. */
  arisenOn: CivilDate;
  ordinal: number;
}

export function makeTransactionCode({ issuer, kind, arisenOn, ordinal }: TransactionCode): string {
  agencyCodeSchema.parse(issuer);
  if (!Number.isInteger(ordinal) || ordinal < 1 || ordinal > MAX_DAILY_ORDINAL) throw new RangeError(`the ordinal must be an integer from 1 to ${MAX_DAILY_ORDINAL}, got ${ordinal}`);
  if (!/^20\d\d-\d\d-\d\d$/.test(arisenOn)) throw new RangeError(`the day must be YYYY-MM-DD in 2000–2099, got ${arisenOn}`);
  const yymmdd = arisenOn.slice(2, 4) + arisenOn.slice(5, 7) + arisenOn.slice(8, 10);
  return transactionCodeSchema.parse(`${issuer}.${REVENUE_KIND_DIGITS[revenueKindSchema.parse(kind)]}-${yymmdd}${String(ordinal).padStart(6, '0')}`);
}

export function parseTransactionCode(value: string): TransactionCode {
  const groups = TRANSACTION_CODE.exec(transactionCodeSchema.parse(value))!.groups!;
  const date = groups.date!;
  return {
    issuer: groups.issuer!,
    kind: KIND_OF_DIGIT.get(Number(groups.kind))!,
    arisenOn: `20${date.slice(0, 2)}-${date.slice(2, 4)}-${date.slice(4, 6)}`,
    ordinal: Number(groups.ordinal),
  };
}

/**
 * The CITAD code: the 8-digit code of the bank (branch) in the State Bank's interbank electronic
 * payment system, where the collecting account is held (Art. 27.1.l).
 */
export const citadCodeSchema = z.string().regex(/^\d{8}$/, 'a CITAD code of 8 digits');

/**
 * A fee, charge or fine code of the State Treasury's list (Art. 27.1.dd). The Circular does not
 * print the list's format; a code is taken as letters, digits, dots, hyphens and underscores, so
 * that it cannot contain the `+` that separates the parts of the content string.
 */
export const feeCodeSchema = z.string().regex(/^[0-9A-Za-z._-]{1,50}$/, 'a State Treasury fee code of letters, digits, dots, hyphens or underscores (at most 50)');

/** An amount receivable in đồng: a whole, positive number (the đồng has no subunit in use). */
export const amountVndSchema = z.number().int('a whole number of đồng').min(1, 'at least 1 đồng').max(Number.MAX_SAFE_INTEGER, 'an amount that fits');

/** The parts of a payment order's content (Art. 27.3); the revenue identifier is the dossier code. */
export const paymentContentSchema = z.object({
  transactionCode: transactionCodeSchema,
  revenueIdentifier: applicationNumberSchema,
  citadCode: citadCodeSchema,
  procedureCode: procedureCodeSchema,
  collectingAgencyCode: agencyCodeSchema,
  amountVnd: amountVndSchema,
  /** Absent when the State Treasury's list has no code for it: the transaction code stands in (Art. 27.1.dd). */
  feeCode: feeCodeSchema.optional(),
});

export type PaymentContent = z.infer<typeof paymentContentSchema>;

/**
 * The "Content" field of the payment order (Art. 27.3):
 * `<Transaction code>+<Revenue identifier>+<CITAD code>+<Administrative procedure code>+<Collecting agency code>+<Amount>+<Fee/charge/fine code>`.
 * The amount is written as its decimal digits alone (no thousands separator, no currency): the
 * article does not say, and the dots and commas of Vietnamese number writing would be ambiguous
 * beside the dotted codes. A missing fee code is replaced by the transaction code (Art. 27.1.dd).
 */
export function makePaymentContent(content: PaymentContent): string {
  const parts = paymentContentSchema.parse(content);
  return [parts.transactionCode, parts.revenueIdentifier, parts.citadCode, parts.procedureCode, parts.collectingAgencyCode, String(parts.amountVnd), parts.feeCode ?? parts.transactionCode].join('+');
}

/** Reads a content string back; a last part equal to the transaction code means the order had no fee code. */
export function parsePaymentContent(value: string): PaymentContent {
  const parts = value.split('+');
  if (parts.length !== 7) throw new RangeError(`a payment content has 7 parts joined by +, got ${parts.length}`);
  const [transactionCode, revenueIdentifier, citadCode, procedureCode, collectingAgencyCode, amount, feeCode] = parts as [string, string, string, string, string, string, string];
  if (!/^[1-9]\d*$/.test(amount)) throw new RangeError(`the amount of a payment content is written in digits without a leading zero, got ${JSON.stringify(amount)}`);
  return paymentContentSchema.parse({
    transactionCode,
    revenueIdentifier,
    citadCode,
    procedureCode,
    collectingAgencyCode,
    amountVnd: Number(amount),
    ...(feeCode === transactionCode ? {} : { feeCode }),
  });
}
