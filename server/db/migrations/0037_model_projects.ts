import type { Knex } from 'knex';
import { searchKey as nameKey } from '../../../engine/text/search-key.ts';

/**
 * Models as staff manage them (docs/models.md). A procedure is one project holding its as-is and
 * to-be models (Circular 01 Art. 16–17): `project_id`, the first model's id. `name_key` is the name
 * searched without diacritics; `deleted_at` puts a model in the bin, from where it is restored.
 * `model_deployments` records which saved version of a model was deployed, by whom and when, and
 * for a rollback the deployment it brings back.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('procedure_models', (table) => {
    table.uuid('project_id');
    table.text('name_key');
    table.timestamp('deleted_at', { useTz: true });
    table.text('deleted_by');
  });
  const models = await knex('procedure_models').select<Array<{ id: string; name: string }>>('id', 'name');
  for (const model of models) await knex('procedure_models').where({ id: model.id }).update({ project_id: model.id, name_key: nameKey(model.name) });
  await knex.schema.alterTable('procedure_models', (table) => {
    table.uuid('project_id').notNullable().alter();
    table.text('name_key').notNullable().alter();
    table.index(['project_id'], 'procedure_models_project');
    table.index(['stage', 'name_key'], 'procedure_models_name');
  });
  await knex.schema.createTable('model_deployments', (table) => {
    table.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    table.uuid('model_id').notNullable().references('id').inTable('procedure_models').onDelete('CASCADE');
    table.integer('model_version').notNullable();
    table.uuid('definition_id').notNullable().references('id').inTable('process_definitions');
    table.text('definition_key').notNullable();
    table.integer('definition_version').notNullable();
    table.text('deployed_by').notNullable();
    table.timestamp('deployed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.uuid('restores_id').references('id').inTable('model_deployments');
    // The signing steps removed since the deployment before, deployed only once confirmed (docs/models.md).
    table.jsonb('removed_signing_steps').notNullable().defaultTo('[]');
    table.foreign(['model_id', 'model_version']).references(['model_id', 'version']).inTable('procedure_model_versions');
    table.index(['model_id', 'deployed_at', 'id'], 'model_deployments_list');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('model_deployments');
  await knex.schema.alterTable('procedure_models', (table) => {
    table.dropIndex(['project_id'], 'procedure_models_project');
    table.dropIndex(['stage', 'name_key'], 'procedure_models_name');
    table.dropColumns('project_id', 'name_key', 'deleted_at', 'deleted_by');
  });
}
