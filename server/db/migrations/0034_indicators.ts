import type { Knex } from 'knex';

/**
 * Issue 14, indicators (docs/indicators.md): the applicant's rating of a completed dossier — the
 * satisfaction group of Decision 766/QĐ-TTg, which Circular 01 Art. 32.2 makes the measure of the
 * quality of handling procedures — and the indexes the indicator queries read through.
 *
 * The indicators count the dossiers an agency received in a period (Decree 45 Art. 11.1:
 * `submitted_at`) grouped by agency and procedure: `dossiers_indicator_scope` answers the range of
 * one agency and procedure with the columns the counts read, so the scan never visits a dossier of
 * another agency, procedure or period. Each count's look-up of a dossier's notices, results and
 * payments goes through an index led by the dossier.
 */
const INDEXES: ReadonlyArray<[name: string, definition: string]> = [
  ['dossiers_indicator_scope', 'dossiers (agency_code, procedure_key, submitted_at) include (id, instance_id, status, received_at, amendment_requested_at, receipt_due_at, ended_at)'],
  ['dossiers_indicator_period', 'dossiers (submitted_at) include (id, instance_id, agency_code, procedure_key, status, received_at, amendment_requested_at, receipt_due_at, ended_at)'],
  ['notices_by_dossier_kind', 'notices (dossier_id, kind) where dossier_id is not null'],
  ['dossier_results_by_dossier', 'dossier_results (dossier_id) include (id)'],
  ['user_tasks_late_by_instance', 'user_tasks (instance_id) where due_at is not null'],
  ['digitizations_confirmed_by_dossier', `digitizations (dossier_id) where status = 'confirmed'`],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dossier_ratings', (table) => {
    /** One rating per dossier, given once by its applicant (docs/indicators.md). */
    table.uuid('dossier_id').primary().references('id').inTable('dossiers').onDelete('CASCADE');
    table.uuid('account_id').notNullable().references('id').inTable('accounts');
    /** 1 (very dissatisfied) to 5 (very satisfied). */
    table.smallint('score').notNullable().checkBetween([1, 5]);
    table.text('comment');
    table.timestamp('rated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  for (const [name, definition] of INDEXES) await knex.raw(`create index ${name} on ${definition}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of INDEXES) await knex.raw(`drop index ${name}`);
  await knex.schema.dropTable('dossier_ratings');
}
