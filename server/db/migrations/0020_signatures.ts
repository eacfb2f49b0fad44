import type { Knex } from 'knex';

/**
 * Digital signatures of results (issue 12, docs/signatures.md; Decree 45 Art. 14.3.b: an
 * electronic result bears the digital signature of the competent agency). The product's own
 * certification authority, the roots a signature may chain to, and each agency's signing
 * credential. Private keys are stored only inside PKCS#12 files encrypted with the passphrase
 * kept in DATA_DIR (server/signatures/key-passphrase.ts): a copy of the database alone cannot sign.
 */
export async function up(knex: Knex): Promise<void> {
  /** The product-local CA "Quy Trình CA (thử nghiệm)": one row, made on first need. */
  await knex.schema.createTable('signature_authority', (table) => {
    table.smallint('id').primary();
    table.text('certificate_pem').notNullable();
    table.binary('pkcs12').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('alter table signature_authority add constraint signature_authority_single check (id = 1)');

  /** Root certificates a signature must chain to: the product CA, and roots imported (a licensed CA's). */
  await knex.schema.createTable('signature_trusted_roots', (table) => {
    /** SHA-256 of the certificate's DER, hex. */
    table.text('fingerprint').primary();
    table.text('subject').notNullable();
    table.text('certificate_pem').notNullable();
    table.text('source').notNullable().checkIn(['product-ca', 'imported']);
    table.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('added_by').notNullable();
  });

  /** Each agency's current signing key and certificate chain (leaf first). */
  await knex.schema.createTable('agency_signing_credentials', (table) => {
    table.text('agency_code').primary().references('code').inTable('agencies').onDelete('CASCADE');
    table.binary('pkcs12').notNullable();
    table.text('certificate_pem').notNullable();
    table.text('subject').notNullable();
    table.text('serial_number').notNullable();
    table.timestamp('not_before', { useTz: true }).notNullable();
    table.timestamp('not_after', { useTz: true }).notNullable();
    /** `product-ca`: made here on first need; `imported`: the agency's certificate from a licensed CA. */
    table.text('source').notNullable().checkIn(['product-ca', 'imported']);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('created_by').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('agency_signing_credentials');
  await knex.schema.dropTable('signature_trusted_roots');
  await knex.schema.dropTable('signature_authority');
}
