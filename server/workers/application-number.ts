import type { Knex } from 'knex';
import { vietnamDateOf } from '../../engine/calendar/index.ts';
import { agencyCodeSchema, makeApplicationNumber } from '../../engine/codes/application-number.ts';
import { BusinessError, type JobContext } from './job-context.ts';

/**
 * `dossier.number`: gives the application its number from the agency's daily sequence, at
 * receipt. An application that already has one (it was returned for amendment and received
 * again) keeps it (Decree 45 Art. 12.2.c).
 */
export async function assignApplicationNumber({ trx, variables, now }: JobContext): Promise<Record<string, unknown>> {
  if (typeof variables.applicationNumber === 'string') return {};
  const agency = agencyCodeSchema.safeParse(variables.agencyCode);
  if (!agency.success) {
    throw new BusinessError('AGENCY_CODE_INVALID', `variable agencyCode must be an agency code such as 000.00.01.H01, got ${JSON.stringify(variables.agencyCode)}`);
  }
  return { applicationNumber: await nextApplicationNumber(trx, agency.data, now), receivedAt: now.toISOString() };
}

/** The next number of the agency's daily sequence (the day in Vietnam), gap-free and unique under concurrency. */
export async function nextApplicationNumber(trx: Knex.Transaction, agencyCode: string, now: Date): Promise<string> {
  const receivedOn = vietnamDateOf(now);
  const { rows } = await trx.raw<{ rows: Array<{ last_sequence: number }> }>(
    `insert into application_number_sequences (agency_code, received_on, last_sequence) values (?, ?, 1)
     on conflict (agency_code, received_on) do update set last_sequence = application_number_sequences.last_sequence + 1
     returning last_sequence`,
    [agencyCode, receivedOn],
  );
  return makeApplicationNumber({ agencyCode, receivedOn, sequence: rows[0]!.last_sequence });
}
