import type { Knex } from 'knex';

/**
 * The job-queue pools of live server processes. Each process holds a session advisory lock
 * (`liveness_lock`) for as long as it lives; a pool whose lock is free belongs to a process that
 * died (SIGKILL, power cut), and the jobs it had claimed are unlocked for the others at once,
 * instead of after graphile-worker's four-hour timeout.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('job_runners', (table) => {
    table.text('pool_id').primary();
    table.bigInteger('liveness_lock').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['liveness_lock']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('job_runners');
}
