import type { Knex } from 'knex';

/**
 * A result's signed document, made once (docs/signatures.md): the PDF as printed and signed when
 * `result.sign` issued it (Decree 45 Art. 14.3.b), and served as stored afterwards, byte for byte.
 * Annulment (Art. 15) adds the annulled version, stamped and signed at the annulment, beside the
 * issued one, which is never changed. One document per result and state.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('result_documents', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('result_id').notNullable().references('id').inTable('dossier_results').onDelete('CASCADE');
    /** `issued`: the result as issued; `annulled`: the same with the stamp of Art. 15.3. */
    table.text('state').notNullable().checkIn(['issued', 'annulled']);
    table.binary('pdf').notNullable();
    table.timestamp('signed_at', { useTz: true }).notNullable();
    /** The agency whose credential signed (the certificate itself is inside the signature). */
    table.text('signer_agency_code').notNullable();
    /** Where the printed QR leads (`<base>/tra-cuu/<code>`), kept for the annulled version. */
    table.text('lookup_base_url').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['result_id', 'state']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('result_documents');
}
