import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { completeUserTask, type UserTaskRow } from '../execution/tasks.ts';
import { MAX_KEY_LENGTH, safeString, variablesSchema } from './input-limits.ts';
import { validate } from './problem.ts';

const listQuery = z.object({ instanceId: z.uuid().optional(), candidateGroup: safeString(MAX_KEY_LENGTH).min(1).optional() });
const completeBody = z.object({ variables: variablesSchema.optional(), actor: safeString(MAX_KEY_LENGTH).optional() });

/** `/api/tasks`: open user tasks, by instance or candidate group (the lane), and their completion. */
export function tasksRouter(db: Database): Router {
  const router = Router();

  router.get('/tasks', async (request, response) => {
    const query = validate(listQuery, request.query, 'query');
    const open = db<UserTaskRow>('user_tasks').where({ status: 'open' });
    if (query.instanceId) void open.where({ instance_id: query.instanceId });
    if (query.candidateGroup) void open.where({ candidate_group: query.candidateGroup });
    const rows = await open.orderBy([{ column: 'due_at', nulls: 'last' }, { column: 'created_at' }]);
    response.json(
      rows.map((row: UserTaskRow) => ({
        id: row.id,
        instanceId: row.instance_id,
        elementId: row.element_id,
        name: row.name,
        candidateGroup: row.candidate_group,
        dueAt: row.due_at,
        // For one instance of a multi-instance task: its position and item (e.g. the agency to consult).
        ...(row.multi_index === null ? {} : { index: row.multi_index, item: row.item }),
      })),
    );
  });

  router.post('/tasks/:id/complete', async (request, response) => {
    const { id } = validate(z.object({ id: z.uuid('not a task id (UUID)') }), request.params, 'params');
    const body = validate(completeBody, request.body ?? {}, 'body');
    await completeUserTask(db, id, body.variables, body.actor);
    response.json({ id, status: 'completed' });
  });

  return router;
}
