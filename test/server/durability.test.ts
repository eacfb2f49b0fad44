import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { adminToken, startProductProcess, type ProductProcess } from '../support/product-process.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * The durability promises of DESIGN "The engine": every step is one transaction, jobs and timers
 * live in the database, a job's effect commits with its step. Real `quytrinh start` processes on
 * one database; one of them is killed with SIGKILL in the middle of the work.
 */
const model = bpmnProcess(`
  <bpmn:startEvent id="submitted"/>
  <bpmn:serviceTask id="number" qt:jobType="dossier.number"/>
  <bpmn:intermediateCatchEvent id="coolingOff"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="done"/>
  ${flows('submitted>number', 'number>coolingOff', 'coolingOff>done')}
`, { id: 'Process_durable' });

let database: TestDatabase | undefined;
const processes: ProductProcess[] = [];
/** An administrator's token, made with `quytrinh token create` once the first product has migrated. */
let token = '';

afterEach(async () => {
  for (const running of processes.splice(0)) if (running.child.exitCode === null && running.child.signalCode === null) await running.stop('SIGTERM');
  await database?.drop();
  database = undefined;
});

async function start(env: Record<string, string>): Promise<ProductProcess> {
  const running = await startProductProcess({ ...env, LOG_LEVEL: 'warn' }, ['--no-build']);
  processes.push(running);
  return running;
}

async function startInstances(urls: string[], count: number): Promise<void> {
  const batch = 25;
  for (let first = 0; first < count; first += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - first) }, async (_, i) => {
        const url = urls[(first + i) % urls.length]!;
        const response = await fetch(`${url}/api/definitions/Process_durable/instances`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ businessKey: `HS-${first + i}`, variables: { agencyCode: '000.00.01.H01' } }),
        });
        if (response.status !== 201) throw new Error(`start failed: ${response.status} ${await response.text()}`);
      }),
    );
  }
}

/** Every instance completed once, every job's effect (a number from the sequence) taken exactly once. */
async function expectEachFinishedExactlyOnce(db: TestDatabase['db'], count: number): Promise<Map<string, number>> {
  const statuses = await db('process_instances').select('status').count<Array<{ status: string; count: string }>>('* as count').groupBy('status');
  expect(statuses).toEqual([{ status: 'completed', count: String(count) }]);
  const numbers = (await db('process_instances').select<Array<{ number: string }>>(db.raw("variables->>'applicationNumber' as number"))).map((row) => row.number);
  expect(new Set(numbers).size).toBe(count);
  const [sequences] = await db('application_number_sequences').sum<Array<{ total: string }>>('last_sequence as total');
  expect(Number(sequences?.total)).toBe(count); // no job ran twice to effect: the sequence moved once per instance
  const perInstance = await db('instance_history').select('instance_id').count<Array<{ count: string }>>('* as count').groupBy('instance_id');
  expect(perInstance.every((row) => row.count === '3')).toBe(true); // start, job.complete, timer: once each
  expect(await db('instance_history').whereIn('event_type', ['job.complete', 'timer']).count<Array<{ count: string }>>('* as count')).toEqual([{ count: String(2 * count) }]);
  expect(await db('service_jobs').whereNot({ status: 'completed' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
  // Who did each job and timer step (the starts are the API caller's).
  const actors = await db('instance_history').whereIn('event_type', ['job.complete', 'timer']).select('actor').count<Array<{ actor: string; count: string }>>('* as count').groupBy('actor');
  return new Map(actors.map((row) => [row.actor, Number(row.count)]));
}

async function waitForAll(db: TestDatabase['db'], count: number, timeoutMs: number): Promise<void> {
  await expect
    .poll(async () => Number((await db('process_instances').where({ status: 'completed' }).count<Array<{ count: string }>>('* as count'))[0]!.count), { timeout: timeoutMs, interval: 500 })
    .toBe(count);
}

describe('durability', () => {
  it('a server killed with SIGKILL in the middle of 500 instances, restarted, finishes every one exactly once', { timeout: 240_000 }, async () => {
    database = await createTestDatabase({ migrate: false }); // the product migrates its database itself
    const env = { DATABASE_URL: database.url, PORT: '0' };
    const first = await start(env);
    token = await adminToken(env);
    const deployed = await fetch(`${first.url}/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml', authorization: `Bearer ${token}` }, body: model });
    expect(deployed.status).toBe(201);

    await startInstances([first.url], 500);
    // Kill it while jobs and timers are in flight.
    await expect.poll(async () => Number((await database!.db('service_jobs').where({ status: 'completed' }).count<Array<{ count: string }>>('* as count'))[0]!.count), { timeout: 60_000, interval: 50 }).toBeGreaterThan(100);
    await first.stop('SIGKILL');
    const unfinished = Number((await database.db('process_instances').whereNot({ status: 'completed' }).count<Array<{ count: string }>>('* as count'))[0]!.count);
    expect(unfinished).toBeGreaterThan(0);

    await start(env);
    await waitForAll(database.db, 500, 180_000);
    await expectEachFinishedExactlyOnce(database.db, 500);
  });

  it('two server processes on one database share 1,000 instances with no job done twice', { timeout: 240_000 }, async () => {
    database = await createTestDatabase({ migrate: false });
    const env = { DATABASE_URL: database.url, PORT: '0' };
    const [a, b] = [await start(env), await start(env)];
    token = await adminToken(env);
    expect((await fetch(`${a.url}/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml', authorization: `Bearer ${token}` }, body: model })).status).toBe(201);

    await startInstances([a.url, b.url], 1000);
    await waitForAll(database.db, 1000, 180_000);
    const workByProcess = await expectEachFinishedExactlyOnce(database.db, 1000);
    expect([...workByProcess.values()].reduce((sum, n) => sum + n, 0)).toBe(2000);
    expect(workByProcess.size).toBe(2); // both processes did part of the work
  });
});
