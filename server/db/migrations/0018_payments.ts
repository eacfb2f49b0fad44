import type { Knex } from 'knex';

/**
 * Online payment of fees and charges (issue 13, docs/payments.md; Decree 45 Art. 13, Circular 01
 * Art. 27–30): what each agency collects with, the transactions with their revenue data (Art.
 * 27.1 a–o), code and payment content (27.3–27.5) and statuses (28.1), the providers' callbacks
 * (each applied once), and the daily ordinal of transaction codes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_collection_settings', (table) => {
    table.text('agency_code').primary().references('code').inTable('agencies').onDelete('CASCADE');
    /** Art. 27.1.c: the name the payment documents carry. */
    table.text('agency_name').notNullable();
    /** Art. 27.1.m–n and l: the collecting account at a bank or the State Treasury, and its CITAD code. */
    table.text('account_number').notNullable();
    table.text('account_name').notNullable();
    table.text('citad_code').notNullable();
    table.text('bank_name').notNullable();
    /** Art. 27.5: the agency's system issues `<agency code>.X-YYMMDDZZZZZZ` instead of the Portal's codes. */
    table.boolean('issues_own_transaction_codes').notNullable().defaultTo(false);
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('updated_by').notNullable();
  });
  await knex.raw(`alter table payment_collection_settings add constraint payment_collection_settings_citad check (citad_code ~ '^[0-9]{8}$')`);

  /** Art. 27.1.dd: the State Treasury's fee, charge or fine code of each procedure the agency collects for. */
  await knex.schema.createTable('payment_fee_codes', (table) => {
    table.text('agency_code').notNullable().references('agency_code').inTable('payment_collection_settings').onDelete('CASCADE');
    table.text('procedure_code').notNullable();
    table.text('fee_code').notNullable();
    table.text('name');
    table.primary(['agency_code', 'procedure_code']);
  });

  /**
   * The ordinal ZZZZZZ of the day's transactions of each issuer (`G22.99` or an agency code), the
   * day in Vietnam (Art. 27.4): an upsert in the transaction that records the payment, so the row
   * lock holds it until commit and a rollback gives the number back.
   */
  await knex.schema.createTable('payment_transaction_sequences', (table) => {
    table.text('issuer').notNullable();
    table.date('arisen_on').notNullable();
    table.integer('last_ordinal').notNullable();
    table.primary(['issuer', 'arisen_on']);
  });
  await knex.raw('alter table payment_transaction_sequences add constraint payment_transaction_sequences_six_digits check (last_ordinal between 1 and 999999)');

  /** One payment request = one transaction; a retry after a failure is a new transaction with a new code. */
  await knex.schema.createTable('payment_transactions', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('dossier_id').references('id').inTable('dossiers').onDelete('RESTRICT');
    /** The transaction code (Art. 27.4 or 27.5) and the payment order's content (Art. 27.3). */
    table.text('code').notNullable().unique();
    table.smallint('kind').notNullable();
    table.text('content').notNullable();
    // The revenue data, Art. 27.1 a–o.
    table.text('revenue_identifier').notNullable();
    table.text('collecting_agency_code').notNullable().references('code').inTable('agencies');
    table.text('collecting_agency_name').notNullable();
    table.text('procedure_code').notNullable();
    /** Null when the State Treasury's list has no code: the content carries the transaction code instead (27.1.dd). */
    table.text('fee_code');
    table.bigInteger('amount_vnd').notNullable();
    table.text('currency').notNullable().defaultTo('VND').checkIn(['VND']);
    table.text('payer_name').notNullable();
    table.text('payer_tax_id');
    table.timestamp('payment_deadline', { useTz: true });
    table.text('citad_code').notNullable();
    table.text('account_number').notNullable();
    table.text('account_name').notNullable();
    table.jsonb('sector_fields').notNullable().defaultTo('{}');
    /** The provider's own fee, shown to the payer before paying (Decree 45 Art. 13.6, 13.7.b). */
    table.bigInteger('service_fee_vnd');
    // Art. 28.1.a and b.
    table
      .text('status')
      .notNullable()
      .defaultTo('initiated')
      .checkIn(['initiated', 'initiation-failed', 'processing', 'payment-failed', 'payment-succeeded', 'transaction-failed', 'transaction-succeeded']);
    table.text('settlement_status').notNullable().defaultTo('pending').checkIn(['pending', 'failure', 'success']);
    table.text('provider').notNullable();
    table.text('provider_reference');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('status_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('settled_at', { useTz: true });
    // Art. 28.3–28.4: recorded with who and when.
    table.timestamp('documents_received_at', { useTz: true });
    table.text('documents_received_by');
    table.timestamp('payment_received_at', { useTz: true });
    table.text('payment_received_by');
    table.timestamp('treasury_received_at', { useTz: true });
    table.text('treasury_received_by');
    table.unique(['provider', 'provider_reference']);
    table.index(['dossier_id', 'created_at']);
    table.index(['collecting_agency_code', 'created_at', 'id'], 'payment_transactions_agency_list');
    // The T-1 review of Art. 28.2 looks for what is still processing.
    table.index(['status', 'created_at']);
  });
  await knex.raw('alter table payment_transactions add constraint payment_transactions_amount check (amount_vnd > 0 and (service_fee_vnd is null or service_fee_vnd >= 0))');

  /**
   * Every verified callback a provider sent, once: a redelivery has the same event id and is
   * refused by the key. The verdict is the status machine's (engine/payments/transaction-status.ts);
   * an `early` one is applied when the step it skipped has arrived.
   */
  await knex.schema.createTable('payment_callbacks', (table) => {
    table.bigIncrements('id');
    table.text('provider').notNullable();
    table.text('provider_event_id').notNullable();
    table.uuid('transaction_id').notNullable().references('id').inTable('payment_transactions').onDelete('CASCADE');
    /** `{type: 'transaction' | 'settlement', status}`. */
    table.jsonb('report').notNullable();
    table.jsonb('payload').notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('verdict').notNullable().checkIn(['applied', 'duplicate', 'stale', 'early', 'conflict']);
    table.timestamp('applied_at', { useTz: true });
    table.unique(['provider', 'provider_event_id']);
    table.index(['transaction_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const name of ['payment_callbacks', 'payment_transactions', 'payment_transaction_sequences', 'payment_fee_codes', 'payment_collection_settings']) await knex.schema.dropTable(name);
}
