import type { Knex } from 'knex';
import { parseCollectionSettings, type CollectionSettings } from '../../engine/payments/revenue.ts';
import type { Database } from '../db/connect.ts';

/**
 * An agency's collection settings (Circular 01 Art. 27.1 b, c, dd, l, m, n; Art. 27.5), validated
 * by `parseCollectionSettings` on the way in and out, so a row written by hand that no longer
 * passes is reported rather than used to build a payment.
 */

interface SettingsRow {
  agency_code: string;
  agency_name: string;
  account_number: string;
  account_name: string;
  citad_code: string;
  bank_name: string;
  issues_own_transaction_codes: boolean;
}

/** Replaces the agency's settings and fee codes with `value`, or refuses it (`payment.settings-invalid`, 400). */
export async function saveCollectionSettings(trx: Knex.Transaction, value: unknown, by: string): Promise<CollectionSettings> {
  const settings = parseCollectionSettings(value);
  await trx('payment_collection_settings')
    .insert({
      agency_code: settings.agencyCode,
      agency_name: settings.agencyName,
      account_number: settings.accountNumber,
      account_name: settings.accountName,
      citad_code: settings.citadCode,
      bank_name: settings.bankName,
      issues_own_transaction_codes: settings.issuesOwnTransactionCodes,
      updated_at: trx.fn.now(),
      updated_by: by,
    })
    .onConflict('agency_code')
    .merge();
  await trx('payment_fee_codes').where({ agency_code: settings.agencyCode }).delete();
  if (settings.feeCodes.length > 0) {
    await trx('payment_fee_codes').insert(settings.feeCodes.map((entry) => ({ agency_code: settings.agencyCode, procedure_code: entry.procedureCode, fee_code: entry.feeCode, name: entry.name ?? null })));
  }
  return settings;
}

export async function loadCollectionSettings(db: Database | Knex.Transaction, agencyCode: string): Promise<CollectionSettings | undefined> {
  const row = await db<SettingsRow>('payment_collection_settings').where({ agency_code: agencyCode }).first();
  if (!row) return undefined;
  const feeCodes = await db('payment_fee_codes').where({ agency_code: agencyCode }).orderBy('procedure_code').select<Array<{ procedure_code: string; fee_code: string; name: string | null }>>('procedure_code', 'fee_code', 'name');
  return parseCollectionSettings({
    agencyCode: row.agency_code,
    agencyName: row.agency_name,
    accountNumber: row.account_number,
    accountName: row.account_name,
    citadCode: row.citad_code,
    bankName: row.bank_name,
    issuesOwnTransactionCodes: row.issues_own_transaction_codes,
    feeCodes: feeCodes.map((entry) => ({ procedureCode: entry.procedure_code, feeCode: entry.fee_code, ...(entry.name === null ? {} : { name: entry.name }) })),
  }, 'stored');
}
