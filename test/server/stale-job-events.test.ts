import { Logger, runOnce } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuiltinJob } from '../../server/execution/builtin-jobs.ts';
import { applyInstanceEvent, type ApplyOutcome } from '../../server/execution/instances.ts';
import { TIMER_JOB, timerJobKey, type TimerPayload } from '../../server/execution/job-kinds.ts';
import { fireTimer } from '../../server/execution/timers.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * Jobs claimed before the instance moved on: a built-in job cancelled by an interrupting event,
 * a timer disarmed or armed again, between the moment its job was claimed and the moment it
 * holds the instance lock. The job must then change nothing and leave no history. No job runner
 * runs here: the test plays it, to put each step of the race in a fixed order.
 */
const numbering = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:serviceTask id="number" qt:jobType="dossier.number"/>
  <bpmn:boundaryEvent id="withdrawn" attachedToRef="number"><bpmn:messageEventDefinition messageRef="Message_withdrawn"/></bpmn:boundaryEvent>
  <bpmn:userTask id="archive"/>
  <bpmn:endEvent id="numbered"/>
  <bpmn:endEvent id="archived"/>
  ${flows('start>number', 'number>numbered', 'withdrawn>archive', 'archive>archived')}
`, { id: 'Process_withdrawable', outside: '<bpmn:message id="Message_withdrawn" name="dossier.withdrawn"/>' });

// Decree 45 Art. 11: a dossier returned for amendment goes back to review, whose deadline starts again.
const review = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="review"/>
  <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  <bpmn:exclusiveGateway id="complete" default="complete_issue"/>
  <bpmn:userTask id="issue"/>
  <bpmn:userTask id="escalate"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>review', 'review>complete', 'issue>end', 'late>escalate', 'escalate>end')}
  <bpmn:sequenceFlow id="complete_issue" sourceRef="complete" targetRef="issue"/>
  <bpmn:sequenceFlow id="complete_review" sourceRef="complete" targetRef="review"><bpmn:conditionExpression>amend</bpmn:conditionExpression></bpmn:sequenceFlow>
`, { id: 'Process_review_deadline' });

// A reminder each hour, twice, while the review lasts (a non-interrupting cycle).
const reminders = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="review"/>
  <bpmn:boundaryEvent id="late" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  <bpmn:endEvent id="reminded"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>review', 'review>end', 'late>reminded')}
`, { id: 'Process_review_reminders' });

const fixture = useApiOverTestDatabase();
const silent = new Logger(() => () => undefined);
beforeAll(async () => {
  for (const xml of [numbering, review, reminders]) {
    expect((await fixture.api.fetch(`/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml })).status).toBe(201);
  }
});

const call = (method: string, path: string, body?: unknown) => callApi(fixture.api, method, path, body);
const history = (instanceId: string) => fixture.database.db('instance_history').where({ instance_id: instanceId }).orderBy('id').select<Array<{ event_id: string; event_type: string }>>('event_id', 'event_type');

/** Resolves once some backend of the test database waits for a lock (a row lock: the instance's). */
async function someoneWaitsForALock(): Promise<void> {
  await expect.poll(async () => {
    const { rows } = await fixture.database.db.raw<{ rows: unknown[] }>("select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
    return rows.length;
  }, { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
}

describe('an event builder with nothing to apply', () => {
  it('changes nothing: what it wrote is rolled back, no step, no history row', async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_review_deadline/instances', {});
    const before = await fixture.database.db('process_instances').where({ id: started.id }).first('revision', 'snapshot');
    const outcome = await applyInstanceEvent(fixture.database.db, started.id, async (trx) => {
      await trx('user_tasks').where({ instance_id: started.id }).update({ status: 'completed' });
      return undefined;
    }, { eventId: 'nothing-1' });
    expect(outcome).toEqual({ kind: 'nothing-to-apply' });
    expect(await fixture.database.db('process_instances').where({ id: started.id }).first('revision', 'snapshot')).toEqual(before);
    expect(await fixture.database.db('user_tasks').where({ instance_id: started.id }).pluck('status')).toEqual(['open']);
    expect((await history(started.id)).map((row) => row.event_id)).toEqual(['start']);
  });
});

describe('a built-in job cancelled between its claim and the instance lock', () => {
  it('runs to no effect, without error or history row', async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_withdrawable/instances', { variables: { agencyCode: '000.00.05.H05' } });
    const [serviceJob] = (await fixture.database.db('service_jobs').where({ instance_id: started.id }).pluck('id')) as string[];

    const holder = await fixture.database.db.transaction();
    try {
      await holder('process_instances').where({ id: started.id }).forUpdate().first();
      const job = runBuiltinJob(fixture.database.db, serviceJob!, { number: 1, max: 5 }); // reads the job open, then waits for the lock
      await someoneWaitsForALock();
      // The withdrawal, applied while the job waits, interrupts the service task and cancels its job.
      expect((await applyInstanceEvent(holder, started.id, { type: 'message', elementId: 'withdrawn' }, { eventId: 'withdrawal-1' })).kind).toBe('applied');
      await holder.commit();
      await expect(job).resolves.toBeUndefined();
    } finally {
      if (!holder.isCompleted()) await holder.rollback();
    }

    expect(await history(started.id)).toEqual([{ event_id: 'start', event_type: 'start' }, { event_id: 'withdrawal-1', event_type: 'message' }]);
    expect(await fixture.database.db('service_jobs').where({ id: serviceJob }).first('status', 'attempts')).toEqual({ status: 'cancelled', attempts: 0 });
    expect(await fixture.database.db('application_number_sequences').where({ agency_code: '000.00.05.H05' })).toEqual([]);
    expect(await fixture.database.db('incidents').where({ instance_id: started.id })).toEqual([]);
    expect((await call('GET', `/api/instances/${started.id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['archive'] });
  });
});

describe('a timer job claimed before its timer was disarmed or armed again', () => {
  const armedJob = async (instanceId: string) => (await fixture.database.db.raw<{ rows: Array<{ id: string }> }>('select id from graphile_worker.jobs where key = ?', [timerJobKey(instanceId, 'late')])).rows[0]?.id;

  /**
   * Claims the instance's due review timer as a worker would (graphile-worker's `runOnce`), does
   * `meanwhile` while the job is claimed, then lets the job fire through the product's `fireTimer`.
   */
  async function raceTimer(instanceId: string, meanwhile: () => Promise<void>): Promise<{ jobId: string; outcome: ApplyOutcome }> {
    const jobId = (await armedJob(instanceId))!;
    await fixture.database.db.raw('select graphile_worker.reschedule_jobs(array[?]::bigint[], run_at => now())', [jobId]); // due now
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let outcome: ApplyOutcome | undefined;
    const worker = runOnce({ connectionString: fixture.database.url, logger: silent, noHandleSignals: true, taskList: {
      [TIMER_JOB.task]: async (payload, helpers) => {
        claimed();
        await released;
        outcome = await fireTimer(fixture.database.db, payload as TimerPayload, helpers.job.id, 'test-worker');
      },
    } });
    await isClaimed;
    await meanwhile();
    release();
    await worker;
    return { jobId, outcome: outcome! };
  }

  const openTask = async (instanceId: string, elementId: string) => (await call('GET', `/api/tasks?instanceId=${instanceId}`)).body.items.find((task: { elementId: string }) => task.elementId === elementId).id as string;

  it('does not fire the timer armed again meanwhile (the review entered anew)', async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_review_deadline/instances', {});
    let rearmed: string | undefined;
    const { jobId, outcome } = await raceTimer(started.id, async () => {
      expect((await call('POST', `/api/tasks/${await openTask(started.id, 'review')}/complete`, { variables: { amend: true } })).status).toBe(200);
      rearmed = await armedJob(started.id);
    });
    expect(rearmed).toBeDefined();
    expect(rearmed).not.toBe(jobId); // the new deadline is a new job
    expect(outcome).toEqual({ kind: 'nothing-to-apply' });
    expect((await history(started.id)).map((row) => row.event_type)).toEqual(['start', 'task.complete']);
    expect((await call('GET', `/api/instances/${started.id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['review'] });
    expect(await armedJob(started.id)).toBe(rearmed); // the new deadline is still armed, for its own time
  });

  it('does not act on a timer disarmed meanwhile (the review done)', async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_review_deadline/instances', {});
    const { jobId, outcome } = await raceTimer(started.id, async () => {
      expect((await call('POST', `/api/tasks/${await openTask(started.id, 'review')}/complete`, { variables: { amend: false } })).status).toBe(200);
    });
    expect(outcome).toEqual({ kind: 'nothing-to-apply' });
    expect((await history(started.id)).map((row) => row.event_id)).not.toContain(`timer:${jobId}`);
    expect((await call('GET', `/api/instances/${started.id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['issue'] });
    expect(await armedJob(started.id)).toBeUndefined();
  });

  it('fires a timer still armed', async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_review_deadline/instances', {});
    const { jobId, outcome } = await raceTimer(started.id, () => Promise.resolve());
    expect(outcome.kind).toBe('applied');
    expect(await history(started.id)).toEqual([{ event_id: 'start', event_type: 'start' }, { event_id: `timer:${jobId}`, event_type: 'timer' }]);
    expect((await call('GET', `/api/instances/${started.id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['escalate'] });
  });

  it('fires each round of a cycle, the next round being a new job, and a redelivered round never again', async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_review_reminders/instances', {});
    const first = await raceTimer(started.id, () => Promise.resolve());
    expect(first.outcome.kind).toBe('applied');
    const next = await armedJob(started.id);
    expect(next).toBeDefined();
    expect(next).not.toBe(first.jobId);
    const second = await raceTimer(started.id, () => Promise.resolve());
    expect([second.jobId, second.outcome.kind]).toEqual([next, 'applied']);
    expect(await armedJob(started.id)).toBeUndefined(); // R2: two rounds, then none
    const again = await fireTimer(fixture.database.db, { instanceId: started.id, elementId: 'late' }, first.jobId, 'test-worker');
    expect(again).toEqual({ kind: 'duplicate' });
    expect((await history(started.id)).map((row) => row.event_id)).toEqual(['start', `timer:${first.jobId}`, `timer:${second.jobId}`]);
    expect((await call('GET', `/api/instances/${started.id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['review'] });
  });
});
