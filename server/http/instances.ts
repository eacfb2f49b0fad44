import { Router } from 'express';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { requirePrincipal } from '../access/authorize.ts';
import { restrictInstanceList } from '../access/scopes.ts';
import { pageOf, pageQuery, type Keyset } from './pagination.ts';
import { validate } from './problem.ts';

const idParams = z.object({ id: z.uuid('not an instance id (UUID)') });
const instancesQuery = pageQuery.extend({
  callerInstanceId: z.uuid('not an instance id (UUID)').optional(),
  definitionKey: z.string().min(1).max(200).optional(),
  status: z.enum(['active', 'completed', 'terminated', 'failed']).optional(),
  businessKey: z.string().min(1).max(200).optional(),
});

// The orders of migration 0015's process_instances_list* and instance_history_list indexes.
const newestFirst: Keyset = {
  name: 'instances',
  keys: [
    { sql: 'i.started_at', kind: 'timestamp', descending: true },
    { sql: 'i.id', kind: 'uuid', descending: true },
  ],
};
/** Runs of one caller by calling element, then item (a single call first), then start. */
const runOrder: Keyset = {
  name: 'instances.by-caller',
  keys: [
    { sql: `coalesce(i.parent_element_id, '')`, kind: 'text' },
    { sql: 'coalesce(i.parent_multi_index, -1)', kind: 'integer' },
    { sql: 'i.started_at', kind: 'timestamp' },
    { sql: 'i.id', kind: 'uuid' },
  ],
};
const historyOrder: Keyset = { name: 'history', keys: [{ sql: 'id', kind: 'bigint' }] };

/** `/api/instances/{id}`: where an instance is, and everything that happened to it. */
export function instancesRouter(db: Database): Router {
  const router = Router();

  router.get('/instances/:id', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const [row] = await instanceRows(db).where('i.id', id);
    if (!row) throw new QuyTrinhError('not-found', 'instance.not-found', { vi: `Không có hồ sơ quy trình ${id}`, en: `No process instance ${id}` });
    response.json(instanceJson(row));
  });

  // Instances, newest first; with callerInstanceId, the ones an instance started: its call activities' and, one per item, its multi-instance call activities' and parallel sub-processes' runs, in item order.
  router.get('/instances', async (request, response) => {
    const { limit, cursor, ...filter } = validate(instancesQuery, request.query, 'query');
    const instances = instanceRows(db);
    // The runs of an instance the caller may read (its scope was checked); otherwise only the caller's own.
    if (filter.callerInstanceId) void instances.where('i.parent_instance_id', filter.callerInstanceId);
    else await restrictInstanceList(db, requirePrincipal(response), instances);
    if (filter.definitionKey) void instances.where('d.key', filter.definitionKey);
    if (filter.status) void instances.where('i.status', filter.status);
    if (filter.businessKey) void instances.where('i.business_key', filter.businessKey);
    response.json(await pageOf(db, instances, filter.callerInstanceId ? runOrder : newestFirst, { limit, cursor }, instanceJson));
  });

  router.get('/instances/:id/history', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const page = validate(pageQuery, request.query, 'query');
    const history = db('instance_history').select('*').where({ instance_id: id });
    response.json(await pageOf(db, history, historyOrder, page, (row: Record<string, unknown>) => ({
      eventId: row.event_id,
      eventType: row.event_type,
      elementId: row.element_id,
      actor: row.actor,
      at: row.at,
      variablesChanged: row.variables_changed,
      statusAfter: row.status_after,
      activeAfter: row.active_after,
    })));
  });

  return router;
}

interface InstanceJoinRow {
  id: string;
  key: string;
  version: number;
  business_key: string | null;
  status: string;
  active_element_ids: string[];
  variables: Record<string, unknown>;
  failure: unknown;
  parent_instance_id: string | null;
  parent_element_id: string | null;
  parent_multi_index: number | null;
  scope_element_id: string | null;
  started_at: Date;
  ended_at: Date | null;
}

function instanceRows(db: Database) {
  return db('process_instances as i')
    .join('process_definitions as d', 'd.id', 'i.definition_id')
    .select<InstanceJoinRow[]>('i.id', 'd.key', 'd.version', 'i.business_key', 'i.status', 'i.active_element_ids', 'i.variables', 'i.failure', 'i.parent_instance_id', 'i.parent_element_id', 'i.parent_multi_index', 'i.scope_element_id', 'i.started_at', 'i.ended_at');
}

function instanceJson(row: InstanceJoinRow) {
  return {
    id: row.id,
    definitionKey: row.key,
    version: row.version,
    businessKey: row.business_key,
    status: row.status,
    activeElementIds: row.active_element_ids,
    variables: row.variables,
    failure: row.failure,
    /** Set when a call activity (or a parallel multi-instance sub-process) of another instance started this one. */
    callerInstanceId: row.parent_instance_id,
    ...(row.parent_element_id === null ? {} : { callerElementId: row.parent_element_id }),
    // One instance of a multi-instance activity: its position in the collection.
    ...(row.parent_multi_index === null ? {} : { callerIndex: row.parent_multi_index }),
    // A run of a parallel multi-instance sub-process: the sub-process whose inside it runs.
    ...(row.scope_element_id === null ? {} : { runOf: row.scope_element_id }),
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}
