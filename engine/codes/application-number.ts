import { z } from 'zod';

/**
 * The application (dossier) number, "mã hồ sơ": the agency's code in the national catalogue of
 * agency codes, the receipt date as yymmdd, and a four-digit sequence of that agency on that day,
 * e.g. `000.00.01.H01-250310-0001`. It is given once, at receipt, and never changes, not even
 * when the application is amended (Decree 45 Art. 12.2.c).
 */
export const agencyCodeSchema = z.string().regex(/^[0-9A-Z]{1,4}(\.[0-9A-Z]{1,4}){1,5}$/, 'an agency code such as 000.00.01.H01');

const APPLICATION_NUMBER = /^(?<agency>[0-9A-Z]{1,4}(?:\.[0-9A-Z]{1,4}){1,5})-(?<date>\d{6})-(?<sequence>\d{4,})$/;

export const applicationNumberSchema = z.string().regex(APPLICATION_NUMBER, 'an application number such as 000.00.01.H01-250310-0001');

export interface ApplicationNumber {
  agencyCode: string;
  /** The receipt date in Vietnam, YYYY-MM-DD. */
  receivedOn: string;
  sequence: number;
}

export function makeApplicationNumber({ agencyCode, receivedOn, sequence }: ApplicationNumber): string {
  agencyCodeSchema.parse(agencyCode);
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  const yymmdd = receivedOn.slice(2, 4) + receivedOn.slice(5, 7) + receivedOn.slice(8, 10);
  return `${agencyCode}-${yymmdd}-${String(sequence).padStart(4, '0')}`;
}

export function parseApplicationNumber(value: string): ApplicationNumber {
  const groups = APPLICATION_NUMBER.exec(applicationNumberSchema.parse(value))!.groups!;
  const date = groups.date!;
  return { agencyCode: groups.agency!, receivedOn: `20${date.slice(0, 2)}-${date.slice(2, 4)}-${date.slice(4, 6)}`, sequence: Number(groups.sequence) };
}

/** The code of the n-th result of an application (Decree 45 Art. 14.3.d: `<application number>-KQ(n)`). */
export function makeResultCode(applicationNumber: string, n: number): string {
  applicationNumberSchema.parse(applicationNumber);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`the result number must be a positive integer, got ${n}`);
  return `${applicationNumber}-KQ${n}`;
}
