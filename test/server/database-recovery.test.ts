import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { createTestDatabase } from '../support/database.ts';
import { adminToken, startProductProcess, type ProductProcess } from '../support/product-process.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * A running product outlives its database going away: it answers 503 with Retry-After meanwhile,
 * restarts an embedded PostgreSQL that died, reconnects to one that comes back, and loses
 * nothing; a database that stays away past DATABASE_RECOVERY_TIMEOUT makes it exit non-zero,
 * for its supervisor to restart it.
 */
const model = bpmnProcess(`
  <bpmn:startEvent id="submitted"/>
  <bpmn:userTask id="check"/>
  <bpmn:serviceTask id="number" qt:jobType="dossier.number"/>
  <bpmn:intermediateCatchEvent id="coolingOff"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:userTask id="sign"/>
  <bpmn:endEvent id="done"/>
  ${flows('submitted>check', 'check>number', 'number>coolingOff', 'coolingOff>sign', 'sign>done')}
`, { id: 'Process_outage' });

/** Built-in jobs queued by the dozen: some are running on the job runner when the database dies. */
const numbering = bpmnProcess(`
  <bpmn:startEvent id="submitted"/>
  <bpmn:serviceTask id="number" qt:jobType="dossier.number"/>
  <bpmn:endEvent id="done"/>
  ${flows('submitted>number', 'number>done')}
`, { id: 'Process_numbering' });
const BURST = 60;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function stopAtTheEnd(running: ProductProcess): ProductProcess {
  onTestFailed(() => {
    const { stdout, stderr } = running.output();
    console.log(`product output:\n${stdout.slice(-20_000)}\n${stderr.slice(-20_000)}`);
  });
  cleanups.push(async () => {
    if (running.child.exitCode === null && running.child.signalCode === null) await running.stop('SIGKILL');
  });
  return running;
}

/** An administrator's token for the product under test, made with `quytrinh token create` beside it. */
let token = '';

async function api(url: string, method: string, route: string, body?: unknown): Promise<{ status: number; type: string | null; retryAfter: string | null; body: any }> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': typeof body === 'string' ? 'application/xml' : 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
}

/** Calls `route` until it answers 503, checking every answer on the way is 200 or 503, never 500. */
async function untilUnavailable(url: string, route: string): Promise<Awaited<ReturnType<typeof api>>> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const answer = await api(url, 'GET', route);
    expect([200, 503]).toContain(answer.status);
    if (answer.status === 503) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${route} never answered 503`);
}

function expectRetryLater(answer: Awaited<ReturnType<typeof api>>): void {
  expect(answer.status).toBe(503);
  expect(answer.type).toMatch(/^application\/problem\+json/);
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  expect(answer.body).toMatchObject({ status: 503, code: 'database.unreachable' });
  expect(answer.body.messages.vi).toMatch(/cơ sở dữ liệu/);
}

async function openTask(url: string, instanceId: string, elementId: string): Promise<string | undefined> {
  const { body } = await api(url, 'GET', `/api/tasks?instanceId=${instanceId}`);
  return (body.items as Array<{ id: string; elementId: string }>).find((task) => task.elementId === elementId)?.id;
}

describe('the embedded PostgreSQL killed under a running product', () => {
  it('is restarted: 503 with Retry-After meanwhile, then the same instance and tasks, and the job runner still runs', { timeout: 180_000 }, async (context) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'quytrinh-recovery-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // Its own embedded cluster, whatever DATABASE_URL the tests were given.
    let product: ProductProcess;
    try {
      product = stopAtTheEnd(await startProductProcess({ DATA_DIR: dataDir, PORT: '0', DATABASE_URL: undefined, DATABASE_RECOVERY_TIMEOUT: '90' }, ['--no-build']));
      token = await adminToken({ DATA_DIR: dataDir, DATABASE_URL: undefined });
    } catch (error) {
      // Where this user cannot run PostgreSQL (a root without a usable `postgres` user), the start says so plainly.
      if (/PostgreSQL nhúng/.test(String(error))) context.skip(`embedded PostgreSQL cannot run here: ${String(error)}`);
      throw error;
    }
    const { url } = product;
    expect((await api(url, 'POST', '/api/definitions', model)).status).toBe(201);
    expect((await api(url, 'POST', '/api/definitions', numbering)).status).toBe(201);
    const { body: instance } = await api(url, 'POST', '/api/definitions/Process_outage/instances', { businessKey: 'HS-OUTAGE', variables: { agencyCode: '000.00.01.H01' } });
    const check = await openTask(url, instance.id, 'check');
    expect(check).toBeDefined();

    // When its postmaster is killed outright, with built-in jobs queued and running
    const burst: string[] = [];
    for (let i = 0; i < BURST; i++) burst.push((await api(url, 'POST', '/api/definitions/Process_numbering/instances', { variables: { agencyCode: '000.00.01.H02' } })).body.id);
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    const killed = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    process.kill(killed, 'SIGKILL');

    // Then calls answer 503 problem+json with Retry-After, health too
    expectRetryLater(await untilUnavailable(url, `/api/instances/${instance.id}`));
    const health = await api(url, 'GET', '/api/health');
    if (health.status === 503) expect(Number(health.retryAfter)).toBeGreaterThan(0);

    // And the product serves again by itself, on a new postmaster, with nothing lost
    await expect.poll(async () => (await api(url, 'GET', `/api/instances/${instance.id}`)).status, { timeout: 60_000, interval: 200 }).toBe(200);
    const restarted = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    expect(restarted).not.toBe(killed);
    expect((await api(url, 'GET', '/api/health')).body).toMatchObject({ status: 'ok', database: { status: 'up', embedded: true } });
    expect((await api(url, 'GET', `/api/instances/${instance.id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['check'], businessKey: 'HS-OUTAGE' });
    expect(await openTask(url, instance.id, 'check')).toBe(check);

    // A task completes; the built-in job and the timer behind it run on the job runner, which survived
    expect((await api(url, 'POST', `/api/tasks/${check}/complete`, {})).status).toBe(200);
    await expect.poll(() => openTask(url, instance.id, 'sign'), { timeout: 60_000, interval: 250 }).toBeDefined();
    const sign = await openTask(url, instance.id, 'sign');
    expect((await api(url, 'POST', `/api/tasks/${sign}/complete`, {})).status).toBe(200);
    const done = (await api(url, 'GET', `/api/instances/${instance.id}`)).body;
    expect(done).toMatchObject({ status: 'completed' });
    expect(done.variables.applicationNumber).toMatch(/^000\.00\.01\.H01-/);

    // Every queued job ran exactly once to effect, those cut off by the outage included
    const numbers = async () => Promise.all(burst.map(async (id) => (await api(url, 'GET', `/api/instances/${id}`)).body.variables.applicationNumber as string | undefined));
    await expect.poll(async () => (await numbers()).filter(Boolean).length, { timeout: 60_000, interval: 500 }).toBe(BURST);
    const sequences = (await numbers()).map((number) => Number(number!.split('-').at(-1))).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: BURST }, (_, i) => i + 1)); // each number taken once: no job ran twice to effect
    const stopped = await product.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('the embedded PostgreSQL died; starting it again');
  });
});

/** A TCP relay to the test database server: closing it is, to the product, its database dying; opening it again, coming back. */
async function relayTo(target: string): Promise<{ url: string; close(): Promise<void>; open(): Promise<void> }> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = async () => {
    server = createServer((client) => {
      const peer = connect(Number(upstream.port || 5432), upstream.hostname);
      for (const socket of [client, peer]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(peer).pipe(client);
      client.on('close', () => peer.destroy());
      peer.on('close', () => client.destroy());
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  };
  await open();
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    open,
    async close() {
      const closed = new Promise((resolve) => server!.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe('a DATABASE_URL server going away under a running product', () => {
  it('is reconnected to when it comes back, and makes the product exit 1 when it stays away past the bound', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase({ migrate: false });
    cleanups.push(() => database.drop());
    const relay = await relayTo(database.url);
    cleanups.push(() => relay.close().catch(() => undefined));
    const product = stopAtTheEnd(await startProductProcess({ DATABASE_URL: relay.url, PORT: '0', DATABASE_RECOVERY_TIMEOUT: '6' }, ['--no-build']));
    token = await adminToken({ DATABASE_URL: relay.url });
    const { body: models } = await api(product.url, 'GET', '/api/models');
    expect(models.items).toEqual([]);

    // A short outage: 503 with Retry-After, then served again without a restart
    await relay.close();
    expectRetryLater(await untilUnavailable(product.url, '/api/models'));
    await relay.open();
    await expect.poll(async () => (await api(product.url, 'GET', '/api/models')).status, { timeout: 30_000, interval: 200 }).toBe(200);
    expect(product.child.exitCode).toBeNull();

    // An outage past DATABASE_RECOVERY_TIMEOUT: the product says so in both languages and exits 1
    await relay.close();
    const [code] = (await once(product.child, 'exit')) as [number | null];
    expect(code).toBe(1);
    const { stderr } = product.output();
    expect(stderr).toMatch(/✖ Mất cơ sở dữ liệu .+ quá 6 giây.+\n {2}The database .+ has been unreachable for over 6 s; exiting so that a supervisor restarts the product/);
  });
});
