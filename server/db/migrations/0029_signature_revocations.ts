import type { Knex } from 'knex';

/**
 * Revoked certificates (issue 12; docs/signatures.md "Revocation"): the product CA's revocation
 * list, and any certificate an administrator revokes (an agency's key lost, a licensed CA's
 * revocation copied in). A signature verifies only if no certificate of its chain is revoked as of
 * its signing time, or at all for a compromised key (RFC 5280 §5.3.1 reasons).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signature_revocations', (table) => {
    /** The issuer's distinguished name as verify-pdf.ts writes it, and the serial number in hex. */
    table.text('issuer').notNullable();
    table.text('serial_number').notNullable();
    table.text('subject').notNullable();
    table.text('reason').notNullable().checkIn(['key-compromise', 'ca-compromise', 'affiliation-changed', 'superseded', 'cessation-of-operation', 'unspecified']);
    table.timestamp('revoked_at', { useTz: true }).notNullable();
    table.text('revoked_by').notNullable();
    table.primary(['issuer', 'serial_number']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signature_revocations');
}
