import type { Knex } from 'knex';

/**
 * A child instance started by one instance of a multi-instance activity knows which (its index),
 * and a run of a parallel multi-instance sub-process knows the sub-process whose inside it runs
 * (engine/compile: CompiledProcess.runs); it belongs to its caller's definition.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_instances', (table) => {
    table.integer('parent_multi_index');
    table.text('scope_element_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_instances', (table) => {
    table.dropColumn('scope_element_id');
    table.dropColumn('parent_multi_index');
  });
}
