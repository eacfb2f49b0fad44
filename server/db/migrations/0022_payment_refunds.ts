import type { Knex } from 'knex';

/**
 * Refunds of fees and charges (issue 13; Circular 01 Art. 29–30; docs/payments.md "Refunds"): a
 * claim on a paid transaction, prepared by one official and approved or rejected by another
 * (Art. 30.2.a–b: the table itself refuses the same account deciding what it prepared), sent to the
 * provider and followed to its end; and the provider's refund callbacks, each taken once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_refunds', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('transaction_id').notNullable().references('id').inTable('payment_transactions').onDelete('RESTRICT');
    /** The transaction's collecting agency, whose officials alone see and handle the claim. */
    table.text('collecting_agency_code').notNullable().references('code').inTable('agencies');
    /** Art. 30.1: mistaken-payment, overpayment or other. */
    table.text('reason').notNullable().checkIn(['mistaken-payment', 'overpayment', 'other']);
    table.text('explanation').notNullable();
    table.bigInteger('amount_vnd').notNullable();
    table.text('status').notNullable().defaultTo('prepared').checkIn(['prepared', 'approved', 'rejected', 'sent', 'succeeded', 'failed']);
    /** Art. 29.1: the collecting agency's agreement to refund a transaction whose documents were sent (its reference), with who recorded it. */
    table.text('agency_agreement');
    table.uuid('prepared_by_account').notNullable().references('id').inTable('accounts');
    table.text('prepared_by').notNullable();
    table.timestamp('prepared_at', { useTz: true }).notNullable();
    table.uuid('decided_by_account').references('id').inTable('accounts');
    table.text('decided_by');
    table.timestamp('decided_at', { useTz: true });
    table.text('rejection_reason');
    table.text('provider');
    table.text('provider_reference');
    table.timestamp('sent_at', { useTz: true });
    table.timestamp('completed_at', { useTz: true });
    /** Why the provider refused the order, when it did so outright. */
    table.text('failure_reason');
    table.timestamp('status_changed_at', { useTz: true }).notNullable();
    table.unique(['provider', 'provider_reference']);
    table.index(['transaction_id']);
    table.index(['collecting_agency_code', 'prepared_at', 'id'], 'payment_refunds_agency_list');
  });
  await knex.raw(`alter table payment_refunds
    add constraint payment_refunds_amount check (amount_vnd > 0),
    add constraint payment_refunds_four_eyes check (decided_by_account is null or decided_by_account <> prepared_by_account),
    add constraint payment_refunds_decided check (status = 'prepared' or (decided_by_account is not null and decided_at is not null)),
    add constraint payment_refunds_rejection check ((status = 'rejected') = (rejection_reason is not null)),
    add constraint payment_refunds_sent check (status not in ('sent', 'succeeded', 'failed') or (provider is not null and provider_reference is not null and sent_at is not null))`);

  await knex.schema.createTable('payment_refund_callbacks', (table) => {
    table.bigIncrements('id');
    table.text('provider').notNullable();
    table.text('provider_event_id').notNullable();
    table.uuid('refund_id').notNullable().references('id').inTable('payment_refunds').onDelete('CASCADE');
    table.text('status').notNullable();
    table.jsonb('payload').notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    /** `applied`, or why not: `duplicate` (the claim already ended so), `conflict` (it ended otherwise), `early` (not sent yet). */
    table.text('verdict').notNullable().checkIn(['applied', 'duplicate', 'conflict', 'early']);
    table.unique(['provider', 'provider_event_id']);
    table.index(['refund_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_refund_callbacks');
  await knex.schema.dropTable('payment_refunds');
}
