/**
 * The commonest step, a person completing a user task, written as ONE SQL statement.
 *
 * The general path (instances.ts, applyInstanceEvent) opens a transaction, locks the instance
 * row, and then reads and writes statement by statement: about a dozen round trips, each a
 * socket write and read. Most completions only mark the task done, store the new snapshot and
 * its history row, and open the next task or job. Those are written here as one statement of
 * data-modifying common table expressions: the instance rows are updated only where they still
 * have the revision that was read (optimistic concurrency), and every other row is written only
 * for an instance whose update took. PostgreSQL runs a statement as one atomic transaction, so a
 * completion whose instance moved on in between changes nothing, and the caller falls back to the
 * locked path, which then decides (409 for a task completed meanwhile).
 *
 * Completions that arrive together (on different instances) share the read and the statement,
 * table by table: one UPDATE of all their instances, one INSERT of all their history rows, and so
 * on, each over a VALUES list (completion-batcher.ts). Two round trips for a whole batch.
 *
 * Steps this does not cover (a call activity starting or ending, a caller to notify, two effects
 * on one element) go to the locked path unchanged.
 */
import type { Knex } from 'knex';
import { changedVariables, type Step, type StoredSnapshot } from '../../engine/runtime/instance.ts';
import type { Effect } from '../../engine/compile/index.ts';
import type { Database } from '../db/connect.ts';
import { agencyCalendars, type AgencyCalendars } from './agency-calendars.ts';
import { isBuiltinJobType, SERVICE_TASK, SERVICE_TASK_MAX_ATTEMPTS } from './builtin-jobs.ts';
import { openTaskRow, subscriptionRow, timerDue } from './effects.ts';
import { historyColumns, stepColumns, type EventMeta } from './instances.ts';
import { TIMER_TASK, timerJobKey, type TimerPayload } from './timers.ts';

/** What a completion needs to know, read in one query without locking. */
export interface TaskCompletionRead {
  task_id: string;
  task_status: 'open' | 'completed' | 'cancelled';
  element_id: string;
  multi_index: number | null;
  instance_id: string;
  definition_id: string;
  scope_element_id: string | null;
  instance_status: Step['status'];
  snapshot: StoredSnapshot;
  variables: Record<string, unknown>;
  revision: number;
  parent_instance_id: string | null;
  /** The compiler version of the instance's definition, which its snapshot is in. */
  compiler_version: number;
  /** The event was applied already (a redelivered completion). */
  seen: boolean;
}

/** Reads the tasks of several completions at once (one query), by task id. */
export async function readTaskCompletions(db: Database, taskIds: string[]): Promise<Map<string, TaskCompletionRead>> {
  const { rows } = await db.raw<{ rows: TaskCompletionRead[] }>(
    `select t.id as task_id, t.status as task_status, t.element_id, t.multi_index,
            i.id as instance_id, i.definition_id, i.scope_element_id, i.status as instance_status, i.snapshot, i.variables, i.revision, i.parent_instance_id, d.compiler_version,
            exists (select from instance_history h where h.instance_id = i.id and h.event_id = 'task:' || t.id) as seen
       from user_tasks t join process_instances i on i.id = t.instance_id join process_definitions d on d.id = i.definition_id
      where t.id = any(?::uuid[])`,
    [taskIds],
  );
  return new Map(rows.map((row) => [row.task_id, row]));
}

/** The event id of a task's completion: a redelivered completion finds it in the history. */
export const completionEventId = (taskId: string) => `task:${taskId}`;

/** Rows for one table, bound as a VALUES list with a cast per column. */
class Rows {
  readonly rows: Knex.Value[][] = [];
  constructor(
    readonly columns: string[],
    private readonly casts: string[],
  ) {}

  add(...values: Knex.Value[]): void {
    this.rows.push(values);
  }

  /** `(values (?::uuid, ?::text), …) as alias(columns)` and its bindings. */
  values(alias: string): { sql: string; bindings: Knex.Value[] } {
    const row = `(${this.casts.map((cast) => `?::${cast}`).join(', ')})`;
    return { sql: `(values ${this.rows.map(() => row).join(', ')}) as ${alias}(${this.columns.join(', ')})`, bindings: this.rows.flat() };
  }
}

/** The rows a batch writes, table by table; every one keyed by its instance. */
class BatchRows {
  readonly instances = new Rows(['instance_id', 'revision', 'status', 'snapshot', 'variables', 'active', 'failure', 'ended_at'], ['uuid', 'integer', 'text', 'jsonb', 'jsonb', 'text[]', 'jsonb', 'timestamptz']);
  readonly completed = new Rows(['instance_id', 'task_id', 'at', 'actor'], ['uuid', 'uuid', 'timestamptz', 'text']);
  readonly history = new Rows(['instance_id', 'event_id', 'event_type', 'element_id', 'actor', 'at', 'variables_changed', 'status_after', 'active_after'], ['uuid', 'text', 'text', 'text', 'text', 'timestamptz', 'jsonb', 'text', 'text[]']);
  readonly opened = new Rows(['instance_id', 'element_id', 'name', 'candidate_group', 'due_at', 'multi_index', 'item'], ['uuid', 'text', 'text', 'text', 'timestamptz', 'integer', 'jsonb']);
  readonly closed = new Rows(['instance_id', 'element_id', 'multi_index', 'at'], ['uuid', 'text', 'integer', 'timestamptz']);
  readonly jobs = new Rows(['instance_id', 'element_id', 'job_type', 'handler', 'multi_index', 'item'], ['uuid', 'text', 'text', 'text', 'integer', 'jsonb']);
  readonly cancelledJobs = new Rows(['instance_id', 'element_id', 'multi_index', 'at'], ['uuid', 'text', 'integer', 'timestamptz']);
  readonly timers = new Rows(['instance_id', 'payload', 'run_at', 'job_key'], ['uuid', 'json', 'timestamptz', 'text']);
  readonly disarmed = new Rows(['instance_id', 'job_key'], ['uuid', 'text']);
  readonly subscribed = new Rows(['instance_id', 'element_id', 'message_name', 'keyed', 'correlation_key'], ['uuid', 'text', 'text', 'boolean', 'text']);
  readonly unsubscribed = new Rows(['instance_id', 'element_id'], ['uuid', 'text']);
}

const STORED = 'instance_id in (select id from stored)';

/** The statement: one CTE per table that has rows, all hanging on `stored` (the instances whose update took). */
function batchStatement(rows: BatchRows): { sql: string; bindings: Knex.Value[] } {
  const parts: string[] = [];
  const calls: string[] = [];
  const bindings: Knex.Value[] = [];
  const cte = (name: string, table: Rows, sql: (values: string) => string, call = false) => {
    if (table.rows.length === 0) return;
    const values = table.values('v');
    parts.push(`${name} as (${sql(values.sql)})`);
    bindings.push(...values.bindings);
    if (call) calls.push(`(select count(*) from ${name})`);
  };
  cte('stored', rows.instances, (values) => `update process_instances p set status = v.status, snapshot = v.snapshot, variables = v.variables, active_element_ids = v.active, failure = v.failure, ended_at = v.ended_at, revision = p.revision + 1
    from ${values} where p.id = v.instance_id and p.revision = v.revision and p.status = 'active' returning p.id`);
  cte('completed', rows.completed, (values) => `update user_tasks t set status = 'completed', ended_at = v.at, completed_by = v.actor from ${values} where t.id = v.task_id and t.status = 'open' and v.${STORED}`);
  cte('history', rows.history, (values) => `insert into instance_history (instance_id, event_id, event_type, element_id, actor, at, variables_changed, status_after, active_after)
    select v.instance_id, v.event_id, v.event_type, v.element_id, v.actor, v.at, v.variables_changed, v.status_after, v.active_after from ${values} where v.${STORED}`);
  cte('opened', rows.opened, (values) => `insert into user_tasks (instance_id, element_id, name, candidate_group, due_at, status, multi_index, item)
    select v.instance_id, v.element_id, v.name, v.candidate_group, v.due_at, 'open', v.multi_index, v.item from ${values} where v.${STORED}`);
  cte('closed', rows.closed, (values) => `update user_tasks t set status = 'cancelled', ended_at = v.at from ${values}
    where t.instance_id = v.instance_id and t.element_id = v.element_id and t.status = 'open' and (v.multi_index is null or t.multi_index = v.multi_index) and v.${STORED}`);
  cte('jobs', rows.jobs, (values) => `insert into service_jobs (instance_id, element_id, job_type, handler, status, multi_index, item)
    select v.instance_id, v.element_id, v.job_type, v.handler, 'open', v.multi_index, v.item from ${values} where v.${STORED} returning id, handler`);
  if (rows.jobs.rows.some((row) => row[3] === 'builtin')) {
    // The same job key and payload as enqueueBuiltinJob (builtin-jobs.ts): { serviceJobId }.
    parts.push(`queued as (select graphile_worker.add_job(?, json_build_object('serviceJobId', id), job_key => 'service:' || id, max_attempts => ?) from jobs where handler = 'builtin')`);
    bindings.push(SERVICE_TASK, SERVICE_TASK_MAX_ATTEMPTS);
    calls.push('(select count(*) from queued)');
  }
  cte('cancelled_jobs', rows.cancelledJobs, (values) => `update service_jobs j set status = 'cancelled', ended_at = v.at from ${values}
    where j.instance_id = v.instance_id and j.element_id = v.element_id and j.status = 'open' and (v.multi_index is null or j.multi_index = v.multi_index) and v.${STORED}`);
  cte('armed', rows.timers, (values) => `select graphile_worker.add_job('${TIMER_TASK}', v.payload, run_at => v.run_at, job_key => v.job_key, max_attempts => 10) from ${values} where v.${STORED}`, true);
  cte('disarmed', rows.disarmed, (values) => `select graphile_worker.remove_job(v.job_key) from ${values} where v.${STORED}`, true);
  cte('subscribed', rows.subscribed, (values) => `insert into message_subscriptions (instance_id, element_id, message_name, keyed, correlation_key)
    select v.instance_id, v.element_id, v.message_name, v.keyed, v.correlation_key from ${values} where v.${STORED}`);
  cte('unsubscribed', rows.unsubscribed, (values) => `delete from message_subscriptions m using ${values} where m.instance_id = v.instance_id and m.element_id = v.element_id and v.${STORED}`);
  return { sql: `with ${parts.join(',\n')}\nselect array(select id from stored) as stored${calls.length > 0 ? `, ${calls.join(' + ')} as calls` : ''}`, bindings };
}

export interface CompletionWrite {
  read: TaskCompletionRead;
  step: Step;
  event: { elementId: string; index?: number | undefined };
  meta: EventMeta & { at: Date };
}

export type CompletionOutcome = 'applied' | 'conflict' | 'unsupported';

/**
 * Writes the steps of completions on different instances as one statement, or says for each
 * why it was not: `conflict` (its instance moved on since it was read, or the statement was
 * refused as a whole) or `unsupported` (a step for the locked path).
 */
export async function writeTaskCompletions(db: Database, writes: CompletionWrite[]): Promise<CompletionOutcome[]> {
  const rows = new BatchRows();
  const calendars = await agencyCalendars(db);
  const covered = writes.map((write) => addCompletion(rows, write, calendars));
  if (!covered.some(Boolean)) return writes.map(() => 'unsupported');
  const statement = batchStatement(rows);
  try {
    const { rows: [result] } = await db.raw<{ rows: Array<{ stored: string[] }> }>(statement.sql, statement.bindings);
    const stored = new Set(result?.stored ?? []);
    return writes.map((write, index) => (!covered[index] ? 'unsupported' : stored.has(write.read.instance_id) ? 'applied' : 'conflict'));
  } catch (error) {
    // A unique index refusing a row (the same event applied meanwhile, a second open task): the
    // statement changed nothing; the locked path sorts each one out.
    if ((error as { code?: string }).code === '23505') return covered.map((isCovered) => (isCovered ? 'conflict' : 'unsupported'));
    throw error;
  }
}

/** Adds one completion's rows; false when its step is one for the locked path. */
function addCompletion(rows: BatchRows, { read, step, event, meta }: CompletionWrite, calendars: AgencyCalendars): boolean {
  const effects = step.effects.filter((effect) => !(effect.type === 'qt.task.close' && effect.params.elementId === event.elementId && effect.params.index === event.index));
  if (!coveredHere(read, step, effects, event.elementId)) return false;
  const now = meta.at;
  const instanceId = read.instance_id;
  const columns = stepColumns(step, now);
  rows.instances.add(instanceId, read.revision, columns.status, columns.snapshot, columns.variables, columns.active_element_ids, columns.failure, columns.ended_at);
  rows.completed.add(instanceId, read.task_id, now, meta.actor ?? null);
  const history = historyColumns(instanceId, meta, 'task.complete', event.elementId, changedVariables(read.variables, step.variables), step);
  rows.history.add(instanceId, history.event_id, history.event_type, history.element_id, history.actor, now, history.variables_changed, history.status_after, history.active_after);
  for (const effect of effects) addEffect(rows, instanceId, effect, step.variables, now, calendars);
  return true;
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

function addEffect(rows: BatchRows, instanceId: string, effect: Effect, variables: Record<string, unknown>, now: Date, calendars: AgencyCalendars): void {
  switch (effect.type) {
    case 'qt.task.open': {
      const row = openTaskRow(instanceId, effect.params, now, calendars);
      rows.opened.add(instanceId, row.element_id, row.name, row.candidate_group, row.due_at, row.multi_index, row.item);
      return;
    }
    case 'qt.task.close':
      rows.closed.add(instanceId, effect.params.elementId, effect.params.index ?? null, now);
      return;
    case 'qt.job.start': {
      const index = effect.params.index ?? null;
      rows.jobs.add(instanceId, effect.params.elementId, effect.params.jobType, isBuiltinJobType(effect.params.jobType) ? 'builtin' : 'external', index, index === null ? null : JSON.stringify(effect.params.item ?? null));
      return;
    }
    case 'qt.job.cancel':
      rows.cancelledJobs.add(instanceId, effect.params.elementId, effect.params.index ?? null, now);
      return;
    case 'qt.timer.start': {
      const payload: TimerPayload = { instanceId, elementId: effect.params.elementId };
      rows.timers.add(instanceId, JSON.stringify(payload), timerDue(effect.params, now, calendars), timerJobKey(instanceId, effect.params.elementId));
      return;
    }
    case 'qt.timer.cancel':
      rows.disarmed.add(instanceId, timerJobKey(instanceId, effect.params.elementId));
      return;
    case 'qt.message.subscribe': {
      const row = subscriptionRow(instanceId, effect.params, variables);
      rows.subscribed.add(instanceId, row.element_id, row.message_name, row.keyed, row.correlation_key);
      return;
    }
    case 'qt.message.unsubscribe':
      rows.unsubscribed.add(instanceId, effect.params.elementId);
      return;
    case 'qt.call.start':
    case 'qt.run.start':
    case 'qt.call.cancel':
      throw new Error(`${effect.type} is not written by the single statement`);
  }
}
