/**
 * The commonest step, a person completing a user task, written as ONE SQL statement.
 *
 * The general path (instances.ts, applyInstanceEvent) opens a transaction, locks the instance
 * row, and then reads and writes statement by statement: about a dozen round trips, each a
 * socket write and read. Most completions only mark the task done, store the new snapshot and
 * its history row, and open the next task or job. Those are written here as data-modifying
 * common table expressions, every one of them conditional on the instance still having the
 * revision that was read (optimistic concurrency): PostgreSQL runs a statement as one atomic
 * transaction, so either all of it happens or, when another event moved the instance on in
 * between, none of it does, and the caller falls back to the locked path, which then decides
 * (409 for a task completed meanwhile). Two round trips instead of a dozen: one read, one write.
 *
 * Steps this does not cover (a call activity starting or ending, a caller to notify, two effects
 * on one element) go to the locked path unchanged.
 */
import type { Knex } from 'knex';
import type { Step, StoredSnapshot } from '../../engine/runtime/instance.ts';
import type { Effect } from '../../engine/compile/index.ts';
import type { Database } from '../db/connect.ts';
import { agencyCalendars, type AgencyCalendars } from './agency-calendars.ts';
import { isBuiltinJobType, SERVICE_TASK, SERVICE_TASK_MAX_ATTEMPTS } from './builtin-jobs.ts';
import { openTaskRow, subscriptionRow, timerDue } from './effects.ts';
import { changedVariables, historyColumns, stepColumns, type EventMeta } from './instances.ts';
import { TIMER_TASK, timerJobKey, type TimerPayload } from './timers.ts';

/** What a completion needs to know, read in one query without locking. */
export interface TaskCompletionRead {
  task_id: string;
  task_status: 'open' | 'completed' | 'cancelled';
  element_id: string;
  multi_index: number | null;
  instance_id: string;
  definition_id: string;
  instance_status: Step['status'];
  snapshot: StoredSnapshot;
  variables: Record<string, unknown>;
  revision: number;
  parent_instance_id: string | null;
  /** The event was applied already (a redelivered completion). */
  seen: boolean;
}

export async function readTaskCompletion(db: Database, taskId: string, eventId: string): Promise<TaskCompletionRead | undefined> {
  const { rows } = await db.raw<{ rows: TaskCompletionRead[] }>(
    `select t.id as task_id, t.status as task_status, t.element_id, t.multi_index,
            i.id as instance_id, i.definition_id, i.status as instance_status, i.snapshot, i.variables, i.revision, i.parent_instance_id,
            exists (select from instance_history h where h.instance_id = i.id and h.event_id = ?) as seen
       from user_tasks t join process_instances i on i.id = t.instance_id
      where t.id = ?`,
    [eventId, taskId],
  );
  return rows[0];
}

/** A statement under construction: named CTEs and their bindings, in order. */
class Statement {
  private readonly parts: string[] = [];
  private readonly reads: string[] = [];
  readonly bindings: Knex.Value[] = [];

  /** A data-modifying CTE: PostgreSQL runs it whether or not the rest reads it. */
  write(sql: string, values: Knex.Value[]): string {
    const name = `w${this.parts.length}`;
    this.parts.push(`${name} as (${sql})`);
    this.bindings.push(...values);
    return name;
  }

  /** A SELECT calling a function (graphile-worker's add_job): it runs only when read, so the final query reads it. */
  call(sql: string, values: Knex.Value[]): void {
    this.reads.push(this.write(sql, values));
  }

  sql(): string {
    const counted = this.reads.map((name) => `(select count(*) from ${name})`).join(' + ');
    return `with ${this.parts.join(',\n')}\nselect (select count(*) from w0)::int as applied${counted ? `, ${counted} as calls` : ''}`;
  }
}

const ONLY_IF_STORED = 'exists (select from w0)';

/**
 * Writes the step of a task completion as one statement, or says why it did not: `conflict`
 * (the instance moved on since it was read) or `unsupported` (a step for the locked path).
 */
export async function writeTaskCompletion(db: Database, read: TaskCompletionRead, step: Step, event: { elementId: string; index?: number | undefined }, meta: EventMeta & { at: Date }): Promise<'applied' | 'conflict' | 'unsupported'> {
  const effects = step.effects.filter((effect) => !(effect.type === 'qt.task.close' && effect.params.elementId === event.elementId && effect.params.index === event.index));
  if (!coveredHere(read, step, effects, event.elementId)) return 'unsupported';
  const now = meta.at;
  const instanceId = read.instance_id;
  const statement = new Statement();
  const columns = stepColumns(step, now);
  statement.write(
    `update process_instances set status = ?, snapshot = ?::jsonb, variables = ?::jsonb, active_element_ids = ?::text[], failure = ?::jsonb, ended_at = ?, revision = revision + 1
      where id = ? and revision = ? and status = 'active' returning id`,
    [columns.status, columns.snapshot, columns.variables, columns.active_element_ids, columns.failure, columns.ended_at, instanceId, read.revision],
  );
  statement.write(`update user_tasks set status = 'completed', ended_at = ?, completed_by = ? where id = ? and status = 'open' and ${ONLY_IF_STORED}`, [now, meta.actor ?? null, read.task_id]);
  const history = historyColumns(instanceId, meta, 'task.complete', event.elementId, changedVariables(read.variables, step.variables), step);
  statement.write(
    `insert into instance_history (instance_id, event_id, event_type, element_id, actor, at, variables_changed, status_after, active_after)
      select id, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::text[] from w0`,
    [history.event_id, history.event_type, history.element_id, history.actor, now, history.variables_changed, history.status_after, history.active_after],
  );
  const calendars = await agencyCalendars(db);
  for (const effect of effects) addEffect(statement, instanceId, effect, step.variables, now, calendars);

  try {
    const { rows } = await db.raw<{ rows: Array<{ applied: number }> }>(statement.sql(), statement.bindings);
    return rows[0]?.applied === 1 ? 'applied' : 'conflict';
  } catch (error) {
    // A unique index refusing a row (the same event applied meanwhile, a second open task): the
    // statement changed nothing; the locked path sorts it out.
    if ((error as { code?: string }).code === '23505') return 'conflict';
    throw error;
  }
}

const COVERED = new Set<Effect['type']>(['qt.task.open', 'qt.task.close', 'qt.job.start', 'qt.job.cancel', 'qt.timer.start', 'qt.timer.cancel', 'qt.message.subscribe', 'qt.message.unsubscribe']);

/**
 * One statement sees the rows as they were before it: two changes to one element's rows (close
 * then reopen it, unsubscribe then subscribe again) or to the completed task's element would
 * meet in the same row or unique index, and a finished child must tell its caller. Those steps
 * take the locked path.
 */
function coveredHere(read: TaskCompletionRead, step: Step, effects: Effect[], completedElementId: string): boolean {
  if (read.parent_instance_id !== null && step.status !== 'active') return false;
  const elements = new Set<string>();
  for (const effect of effects) {
    if (!COVERED.has(effect.type)) return false;
    const { elementId } = effect.params;
    if (elementId === completedElementId || elements.has(elementId)) return false;
    elements.add(elementId);
  }
  return true;
}

function addEffect(statement: Statement, instanceId: string, effect: Effect, variables: Record<string, unknown>, now: Date, calendars: AgencyCalendars): void {
  const indexFilter = (index: number | undefined) => (index === undefined ? { sql: '', values: [] } : { sql: ' and multi_index = ?', values: [index] });
  switch (effect.type) {
    case 'qt.task.open': {
      const row = openTaskRow(instanceId, effect.params, now, calendars);
      statement.write(
        `insert into user_tasks (instance_id, element_id, name, candidate_group, due_at, status, multi_index, item) select id, ?, ?, ?, ?, 'open', ?, ?::jsonb from w0`,
        [row.element_id, row.name, row.candidate_group, row.due_at, row.multi_index, row.item],
      );
      return;
    }
    case 'qt.task.close': {
      const only = indexFilter(effect.params.index);
      statement.write(`update user_tasks set status = 'cancelled', ended_at = ? where instance_id = ? and element_id = ? and status = 'open'${only.sql} and ${ONLY_IF_STORED}`, [now, instanceId, effect.params.elementId, ...only.values]);
      return;
    }
    case 'qt.job.start': {
      const builtin = isBuiltinJobType(effect.params.jobType);
      const index = effect.params.index ?? null;
      const job = statement.write(
        `insert into service_jobs (instance_id, element_id, job_type, handler, status, multi_index, item) select id, ?, ?, ?, 'open', ?, ?::jsonb from w0 returning id`,
        [effect.params.elementId, effect.params.jobType, builtin ? 'builtin' : 'external', index, index === null ? null : JSON.stringify(effect.params.item ?? null)],
      );
      // The same job key and payload as enqueueBuiltinJob (builtin-jobs.ts): { serviceJobId }.
      if (builtin) statement.call(`select graphile_worker.add_job(?, json_build_object('serviceJobId', id), job_key => 'service:' || id, max_attempts => ?) from ${job}`, [SERVICE_TASK, SERVICE_TASK_MAX_ATTEMPTS]);
      return;
    }
    case 'qt.job.cancel': {
      const only = indexFilter(effect.params.index);
      statement.write(`update service_jobs set status = 'cancelled', ended_at = ? where instance_id = ? and element_id = ? and status = 'open'${only.sql} and ${ONLY_IF_STORED}`, [now, instanceId, effect.params.elementId, ...only.values]);
      return;
    }
    case 'qt.timer.start': {
      const payload: TimerPayload = { instanceId, elementId: effect.params.elementId };
      statement.call(`select graphile_worker.add_job(?, ?::json, run_at => ?, job_key => ?, max_attempts => 10) from w0`, [TIMER_TASK, JSON.stringify(payload), timerDue(effect.params, now, calendars).toISOString(), timerJobKey(instanceId, effect.params.elementId)]);
      return;
    }
    case 'qt.timer.cancel':
      statement.call(`select graphile_worker.remove_job(?) from w0`, [timerJobKey(instanceId, effect.params.elementId)]);
      return;
    case 'qt.message.subscribe': {
      const row = subscriptionRow(instanceId, effect.params, variables);
      statement.write(`insert into message_subscriptions (instance_id, element_id, message_name, keyed, correlation_key) select id, ?, ?, ?, ? from w0`, [row.element_id, row.message_name, row.keyed, row.correlation_key]);
      return;
    }
    case 'qt.message.unsubscribe':
      statement.write(`delete from message_subscriptions where instance_id = ? and element_id = ? and ${ONLY_IF_STORED}`, [instanceId, effect.params.elementId]);
      return;
    case 'qt.call.start':
    case 'qt.call.cancel':
      throw new Error(`${effect.type} is not written by the single statement`);
  }
}
