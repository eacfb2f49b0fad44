/** Saving, loading and driving the replay fixtures (replay-fixtures.ts) on a database. */
import type { RunEvent } from '../../engine/runtime/run-events.ts';
import type { Database } from '../../server/db/connect.ts';
import { completeWaitingJob } from '../../server/execution/builtin-jobs.ts';
import { applyInstanceEvent } from '../../server/execution/instances.ts';
import { completeUserTask } from '../../server/execution/tasks.ts';
import { CALL_DONE_JOB, jobPayload, SERVICE_TASK_JOB, TIMER_JOB, TIMER_START_JOB, type JobKind } from '../../server/execution/job-kinds.ts';
import { fireTimer } from '../../server/execution/timers.ts';
import type { ReplayFixture, Row } from './replay-fixtures.ts';

const INSTANCE_COLUMNS = ['id', 'business_key', 'status', 'snapshot', 'variables', 'active_element_ids', 'failure', 'revision'];
const TASK_COLUMNS = ['id', 'element_id', 'name', 'candidate_group', 'due_at', 'status', 'multi_index', 'item'];
const JOB_COLUMNS = ['id', 'element_id', 'job_type', 'handler', 'status', 'multi_index', 'item', 'attempts'];
const SUBSCRIPTION_COLUMNS = ['element_id', 'message_name', 'keyed', 'correlation_key'];

/** What the database holds for an instance now, as a fixture saves it. */
export async function savedState(db: Database, instanceId: string): Promise<Omit<ReplayFixture, 'source' | 'savedBy' | 'key'>> {
  const serviceJobs = await db('service_jobs').where({ instance_id: instanceId }).orderBy('id').select<Row[]>(JOB_COLUMNS);
  const open = new Set(serviceJobs.filter((job) => job.status === 'open').map((job) => `service:${String(job.id)}`));
  const queued = await db.raw<{ rows: Array<{ task: string; payload: unknown; key: string | null; max_attempts: number }> }>(
    `select t.identifier as task, j.payload, j.key, j.max_attempts from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where starts_with(j.key, ?) or j.key = any(?::text[]) order by j.key`,
    [`timer:${instanceId}:`, [...open]],
  );
  return {
    instance: await db('process_instances').where({ id: instanceId }).first<Row>(INSTANCE_COLUMNS),
    userTasks: await db('user_tasks').where({ instance_id: instanceId }).orderBy(['element_id', 'multi_index']).select<Row[]>(TASK_COLUMNS),
    serviceJobs,
    subscriptions: await db('message_subscriptions').where({ instance_id: instanceId }).orderBy('element_id').select<Row[]>(SUBSCRIPTION_COLUMNS),
    queueJobs: queued.rows.map(({ max_attempts: maxAttempts, ...job }) => ({ ...job, maxAttempts })),
  };
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** Writes a fixture's rows back as its release stored them, on `definitionId`; the queue jobs are armed but not due. */
export async function loadState(db: Database, definitionId: string, fixture: ReplayFixture): Promise<string> {
  const { instance } = fixture;
  const instanceId = String(instance.id);
  await db.transaction(async (trx) => {
    await trx('process_instances').insert({ ...instance, definition_id: definitionId, snapshot: json(instance.snapshot), variables: json(instance.variables), failure: json(instance.failure) });
    for (const task of fixture.userTasks) await trx('user_tasks').insert({ ...task, instance_id: instanceId, item: json(task.item) });
    for (const job of fixture.serviceJobs) await trx('service_jobs').insert({ ...job, instance_id: instanceId, item: json(job.item) });
    for (const subscription of fixture.subscriptions) await trx('message_subscriptions').insert({ ...subscription, instance_id: instanceId });
    for (const job of fixture.queueJobs) {
      await trx.raw("select graphile_worker.add_job(?, ?::json, run_at => now() + interval '1 day', job_key => ?, max_attempts => ?)", [job.task, JSON.stringify(job.payload), job.key, job.maxAttempts]);
    }
  });
  return instanceId;
}

/**
 * Applies run events to a stored instance through the server's own entry points: a person
 * completing the open task (the single-statement path, or the locked one), a timer's queue job
 * firing with the payload it was armed with, a job's outcome coming back for the service job the
 * queue job names, a message or call outcome as the locked path takes it.
 */
export async function drive(db: Database, instanceId: string, events: RunEvent[]): Promise<void> {
  for (const { at: _at, run: _run, ...event } of events) {
    switch (event.type) {
      case 'task.complete': {
        const task = await db('user_tasks').where({ instance_id: instanceId, element_id: event.elementId, status: 'open' }).modify((query) => void (event.index === undefined || query.where({ multi_index: event.index }))).first<{ id: string } | undefined>('id');
        if (!task) throw new Error(`no open task ${event.elementId} for ${JSON.stringify(event)}`);
        await completeUserTask(db, task.id, event.variables, 'replay');
        break;
      }
      case 'timer': {
        const { rows: [job] } = await db.raw<{ rows: Array<{ id: string; payload: unknown }> }>('select id, payload from graphile_worker._private_jobs where key = ?', [`timer:${instanceId}:${event.elementId}`]);
        if (!job) throw new Error(`no timer armed for ${event.elementId}`);
        const outcome = await fireTimer(db, jobPayload(TIMER_JOB, job.payload), job.id, 'replay');
        if (outcome.kind !== 'applied') throw new Error(`timer ${event.elementId}: ${outcome.kind}`);
        break;
      }
      case 'job.complete': {
        const serviceJobId = await openServiceJob(db, instanceId, event.elementId, event.index);
        if (!(await completeWaitingJob(db, serviceJobId, event.variables ?? {}, 'replay'))) throw new Error(`job ${event.elementId} not completed`);
        break;
      }
      default: {
        const outcome = await applyInstanceEvent(db, instanceId, event, { eventId: `replay:${Math.random()}`, actor: 'replay' });
        if (outcome.kind !== 'applied') throw new Error(`${event.type} ${event.elementId}: ${outcome.kind}`);
      }
    }
  }
}

/** The service job a job's outcome is for: a built-in one through its queue job's payload, an external one by its row. */
async function openServiceJob(db: Database, instanceId: string, elementId: string, index: number | undefined): Promise<string> {
  const job = await db('service_jobs').where({ instance_id: instanceId, element_id: elementId, status: 'open' }).modify((query) => void (index === undefined || query.where({ multi_index: index }))).first<{ id: string; handler: string } | undefined>('id', 'handler');
  if (!job) throw new Error(`no open service job ${elementId}`);
  if (job.handler === 'external') return job.id;
  const { rows: [queued] } = await db.raw<{ rows: Array<{ payload: unknown }> }>('select payload from graphile_worker._private_jobs where key = ?', [`service:${job.id}`]);
  if (!queued) throw new Error(`built-in job ${elementId} was not queued`);
  return jobPayload(SERVICE_TASK_JOB, queued.payload).serviceJobId;
}

/** A stored queue job's payload read as the job runner reads it, and its key and attempts as its kind gives them now. */
export function readQueueJob(job: ReplayFixture['queueJobs'][number]): { payload: unknown; key: string | null; maxAttempts: number } {
  const read = <Payload>(kind: JobKind<Payload>) => {
    const payload = jobPayload(kind, job.payload);
    return { payload, key: kind.key?.(payload) ?? null, maxAttempts: kind.maxAttempts };
  };
  const kind = [TIMER_JOB, SERVICE_TASK_JOB, CALL_DONE_JOB, TIMER_START_JOB].find((candidate) => candidate.task === job.task);
  if (kind === TIMER_JOB) return read(TIMER_JOB);
  if (kind === SERVICE_TASK_JOB) return read(SERVICE_TASK_JOB);
  if (kind === CALL_DONE_JOB) return read(CALL_DONE_JOB);
  if (kind === TIMER_START_JOB) return read(TIMER_START_JOB);
  throw new Error(`no job kind ${job.task}`);
}
