import type { Knex } from 'knex';

/**
 * The process engine's tables (DESIGN: "The engine"). An instance row holds the persisted XState
 * snapshot and a revision; every event is applied in one transaction that locks that row,
 * stores the new snapshot, appends history, and writes the rows its effects call for (tasks,
 * external jobs, message subscriptions); timers and built-in jobs go to graphile-worker in the
 * same transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('process_definitions', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.text('key').notNullable(); // the BPMN process id
    table.integer('version').notNullable();
    table.text('name');
    table.text('xml').notNullable();
    table.text('checksum').notNullable(); // sha-256 of the XML: redeploying the same model makes no new version
    table.timestamp('deployed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['key', 'version']);
  });

  await knex.schema.createTable('process_instances', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('definition_id').notNullable().references('id').inTable('process_definitions');
    table.text('business_key');
    table.text('status').notNullable().checkIn(['active', 'completed', 'terminated', 'failed']);
    table.jsonb('snapshot').notNullable();
    table.jsonb('variables').notNullable().defaultTo('{}');
    table.specificType('active_element_ids', 'text[]').notNullable().defaultTo('{}');
    table.jsonb('failure');
    table.integer('revision').notNullable().defaultTo(1);
    table.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('ended_at', { useTz: true });
    table.index(['business_key']);
    table.index(['status']);
  });

  await knex.schema.createTable('user_tasks', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    table.text('element_id').notNullable();
    table.text('name');
    table.text('candidate_group');
    table.timestamp('due_at', { useTz: true });
    table.text('status').notNullable().checkIn(['open', 'completed', 'cancelled']);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('ended_at', { useTz: true });
    table.text('completed_by');
    table.index(['instance_id']);
    table.index(['candidate_group', 'status']);
  });
  // One open task per element of an instance: a redelivered "open" can never make a second.
  await knex.raw(`create unique index user_tasks_one_open on user_tasks (instance_id, element_id) where status = 'open'`);

  await knex.schema.createTable('service_jobs', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    table.text('element_id').notNullable();
    table.text('job_type').notNullable();
    /** `external`: fetched and completed by an outside system over the API; `builtin`: run by our workers. */
    table.text('handler').notNullable().checkIn(['external', 'builtin']);
    table.text('status').notNullable().checkIn(['open', 'completed', 'cancelled', 'failed']);
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('ended_at', { useTz: true });
    table.index(['job_type', 'status']);
  });
  await knex.raw(`create unique index service_jobs_one_open on service_jobs (instance_id, element_id) where status = 'open'`);

  await knex.schema.createTable('message_subscriptions', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    table.text('element_id').notNullable();
    table.text('message_name').notNullable();
    table.text('correlation_key');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.unique(['instance_id', 'element_id']);
    table.index(['message_name', 'correlation_key']);
  });

  await knex.schema.createTable('instance_history', (table) => {
    table.bigIncrements('id');
    table.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    /** The event's id: a redelivered event finds its own row and changes nothing twice. */
    table.text('event_id').notNullable();
    table.text('event_type').notNullable();
    table.text('element_id');
    table.text('actor');
    table.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.jsonb('variables_changed').notNullable().defaultTo('{}');
    table.text('status_after').notNullable();
    table.specificType('active_after', 'text[]').notNullable();
    table.unique(['instance_id', 'event_id']);
  });

  await knex.schema.createTable('incidents', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    table.text('element_id').notNullable();
    table.uuid('service_job_id').references('id').inTable('service_jobs');
    table.text('message').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('resolved_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['incidents', 'instance_history', 'message_subscriptions', 'service_jobs', 'user_tasks', 'process_instances', 'process_definitions']) {
    await knex.schema.dropTable(table);
  }
}
