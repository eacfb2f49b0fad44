import type { Knex } from 'knex';

/**
 * An instance started by a message or a timer records the message's or the timer job's id as the
 * id of its start event; unique, so a redelivered message or a re-run timer job can never start a
 * second instance, even when two arrive at once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create unique index instance_history_unique_triggered_start on instance_history (event_id) where event_type = 'start' and event_id <> 'start'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index instance_history_unique_triggered_start');
}
