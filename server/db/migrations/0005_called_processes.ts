import type { Knex } from 'knex';

/** A call activity's instance knows the instance and element that called it (Circular 01 Art. 16.4: inter-connected procedures). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_instances', (table) => {
    table.uuid('parent_instance_id').references('id').inTable('process_instances');
    table.text('parent_element_id');
    table.index(['parent_instance_id', 'parent_element_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_instances', (table) => {
    table.dropColumn('parent_element_id');
    table.dropColumn('parent_instance_id');
  });
}
