import type { Knex } from 'knex';

/**
 * Migration 0002's single-column index on `process_instances.business_key` is a prefix of 0027's
 * `process_instances_list_by_business_key (business_key, started_at, id)`, which answers every
 * look-up by business key as well and also the monitoring search's keyset pages (docs/monitoring.md).
 * Two indexes on one key cost every instance insert a second write, and with equal estimates the
 * planner chose either, so the search's plan depended on statistics.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists process_instances_business_key_index');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('create index process_instances_business_key_index on process_instances (business_key)');
}
