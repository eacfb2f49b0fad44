import type { Knex } from 'knex';

/**
 * One row per message a client sent with its own id, written in the transaction that delivers
 * the message: a resend of the same id (same message name and correlation key) finds the row,
 * or waits on the primary key for the first delivery to commit, and delivers nothing, whichever
 * server process it reaches. A message sent without a key is told apart from one whose key is
 * the empty string by `keyed` (a primary key column cannot be null).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_receipts', (table) => {
    table.text('message_name').notNullable();
    table.boolean('keyed').notNullable();
    table.text('correlation_key').notNullable();
    table.text('message_id').notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['message_name', 'keyed', 'correlation_key', 'message_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('message_receipts');
}
