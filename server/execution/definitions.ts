import { createHash } from 'node:crypto';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { compileProcess, type CompiledProcess } from '../../engine/compile/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
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
 * Deploys a BPMN model: it must read and compile (else 422 with every offending element and
 * nothing stored). A changed model becomes the next version of its key; running instances stay
 * on the version they started with. Redeploying an unchanged model returns the version it is.
 */
export async function deployDefinition(db: Database, xml: string): Promise<{ id: string; key: string; version: number; created: boolean }> {
  const compiled = compileProcess(await readProcess(xml));
  const key = compiled.graph.id;
  const checksum = createHash('sha256').update(xml).digest('hex');
  return db.transaction(async (trx) => {
    // Serialises deployments of one key, so two deployments never take the same version number.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`definition:${key}`]);
    const latest = await trx<DefinitionRow>('process_definitions').where({ key }).orderBy('version', 'desc').first();
    if (latest?.checksum === checksum) return { id: latest.id, key, version: latest.version, created: false };
    const version = (latest?.version ?? 0) + 1;
    const [row] = await trx('process_definitions').insert({ key, version, name: compiled.graph.name ?? null, xml, checksum }).returning<Array<{ id: string }>>('id');
    await armTimerStarts(trx, compiled, new Date());
    rememberCompiled(row!.id, compiled);
    return { id: row!.id, key, version, created: true };
  });
}

const compiledById = new Map<string, Promise<CompiledProcess>>();

function rememberCompiled(id: string, compiled: CompiledProcess): void {
  compiledById.set(id, Promise.resolve(compiled));
}

/** The compiled machine of a stored definition, compiled once per process. */
export function compiledDefinition(definitionId: string, db: Database | Knex.Transaction): Promise<CompiledProcess> {
  let compiled = compiledById.get(definitionId);
  if (!compiled) {
    compiled = db('process_definitions')
      .where({ id: definitionId })
      .first<DefinitionRow | undefined>()
      .then(async (row) => {
        if (!row) throw definitionNotFound(definitionId);
        return compileProcess(await readProcess(row.xml));
      });
    compiled.catch(() => compiledById.delete(definitionId));
    compiledById.set(definitionId, compiled);
  }
  return compiled;
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
