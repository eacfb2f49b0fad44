import type { Knex } from 'knex';

/**
 * Reconciliation of payments (issue 13; docs/payments.md "Reconciliation"): the daily T-1 review of
 * transactions still `processing` (Circular 01 Art. 28.2) and the daily cross-check of a day's
 * transactions against the provider's statement (Decree 45 Art. 13.7.d, 13.8.b). One stored run
 * per provider and Vietnam day, its mismatches replaced when the day is reconciled again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_transactions', (table) => {
    /** Art. 28.2: the first review that found it still `processing` after its day, and the day reviewed up to (T-1). */
    table.timestamp('review_flagged_at', { useTz: true });
    table.date('review_flagged_through');
  });

  await knex.schema.createTable('payment_reconciliations', (table) => {
    table.bigIncrements('id');
    table.text('provider').notNullable();
    /** The Vietnam day reconciled. */
    table.date('day').notNullable();
    /** Where the statement came from: the provider's signed statement, or a statement file. */
    table.text('source').notNullable().checkIn(['provider', 'file']);
    table.text('statement_file');
    table.integer('statement_entries').notNullable();
    table.integer('our_transactions').notNullable();
    table.integer('matched').notNullable();
    table.integer('mismatch_count').notNullable();
    /** Transactions still `processing` on days up to T-1 when this run was made (Art. 28.2). */
    table.integer('processing_flagged').notNullable();
    table.timestamp('ran_at', { useTz: true }).notNullable();
    table.text('ran_by').notNullable();
    table.integer('runs').notNullable().defaultTo(1);
    table.unique(['provider', 'day']);
    table.index(['day', 'id']);
  });

  await knex.schema.createTable('payment_reconciliation_mismatches', (table) => {
    table.bigIncrements('id');
    table.bigInteger('reconciliation_id').notNullable().references('id').inTable('payment_reconciliations').onDelete('CASCADE');
    table.text('kind').notNullable().checkIn(['not-ours', 'not-in-statement', 'amount-differs', 'status-differs']);
    table.text('transaction_code').notNullable();
    table.uuid('transaction_id').references('id').inTable('payment_transactions').onDelete('SET NULL');
    /** Whose it is, for an agency's accountant: the transaction's collecting agency, else what the statement line says (null when nothing does). */
    table.text('collecting_agency_code');
    table.jsonb('ours');
    table.jsonb('statement');
    table.index(['reconciliation_id', 'collecting_agency_code']);
  });

  // The cross-check finds the payments whose outcome the provider reported on the day.
  await knex.raw('create index payment_callbacks_received on payment_callbacks (provider, received_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index payment_callbacks_received');
  await knex.schema.dropTable('payment_reconciliation_mismatches');
  await knex.schema.dropTable('payment_reconciliations');
  await knex.schema.alterTable('payment_transactions', (table) => table.dropColumns('review_flagged_at', 'review_flagged_through'));
}
