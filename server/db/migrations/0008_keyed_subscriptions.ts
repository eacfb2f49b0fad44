import type { Knex } from 'knex';

/**
 * A subscription remembers whether its model declared a correlation key. A declared key that
 * evaluated to null (its variable not set yet) must match no message, while a subscription the
 * model gave no key takes any message of its name: the key column alone cannot tell the two apart.
 * Subscriptions stored before this know only their key; those with one were keyed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('message_subscriptions', (table) => {
    table.boolean('keyed').notNullable().defaultTo(false);
  });
  await knex('message_subscriptions').whereNotNull('correlation_key').update({ keyed: true });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('message_subscriptions', (table) => {
    table.dropColumn('keyed');
  });
}
