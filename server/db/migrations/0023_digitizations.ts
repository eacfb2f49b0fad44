import type { Knex } from 'knex';

/**
 * Digitization of dossier components (issue 12, docs/digitization.md; Circular 01 Art. 6–12): the
 * scan of a paper component, its pages in order (Art. 8.2.c), the copy stamped and signed (Art.
 * 8.1), the OCR of each page, the metadata suggested and then confirmed (Art. 9), and the code
 * (Art. 10). A kind of document Art. 4.4 excludes is recorded as `excluded`, with no pages.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('digitizations', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('dossier_id').notNullable().references('id').inTable('dossiers').onDelete('CASCADE');
    /** The component's name in the procedure (the qt:document), and the uploaded component it was compared with, if any. */
    table.text('component_name').notNullable();
    table.uuid('component_id').references('id').inTable('dossier_components').onDelete('SET NULL');
    table.text('document_kind').notNullable();
    table.text('status').notNullable().checkIn(['excluded', 'queued', 'ocr', 'awaiting-confirmation', 'confirmed']);
    /** Art. 4.4: the point and the reason, both languages. */
    table.jsonb('exclusion');
    /** Art. 8.2.c: the paper's page count as the official counted it; the scan has as many pages. */
    table.integer('paper_pages');
    table.text('created_by').notNullable();
    /** The copier of Art. 8.1, as stamped on page 1. */
    table.text('copier_name').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** The copy assembled from the pages, stamped (Art. 8.1) and signed with the agency's key. */
    table.binary('signed_pdf');
    table.timestamp('signed_at', { useTz: true });
    /** Why OCR could not run (Art. 9.1: then the official types the metadata). */
    table.jsonb('ocr_problem');
    table.timestamp('ocr_finished_at', { useTz: true });
    table.jsonb('suggestions');
    table.jsonb('metadata');
    /** Per field: `confirmed` (as suggested) or `corrected`/`entered` by the official. */
    table.jsonb('confirmation');
    table.text('code');
    table.text('confirmed_by');
    table.text('confirmed_by_name');
    table.timestamp('confirmed_at', { useTz: true });
    table.index(['dossier_id', 'created_at', 'id'], 'digitizations_dossier_list');
  });

  await knex.schema.createTable('digitization_pages', (table) => {
    table.uuid('digitization_id').notNullable().references('id').inTable('digitizations').onDelete('CASCADE');
    /** 1-based, the paper's order. */
    table.integer('n').notNullable();
    table.text('media_type').notNullable();
    table.binary('content').notNullable();
    table.text('sha256').notNullable();
    /** Of the running OCR, 0–1; 1 once `text` is stored. */
    table.float('progress').notNullable().defaultTo(0);
    table.text('text');
    table.float('confidence');
    table.jsonb('lines');
    table.timestamp('recognized_at', { useTz: true });
    table.primary(['digitization_id', 'n']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('digitization_pages');
  await knex.schema.dropTable('digitizations');
}
