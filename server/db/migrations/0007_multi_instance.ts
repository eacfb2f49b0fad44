import type { Knex } from 'knex';

/** One task or job per instance of a multi-instance activity: its index and item (e.g. the agency to consult). */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['user_tasks', 'service_jobs']) {
    await knex.schema.alterTable(table, (builder) => {
      builder.integer('multi_index');
      builder.jsonb('item');
    });
  }
  await knex.raw('drop index user_tasks_one_open');
  await knex.raw(`create unique index user_tasks_one_open on user_tasks (instance_id, element_id, coalesce(multi_index, -1)) where status = 'open'`);
  await knex.raw('drop index service_jobs_one_open');
  await knex.raw(`create unique index service_jobs_one_open on service_jobs (instance_id, element_id, coalesce(multi_index, -1)) where status = 'open'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index user_tasks_one_open');
  await knex.raw('drop index service_jobs_one_open');
  for (const table of ['user_tasks', 'service_jobs']) {
    await knex.schema.alterTable(table, (builder) => {
      builder.dropColumn('multi_index');
      builder.dropColumn('item');
    });
  }
  await knex.raw(`create unique index user_tasks_one_open on user_tasks (instance_id, element_id) where status = 'open'`);
  await knex.raw(`create unique index service_jobs_one_open on service_jobs (instance_id, element_id) where status = 'open'`);
}
