import type { Knex } from 'knex';

/**
 * The dossier step a payment is for (issue 13, slice 2; docs/payments.md "The payment step"): the
 * `payment.online` service job that created the transaction and waits for its callback. At most
 * one live transaction per step: a failed one may be followed by a retry (a new transaction with a
 * new code, Circular 01 Art. 28.1.a as read in docs/payments.md), never two at once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_transactions', (table) => {
    table.uuid('service_job_id').references('id').inTable('service_jobs').onDelete('SET NULL');
    /** Where the payer pays (the provider's checkout), for the notice and the portal. */
    table.text('checkout_url');
  });
  await knex.raw(
    `create unique index payment_transactions_one_live_per_step on payment_transactions (service_job_id)
     where service_job_id is not null and status not in ('initiation-failed', 'payment-failed', 'transaction-failed')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index payment_transactions_one_live_per_step');
  await knex.schema.alterTable('payment_transactions', (table) => table.dropColumns('service_job_id', 'checkout_url'));
}
