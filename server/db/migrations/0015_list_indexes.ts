import type { Knex } from 'knex';

/**
 * Issue 10: every list of the API is paged in a fixed order ending in a unique key
 * (server/http/pagination.ts). Each index below is one list's order behind its equality filters,
 * so a page is a range scan that stops after `limit` rows, however deep the page and however many
 * rows match; the expressions are written exactly as the lists sort by them, or the planner would
 * not see they match. Two older indexes are dropped because a new one begins with their columns.
 * Built in the migration's transaction (writes to these tables wait while it runs: well under a
 * second per hundred thousand rows).
 */
const INDEXES: ReadonlyArray<[name: string, definition: string]> = [
  // Tasks: open first by due date (none last), then creation; by status alone and an agency's inbox.
  ['user_tasks_list', `user_tasks (status, coalesce(due_at, 'infinity'::timestamptz), created_at, id)`],
  ['user_tasks_list_by_group', `user_tasks (candidate_group, status, coalesce(due_at, 'infinity'::timestamptz), created_at, id)`],
  // External jobs waiting to be fetched, oldest first, all or of one type.
  ['service_jobs_external_list', `service_jobs (created_at, id) where status = 'open' and handler = 'external'`],
  ['service_jobs_external_list_by_type', `service_jobs (job_type, created_at, id) where status = 'open' and handler = 'external'`],
  // Unresolved incidents, oldest first, all or of one instance.
  ['incidents_unresolved_list', `incidents (created_at, id) where resolved_at is null`],
  ['incidents_unresolved_list_by_instance', `incidents (instance_id, created_at, id) where resolved_at is null`],
  // Instances, newest first (the index read backwards), all, by status or by deployed version.
  ['process_instances_list', `process_instances (started_at, id)`],
  ['process_instances_list_by_status', `process_instances (status, started_at, id)`],
  ['process_instances_list_by_definition', `process_instances (definition_id, started_at, id)`],
  // The instances one instance started: by calling element, then item, then start.
  ['process_instances_list_by_caller', `process_instances (parent_instance_id, coalesce(parent_element_id, ''), coalesce(parent_multi_index, -1), started_at, id)`],
  ['instance_history_list', `instance_history (instance_id, id)`],
  // Models, last saved first (read backwards); deployed definitions by key, newest version first.
  ['procedure_models_list', `procedure_models (updated_at, id)`],
  ['process_definitions_list', `process_definitions (key, version desc)`],
];

/** Prefixes of user_tasks_list_by_group and process_instances_list_by_status. */
const SUPERSEDED: ReadonlyArray<[name: string, definition: string]> = [
  ['user_tasks_candidate_group_status_index', 'user_tasks (candidate_group, status)'],
  ['process_instances_status_index', 'process_instances (status)'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [name, definition] of INDEXES) await knex.raw(`create index ${name} on ${definition}`);
  for (const [name] of SUPERSEDED) await knex.raw(`drop index ${name}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const [name, definition] of SUPERSEDED) await knex.raw(`create index ${name} on ${definition}`);
  for (const [name] of INDEXES) await knex.raw(`drop index ${name}`);
}
