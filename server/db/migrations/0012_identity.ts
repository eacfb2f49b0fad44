import type { Knex } from 'knex';

/**
 * Who there is (issue 9): agencies, accounts with their roles and assurance level (Decree 45
 * Art. 8), officials' memberships of agencies with a function, the lanes that name an agency,
 * server-side sessions and machine tokens. Secrets are stored only as hashes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agencies', (table) => {
    /** The national agency code, as in the application number (engine/codes). */
    table.text('code').primary();
    table.text('name').notNullable();
    table.text('parent_code').references('code').inTable('agencies');
    table.boolean('demo').notNullable().defaultTo(false);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('accounts', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    /** Lower-case sign-in name; a citizen's is the personal ID or the organisation's e-ID. */
    table.text('username').notNullable().unique();
    table.text('display_name').notNullable();
    table.specificType('roles', 'text[]').notNullable();
    /** A citizen account's holder: `person` (personal ID number) or `organisation` (e-ID). */
    table.text('holder_kind');
    table.text('holder_id');
    table.text('email');
    table.text('password_hash');
    /** Decree 45 Art. 8: 1 self-registered, 2 verified in person or by the national identity provider. */
    table.smallint('assurance_level').notNullable().defaultTo(1);
    table.text('identified_by').notNullable();
    table.text('oidc_issuer');
    table.text('oidc_subject');
    table.boolean('demo').notNullable().defaultTo(false);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('disabled_at', { useTz: true });
    table.unique(['oidc_issuer', 'oidc_subject']);
  });
  await knex.schema.createTable('agency_memberships', (table) => {
    table.uuid('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    table.text('agency_code').notNullable().references('code').inTable('agencies');
    /** tiep-nhan (one-stop receipt), chuyen-vien (specialist), lanh-dao (approver who signs). */
    table.text('function').notNullable();
    table.primary(['account_id', 'agency_code', 'function']);
  });
  await knex.schema.createTable('agency_lanes', (table) => {
    /** A BPMN lane name, which is a user task's candidate group. */
    table.text('lane').primary();
    table.text('agency_code').notNullable().references('code').inTable('agencies');
    /** When set, only the agency's officials of this function are offered the lane's tasks. */
    table.text('function');
    table.index(['agency_code']);
  });
  await knex.schema.createTable('sessions', (table) => {
    /** SHA-256 of the cookie's secret; the secret itself is never stored. */
    table.text('token_hash').primary();
    table.uuid('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    table.text('csrf_token').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.text('ip');
    table.index(['account_id']);
  });
  await knex.schema.createTable('api_tokens', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('name').notNullable();
    table.text('token_hash').notNullable().unique();
    table.text('role').notNullable();
    table.text('agency_code').references('code').inTable('agencies');
    /** For a worker token: the external job types it may fetch and complete; null for all. */
    table.specificType('job_types', 'text[]');
    table.text('created_by');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('revoked_at', { useTz: true });
  });
  await knex.schema.alterTable('process_instances', (table) => {
    /** The citizen or organisation account whose dossier this is (Circular 01 Art. 23.5). */
    table.uuid('owner_account_id').references('id').inTable('accounts');
    table.index(['owner_account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('process_instances', (table) => table.dropColumn('owner_account_id'));
  for (const table of ['api_tokens', 'sessions', 'agency_lanes', 'agency_memberships', 'accounts', 'agencies']) {
    await knex.schema.dropTable(table);
  }
}
