import type { Knex } from 'knex';

/**
 * Procedure models drawn in the designer. Every save is a new immutable version (who, when,
 * a comment) so an earlier drawing can always be opened again; the as-is/to-be pair of a
 * procedure is Circular 01 Art. 16–17's before and after.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('procedure_models', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('name').notNullable();
    table.text('stage').notNullable().checkIn(['as-is', 'to-be']);
    table.integer('latest_version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('procedure_model_versions', (table) => {
    table.uuid('model_id').notNullable().references('id').inTable('procedure_models').onDelete('CASCADE');
    table.integer('version').notNullable();
    table.text('xml').notNullable();
    table.text('comment').notNullable().defaultTo('');
    table.text('author').notNullable().defaultTo('');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['model_id', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('procedure_model_versions');
  await knex.schema.dropTable('procedure_models');
}
