import type { Knex } from 'knex';

/**
 * The audit trail (issue 9; Circular 01 Art. 23.4): every state-changing request is a row of
 * `audit_log`, every engine step already is a row of `instance_history`. Both carry the id of the
 * transaction that wrote them, so a sealer can chain them in an order no later commit can change
 * (server/audit/sealer.ts): each seal covers the rows of the transactions that finished before
 * it, records a digest per row and the hash of the previous seal.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (table) => {
    table.bigIncrements('id');
    table.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('actor').notNullable();
    table.text('action').notNullable();
    table.integer('status').notNullable();
    table.text('ip');
    table.text('target');
    table.jsonb('detail').notNullable().defaultTo('{}');
    table.specificType('txid', 'xid8').notNullable().defaultTo(knex.raw('pg_current_xact_id()'));
    table.index(['txid']);
  });
  await knex.schema.alterTable('instance_history', (table) => {
    table.specificType('txid', 'xid8').notNullable().defaultTo(knex.raw('pg_current_xact_id()'));
    table.index(['txid']);
  });
  await knex.schema.createTable('audit_seals', (table) => {
    table.bigIncrements('id');
    table.specificType('from_txid', 'xid8').notNullable();
    table.specificType('to_txid', 'xid8').notNullable();
    table.integer('row_count').notNullable();
    /** 16 bytes of SHA-256 per row, in chain order: names the first row that was changed. */
    table.binary('row_digests').notNullable();
    table.text('previous_hash').notNullable();
    table.text('hash').notNullable();
    table.timestamp('sealed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_seals');
  await knex.schema.alterTable('instance_history', (table) => table.dropColumn('txid'));
  await knex.schema.dropTable('audit_log');
}
