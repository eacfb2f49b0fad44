import type { Knex } from 'knex';

/**
 * Signals across instances (BPMN 2.0 §10.5.6, issue 15; server/execution/signals.ts).
 *
 * `signal_subscriptions`: the elements of running instances waiting for a signal from outside
 * (intermediate catches, boundary events, event sub-process starts), written and removed with
 * the steps that arm and leave them, as message subscriptions are. `subscribed_at` lets a
 * broadcast reach only those waiting when it was thrown (a signal is not kept for later).
 *
 * `signals`: one row per signal thrown (by an instance's throw event, or `POST /api/signals`),
 * written with the throw; a job then carries it to every subscriber, a page at a time, and
 * counts what it reached. A sender's id (`sender_id`) makes a resend of the same signal name
 * and id a duplicate that delivers nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signal_subscriptions', (table) => {
    table.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    table.text('element_id').notNullable();
    table.text('signal_name').notNullable();
    table.timestamp('subscribed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['instance_id', 'element_id']);
    // A broadcast walks the subscribers of one name in instance order, a page at a time.
    table.index(['signal_name', 'instance_id']);
  });
  await knex.schema.createTable('signals', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('name').notNullable();
    table.text('sender_id');
    table.jsonb('variables');
    table.uuid('source_instance_id').references('id').inTable('process_instances').onDelete('SET NULL');
    table.text('source_element_id');
    table.text('thrown_by');
    table.timestamp('thrown_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.integer('delivered').notNullable().defaultTo(0);
    table.integer('started').notNullable().defaultTo(0);
    table.timestamp('finished_at', { useTz: true });
    table.unique(['name', 'sender_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signals');
  await knex.schema.dropTable('signal_subscriptions');
}
