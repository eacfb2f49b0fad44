import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';

/**
 * The form-js forms of procedures, stored as immutable versions under their code
 * `<procedure code>.<symbol>` (Circular 01 Art. 22.3.b). Saving the same schema again makes no new
 * version; a dossier records the version it was filled with, so a later change of the form never
 * changes how an earlier dossier reads.
 */
export interface StoredForm {
  code: string;
  version: number;
  schema: Record<string, unknown>;
}

function checksum(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

export async function saveForm(db: Database | Knex.Transaction, code: string, schema: Record<string, unknown>, by: string): Promise<StoredForm & { created: boolean }> {
  const sum = checksum(schema);
  const run = async (trx: Knex.Transaction) => {
    // One writer per code at a time: two saves must not take the same version number.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`form:${code}`]);
    const latest = await trx('forms').where({ code }).orderBy('version', 'desc').first<{ version: number; checksum: string } | undefined>('version', 'checksum');
    if (latest?.checksum === sum) return { code, version: latest.version, schema, created: false };
    const version = (latest?.version ?? 0) + 1;
    await trx('forms').insert({ code, version, schema: JSON.stringify(schema), checksum: sum, created_by: by });
    return { code, version, schema, created: true };
  };
  return 'isTransaction' in db && db.isTransaction ? run(db as Knex.Transaction) : db.transaction(run);
}

export async function latestForm(db: Database | Knex.Transaction, code: string): Promise<StoredForm | undefined> {
  return db('forms').where({ code }).orderBy('version', 'desc').first<StoredForm | undefined>('code', 'version', 'schema');
}

export async function formVersion(db: Database | Knex.Transaction, code: string, version: number): Promise<StoredForm | undefined> {
  return db('forms').where({ code, version }).first<StoredForm | undefined>('code', 'version', 'schema');
}
