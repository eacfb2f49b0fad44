import type { Knex } from 'knex';

/**
 * The payer's side of a payment (issue 13; docs/payments.md "The payer's side"): when the payment
 * succeeded, and the electronic receipt sent to the payer (Decree 45 Art. 13.4), signed once by the
 * collecting agency and kept, so every download is the same signed document.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_transactions', (table) => {
    /** When the provider reported the payment successful (Circular 01 Art. 28.1.a). */
    table.timestamp('paid_at', { useTz: true });
  });
  await knex.schema.createTable('payment_receipts', (table) => {
    table.uuid('transaction_id').primary().references('id').inTable('payment_transactions').onDelete('RESTRICT');
    table.binary('pdf').notNullable();
    table.timestamp('signed_at', { useTz: true }).notNullable();
    table.text('signer_agency_code').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_receipts');
  await knex.schema.alterTable('payment_transactions', (table) => table.dropColumn('paid_at'));
}
