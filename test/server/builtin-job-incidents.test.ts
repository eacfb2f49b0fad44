import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_TASK_JOB } from '../../server/execution/job-kinds.ts';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * A built-in job that fails on every attempt: retried with graphile-worker's backoff, an incident
 * after the last attempt, retried over the API once its cause is fixed. The test does not wait
 * out the backoff (e^n seconds, minutes in all): after each failed attempt it checks the retry
 * was put off, then brings it forward with graphile-worker's own `rescheduleJobs`.
 */
const numbering = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:serviceTask id="number" qt:jobType="dossier.number"/>
  <bpmn:userTask id="review"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>number', 'number>review', 'review>end')}
`, { id: 'Process_numbering_incident' });

// The cause of the failure: the agency's numbering sequence refuses new rows, as a database
// object gone wrong would, until an administrator puts it right.
const agency = '000.00.07.H07';
const constraint = 'agency_h07_sequence_closed';

const fixture = useApiOverTestDatabase();
let utils: WorkerUtils;
beforeAll(async () => {
  expect((await fixture.api.fetch(`/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: numbering })).status).toBe(201);
  await fixture.database.db.raw(`alter table application_number_sequences add constraint ${constraint} check (agency_code <> '${agency}')`);
  utils = await makeWorkerUtils({ connectionString: fixture.database.url });
});
afterAll(async () => {
  await utils?.release();
});
useJobRunner(fixture);

const call = (method: string, path: string, body?: unknown) => callApi(fixture.api, method, path, body);

interface QueueJob {
  id: string;
  attempts: number;
  max_attempts: number;
  locked_at: Date | null;
  run_at: Date;
  retry_in_future: boolean;
}

/** The queue job of a service job, once the attempt given has ended (it is unlocked again). */
async function afterAttempt(serviceJobId: string, attempt: number): Promise<QueueJob> {
  const read = async () => {
    const { rows } = await fixture.database.db.raw<{ rows: QueueJob[] }>('select *, run_at > now() as retry_in_future from graphile_worker.jobs where key = ?', [`service:${serviceJobId}`]);
    return rows[0];
  };
  await expect.poll(async () => {
    const job = await read();
    return job && job.locked_at === null ? job.attempts : undefined;
  }, { timeout: 15_000, interval: 100 }).toBe(attempt);
  return (await read())!;
}

describe('an incident on a built-in job', () => {
  it('is recorded after the last attempt, shown, and retried to effect exactly once once its cause is fixed', { timeout: 60_000 }, async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_numbering_incident/instances', { variables: { agencyCode: agency } });
    const [serviceJob] = (await fixture.database.db('service_jobs').where({ instance_id: started.id }).pluck('id')) as string[];

    for (let attempt = 1; attempt < SERVICE_TASK_JOB.maxAttempts; attempt++) {
      const job = await afterAttempt(serviceJob!, attempt);
      expect(job.max_attempts).toBe(SERVICE_TASK_JOB.maxAttempts);
      expect(job.retry_in_future).toBe(true); // retried with backoff, not at once
      expect((await call('GET', '/api/incidents')).body.items).toEqual([]); // no incident before the last attempt
      await utils.rescheduleJobs([job.id], { runAt: new Date() });
    }
    await afterAttempt(serviceJob!, SERVICE_TASK_JOB.maxAttempts);

    const { items: incidents } = (await call('GET', '/api/incidents')).body;
    expect(incidents).toEqual([expect.objectContaining({ instanceId: started.id, elementId: 'number', jobId: serviceJob })]);
    expect(incidents[0].message).toContain(constraint);
    expect(await fixture.database.db('service_jobs').where({ id: serviceJob }).first('status', 'attempts')).toEqual({ status: 'open', attempts: SERVICE_TASK_JOB.maxAttempts });
    expect((await call('GET', `/api/instances/${started.id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['number'] });
    expect(await fixture.database.db('application_number_sequences').where({ agency_code: agency })).toEqual([]); // every failed attempt rolled back

    await fixture.database.db.raw(`alter table application_number_sequences drop constraint ${constraint}`);
    expect(await call('POST', `/api/incidents/${incidents[0].id}/retry`)).toMatchObject({ status: 200, body: { id: incidents[0].id, status: 'resolved' } });

    await expect.poll(async () => (await call('GET', `/api/instances/${started.id}`)).body.activeElementIds, { timeout: 15_000, interval: 100 }).toEqual(['review']);
    const { body: instance } = await call('GET', `/api/instances/${started.id}`);
    expect(instance.variables.applicationNumber).toMatch(new RegExp(`^${agency.replaceAll('.', '\\.')}-\\d{6}-0001$`));
    expect((await call('GET', `/api/instances/${started.id}/history`)).body.items.map((entry: { eventType: string; elementId: string }) => [entry.eventType, entry.elementId])).toEqual([
      ['start', null],
      ['job.complete', 'number'],
    ]);
    expect(await fixture.database.db('application_number_sequences').where({ agency_code: agency }).pluck('last_sequence')).toEqual([1]); // one run to effect
    expect(await fixture.database.db('service_jobs').where({ id: serviceJob }).first('status', 'attempts')).toEqual({ status: 'completed', attempts: 1 }); // a fresh set of attempts
    expect((await call('GET', '/api/incidents')).body.items).toEqual([]);
  });

  it('refuses to retry an incident already resolved (409) or unknown (404), as problem+json', async () => {
    const [resolved] = (await fixture.database.db('incidents').whereNotNull('resolved_at').pluck('id')) as string[];
    expect(resolved).toBeDefined();
    const again = await call('POST', `/api/incidents/${resolved}/retry`);
    expect(again).toMatchObject({ status: 409, body: { code: 'incident.resolved', status: 409 } });
    expect(again.type).toContain('application/problem+json');
    expect(again.body.messages.vi).toContain(resolved);

    const unknown = await call('POST', '/api/incidents/00000000-0000-4000-8000-000000000000/retry');
    expect(unknown).toMatchObject({ status: 404, body: { code: 'incident.not-found' } });
    expect(unknown.type).toContain('application/problem+json');

    const malformed = await call('POST', '/api/incidents/not-an-id/retry');
    expect(malformed).toMatchObject({ status: 400, body: { errors: [{ field: 'params.id' }] } });
    expect(await fixture.database.db('incidents').whereNull('resolved_at')).toEqual([]); // nothing reopened or stored
  });
});
