import type { Knex } from 'knex';

/**
 * Officials' personal signing credentials (issue 12, docs/signatures.md "Officials' personal
 * certificates"): the approver signs a result before the agency seals it (Decree 45 Art. 14.3.b,
 * Decree 30/2020), the copier signs a digitized copy (Circular 01 Art. 8.1) and the official who
 * confirms its metadata signs the confirmation (Art. 9.3). One credential per official and agency
 * (the certificate names the agency), kept as agency credentials are: the key only inside a
 * PKCS#12 file encrypted with the passphrase of DATA_DIR (server/signatures/key-passphrase.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('official_signing_credentials', (table) => {
    table.uuid('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    table.text('agency_code').notNullable().references('code').inTable('agencies').onDelete('CASCADE');
    table.binary('pkcs12').notNullable();
    table.text('certificate_pem').notNullable();
    table.text('subject').notNullable();
    table.text('serial_number').notNullable();
    table.timestamp('not_before', { useTz: true }).notNullable();
    table.timestamp('not_after', { useTz: true }).notNullable();
    /** `product-ca`: issued here on first need; `imported`: the official's certificate from a licensed CA. */
    table.text('source').notNullable().checkIn(['product-ca', 'imported']);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('created_by').notNullable();
    table.primary(['account_id', 'agency_code']);
  });
  await knex.schema.alterTable('digitizations', (table) => {
    /**
     * The signed confirmation of Circular 01 Art. 9.1–9.3: a detached CMS (DER) over the canonical
     * JSON of the confirmed metadata, the code and the copy's SHA-256 (server/digitization/confirmation-signature.ts).
     */
    table.binary('confirmation_signature');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('digitizations', (table) => table.dropColumn('confirmation_signature'));
  await knex.schema.dropTable('official_signing_credentials');
}
