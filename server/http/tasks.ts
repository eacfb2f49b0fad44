import { Router } from 'express';
import { z } from 'zod';
import { makeFormCode } from '../../engine/codes/form-code.ts';
import type { ProcessGraph } from '../../engine/bpmn/process-graph.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { parseForm, validateSubmission } from '../../engine/forms/index.ts';
import type { Database } from '../db/connect.ts';
import { compiledInstance } from '../execution/definitions.ts';
import { completeUserTask, completeUserTaskWith, type UserTaskRow } from '../execution/tasks.ts';
import { requirePrincipal } from '../access/authorize.ts';
import { officialLanes } from '../access/scopes.ts';
import { latestForm } from '../dossiers/forms.ts';
import { requireOffered } from '../dossiers/receipt.ts';
import { recordDossierEvent } from '../dossiers/records.ts';
import { accountPrincipal, type AccountRow } from '../identity/accounts.ts';
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
  /** A dossier code, or part of the applicant's name or ID. */
  q: safeString(200).trim().min(1).optional(),
  /** Only the tasks the caller has claimed. */
  mine: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
});
const taskParams = z.object({ id: z.uuid('not a task id (UUID)') });
// The actor is whoever is signed in: a body can no longer name one (issue 9).
const completeBody = z.object({ variables: variablesSchema.optional() }).strict();
const assignBody = z.object({ username: z.string().trim().min(1, 'required').max(100) }).strict();

/** Soonest due first (so overdue first), tasks without a due date last; migration 0015's user_tasks_list indexes serve it. */
const taskOrder: Keyset = {
  name: 'tasks',
  keys: [
    { sql: `coalesce(user_tasks.due_at, 'infinity'::timestamptz)`, kind: 'timestamp' },
    { sql: 'user_tasks.created_at', kind: 'timestamp' },
    { sql: 'user_tasks.id', kind: 'uuid' },
  ],
};

type TaskListRow = UserTaskRow & { definition_id: string; scope_element_id: string | null; dossier_id: string | null; dossier_code: string | null; applicant_name: string | null; procedure_name: string | null; assignee_username: string | null; assignee_name: string | null };

/** A task with what its routes need beside it: its instance's definition and its dossier, read in one query. */
type TaskContext = UserTaskRow & { definition_id: string; scope_element_id: string | null; dossier_id: string | null };

async function taskById(db: Database, id: string): Promise<TaskContext> {
  const task = await db<UserTaskRow>('user_tasks as t')
    .join('process_instances as i', 'i.id', 't.instance_id')
    .leftJoin('dossiers as d', 'd.instance_id', 't.instance_id')
    .where('t.id', id)
    .first<TaskContext | undefined>('t.*', 'i.definition_id', 'i.scope_element_id', 'd.id as dossier_id');
  if (!task) throw new QuyTrinhError('not-found', 'task.not-found', { vi: `Không có công việc ${id}`, en: `No task ${id}` });
  return task;
}

/** The model's element of a task (from the compiled definition, cached): its decision form (`qt:form`) and whether it is the receipt check. */
async function taskStep(db: Database, task: TaskContext) {
  const graph = (await compiledInstance(task, db)).graph;
  const node = graph.nodes.get(task.element_id);
  const procedureCode = graph.procedure.procedureCode;
  const formCode = node?.qt.form && procedureCode ? makeFormCode({ procedureCode, symbol: node.qt.form }) : undefined;
  return { dossierStep: node?.qt.dossierStep, formCode };
}

/** `/api/tasks`: the officials' inbox (the product's Tasklist), one task, its completion, claim and assignment. */
export function tasksRouter(db: Database): Router {
  const router = Router();

  router.get('/tasks', async (request, response) => {
    const { limit, cursor, ...filter } = validate(listQuery, request.query, 'query');
    const principal = requirePrincipal(response);
    const tasks = db<UserTaskRow>('user_tasks')
      .leftJoin('dossiers as d', 'd.instance_id', 'user_tasks.instance_id')
      .leftJoin('accounts as a', 'a.id', 'user_tasks.assignee_account_id')
      .join('process_instances as i', 'i.id', 'user_tasks.instance_id')
      .select('user_tasks.*', 'i.definition_id', 'i.scope_element_id', 'd.id as dossier_id', 'd.code as dossier_code', 'd.applicant_name', 'd.procedure_name', 'a.username as assignee_username', 'a.display_name as assignee_name')
      .where('user_tasks.status', filter.status);
    // An official is offered exactly the tasks of the lanes their agencies and functions hold.
    if (!hasRole(principal, 'admin')) void tasks.whereIn('user_tasks.candidate_group', await officialLanes(db, principal));
    if (filter.instanceId) void tasks.where('user_tasks.instance_id', filter.instanceId);
    if (filter.candidateGroup) void tasks.where('user_tasks.candidate_group', filter.candidateGroup);
    // The sort expression, so the index bounds the scan; a task with no due date (infinity) is never before.
    if (filter.dueBefore) void tasks.whereRaw(`${taskOrder.keys[0]!.sql} < ?::timestamptz`, [filter.dueBefore]);
    if (filter.definitionKey) {
      void tasks.whereIn('user_tasks.instance_id', db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', filter.definitionKey).select('i.id'));
    }
    if (filter.mine) void tasks.where('user_tasks.assignee_account_id', principal.id);
    if (filter.q) {
      const q = filter.q;
      void tasks.where((match) => void match.where('d.code', q).orWhere('d.applicant_id', q).orWhereILike('d.applicant_name', `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
    }
    const now = Date.now();
    const page = await pageOf(db, tasks, taskOrder, { limit, cursor }, (row: TaskListRow) => row);
    // The step's part in the dossier (the receipt check has its own actions), from each definition's compiled graph (cached).
    const graphs = new Map<string, Promise<ProcessGraph | undefined>>();
    const graphOf = (row: TaskListRow) => {
      const key = `${row.definition_id}:${row.scope_element_id ?? ''}`;
      if (!graphs.has(key)) graphs.set(key, compiledInstance({ definition_id: row.definition_id, scope_element_id: row.scope_element_id }, db).then((compiled) => compiled.graph, () => undefined));
      return graphs.get(key)!;
    };
    // A definition that no longer compiles (a compiler change) still lists its tasks; it just has no dossier step.
    const steps = await Promise.all(page.items.map(async (row) => (await graphOf(row))?.nodes.get(row.element_id)?.qt.dossierStep ?? null));
    response.json({
      ...page,
      items: page.items.map((row, index) => ({
        id: row.id,
        instanceId: row.instance_id,
        elementId: row.element_id,
        name: row.name,
        candidateGroup: row.candidate_group,
        status: row.status,
        dueAt: row.due_at,
        overdue: row.status === 'open' && row.due_at !== null && row.due_at.getTime() < now,
        assignee: row.assignee_username,
        assigneeName: row.assignee_name,
        dossierStep: steps[index],
        dossier: row.dossier_id ? { id: row.dossier_id, code: row.dossier_code, applicantName: row.applicant_name, procedureName: row.procedure_name } : null,
        // For one instance of a multi-instance task: its position and item (e.g. the agency to consult).
        ...(row.multi_index === null ? {} : { index: row.multi_index, item: row.item }),
      })),
    });
  });

  router.get('/tasks/:id', async (request, response) => {
    const { id } = validate(taskParams, request.params, 'params');
    const task = await taskById(db, id);
    const { dossierStep, formCode } = await taskStep(db, task);
    const form = formCode ? await latestForm(db, formCode) : undefined;
    const dossier = await db('dossiers').where({ instance_id: task.instance_id }).first<{ id: string; code: string } | undefined>('id', 'code');
    const assignee = task.assignee_account_id ? await db('accounts').where({ id: task.assignee_account_id }).first<{ username: string }>('username') : undefined;
    response.json({
      id: task.id,
      instanceId: task.instance_id,
      elementId: task.element_id,
      name: task.name,
      candidateGroup: task.candidate_group,
      status: task.status,
      dueAt: task.due_at,
      assignee: assignee?.username ?? null,
      dossierStep: dossierStep ?? null,
      form: form ?? null,
      dossier: dossier ?? null,
    });
  });

  router.post('/tasks/:id/complete', async (request, response) => {
    const { id } = validate(taskParams, request.params, 'params');
    const body = validate(completeBody, request.body ?? {}, 'body');
    const principal = requirePrincipal(response);
    const task = await taskById(db, id);
    await requireOffered(db, principal, task);
    const { dossierStep, formCode } = await taskStep(db, task);
    // The receipt check has its own actions, which keep Decree 45's rules (amendment asked once).
    if (dossierStep === 'receipt') {
      throw new QuyTrinhError('conflict', 'task.use-receipt-actions', {
        vi: 'Bước tiếp nhận được xử lý bằng các thao tác Tiếp nhận / Yêu cầu bổ sung / Từ chối của hồ sơ',
        en: "The receipt check is decided with the dossier's receive / request amendment / refuse actions",
      });
    }
    const form = formCode ? await latestForm(db, formCode) : undefined;
    // A decision form is checked on the server like an application (docs/dossiers.md); without one, the variables as sent.
    const variables = form ? validateSubmission(parseForm(form.schema), body.variables ?? {}) : body.variables;
    const dossierId = task.dossier_id;
    if (dossierId) {
      await completeUserTaskWith(db, id, variables, principal.actor, (trx) => recordDossierEvent(trx, dossierId, 'task-completed', principal.actor, { elementId: task.element_id, name: task.name }).then(() => undefined));
    } else {
      await completeUserTask(db, id, variables, principal.actor);
    }
    response.json({ id, status: 'completed' });
  });

  router.post('/tasks/:id/claim', async (request, response) => {
    const { id } = validate(taskParams, request.params, 'params');
    const principal = requirePrincipal(response);
    // A task is claimed by a person: a machine token has no account to hold it.
    if (principal.kind !== 'account') {
      throw new QuyTrinhError('forbidden', 'task.claim-needs-account', { vi: 'Chỉ cán bộ đăng nhập bằng tài khoản mới nhận xử lý được công việc', en: 'Only an official signed in with an account can claim a task' });
    }
    const task = await openTask(db, id);
    await requireOffered(db, principal, task);
    await db('user_tasks').where({ id, status: 'open' }).update({ assignee_account_id: principal.id });
    response.json({ id, assignee: principal.actor.replace(/^account:/, '') });
  });

  router.post('/tasks/:id/unclaim', async (request, response) => {
    const { id } = validate(taskParams, request.params, 'params');
    const principal = requirePrincipal(response);
    const task = await openTask(db, id);
    await requireOffered(db, principal, task);
    await db('user_tasks').where({ id, status: 'open' }).update({ assignee_account_id: null });
    response.json({ id, assignee: null });
  });

  router.post('/tasks/:id/assign', async (request, response) => {
    const { id } = validate(taskParams, request.params, 'params');
    const { username } = validate(assignBody, request.body ?? {}, 'body');
    const principal = requirePrincipal(response);
    const task = await openTask(db, id);
    await requireOffered(db, principal, task);
    const colleague = await db<AccountRow>('accounts').where({ username: username.toLowerCase() }).whereNull('disabled_at').first();
    // The colleague must be offered the task too: an assignment never widens who sees a dossier.
    const lanes = colleague ? await officialLanes(db, await accountPrincipal(db, colleague)) : [];
    if (!colleague || task.candidate_group === null || !lanes.includes(task.candidate_group)) {
      throw new QuyTrinhError('invalid-input', 'task.assignee-not-offered', {
        vi: `Không giao được cho ${username}: tài khoản không tồn tại hoặc không thuộc bộ phận xử lý bước này`,
        en: `Cannot assign to ${username}: no such account, or it does not hold this step's lane`,
      }, [{ field: 'body.username', message: 'not an official offered this task' }]);
    }
    await db('user_tasks').where({ id, status: 'open' }).update({ assignee_account_id: colleague.id });
    response.json({ id, assignee: colleague.username });
  });

  return router;
}

async function openTask(db: Database, id: string): Promise<UserTaskRow> {
  const task = await taskById(db, id);
  if (task.status !== 'open') throw new QuyTrinhError('conflict', 'task.not-open', { vi: `Công việc ${id} không còn mở`, en: `Task ${id} is no longer open` });
  return task;
}
