import type { Knex } from 'knex';

/**
 * The compiler version that compiled each definition (engine/compile/compiler-version.ts): its
 * instances' snapshots are in that version's shape. Every definition deployed before the version
 * was recorded is version 1, the first; a row inserted without one is too.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_definitions', (table) => {
    table.integer('compiler_version').notNullable().defaultTo(1);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_definitions', (table) => {
    table.dropColumn('compiler_version');
  });
}
