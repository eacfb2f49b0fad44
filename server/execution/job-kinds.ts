import type { Knex } from 'knex';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';

/**
 * The queue jobs the engine's steps arm (graphile-worker jobs, claimed with SKIP LOCKED by any
 * process): each kind's task name, the key that names one job of it (so arming again replaces and
 * disarming removes exactly that job), its payload's schema, and its attempts. One registry: a
 * payload is checked against its schema when a job is armed and again when it runs, so a job
 * stored by an earlier release that the current code cannot read fails loudly, as an incident,
 * instead of acting on a misread payload (test/fixtures/replay holds payloads as stored).
 */
export interface JobKind<Payload> {
  task: string;
  schema: z.ZodType<Payload>;
  /** The job key; undefined: jobs of this kind are not replaced (each is its own). */
  key?: (payload: Payload) => string;
  maxAttempts: number;
}

const uuid = z.guid();
const elementId = z.string().min(1);

/** A business timer: fires `timer` on its instance and element (timers.ts, fireTimer). */
export const TIMER_JOB: JobKind<{ instanceId: string; elementId: string }> = {
  task: 'qt.timer',
  schema: z.object({ instanceId: uuid, elementId }),
  key: ({ instanceId, elementId }) => timerJobKey(instanceId, elementId),
  maxAttempts: 10,
};

/**
 * A service task the product runs itself (builtin-jobs.ts), retried with exponential backoff;
 * after the last attempt an incident is recorded. The key lets a retried incident queue the same
 * job again with fresh attempts.
 */
export const SERVICE_TASK_JOB: JobKind<{ serviceJobId: string }> = {
  task: 'qt.service-task',
  schema: z.object({ serviceJobId: uuid }),
  key: ({ serviceJobId }) => `service:${serviceJobId}`,
  maxAttempts: 5,
};

/** A called instance's end, delivered to its caller (calls.ts). */
export const CALL_DONE_JOB: JobKind<{ childInstanceId: string }> = {
  task: 'qt.call-done',
  schema: z.object({ childInstanceId: uuid }),
  maxAttempts: 10,
};

/**
 * A timer start event's next firing (start-events.ts). `round` is which firing of a cycle it is
 * (1 for the first; absent in jobs armed before cycles ran). The key names the process and start
 * event: redeploying replaces it, and a cycle's next round replaces the job that is running.
 */
export const TIMER_START_JOB: JobKind<{ key: string; startEventId: string; round?: number | undefined }> = {
  task: 'qt.timer-start',
  schema: z.object({ key: z.string().min(1), startEventId: elementId, round: z.number().int().min(1).optional() }),
  key: ({ key, startEventId }) => `timer-start:${key}:${startEventId}`,
  maxAttempts: 10,
};

/**
 * A signal's broadcast (signals.ts): one page of the instances waiting for it, those after
 * instance `after` (none: the first page); the last page also starts the processes with a signal start.
 * Each page arms the next under the same key, so a page re-run after a crash replaces the next
 * page's job instead of adding a second.
 */
export const SIGNAL_JOB: JobKind<{ signalId: string; after?: string | undefined }> = {
  task: 'qt.signal',
  schema: z.object({ signalId: uuid, after: uuid.optional() }),
  key: ({ signalId }) => `signal:${signalId}`,
  maxAttempts: 10,
};

/** A signal for one instance whose delivery failed within its page: retried on its own, then an incident of that instance. */
export const SIGNAL_DELIVERY_JOB: JobKind<{ signalId: string; instanceId: string }> = {
  task: 'qt.signal-delivery',
  schema: z.object({ signalId: uuid, instanceId: uuid }),
  key: ({ signalId, instanceId }) => `signal:${signalId}:${instanceId}`,
  maxAttempts: 10,
};

/**
 * A message an instance's throw published (a message throw with no qt:jobType, write-plan.ts):
 * correlated as `POST /api/messages` correlates one (messages.ts, correlateMessage), after the
 * step that threw it is stored. `messageId`, drawn when the step was planned, is the sender's id
 * correlateMessage records: a job run again after a crash, or added twice, delivers nothing the
 * second time. The throwing instance and element say where a last failure's incident goes.
 */
export const MESSAGE_JOB: JobKind<{ messageId: string; name: string; correlationKey?: string | undefined; instanceId: string; elementId: string }> = {
  task: 'qt.message',
  schema: z.object({ messageId: uuid, name: z.string().min(1), correlationKey: z.string().optional(), instanceId: uuid, elementId }),
  key: ({ messageId }) => `message:${messageId}`,
  maxAttempts: 10,
};

export type TimerPayload = z.infer<typeof TIMER_JOB.schema>;
export type ServiceTaskPayload = z.infer<typeof SERVICE_TASK_JOB.schema>;
export type CallDonePayload = z.infer<typeof CALL_DONE_JOB.schema>;
export type TimerStartPayload = z.infer<typeof TIMER_START_JOB.schema>;

export const timerJobKey = (instanceId: string, elementId: string) => `timer:${instanceId}:${elementId}`;

/** A queue job to add: what a write plan carries, and what either write path adds. */
export interface JobSpec {
  task: string;
  payload: unknown;
  key: string | null;
  maxAttempts: number;
  /** Undefined: due now. */
  runAt?: Date | undefined;
}

/** The job of a kind with a payload, checked on its way out. */
export function jobSpec<Payload>(kind: JobKind<Payload>, payload: Payload, runAt?: Date): JobSpec {
  const checked = kind.schema.parse(payload);
  return { task: kind.task, payload: checked, key: kind.key?.(checked) ?? null, maxAttempts: kind.maxAttempts, runAt };
}

/** A payload as a job brings it back, checked on its way in. */
export function jobPayload<Payload>(kind: JobKind<Payload>, payload: unknown): Payload {
  return kind.schema.parse(payload);
}

/** Adds queue jobs in one statement, in the caller's transaction. */
export async function addJobs(trx: Knex.Transaction | Database, jobs: readonly JobSpec[]): Promise<void> {
  if (jobs.length === 0) return;
  const rows = jobs.map((job) => ({ task: job.task, payload: job.payload, run_at: (job.runAt ?? null)?.toISOString() ?? null, key: job.key, max_attempts: job.maxAttempts }));
  await trx.raw(
    `select graphile_worker.add_job(t.task, t.payload, run_at => coalesce(t.run_at, now()), job_key => t.key, max_attempts => t.max_attempts)
       from json_to_recordset(?::json) as t(task text, payload json, run_at timestamptz, key text, max_attempts smallint)`,
    [JSON.stringify(rows)],
  );
}

/** Queues a built-in job again (a retried incident, a payment step taken up): the job key gives it fresh attempts. */
export async function enqueueBuiltinJob(trx: Knex.Transaction, serviceJobId: string): Promise<void> {
  await addJobs(trx, [jobSpec(SERVICE_TASK_JOB, { serviceJobId })]);
}

/** Removes queue jobs by key (disarms timers), in the caller's transaction. */
export async function removeJobs(trx: Knex.Transaction, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await trx.raw('select graphile_worker.remove_job(k) from unnest(?::text[]) as k', [[...keys]]);
}
