import type { Knex } from 'knex';

/**
 * Issue 14, calibration (docs/calibration.md): each calibration of a deployed procedure from its
 * history, the model version it stored (procedure_model_versions, written through server/models),
 * the period and the number of dossiers measured, the figures with their sample sizes, and the
 * dossiers that did not follow the model (the conformance list, paged by keyset on (calibration, id)).
 * The history is read through migration 0015's `process_instances_list_by_definition`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('model_calibrations', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('procedure_key').notNullable();
    table.integer('definition_version').notNullable();
    table.uuid('model_id').notNullable();
    table.integer('model_version').notNullable();
    table.foreign(['model_id', 'model_version']).references(['model_id', 'version']).inTable('procedure_model_versions').onDelete('CASCADE');
    table.date('period_from').notNullable();
    table.date('period_to').notNullable();
    table.integer('dossiers').notNullable();
    table.integer('excluded').notNullable();
    /** The measures (steps, branches, loops with their sample sizes) and the predicted and as-executed figures. */
    table.jsonb('figures').notNullable();
    table.text('author').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['procedure_key', 'created_at']);
  });
  await knex.schema.createTable('calibration_nonconforming', (table) => {
    table.bigIncrements('id');
    table.uuid('calibration_id').notNullable().references('id').inTable('model_calibrations').onDelete('CASCADE');
    table.uuid('instance_id').notNullable();
    table.text('dossier_code');
    table.jsonb('deviations').notNullable();
    table.index(['calibration_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('calibration_nonconforming');
  await knex.schema.dropTable('model_calibrations');
}
