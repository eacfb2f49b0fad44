import { z } from 'zod';
import { keyString, safeString } from '../http/input-limits.ts';

/**
 * The periods the indicators are counted over: Vietnam days (UTC+7 all year), both ends included,
 * by the time the system received the dossier (Decree 45 Art. 11.1).
 */
const isoDate = z.iso.date('a date as YYYY-MM-DD');

/** A Vietnam day's first instant. */
export const dayStart = (day: string): string => `${day}T00:00:00+07:00`;
export const dayAfter = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
/** The Vietnam day of an instant. */
export const vietnamDay = (at: Date): string => new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

export interface Period {
  from: string;
  to: string;
}

export const indicatorsQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** An agency code; officials may ask only their own. */
    agency: safeString(200).trim().min(1).optional(),
    /** A procedure: the deployed process key. */
    procedure: keyString.optional(),
    language: z.enum(['vi', 'en'], { error: 'vi or en' }).default('vi'),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, { path: ['to'], message: 'before `from`' });
export type IndicatorsQuery = z.output<typeof indicatorsQuery>;

/**
 * The half-yearly reporting periods of Decree 45 Art. 26.9 and 27.8: ministries and provinces
 * report on the progress and results of the Decree "before June 15 and December 15 of every
 * year". The Decree does not say where a period's figures stop. We read it with the Government's
 * reporting regime, Decree 09/2019/NĐ-CP Art. 12 (not in the seeds): a six-month report counts
 * from 15 December of the year before to 14 June, and the second from 15 June to 14 December, so
 * each report is due the day after its period closes.
 */
export function halfYear(year: number, half: 1 | 2): Period & { due: string } {
  return half === 1
    ? { from: `${year - 1}-12-15`, to: `${year}-06-14`, due: `${year}-06-15` }
    : { from: `${year}-06-15`, to: `${year}-12-14`, due: `${year}-12-15` };
}

/** The half-year whose period holds the day (15 December already counts toward the next year's first). */
export function halfYearOf(day: string): { year: number; half: 1 | 2 } {
  const year = Number(day.slice(0, 4));
  const monthDay = day.slice(5);
  if (monthDay >= '12-15') return { year: year + 1, half: 1 };
  if (monthDay >= '06-15') return { year, half: 2 };
  return { year, half: 1 };
}

export const halfYearQuery = z.object({
  year: z.coerce.number({ error: 'a year such as 2026' }).int('a year such as 2026').min(2020, 'from 2020 (Decree 45 came into force on 22 May 2020)').max(2100, 'a year such as 2026'),
  half: z.coerce.number({ error: '1 (report due 15 June) or 2 (due 15 December)' }).pipe(z.union([z.literal(1), z.literal(2)], { error: '1 (report due 15 June) or 2 (due 15 December)' })),
  agency: safeString(200).trim().min(1).optional(),
  language: z.enum(['vi', 'en'], { error: 'vi or en' }).default('vi'),
});
