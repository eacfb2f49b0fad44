import type { Knex } from 'knex';

/**
 * The e-data store (issue 12, docs/datastore.md; Circular 01 Art. 24, Decree 45 Art. 16): a
 * component given from the store instead of an upload (Decree 45 Art. 16.4) keeps a link to the
 * digitized document it was copied from; the store's documents are read by owner and name.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossier_components', (table) => {
    table.uuid('stored_from').references('id').inTable('digitizations').onDelete('SET NULL');
  });
  await knex.raw("create index digitizations_confirmed_store on digitizations (dossier_id, confirmed_at desc, id desc) where status = 'confirmed'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index digitizations_confirmed_store');
  await knex.schema.alterTable('dossier_components', (table) => table.dropColumn('stored_from'));
}
