import type { Knex } from 'knex';

/** The daily sequence of application numbers of each agency (Decree 45 Art. 12.2.c: a number is given once and kept). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('application_number_sequences', (table) => {
    table.text('agency_code').notNullable();
    table.date('received_on').notNullable();
    table.integer('last_sequence').notNullable();
    table.primary(['agency_code', 'received_on']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('application_number_sequences');
}
