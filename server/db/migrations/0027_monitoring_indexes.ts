import type { Knex } from 'knex';

/**
 * Issue 14, monitoring (docs/monitoring.md): the search over dossiers and instances is paged by
 * keyset (server/http/pagination.ts), newest first, and each index below is one of its orders
 * behind one filter's equality, so a page is a range scan that stops after `limit` rows however
 * many of a million rows match. A dossier search runs in the order of the time the system received
 * it (Decree 45 Art. 11.1), an instance search in the order instances started (migration 0015's
 * `process_instances_list*`). The applicant's name is found by any part of it, which a trigram
 * index answers (pg_trgm, shipped with PostgreSQL and the embedded binaries). The procedure view
 * counts the active instances of a procedure's versions: a partial index of the active ones.
 */
const INDEXES: ReadonlyArray<[name: string, definition: string]> = [
  ['dossiers_monitor_list', 'dossiers (submitted_at, id)'],
  ['dossiers_monitor_by_status', 'dossiers (status, submitted_at, id)'],
  ['dossiers_monitor_by_procedure', 'dossiers (procedure_key, submitted_at, id)'],
  ['dossiers_monitor_by_applicant_id', 'dossiers (applicant_id, submitted_at, id)'],
  ['dossiers_monitor_by_agency_status', 'dossiers (agency_code, status, submitted_at, id)'],
  ['dossiers_monitor_applicant_name', 'dossiers using gin (applicant_name gin_trgm_ops)'],
  ['process_instances_list_by_business_key', 'process_instances (business_key, started_at, id)'],
  ['process_instances_active_by_definition', `process_instances (definition_id) where status = 'active'`],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists pg_trgm');
  for (const [name, definition] of INDEXES) await knex.raw(`create index ${name} on ${definition}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of INDEXES) await knex.raw(`drop index ${name}`);
}
