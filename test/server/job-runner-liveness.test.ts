import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { startJobRunner, type JobRunner } from '../../server/execution/worker.ts';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * The liveness lock of a job runner (execution/job-runner-liveness.ts) against a second runner
 * on the same database, as two server processes would be: a live process whose liveness
 * connection drops keeps its running jobs; a dead one's are unlocked once its grace is over.
 */
const numbering = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:serviceTask id="number" qt:jobType="dossier.number"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>number', 'number>end')}
`, { id: 'Process_liveness' });

const liveness = { graceMs: 1_000, reapEveryMs: 200 };
const fixture = useApiOverTestDatabase();
beforeAll(async () => {
  expect((await fixture.api.fetch(`/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: numbering })).status).toBe(201);
});
useJobRunner(fixture, { liveness }); // the first process

const db = () => fixture.database.db;
const startOther = () => startJobRunner(db(), fixture.database.url, pino({ level: 'silent' }), { liveness });

interface QueueJob {
  id: string;
  locked_by: string | null;
  attempts: number;
}
const queueJob = async (serviceJobId: string) => (await db().raw<{ rows: QueueJob[] }>('select id, locked_by, attempts from graphile_worker.jobs where key = ?', [`service:${serviceJobId}`])).rows[0];

/** The backends holding a session advisory lock on `key` (a bigint lock is split in two 32-bit halves). */
const holdersOf = async (key: string) =>
  (await db().raw<{ rows: Array<{ pid: number }> }>("select pid from pg_locks where locktype = 'advisory' and objsubid = 1 and granted and ((classid::bigint << 32) | objid::bigint) = ?::bigint", [key])).rows.map((row) => row.pid);

const lockWaiters = async () => (await db().raw<{ rows: unknown[] }>("select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows.length;

describe('job runner liveness', () => {
  it('keeps the running jobs of a live process whose liveness connection dropped: it takes a new key, and no job runs twice', { timeout: 30_000 }, async () => {
    // The job is held mid-run, its instance locked: the numbering it does waits for the test's table lock.
    const holder = await db().transaction();
    await holder.raw('lock table application_number_sequences in share mode');
    let other: JobRunner | undefined;
    try {
      const { body: started } = await callApi(fixture.api, 'POST', '/api/definitions/Process_liveness/instances', { variables: { agencyCode: '000.00.03.H03' } });
      const [serviceJob] = (await db()('service_jobs').where({ instance_id: started.id }).pluck('id')) as string[];
      await expect.poll(async () => (await queueJob(serviceJob!))?.locked_by ?? null, { timeout: 10_000, interval: 50 }).not.toBeNull();
      await expect.poll(lockWaiters, { timeout: 10_000, interval: 50 }).toBe(1);
      const claimed = (await queueJob(serviceJob!))!;

      const [registered] = await db()('job_runners').select<Array<{ pool_id: string; liveness_lock: string }>>('pool_id', 'liveness_lock');
      const [session] = await holdersOf(registered!.liveness_lock);
      expect(session).toBeDefined();
      await db().raw('select pg_terminate_backend(?)', [session!]); // the liveness connection drops; the process lives on

      other = await startOther(); // registering reaps at once, then every 200 ms
      await new Promise((resolve) => setTimeout(resolve, 3 * liveness.graceMs));

      const now = await db()('job_runners').where({ pool_id: registered!.pool_id }).first<{ liveness_lock: string } | undefined>('liveness_lock');
      expect(now).toBeDefined(); // not reaped
      expect(now!.liveness_lock).not.toBe(registered!.liveness_lock); // registered again under a new key
      expect(await holdersOf(now!.liveness_lock)).toHaveLength(1); // which a live session holds
      expect(await queueJob(serviceJob!)).toEqual(claimed); // still the first process's, on its first attempt
      expect(await lockWaiters()).toBe(1); // no second run of the job waiting

      await holder.rollback();
      await expect.poll(async () => (await callApi(fixture.api, 'GET', `/api/instances/${started.id}`)).body.status, { timeout: 10_000, interval: 50 }).toBe('completed');
      expect(await db()('instance_history').where({ instance_id: started.id, event_type: 'job.complete' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
      expect(await db()('service_jobs').where({ id: serviceJob }).first('status', 'attempts')).toEqual({ status: 'completed', attempts: 1 });
      expect(await db()('application_number_sequences').where({ agency_code: '000.00.03.H03' }).pluck('last_sequence')).toEqual([1]);
    } finally {
      if (!holder.isCompleted()) await holder.rollback();
      await other?.stop();
    }
  });

  it('unlocks the jobs of a process that died, once its key has stayed free for the grace', { timeout: 30_000 }, async () => {
    // A process that died: its pool recorded under a key no session holds, a job still locked by it.
    const deadKey = '424242424242';
    const deadPool = 'pool-of-a-dead-process';
    const diedAt = Date.now(); // no process can have seen its key free before this
    await db()('job_runners').insert({ pool_id: deadPool, liveness_lock: deadKey });
    const { rows } = await db().raw<{ rows: Array<{ id: string }> }>("select id from graphile_worker.add_job('qt.orphan', '{}'::json, run_at => now() + interval '1 hour')");
    const orphan = rows[0]!.id;
    await db().raw('update graphile_worker._private_jobs set locked_by = ?, locked_at = now() where id = ?', [deadPool, orphan]); // as its claim left it
    const lockedBy = async () => (await db().raw<{ rows: Array<{ locked_by: string | null }> }>('select locked_by from graphile_worker.jobs where id = ?', [orphan])).rows[0]?.locked_by;

    const other = await startOther(); // the first process reaps too
    try {
      expect(await lockedBy()).toBe(deadPool); // seen free once: not yet taken for dead
      await expect.poll(lockedBy, { timeout: 10_000, interval: 50 }).toBeNull();
      expect(Date.now() - diedAt).toBeGreaterThanOrEqual(liveness.graceMs);
      expect(await db()('job_runners').where({ pool_id: deadPool })).toEqual([]);
    } finally {
      await other.stop();
      await db().raw('select graphile_worker.complete_jobs(array[?]::bigint[])', [orphan]);
    }
  });
});
