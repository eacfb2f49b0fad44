import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { applyEvent } from '../../engine/runtime/instance.ts';
import { compiledDefinition } from './definitions.ts';
import { applyInstanceEvent } from './instances.ts';
import { readTaskCompletion, writeTaskCompletion } from './single-statement-step.ts';

export interface UserTaskRow {
  id: string;
  instance_id: string;
  element_id: string;
  name: string | null;
  candidate_group: string | null;
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
 * same task at once, one succeeds and the other gets 409: every change to a task happens under
 * its instance's row lock.
 */
export async function completeUserTask(db: Database, taskId: string, variables: Record<string, unknown> | undefined, actor?: string): Promise<void> {
  const eventId = `task:${taskId}`;
  const read = await readTaskCompletion(db, taskId, eventId);
  if (!read) throw new QuyTrinhError('not-found', 'task.not-found', { vi: `Không có công việc ${taskId}`, en: `No task ${taskId}` });
  if (read.task_status !== 'open' || read.seen || read.instance_status !== 'active') throw notOpen(taskId);
  // The usual case in one statement (single-statement-step.ts); anything else, or an instance
  // that moved on since the read, through the locked path below.
  const event = { type: 'task.complete' as const, elementId: read.element_id, index: read.multi_index ?? undefined, variables };
  const step = applyEvent(await compiledDefinition(read.definition_id, db), read.snapshot, event);
  if (!step) throw notOpen(taskId);
  if ((await writeTaskCompletion(db, read, step, event, { eventId, actor, at: new Date() })) === 'applied') return;

  const outcome = await applyInstanceEvent(
    db,
    read.instance_id,
    async (trx) => {
      const current = await trx<UserTaskRow>('user_tasks').where({ id: taskId }).first('status');
      if (current?.status !== 'open') throw notOpen(taskId);
      await trx('user_tasks').where({ id: taskId }).update({ status: 'completed', ended_at: new Date(), completed_by: actor ?? null });
      return event;
    },
    { eventId, actor },
  );
  if (outcome.kind !== 'applied') throw notOpen(taskId);
}
