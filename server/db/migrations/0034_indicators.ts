import type { Knex } from 'knex';

/**
 * Issue 14, indicators (docs/indicators.md): the applicant's rating of a completed dossier — the
 * satisfaction group of Decision 766/QĐ-TTg, which Circular 01 Art. 32.2 makes the measure of the
 * quality of handling procedures — and the indexes the indicator queries read through.
 *
 * The indicators count the dossiers received in a period (Decree 45 Art. 11.1: `submitted_at`),
 * grouped by agency and procedure: a period alone, an agency's or a procedure's is a range of
 * migration 0027's and 0016's indexes; `dossiers_indicator_scope` is the range of one agency and
 * procedure. Each fact of a dossier is a look-up through an index led by the dossier: its notices
 * by kind need `notices_by_dossier_kind` (the others exist: user_tasks (instance_id),
 * dossier_results (dossier_id, n), digitizations_dossier_list, payment_transactions (dossier_id,
 * created_at), result_documents (result_id, state)).
 */
const INDEXES: ReadonlyArray<[name: string, definition: string]> = [
  ['dossiers_indicator_scope', 'dossiers (agency_code, procedure_key, submitted_at)'],
  ['notices_by_dossier_kind', 'notices (dossier_id, kind) where dossier_id is not null'],
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
