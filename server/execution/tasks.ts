import type { Knex } from 'knex';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { applyInstanceEvent } from './instances.ts';
import { CompletionBatcher, type CompletionRequest } from './completion-batcher.ts';
import { completionEventId, type TaskCompletionRead } from './single-statement-step.ts';

export interface UserTaskRow {
  id: string;
  instance_id: string;
  element_id: string;
  name: string | null;
  candidate_group: string | null;
  /** Who among the lane's officials claimed it (the workspace's claim and assignment). */
  assignee_account_id: string | null;
  due_at: Date | null;
  status: 'open' | 'completed' | 'cancelled';
  multi_index: number | null;
  item: unknown;
}

function notOpen(taskId: string): QuyTrinhError {
  return new QuyTrinhError('conflict', 'task.not-open', {
    vi: `Công việc ${taskId} không còn mở (đã hoàn thành hoặc đã huỷ)`,
    en: `Task ${taskId} is no longer open (completed or cancelled)`,
  });
}

/**
 * Completes a user task. The task's own id is the event id, so when two people complete the
 * same task at once, one succeeds and the other gets 409. The usual step is written together
 * with the other completions of the moment, in one statement (completion-batcher.ts); anything
 * else, or an instance that moved on since it was read, goes through the locked transaction.
 */
export function completeUserTask(db: Database, taskId: string, variables: Record<string, unknown> | undefined, actor?: string): Promise<void> {
  return batcherFor(db).complete({ taskId, variables, actor });
}

const batchers = new WeakMap<Database, CompletionBatcher>();

function batcherFor(db: Database): CompletionBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new CompletionBatcher(db, (request, read) => completeUnderLock(db, request, read), (request, read) => (read ? notOpen(request.taskId) : notFound(request.taskId)));
    batchers.set(db, batcher);
  }
  return batcher;
}

/**
 * Completes a user task and, in the same transaction under the instance lock, what the caller
 * records with it (the dossier layer's status and history, docs/dossiers.md): both or neither.
 * `alongside` runs before the step and may refuse it by throwing, which changes nothing.
 */
export async function completeUserTaskWith(db: Database, taskId: string, variables: Record<string, unknown> | undefined, actor: string, alongside: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
  const read = await db<UserTaskRow>('user_tasks').where({ id: taskId }).first('instance_id', 'element_id', 'multi_index', 'status');
  if (!read) throw notFound(taskId);
  if (read.status !== 'open') throw notOpen(taskId);
  await completeUnderLock(db, { taskId, variables, actor }, read, alongside);
}

async function completeUnderLock(db: Database, { taskId, variables, actor }: CompletionRequest, read: Pick<TaskCompletionRead, 'instance_id' | 'element_id' | 'multi_index'>, alongside?: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
  const event = { type: 'task.complete' as const, elementId: read.element_id, index: read.multi_index ?? undefined, variables };
  const outcome = await applyInstanceEvent(
    db,
    read.instance_id,
    async (trx) => {
      const current = await trx<UserTaskRow>('user_tasks').where({ id: taskId }).first('status');
      if (current?.status !== 'open') throw notOpen(taskId);
      await trx('user_tasks').where({ id: taskId }).update({ status: 'completed', ended_at: new Date(), completed_by: actor ?? null });
      if (alongside) await alongside(trx);
      return event;
    },
    { eventId: completionEventId(taskId), actor },
  );
  if (outcome.kind !== 'applied') throw notOpen(taskId);
}

function notFound(taskId: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'task.not-found', { vi: `Không có công việc ${taskId}`, en: `No task ${taskId}` });
}
