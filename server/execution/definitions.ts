import { createHash } from 'node:crypto';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { COMPILER_VERSION, compileProcess, type CompiledProcess } from '../../engine/compile/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { StoredSnapshot } from '../../engine/runtime/instance.ts';
import { migrateSnapshot, snapshotUpgrade, SNAPSHOT_MIGRATIONS, type SnapshotMigrations } from '../../engine/runtime/snapshot-migrations.ts';
import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
import { runInPool } from '../workers/compile-pool.ts';
import { refusalError, type LintWarning, type StoredProcess } from '../workers/compile-tasks.ts';
import { CompiledCache } from './compiled-cache.ts';
import { armTimerStarts } from './timer-starts.ts';

export interface DefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  xml: string;
  checksum: string;
  /** The compiler version that compiled it, which its instances' snapshots are in (engine/compile/compiler-version.ts). */
  compiler_version: number;
  deployed_at: Date;
}

/** One definition a deployment stored, or found stored unchanged. */
export interface DeployedDefinition {
  id: string;
  key: string;
  version: number;
  created: boolean;
}

/**
 * Deploys a BPMN model: it must read, compile and pass the designer's checks without an error
 * (engine/rules/lint.ts; else 422 with every offending element and nothing stored); the checks'
 * warnings come back with the deployment. Each process the file deploys (its only one, or each
 * executable one: engine/bpmn/read-process.ts readProcesses) is a definition of its own, keyed by
 * its process id, all stored in one transaction or none. A changed model becomes the next version
 * of each key (the row keeps the whole file, so a change to one process versions them all, as
 * Camunda does); running instances stay on the version they started with. Redeploying an
 * unchanged model returns the versions it is. The model is read and compiled in the compile pool,
 * off the thread that serves requests; the machine itself is built here when an instance first
 * needs it. The answer is the file's first process, with every one in `definitions`.
 */
export async function deployDefinition(db: Database, xml: string): Promise<DeployedDefinition & { definitions: DeployedDefinition[]; warnings: LintWarning[] }> {
  const checked = await runInPool('checkDeployment', xml);
  if ('refused' in checked) throw refusalError(checked.refused);
  const { processes, warnings } = checked.accepted;
  const checksum = createHash('sha256').update(xml).digest('hex');
  return db.transaction(async (trx) => {
    // Serialises deployments of one key, so two deployments never take the same version number;
    // taken in one order, so two files sharing keys never wait on each other crosswise.
    for (const key of processes.map((process) => process.key).sort()) await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`definition:${key}`]);
    const definitions: DeployedDefinition[] = [];
    for (const { key, name, timerStarts } of processes) {
      const latest = await trx<DefinitionRow>('process_definitions').where({ key }).orderBy('version', 'desc').first();
      if (latest?.checksum === checksum) {
        definitions.push({ id: latest.id, key, version: latest.version, created: false });
        continue;
      }
      const version = (latest?.version ?? 0) + 1;
      const [row] = await trx('process_definitions').insert({ key, version, name: name ?? null, xml, checksum, compiler_version: COMPILER_VERSION }).returning<Array<{ id: string }>>('id');
      await armTimerStarts(trx, key, timerStarts, new Date());
      definitions.push({ id: row!.id, key, version, created: true });
    }
    return { ...definitions[0]!, definitions, warnings };
  });
}

/**
 * The compiled definitions kept in memory, by id (a stored definition never changes). Bounded:
 * compiled only when an instance of it takes a step, and dropped least recently used first.
 */
export const compiledDefinitions = new CompiledCache<CompiledProcess>({ entries: 500, weight: 200_000 });

/**
 * The compiled machine of a stored definition, compiled when first needed and kept while used.
 * The current compiler runs only what it compiled: a definition of an older compiler version has
 * its instances' snapshots migrated first (upgradeSnapshots), and one of a newer or unknown
 * version is refused (docs/architecture.md, "Upgrades and running instances").
 */
export function compiledDefinition(definitionId: string, db: Database | Knex.Transaction): Promise<CompiledProcess> {
  let compiled = compiledDefinitions.get(definitionId);
  if (!compiled) {
    compiled = definitionRow(db, definitionId).then(async (row) => {
      if (snapshotUpgrade(row.compiler_version).kind === 'migrate') {
        await upgradeSnapshots(db, definitionId);
        // Migrated in the caller's transaction, which may yet roll back: the next caller checks again.
        if (db.isTransaction) compiledDefinitions.delete(definitionId);
      }
      const { xml, processId } = storedProcess(row);
      return compileProcess(await readProcess(xml, processId));
    });
    // Weighed by its flow nodes (those of its runs share the graph).
    compiledDefinitions.set(definitionId, compiled, (process) => process.graph.nodes.size);
  }
  return compiled;
}

/**
 * Brings the snapshots of every instance of a definition (its runs included) from the compiler
 * version that compiled it to the current one, through the registered migrations, and records the
 * current version on the definition: all in one transaction under the definition's row lock, so
 * it happens once however many processes ask. Each instance's revision moves on, so a completion
 * read before (single-statement-step.ts) cannot land on a snapshot it did not see.
 */
export async function upgradeSnapshots(db: Database | Knex.Transaction, definitionId: string, migrations: SnapshotMigrations = SNAPSHOT_MIGRATIONS): Promise<number> {
  return db.transaction(async (trx) => {
    const row = await trx<DefinitionRow>('process_definitions').where({ id: definitionId }).forUpdate().first('compiler_version');
    if (!row) throw definitionNotFound(definitionId);
    const upgrade = snapshotUpgrade(row.compiler_version, migrations);
    if (upgrade.kind === 'current') return 0; // another process did it meanwhile
    const instances = await trx('process_instances').where({ definition_id: definitionId }).orderBy('id').forUpdate().select<Array<{ id: string; snapshot: StoredSnapshot }>>('id', 'snapshot');
    for (const instance of instances) {
      await trx('process_instances').where({ id: instance.id }).update({ snapshot: JSON.stringify(migrateSnapshot(instance.snapshot, upgrade.steps)), revision: trx.raw('revision + 1') });
    }
    await trx('process_definitions').where({ id: definitionId }).update({ compiler_version: COMPILER_VERSION });
    return instances.length;
  });
}

/**
 * A stored definition's model and its process: a file of several processes is stored whole with
 * each of its definitions, and a definition's key is its process's id (deployDefinition), so every
 * reading of a stored model reads the process its key names.
 */
export function storedProcess(row: Pick<DefinitionRow, 'key' | 'xml'>): StoredProcess {
  return { xml: row.xml, processId: row.key };
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
