import type { Knex } from 'knex';

/**
 * The test run of each online public service after its disclosure (issue 14; Circular 01/2023
 * Art. 20, docs/service-test-runs.md): one current publication per procedure key, with its
 * 05-working-day due time and the test the agency recorded. A publication is stopped when its due
 * time passes with no test (Art. 20.3): derived when read, so it stops on time without a job.
 * A republication ends the current one (`superseded_at`) and opens a new period.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service_publications', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('definition_key').notNullable();
    table.text('procedure_code').notNullable();
    table.text('procedure_name').notNullable();
    table.timestamp('published_at', { useTz: true }).notNullable();
    /** `deployment` for the deployment that opened the service, else `account:<username>`. */
    table.text('published_by').notNullable();
    table.timestamp('due_at', { useTz: true }).notNullable();
    table.timestamp('tested_at', { useTz: true });
    table.text('tested_by');
    table.jsonb('test_record');
    table.timestamp('superseded_at', { useTz: true });
    table.check('(tested_at is null) = (test_record is null)', [], 'service_publications_test_complete');
  });
  await knex.raw('create unique index service_publications_current on service_publications (definition_key) where superseded_at is null');
  await knex.raw('create index service_publications_list on service_publications (published_at desc, id desc) where superseded_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_publications');
}
