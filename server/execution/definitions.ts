import { createHash } from 'node:crypto';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { compileProcess, type CompiledProcess } from '../../engine/compile/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
import { runInPool } from '../workers/compile-pool.ts';
import { refusalError, type LintWarning } from '../workers/compile-tasks.ts';
import { CompiledCache } from './compiled-cache.ts';
import { armTimerStarts } from './start-events.ts';

export interface DefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  xml: string;
  checksum: string;
  deployed_at: Date;
}

/**
 * Deploys a BPMN model: it must read, compile and pass the designer's checks without an error
 * (engine/rules/lint.ts; else 422 with every offending element and nothing stored); the checks'
 * warnings come back with the deployment. A changed model becomes the next version of its key; running instances stay
 * on the version they started with. Redeploying an unchanged model returns the version it is.
 * The model is read and compiled in the compile pool, off the thread that serves requests; the
 * machine itself is built here when an instance first needs it.
 */
export async function deployDefinition(db: Database, xml: string): Promise<{ id: string; key: string; version: number; created: boolean; warnings: LintWarning[] }> {
  const checked = await runInPool('checkDeployment', xml);
  if ('refused' in checked) throw refusalError(checked.refused);
  const { key, name, timerStarts, warnings } = checked.accepted;
  const checksum = createHash('sha256').update(xml).digest('hex');
  return db.transaction(async (trx) => {
    // Serialises deployments of one key, so two deployments never take the same version number.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`definition:${key}`]);
    const latest = await trx<DefinitionRow>('process_definitions').where({ key }).orderBy('version', 'desc').first();
    if (latest?.checksum === checksum) return { id: latest.id, key, version: latest.version, created: false, warnings };
    const version = (latest?.version ?? 0) + 1;
    const [row] = await trx('process_definitions').insert({ key, version, name: name ?? null, xml, checksum }).returning<Array<{ id: string }>>('id');
    await armTimerStarts(trx, key, timerStarts, new Date());
    return { id: row!.id, key, version, created: true, warnings };
  });
}

/**
 * The compiled definitions kept in memory, by id (a stored definition never changes). Bounded:
 * compiled only when an instance of it takes a step, and dropped least recently used first.
 */
export const compiledDefinitions = new CompiledCache<CompiledProcess>({ entries: 500, weight: 200_000 });

/** The compiled machine of a stored definition, compiled when first needed and kept while used. */
export function compiledDefinition(definitionId: string, db: Database | Knex.Transaction): Promise<CompiledProcess> {
  let compiled = compiledDefinitions.get(definitionId);
  if (!compiled) {
    compiled = definitionRow(db, definitionId).then(async (row) => compileProcess(await readProcess(row.xml)));
    // Weighed by its flow nodes (those of its runs share the graph).
    compiledDefinitions.set(definitionId, compiled, (process) => process.graph.nodes.size);
  }
  return compiled;
}

/** A stored definition by id. */
export async function definitionRow(db: Database | Knex.Transaction, definitionId: string): Promise<DefinitionRow> {
  const row = await db<DefinitionRow>('process_definitions').where({ id: definitionId }).first();
  if (!row) throw definitionNotFound(definitionId);
  return row;
}

/** The machine an instance runs: its definition's, or for a run of a parallel multi-instance sub-process, that sub-process's inside. */
export async function compiledInstance(instance: { definition_id: string; scope_element_id: string | null }, db: Database | Knex.Transaction): Promise<CompiledProcess> {
  const compiled = await compiledDefinition(instance.definition_id, db);
  if (instance.scope_element_id === null) return compiled;
  const run = compiled.runs.get(instance.scope_element_id);
  if (!run) throw definitionNotFound(`${instance.definition_id}#${instance.scope_element_id}`);
  return run;
}

/** The latest version of a key. */
export async function latestDefinition(db: Database | Knex.Transaction, key: string): Promise<DefinitionRow> {
  const row = await db<DefinitionRow>('process_definitions').where({ key }).orderBy('version', 'desc').first();
  if (!row) throw definitionNotFound(key);
  return row;
}

function definitionNotFound(which: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'definition.not-found', { vi: `Chưa triển khai quy trình ${which}`, en: `No deployed process ${which}` });
}
