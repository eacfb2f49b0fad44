import type { Knex } from 'knex';

/**
 * The verification of a dossier component's PDF signature, made when it was submitted (Decree 45
 * Art. 11.2.b; docs/dossiers.md "Signed components"): null for an image or an unsigned PDF.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossier_components', (table) => {
    table.jsonb('signature');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossier_components', (table) => {
    table.dropColumn('signature');
  });
}
