import type { Knex } from 'knex';

/**
 * An incident can stand for a queue job that failed on its last attempt (a timer, or a call's
 * outcome on its way back to the caller): its graphile-worker job id, so that retrying the
 * incident runs that same job again, under the same event id.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('incidents', (table) => {
    table.bigInteger('queue_job_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('incidents', (table) => {
    table.dropColumn('queue_job_id');
  });
}
