import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { completeUserTask, type UserTaskRow } from '../execution/tasks.ts';
import { requirePrincipal } from '../access/authorize.ts';
import { officialLanes } from '../access/scopes.ts';
import { hasRole } from '../identity/roles.ts';
import { pageOf, pageQuery, type Keyset } from './pagination.ts';
import { MAX_KEY_LENGTH, safeString, variablesSchema } from './input-limits.ts';
import { validate } from './problem.ts';

const listQuery = pageQuery.extend({
  status: z.enum(['open', 'completed', 'cancelled']).default('open'),
  instanceId: z.uuid().optional(),
  candidateGroup: safeString(MAX_KEY_LENGTH).min(1).optional(),
  definitionKey: safeString(MAX_KEY_LENGTH).min(1).optional(),
  /** Tasks due before this moment (overdue ones, with the current time); tasks with no due date are never included. */
  dueBefore: z.iso.datetime({ offset: true }).optional(),
});
const taskParams = z.object({ id: z.uuid('not a task id (UUID)') });
// The actor is whoever is signed in: a body can no longer name one (issue 9).
const completeBody = z.object({ variables: variablesSchema.optional() }).strict();

/** Soonest due first, tasks without a due date last; migration 0015's user_tasks_list indexes serve it. */
const taskOrder: Keyset = {
  name: 'tasks',
  keys: [
    { sql: `coalesce(user_tasks.due_at, 'infinity'::timestamptz)`, kind: 'timestamp' },
    { sql: 'user_tasks.created_at', kind: 'timestamp' },
    { sql: 'user_tasks.id', kind: 'uuid' },
  ],
};

/** `/api/tasks`: user tasks (open unless asked), by instance, candidate group (the lane), procedure or due date, and their completion. */
export function tasksRouter(db: Database): Router {
  const router = Router();

  router.get('/tasks', async (request, response) => {
    const { limit, cursor, ...filter } = validate(listQuery, request.query, 'query');
    const principal = requirePrincipal(response);
    const tasks = db<UserTaskRow>('user_tasks').select('user_tasks.*').where('user_tasks.status', filter.status);
    // An official is offered exactly the tasks of the lanes their agencies and functions hold.
    if (!hasRole(principal, 'admin')) void tasks.whereIn('user_tasks.candidate_group', await officialLanes(db, principal));
    if (filter.instanceId) void tasks.where('user_tasks.instance_id', filter.instanceId);
    if (filter.candidateGroup) void tasks.where('user_tasks.candidate_group', filter.candidateGroup);
    // The sort expression, so the index bounds the scan; a task with no due date (infinity) is never before.
    if (filter.dueBefore) void tasks.whereRaw(`${taskOrder.keys[0]!.sql} < ?::timestamptz`, [filter.dueBefore]);
    if (filter.definitionKey) {
      void tasks.whereIn('user_tasks.instance_id', db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', filter.definitionKey).select('i.id'));
    }
    response.json(
      await pageOf(db, tasks, taskOrder, { limit, cursor }, (row: UserTaskRow) => ({
        id: row.id,
        instanceId: row.instance_id,
        elementId: row.element_id,
        name: row.name,
        candidateGroup: row.candidate_group,
        status: row.status,
        dueAt: row.due_at,
        // For one instance of a multi-instance task: its position and item (e.g. the agency to consult).
        ...(row.multi_index === null ? {} : { index: row.multi_index, item: row.item }),
      })),
    );
  });

  router.post('/tasks/:id/complete', async (request, response) => {
    const { id } = validate(taskParams, request.params, 'params');
    const body = validate(completeBody, request.body ?? {}, 'body');
    await completeUserTask(db, id, body.variables, requirePrincipal(response).actor);
    response.json({ id, status: 'completed' });
  });

  return router;
}
