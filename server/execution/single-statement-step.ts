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
import type { Step, StoredSnapshot } from '../../engine/runtime/instance.ts';
import type { Database } from '../db/connect.ts';
import { agencyCalendars, type AgencyCalendars } from './agency-calendars.ts';
import type { JobSpec } from './job-kinds.ts';
import { planStep, type EventMeta, type PlannedWrite, type WritePlan } from './write-plan.ts';

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
  readonly instances = new Rows(['instance_id', 'revision', 'status', 'snapshot', 'variables', 'active', 'failure', 'ended_at', 'stepped_at'], ['uuid', 'integer', 'text', 'jsonb', 'jsonb', 'text[]', 'jsonb', 'timestamptz', 'timestamptz']);
  readonly completed = new Rows(['instance_id', 'task_id', 'at', 'actor'], ['uuid', 'uuid', 'timestamptz', 'text']);
  readonly history = new Rows(['instance_id', 'event_id', 'event_type', 'element_id', 'actor', 'at', 'variables_changed', 'status_after', 'active_after'], ['uuid', 'text', 'text', 'text', 'text', 'timestamptz', 'jsonb', 'text', 'text[]']);
  readonly opened = new Rows(['instance_id', 'element_id', 'name', 'candidate_group', 'due_at', 'created_at', 'multi_index', 'item'], ['uuid', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'integer', 'jsonb']);
  readonly closed = new Rows(['instance_id', 'element_id', 'multi_index', 'at'], ['uuid', 'text', 'integer', 'timestamptz']);
  readonly jobs = new Rows(['id', 'instance_id', 'element_id', 'job_type', 'handler', 'multi_index', 'item'], ['uuid', 'uuid', 'text', 'text', 'text', 'integer', 'jsonb']);
  readonly cancelledJobs = new Rows(['instance_id', 'element_id', 'multi_index', 'at'], ['uuid', 'text', 'integer', 'timestamptz']);
  /** Queue jobs (job-kinds.ts): the timers armed and the built-in jobs queued. */
  readonly queued = new Rows(['instance_id', 'task', 'payload', 'run_at', 'job_key', 'max_attempts'], ['uuid', 'text', 'json', 'timestamptz', 'text', 'integer']);
  readonly disarmed = new Rows(['instance_id', 'job_key'], ['uuid', 'text']);
  readonly subscribed = new Rows(['instance_id', 'element_id', 'message_name', 'keyed', 'correlation_key'], ['uuid', 'text', 'text', 'boolean', 'text']);
  readonly unsubscribed = new Rows(['instance_id', 'element_id'], ['uuid', 'text']);
  readonly signalSubscribed = new Rows(['instance_id', 'element_id', 'signal_name'], ['uuid', 'text', 'text']);
  readonly signalUnsubscribed = new Rows(['instance_id', 'element_id'], ['uuid', 'text']);
  /** Signals thrown, whose broadcast jobs are in `queued`. */
  readonly signals = new Rows(['instance_id', 'id', 'name', 'element_id'], ['uuid', 'uuid', 'text', 'text']);
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
  cte('stored', rows.instances, (values) => `update process_instances p set status = v.status, snapshot = v.snapshot, variables = v.variables, active_element_ids = v.active, failure = v.failure, ended_at = v.ended_at, stepped_at = v.stepped_at, revision = p.revision + 1
    from ${values} where p.id = v.instance_id and p.revision = v.revision and p.status = 'active' returning p.id`);
  cte('completed', rows.completed, (values) => `update user_tasks t set status = 'completed', ended_at = v.at, completed_by = v.actor from ${values} where t.id = v.task_id and t.status = 'open' and v.${STORED}`);
  cte('history', rows.history, (values) => `insert into instance_history (instance_id, event_id, event_type, element_id, actor, at, variables_changed, status_after, active_after)
    select v.instance_id, v.event_id, v.event_type, v.element_id, v.actor, v.at, v.variables_changed, v.status_after, v.active_after from ${values} where v.${STORED}`);
  cte('opened', rows.opened, (values) => `insert into user_tasks (instance_id, element_id, name, candidate_group, due_at, created_at, status, multi_index, item)
    select v.instance_id, v.element_id, v.name, v.candidate_group, v.due_at, v.created_at, 'open', v.multi_index, v.item from ${values} where v.${STORED}`);
  cte('closed', rows.closed, (values) => `update user_tasks t set status = 'cancelled', ended_at = v.at from ${values}
    where t.instance_id = v.instance_id and t.element_id = v.element_id and t.status = 'open' and (v.multi_index is null or t.multi_index = v.multi_index) and v.${STORED}`);
  cte('jobs', rows.jobs, (values) => `insert into service_jobs (id, instance_id, element_id, job_type, handler, status, multi_index, item)
    select v.id, v.instance_id, v.element_id, v.job_type, v.handler, 'open', v.multi_index, v.item from ${values} where v.${STORED}`);
  cte('cancelled_jobs', rows.cancelledJobs, (values) => `update service_jobs j set status = 'cancelled', ended_at = v.at from ${values}
    where j.instance_id = v.instance_id and j.element_id = v.element_id and j.status = 'open' and (v.multi_index is null or j.multi_index = v.multi_index) and v.${STORED}`);
  cte('queued', rows.queued, (values) => `select graphile_worker.add_job(v.task, v.payload, run_at => coalesce(v.run_at, now()), job_key => v.job_key, max_attempts => v.max_attempts) from ${values} where v.${STORED}`, true);
  cte('disarmed', rows.disarmed, (values) => `select graphile_worker.remove_job(v.job_key) from ${values} where v.${STORED}`, true);
  cte('subscribed', rows.subscribed, (values) => `insert into message_subscriptions (instance_id, element_id, message_name, keyed, correlation_key)
    select v.instance_id, v.element_id, v.message_name, v.keyed, v.correlation_key from ${values} where v.${STORED}`);
  cte('unsubscribed', rows.unsubscribed, (values) => `delete from message_subscriptions m using ${values} where m.instance_id = v.instance_id and m.element_id = v.element_id and v.${STORED}`);
  cte('signal_subscribed', rows.signalSubscribed, (values) => `insert into signal_subscriptions (instance_id, element_id, signal_name)
    select v.instance_id, v.element_id, v.signal_name from ${values} where v.${STORED}`);
  cte('signal_unsubscribed', rows.signalUnsubscribed, (values) => `delete from signal_subscriptions s using ${values} where s.instance_id = v.instance_id and s.element_id = v.element_id and v.${STORED}`);
  cte('signals', rows.signals, (values) => `insert into signals (id, name, source_instance_id, source_element_id)
    select v.id, v.name, v.instance_id, v.element_id from ${values} where v.${STORED}`);
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
  // The completed task was marked so by the completion itself: its own close is no write.
  const effects = step.effects.filter((effect) => !(effect.type === 'qt.task.close' && effect.params.elementId === event.elementId && effect.params.index === event.index));
  const instanceId = read.instance_id;
  const plan = planStep({ instanceId, step: { ...step, effects }, eventType: 'task.complete', elementId: event.elementId, meta, variablesBefore: read.variables }, { now: meta.at, calendars });
  if (!coveredHere(read, step, plan, event.elementId)) return false;
  const now = meta.at;
  const { instance, history } = plan;
  rows.instances.add(instanceId, read.revision, instance.status, instance.snapshot, instance.variables, instance.active_element_ids, instance.failure, instance.ended_at, instance.stepped_at);
  rows.completed.add(instanceId, read.task_id, now, meta.actor ?? null);
  rows.history.add(instanceId, history.event_id, history.event_type, history.element_id, history.actor, now, history.variables_changed, history.status_after, history.active_after);
  for (const write of plan.writes) addWrite(rows, instanceId, write, now);
  return true;
}

/**
 * One statement sees the rows as they were before it: two changes to one element's rows (close
 * then reopen it, unsubscribe then subscribe again) or to the completed task's element would
 * meet in the same row or unique index, and a finished child must tell its caller. Those steps,
 * and those that start or cancel other instances, take the locked path.
 */
function coveredHere(read: TaskCompletionRead, step: Step, plan: WritePlan, completedElementId: string): boolean {
  if (read.parent_instance_id !== null && step.status !== 'active') return false;
  const elements = new Set<string>();
  for (const write of plan.writes) {
    if (write.kind === 'children.start' || write.kind === 'call.cancel') return false;
    if (write.elementId === completedElementId || elements.has(write.elementId)) return false;
    elements.add(write.elementId);
  }
  return true;
}

function addQueued(rows: BatchRows, instanceId: string, job: JobSpec): void {
  rows.queued.add(instanceId, job.task, JSON.stringify(job.payload), job.runAt ?? null, job.key, job.maxAttempts);
}

function addWrite(rows: BatchRows, instanceId: string, write: PlannedWrite, now: Date): void {
  switch (write.kind) {
    case 'task.open': {
      const { row } = write;
      rows.opened.add(instanceId, row.element_id, row.name, row.candidate_group, row.due_at, row.created_at, row.multi_index, row.item);
      return;
    }
    case 'task.cancel':
      rows.closed.add(instanceId, write.elementId, write.index, now);
      return;
    case 'job.open': {
      const { row } = write;
      rows.jobs.add(row.id, instanceId, row.element_id, row.job_type, row.handler, row.multi_index, row.item);
      if (write.queued) addQueued(rows, instanceId, write.queued);
      return;
    }
    case 'job.cancel':
      rows.cancelledJobs.add(instanceId, write.elementId, write.index, now);
      return;
    case 'queue.add':
      addQueued(rows, instanceId, write.job);
      return;
    case 'queue.remove':
      rows.disarmed.add(instanceId, write.key);
      return;
    case 'subscribe': {
      const { row } = write;
      rows.subscribed.add(instanceId, row.element_id, row.message_name, row.keyed, row.correlation_key);
      return;
    }
    case 'unsubscribe':
      rows.unsubscribed.add(instanceId, write.elementId);
      return;
    case 'signal.subscribe':
      rows.signalSubscribed.add(instanceId, write.elementId, write.row.signal_name);
      return;
    case 'signal.unsubscribe':
      rows.signalUnsubscribed.add(instanceId, write.elementId);
      return;
    case 'signal.throw':
      rows.signals.add(instanceId, write.row.id, write.row.name, write.elementId);
      addQueued(rows, instanceId, write.job);
      return;
    case 'children.start':
    case 'call.cancel':
      throw new Error(`${write.kind} is not written by the single statement`);
  }
}
