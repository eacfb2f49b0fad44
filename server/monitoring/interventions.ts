import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import { moveToken, moveTokens, type TokenMove } from '../../engine/runtime/token-move.ts';
import { migrateToVersion, migrationProblems } from '../../engine/runtime/version-migration.ts';
import type { Database } from '../db/connect.ts';
import { recordDossierEvent } from '../dossiers/records.ts';
import { compiledDefinition, compiledInstance, type DefinitionRow } from '../execution/definitions.ts';
import { instanceNotFound, storeStep, type InstanceRow } from '../execution/instances.ts';
import { historyColumns } from '../execution/write-plan.ts';
import { keyString, MAX_COMMENT_LENGTH, safeString } from '../http/input-limits.ts';
import type { Principal } from '../identity/roles.ts';

/**
 * The operator's two interventions on a running instance besides cancelling it (issue 14,
 * docs/monitoring.md): moving a stuck token to another step of the same scope, and migrating the
 * instance to a newer version of its process where the mapping is proven. Each is computed by the
 * engine (engine/runtime/token-move.ts, version-migration.ts) under the instance's lock and stored
 * in one transaction with: a history step (`move` at the target, `migrate`) with the operator as
 * actor; an audit record of the same transaction with the reason and what changed (the instance
 * history shows it, joined by transaction); a line in the dossier's history. Circular 01 Art. 23.4:
 * every step of a dossier is recorded, who did it and when.
 */

const reason = safeString(MAX_COMMENT_LENGTH).trim().min(5, 'at least 5 characters');

/** At most this many tokens moved at once: the elements an instance stands at in parallel. */
export const MAX_MOVES = 20;

const pair = z.object({ from: keyString, to: keyString });

/**
 * One token (`from`, `to`) or several (`moves`, each `{from, to}`: engine/runtime/token-move.ts,
 * moveTokens), never both; an element left twice is refused naming the second.
 */
export const moveBody = z
  .object({
    /** The active element the token leaves. */
    from: keyString.optional(),
    /** The element it goes to: a user task, an automated task or a catch event of the same scope. */
    to: keyString.optional(),
    /** Several tokens moved in one step and one intervention. */
    moves: z.array(pair).min(1).max(MAX_MOVES).optional(),
    reason,
  })
  .superRefine((body, context) => {
    if (body.moves === undefined) {
      if (body.from === undefined) context.addIssue({ code: 'custom', path: ['from'], message: 'required: the element the token leaves (or moves: [{from, to}, …])' });
      if (body.to === undefined) context.addIssue({ code: 'custom', path: ['to'], message: 'required: the element the token goes to' });
      return;
    }
    if (body.from !== undefined || body.to !== undefined) context.addIssue({ code: 'custom', path: [body.from !== undefined ? 'from' : 'to'], message: 'either from and to, or moves, not both' });
    body.moves.forEach((move, index) => {
      if (body.moves!.findIndex((other) => other.from === move.from) < index) context.addIssue({ code: 'custom', path: ['moves', index, 'from'], message: `${move.from} is already left by an earlier move` });
    });
  });

/** The pairs a move request names. */
export function movesOf(body: z.infer<typeof moveBody>): TokenMove[] {
  return body.moves ?? [{ from: body.from!, to: body.to! }];
}

export const migrateBody = z.object({
  /** The deployed version to migrate to: a newer version of the same process. */
  targetDefinitionId: z.uuid('not a definition id (UUID)'),
  reason,
});

/** What an intervention records (the audit record's detail, read back with the history step). */
export type Intervention =
  | { kind: 'move'; reason: string; from: string; to: string }
  | { kind: 'move'; reason: string; moves: TokenMove[] }
  | { kind: 'migrate'; reason: string; from: { definitionId: string; version: number }; to: { definitionId: string; version: number } };

/** The audit action of each intervention; the history reads the record back by its transaction. */
export const INTERVENTION_ACTIONS = { move: 'instance.move', migrate: 'instance.migrate' } as const;

function notActive(instanceId: string, status: string): QuyTrinhError {
  return new QuyTrinhError('conflict', 'instance.not-active', {
    vi: `Hồ sơ quy trình ${instanceId} đã kết thúc (${status}): không chuyển bước hay chuyển phiên bản được`,
    en: `Process instance ${instanceId} has already ended (${status}): it cannot be moved or migrated`,
  });
}

/** A run of a parallel multi-instance sub-process is one body of it: refused, as the engine refuses moves inside one. */
function runOfMultiInstance(scopeElementId: string, field: string): QuyTrinhError {
  const text = {
    vi: `Hồ sơ quy trình này là một thể hiện của hoạt động nhiều thể hiện ${scopeElementId}: hãy thao tác trên hồ sơ quy trình đã mở nó`,
    en: `This process instance is one instance of the multi-instance activity ${scopeElementId}: act on the instance that opened it`,
  };
  return new QuyTrinhError('unprocessable', 'intervention.multi-instance-run', text, [{ field, elementId: scopeElementId, message: text.en, messages: text }]);
}

/** The definition an instance runs, read before its lock (as applyInstanceEvent does: a cold cache reads the model over another connection). */
async function instanceDefinition(db: Database, instanceId: string): Promise<{ definition_id: string; scope_element_id: string | null }> {
  const row = await db('process_instances').where({ id: instanceId }).first<{ definition_id: string; scope_element_id: string | null } | undefined>('definition_id', 'scope_element_id');
  if (!row) throw instanceNotFound(instanceId);
  return row;
}

/** The instance locked, running, on the definition read before the lock; its dossier if it has one. */
async function lockRunning(trx: Knex.Transaction, instanceId: string, definitionId: string): Promise<{ instance: InstanceRow; dossierId: string | undefined }> {
  const instance = await trx<InstanceRow>('process_instances').where({ id: instanceId }).forUpdate().first();
  if (!instance) throw instanceNotFound(instanceId);
  if (instance.status !== 'active') throw notActive(instanceId, instance.status);
  if (instance.definition_id !== definitionId) {
    throw new QuyTrinhError('conflict', 'instance.changed', { vi: `Hồ sơ quy trình ${instanceId} vừa được chuyển phiên bản: hãy thử lại`, en: `Process instance ${instanceId} was just migrated: try again` });
  }
  const dossier = await trx('dossiers').where({ instance_id: instanceId }).first<{ id: string } | undefined>('id');
  return { instance, dossierId: dossier?.id };
}

async function record(trx: Knex.Transaction, principal: Principal, instanceId: string, dossierId: string | undefined, intervention: Intervention, text: { vi: string; en: string }, now: Date): Promise<void> {
  await trx('audit_log').insert({ actor: principal.actor, action: INTERVENTION_ACTIONS[intervention.kind], status: 200, target: instanceId, detail: JSON.stringify(intervention), at: now });
  if (dossierId) await recordDossierEvent(trx, dossierId, intervention.kind === 'move' ? 'step-moved' : 'version-migrated', principal.actor, { ...intervention, text }, now);
}

/**
 * Moves the token of a running instance from one active element to another of the same scope
 * (engine/runtime/token-move.ts): the left element's task, job, timers and subscriptions closed,
 * the target's opened, the open incidents of what was left resolved. Several tokens (`moves`) are
 * moved in one step and recorded as one intervention, or not at all.
 */
export async function moveInstanceToken(db: Database, principal: Principal, instanceId: string, body: z.infer<typeof moveBody>): Promise<{ id: string; activeElementIds: string[] }> {
  const moves = movesOf(body);
  const definition = await instanceDefinition(db, instanceId);
  if (definition.scope_element_id !== null) throw runOfMultiInstance(definition.scope_element_id, 'params.id');
  const compiled = await compiledInstance(definition, db);
  const now = new Date();
  return db.transaction(async (trx) => {
    const { instance, dossierId } = await lockRunning(trx, instanceId, definition.definition_id);
    const step = body.moves ? moveTokens(compiled, instance.snapshot, moves) : moveToken(compiled, instance.snapshot, moves[0]!);
    const targets = [...new Set(moves.map((move) => move.to))];
    await storeStep(trx, instance, { step, eventType: 'move', elementId: targets.length === 1 ? targets[0] : undefined, meta: { eventId: `move:${randomUUID()}`, actor: principal.actor } }, now);
    // The incidents of what was left (the elements, and what ran inside them) no longer stop anything.
    const left = [...moves.map((move) => move.from), ...instance.active_element_ids.filter((id) => !step.activeElementIds.includes(id))];
    await trx('incidents').where({ instance_id: instanceId }).whereIn('element_id', left).whereNull('resolved_at').update({ resolved_at: now });
    const said = moves.map((move) => `${move.from} → ${move.to}`).join(', ');
    await record(trx, principal, instanceId, dossierId, body.moves ? { kind: 'move', reason: body.reason, moves } : { kind: 'move', reason: body.reason, ...moves[0]! }, {
      vi: `Cán bộ chuyển hồ sơ ${body.moves ? `các bước ${said}` : `từ bước ${moves[0]!.from} sang bước ${moves[0]!.to}`}: ${body.reason}`,
      en: `An operator moved the dossier ${body.moves ? `at steps ${said}` : `from step ${moves[0]!.from} to step ${moves[0]!.to}`}: ${body.reason}`,
    }, now);
    return { id: instanceId, activeElementIds: step.activeElementIds };
  });
}

function badTarget(targetDefinitionId: string, vi: string, en: string): QuyTrinhError {
  return new QuyTrinhError('unprocessable', 'migration.bad-target', { vi, en }, [{ field: 'body.targetDefinitionId', message: en, messages: { vi, en } }]);
}

/**
 * Migrates a running instance to a newer deployed version of its process, when every state it is
 * in has a proven counterpart there (engine/runtime/version-migration.ts); else 422 naming the
 * elements. Its tasks, jobs, timers and subscriptions stay as they are (the mapping proved the new
 * version would have opened the same); instances it started keep their own versions, the runs of
 * a parallel multi-instance sub-process included (they answer the same element of the new version).
 * Its dossier keeps the version it was submitted under (its form and components).
 */
export async function migrateInstance(db: Database, principal: Principal, instanceId: string, request: { targetDefinitionId: string; reason: string }): Promise<{ id: string; version: number }> {
  const definition = await instanceDefinition(db, instanceId);
  if (definition.scope_element_id !== null) throw runOfMultiInstance(definition.scope_element_id, 'params.id');
  const versions = await db<DefinitionRow>('process_definitions').whereIn('id', [definition.definition_id, request.targetDefinitionId]).select('id', 'key', 'version');
  const current = versions.find((row) => row.id === definition.definition_id)!;
  const target = versions.find((row) => row.id === request.targetDefinitionId);
  if (!target) throw badTarget(request.targetDefinitionId, `Không có phiên bản quy trình ${request.targetDefinitionId}`, `No deployed definition ${request.targetDefinitionId}`);
  if (target.key !== current.key || target.version <= current.version) {
    throw badTarget(
      request.targetDefinitionId,
      `Chỉ chuyển được sang một phiên bản mới hơn của cùng quy trình ${current.key} (đang ở phiên bản ${current.version}; đích là ${target.key} phiên bản ${target.version})`,
      `An instance is migrated only to a newer version of the same process ${current.key} (it runs version ${current.version}; the target is ${target.key} version ${target.version})`,
    );
  }
  // Both compiled before the lock; an older compiler's snapshots are migrated on the way (definitions.ts).
  const [from, to] = await Promise.all([compiledInstance(definition, db), compiledDefinition(target.id, db)]);
  const now = new Date();
  return db.transaction(async (trx) => {
    const { instance, dossierId } = await lockRunning(trx, instanceId, definition.definition_id);
    const step = migrateToVersion(from, to, instance.snapshot, { from: current.version, to: target.version });
    await trx('process_instances').where({ id: instanceId }).update({ definition_id: target.id, snapshot: JSON.stringify(step.snapshot), revision: instance.revision + 1 });
    await trx('instance_history').insert(historyColumns(instanceId, { eventId: `migrate:${randomUUID()}`, actor: principal.actor, at: now }, 'migrate', undefined, {}, step));
    await record(trx, principal, instanceId, dossierId, { kind: 'migrate', reason: request.reason, from: { definitionId: current.id, version: current.version }, to: { definitionId: target.id, version: target.version } }, {
      vi: `Cán bộ chuyển hồ sơ từ phiên bản quy trình ${current.version} sang phiên bản ${target.version}: ${request.reason}`,
      en: `An operator migrated the dossier from process version ${current.version} to version ${target.version}: ${request.reason}`,
    }, now);
    return { id: instanceId, version: target.version };
  });
}

/** The version whose instances are migrated and the newer one they go to, checked; `at` is where the request named them (body or query). */
async function migrationVersions(db: Database, key: string, fromVersion: number, targetDefinitionId: string, at: 'body' | 'query'): Promise<{ id: string; version: number; target: { id: string; version: number } }> {
  const source = await db<DefinitionRow>('process_definitions').where({ key, version: fromVersion }).first('id', 'version');
  if (!source) {
    const text = { vi: `Quy trình ${key} không có phiên bản ${fromVersion}`, en: `Process ${key} has no version ${fromVersion}` };
    throw new QuyTrinhError('unprocessable', 'migration.bad-source', text, [{ field: `${at}.fromVersion`, message: text.en, messages: text }]);
  }
  const target = await db<DefinitionRow>('process_definitions').where({ id: targetDefinitionId }).first('id', 'key', 'version');
  if (!target || target.key !== key || target.version <= fromVersion) {
    const text = { vi: `Phiên bản đích phải là một phiên bản mới hơn phiên bản ${fromVersion} của quy trình ${key}`, en: `The target must be a version of process ${key} newer than version ${fromVersion}` };
    throw new QuyTrinhError('unprocessable', 'migration.bad-target', text, [{ field: `${at}.targetDefinitionId`, message: text.en, messages: text }]);
  }
  return { id: source.id, version: source.version, target: { id: target.id, version: target.version } };
}

export const migrationPreviewQuery = z.object({
  fromVersion: z.coerce.number().int().positive('a version number: 1, 2, ...'),
  targetDefinitionId: z.uuid('not a definition id (UUID)'),
});

/**
 * What a bulk migration would do, before it is done (the procedure screen's dialog): how many
 * running instances of the version there are, how many have a proven mapping, and those without,
 * grouped by the elements that have none. Whether an instance maps depends only on the states it
 * is in (version-migration.ts compares the states and their effects, never the instance's data),
 * so the instances are grouped by their state configuration and one of each group is checked: one
 * query over the version's running instances, one check per configuration.
 */
export async function migrationPreview(db: Database, key: string, query: z.infer<typeof migrationPreviewQuery>): Promise<{ running: number; migratable: number; refused: Array<{ elementIds: string[]; names: string[]; instances: number }> }> {
  const source = await migrationVersions(db, key, query.fromVersion, query.targetDefinitionId, 'query');
  const { rows } = await db.raw<{ rows: Array<{ instances: number; sample: string }> }>(
    `select count(*)::int as instances, min(id::text) as sample from process_instances
      where definition_id = ? and status = 'active' and scope_element_id is null group by snapshot -> 'value'`,
    [source.id],
  );
  const [from, to] = await Promise.all([compiledDefinition(source.id, db), compiledDefinition(source.target.id, db)]);
  const samples = new Map((await db('process_instances').whereIn('id', rows.map((row) => row.sample)).select<Array<{ id: string; snapshot: InstanceRow['snapshot'] }>>('id', 'snapshot')).map((row) => [row.id, row.snapshot]));
  const refused = new Map<string, { elementIds: string[]; names: string[]; instances: number }>();
  let migratable = 0;
  for (const row of rows) {
    const problems = migrationProblems(from, to, samples.get(row.sample)!);
    if (problems.length === 0) {
      migratable += row.instances;
      continue;
    }
    const elementIds = problems.map((problem) => problem.elementId!).sort();
    // Named as the version they run names them: the newer one may have renamed or removed them.
    const group = refused.get(elementIds.join()) ?? { elementIds, names: elementIds.map((id) => from.graph.nodes.get(id)?.name ?? id), instances: 0 };
    group.instances += row.instances;
    refused.set(elementIds.join(), group);
  }
  return { running: rows.reduce((sum, row) => sum + row.instances, 0), migratable, refused: [...refused.values()].sort((a, b) => b.instances - a.instances) };
}

/** The bulk form: the running instances of one version, a limited batch at a time. */
export const MAX_BULK_MIGRATION = 100;

export const bulkMigrateBody = z.object({
  /** The version whose running instances are migrated. */
  fromVersion: z.number().int().positive('a version number: 1, 2, ...'),
  targetDefinitionId: z.uuid('not a definition id (UUID)'),
  reason,
  limit: z.number().int().min(1).max(MAX_BULK_MIGRATION).default(MAX_BULK_MIGRATION),
  /** The previous batch's `next`: its instances are not examined again (those refused stay on their version). */
  after: z.uuid('the previous answer\'s next (an instance id)').optional(),
});

/**
 * Migrates the running instances of one version of a process to a newer one, at most `limit` of
 * them, in instance id order after `after`: each in its own transaction as migrateInstance does it,
 * those without a proven mapping listed with the elements that have no counterpart. `next` names
 * where the following batch starts, null when none is left.
 */
export async function migrateVersion(db: Database, principal: Principal, key: string, request: z.infer<typeof bulkMigrateBody>): Promise<{ migrated: string[]; refused: Array<{ instanceId: string; code: string; elementIds: string[] }>; next: string | null }> {
  const source = await migrationVersions(db, key, request.fromVersion, request.targetDefinitionId, 'body');
  const instances = (await db('process_instances')
    .where({ definition_id: source.id, status: 'active' })
    .whereNull('scope_element_id')
    .modify((query) => { if (request.after) void query.where('id', '>', request.after); })
    .orderBy('id')
    .limit(request.limit + 1)
    .pluck('id')) as string[];
  const batch = instances.slice(0, request.limit);
  const migrated: string[] = [];
  const refused: Array<{ instanceId: string; code: string; elementIds: string[] }> = [];
  for (const instanceId of batch) {
    try {
      await migrateInstance(db, principal, instanceId, { targetDefinitionId: request.targetDefinitionId, reason: request.reason });
      migrated.push(instanceId);
    } catch (error) {
      // Refused for this instance (no proven mapping, or it ended meanwhile): listed, the others go on.
      if (!(error instanceof QuyTrinhError) || (error.kind !== 'unprocessable' && error.kind !== 'conflict')) throw error;
      refused.push({ instanceId, code: error.code, elementIds: error.details.flatMap((detail) => (detail.elementId ? [detail.elementId] : [])) });
    }
  }
  return { migrated, refused, next: instances.length > request.limit ? batch.at(-1)! : null };
}
