import type { Knex } from 'knex';

/**
 * Dossiers (issue 11, docs/dossiers.md): the citizen-facing record bound to one process instance,
 * its uploaded components, what happened to it, its results and the applicant's notices; the
 * form-js forms they are filled with; and the profile an account's forms are filled from
 * (Decree 45 Art. 16.4: what the system holds is not asked again).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (table) => {
    /** What the holder's forms are filled from: phone, dateOfBirth (YYYY-MM-DD), address {province, commune, street}. */
    table.jsonb('profile').notNullable().defaultTo('{}');
  });

  await knex.schema.createTable('forms', (table) => {
    /** `<procedure code>.<form symbol>` (Circular 01 Art. 22.3.b). */
    table.text('code').notNullable();
    table.integer('version').notNullable();
    table.jsonb('schema').notNullable();
    table.text('checksum').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('created_by');
    table.primary(['code', 'version']);
  });

  await knex.schema.createTable('dossiers', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('instance_id').notNullable().unique().references('id').inTable('process_instances').onDelete('CASCADE');
    table.uuid('definition_id').notNullable().references('id').inTable('process_definitions');
    table.text('procedure_key').notNullable();
    table.text('procedure_code');
    table.text('procedure_name').notNullable();
    table.uuid('owner_account_id').notNullable().references('id').inTable('accounts');
    /** The applicant's name and ID as the application states them. */
    table.text('applicant_name').notNullable();
    table.text('applicant_id');
    table.text('agency_code').notNullable().references('code').inTable('agencies');
    /** The dossier code `<agency>-<yymmdd>-<nnnn>`, given at system receipt and never changed (Decree 45 Art. 11.3, 12.2.c). */
    table.text('code').notNullable().unique();
    table.text('status').notNullable().checkIn(['submitted', 'received', 'amendment-requested', 'processing', 'result-issued', 'refused', 'completed']);
    table.text('form_code');
    table.integer('form_version');
    table.jsonb('data').notNullable().defaultTo('{}');
    /** The official time of receipt by the system (Art. 11.1), from which the 08 working hours of Art. 11.4 run. */
    table.timestamp('submitted_at', { useTz: true }).notNullable();
    table.timestamp('receipt_due_at', { useTz: true }).notNullable();
    table.timestamp('received_at', { useTz: true });
    table.timestamp('amendment_requested_at', { useTz: true });
    /** `{items: string[], note?: string, by: string}`: the one amendment request (Art. 11.3). */
    table.jsonb('amendment_request');
    table.timestamp('amended_at', { useTz: true });
    /** `{reasons: string[], by: string}`. */
    table.jsonb('refusal');
    table.timestamp('ended_at', { useTz: true });
    table.index(['owner_account_id', 'submitted_at', 'id'], 'dossiers_owner_list');
    table.index(['agency_code', 'submitted_at', 'id'], 'dossiers_agency_list');
    table.index(['status']);
  });

  await knex.schema.createTable('dossier_components', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('dossier_id').notNullable().references('id').inTable('dossiers').onDelete('CASCADE');
    /** The component as the procedure names it (e.g. "Giấy chứng sinh"). */
    table.text('name').notNullable();
    table.text('file_name').notNullable();
    table.text('media_type').notNullable();
    table.integer('size').notNullable();
    table.text('sha256').notNullable();
    table.binary('content').notNullable();
    table.timestamp('uploaded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('uploaded_by').notNullable();
    /** Set when an amendment replaced it: kept, as amendments are recorded (Art. 12.2.c). */
    table.timestamp('superseded_at', { useTz: true });
    table.index(['dossier_id']);
  });

  await knex.schema.createTable('dossier_events', (table) => {
    table.bigIncrements('id');
    table.uuid('dossier_id').notNullable().references('id').inTable('dossiers').onDelete('CASCADE');
    table.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('actor').notNullable();
    table.text('kind').notNullable();
    /** What changed, for the record (an amendment's changed fields and components, a refusal's reasons...). */
    table.jsonb('details').notNullable().defaultTo('{}');
    table.index(['dossier_id', 'id']);
  });

  await knex.schema.createTable('dossier_results', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('dossier_id').notNullable().references('id').inTable('dossiers').onDelete('CASCADE');
    table.integer('n').notNullable();
    /** `<dossier code>-KQ<n>` (Decree 45 Art. 14.3.d). */
    table.text('code').notNullable().unique();
    table.text('title').notNullable();
    table.timestamp('issued_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('issued_by').notNullable();
    table.timestamp('annulled_at', { useTz: true });
    table.text('annulment_reason');
    table.text('annulled_by');
    table.unique(['dossier_id', 'n']);
  });

  await knex.schema.createTable('notices', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    table.uuid('dossier_id').references('id').inTable('dossiers').onDelete('CASCADE');
    /** receipt, amendment, refusal, result, annulment, message. */
    table.text('kind').notNullable();
    table.jsonb('subject').notNullable();
    table.jsonb('body').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('read_at', { useTz: true });
    table.timestamp('emailed_at', { useTz: true });
    table.index(['account_id', 'created_at', 'id'], 'notices_inbox');
  });

  // The workspace's claim and assignment (issue 11): who among the lane's officials works a task.
  await knex.schema.alterTable('user_tasks', (table) => {
    table.uuid('assignee_account_id').references('id').inTable('accounts');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('user_tasks', (table) => table.dropColumn('assignee_account_id'));
  for (const name of ['notices', 'dossier_results', 'dossier_events', 'dossier_components', 'dossiers', 'forms']) await knex.schema.dropTable(name);
  await knex.schema.alterTable('accounts', (table) => table.dropColumn('profile'));
}
