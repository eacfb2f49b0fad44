import type { Knex } from 'knex';

/**
 * Each agency's office hours and working weekdays (issue 3: working time is configurable per
 * agency). An agency is the lane a step lies in (Circular 01 Art. 16.3.b); one without a row works
 * the default calendar (Mon–Fri 08:00–12:00, 13:00–17:00). Holidays are the nation's for all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agency_calendars', (table) => {
    table.text('agency').primary();
    table.jsonb('office_hours').notNullable();
    table.specificType('working_weekdays', 'integer[]').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('agency_calendars');
}
