import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { MAX_SIMULATED_DOSSIERS, simulateProcedure } from '../../engine/cost/simulation.ts';
import { createAnalysisPool, type AnalysisPool } from '../../server/workers/analysis-pool.ts';
import { generatedProcedure } from '../bench/cost-models.ts';
import { callApi, startApiServer, useApiOverTestDatabase, type ApiServer } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const fixture = useApiOverTestDatabase();

// A million dossiers of this model keep a thread busy for several seconds (about ten here), as the
// issue's run of 20.8 s did; the heavy one (1,000 nodes) for about two minutes.
const MODEL = generatedProcedure(48);
const HEAVY = generatedProcedure(1000);
const OPEN_TASKS = 20;

function simulate(api: ApiServer, body: unknown, signal?: AbortSignal) {
  return api.fetch('/api/analysis/simulate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
}

/** Milliseconds each of `GET /api/health` and `GET /api/tasks` takes, one after the other, while `going()` holds. */
async function sampleLatencies(going: () => boolean, rounds: number): Promise<{ health: number[]; tasks: number[] }> {
  const samples = { health: [] as number[], tasks: [] as number[] };
  for (let round = 0; round < rounds && going(); round++) {
    for (const [name, path] of [['health', '/api/health'], ['tasks', '/api/tasks']] as const) {
      const started = performance.now();
      const response = await fixture.api.fetch(path);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      samples[name].push(performance.now() - started);
    }
  }
  return samples;
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

describe('a large simulation runs off the event loop', () => {
  beforeAll(async () => {
    // Open tasks, so that listing them reads real rows.
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="review" name="Thẩm định hồ sơ"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>review', 'review>end')}`, { id: 'Process_review' });
    expect((await callApi(fixture.api, 'POST', '/api/definitions', model, 'application/xml')).status).toBe(201);
    for (let index = 0; index < OPEN_TASKS; index++) {
      expect((await callApi(fixture.api, 'POST', '/api/definitions/Process_review/instances', {})).status).toBe(201);
    }
  });

  it('answers a small run exactly as the engine does for the same seed', async () => {
    const submittedFrom = '2025-01-20T08:00:00+07:00';
    const response = await simulate(fixture.api, { model: MODEL, dossiers: 2000, seed: 7, submittedFrom });
    expect(response.status).toBe(200);
    const direct = simulateProcedure(await readProcess(MODEL), { dossiers: 2000, seed: 7, submittedFrom: new Date(submittedFrom) });
    expect(await response.text()).toBe(JSON.stringify(direct));
  });

  it('keeps health and the task list at their usual latency while a million dossiers are simulated', async () => {
    const baseline = await sampleLatencies(() => true, 150);
    expect(baseline.tasks.length).toBe(150);

    let running = true;
    const seed = 2026;
    const big = simulate(fixture.api, { model: MODEL, dossiers: MAX_SIMULATED_DOSSIERS, seed }).finally(() => (running = false));
    const during = await sampleLatencies(() => running, 100_000);
    const response = await big;

    // Enough requests were answered while the simulation ran to read a p99 from.
    expect(during.tasks.length).toBeGreaterThanOrEqual(100);
    expect(p99(during.health)).toBeLessThan(p99(baseline.health) + 100);
    expect(p99(during.tasks)).toBeLessThan(p99(baseline.tasks) + 100);
    expect((await callApi(fixture.api, 'GET', '/api/tasks')).body.items).toHaveLength(OPEN_TASKS);

    expect(response.status).toBe(200);
    const result = (await response.json()) as ReturnType<typeof simulateProcedure>;
    const small = simulateProcedure(await readProcess(MODEL), { dossiers: 1000, seed });
    expect(result).toMatchObject({ dossiers: MAX_SIMULATED_DOSSIERS, seed, exact: small.exact });
    // Cost is linear in the visits, so a million dossiers' mean cost is the exact expectation to well within 1 %.
    expect(Math.abs(result.totalVnd.mean - small.exact.totalVnd) / small.exact.totalVnd).toBeLessThan(0.01);
    expect(result.totalVnd.p50).toBeLessThanOrEqual(result.totalVnd.p90);
    console.info(
      `latency p99 before/during: health ${p99(baseline.health).toFixed(1)}/${p99(during.health).toFixed(1)} ms, ` +
        `tasks ${p99(baseline.tasks).toFixed(1)}/${p99(during.tasks).toFixed(1)} ms (${during.tasks.length} rounds during the run)`,
    );
  }, 180_000);
});

describe('the limits of the analysis pool', () => {
  let pools: AnalysisPool[] = [];
  let servers: ApiServer[] = [];
  const serve = async (limits: Parameters<typeof createAnalysisPool>[0]) => {
    const pool = createAnalysisPool(limits);
    const server = await startApiServer(fixture.database.db, undefined, { analysisPool: pool });
    pools.push(pool);
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const pool of pools) await pool.destroy();
    pools = [];
    servers = [];
  });

  it('states the dossier cap in both languages, naming the field', async () => {
    const refused = await callApi(fixture.api, 'POST', '/api/analysis/simulate', { model: MODEL, dossiers: MAX_SIMULATED_DOSSIERS + 1 });
    expect(refused.status).toBe(400);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'simulation.dossiers', errors: [{ field: 'body.dossiers' }] });
    expect(refused.body.messages.vi).toContain('1.000.000');
    expect(refused.body.messages.en).toContain('1,000,000');
  });

  it('refuses with 503 and Retry-After when the queue is full, and stops the work of a client that went away', async () => {
    const api = await serve({ maxThreads: 1, maxQueue: 1, timeoutMs: 600_000 });
    // A first small run starts the thread, so the heavy run below takes it at once.
    expect((await simulate(api, { model: MODEL, dossiers: 10 })).status).toBe(200);

    const running = new AbortController();
    const waiting = new AbortController();
    const heavy = simulate(api, { model: HEAVY, dossiers: MAX_SIMULATED_DOSSIERS }, running.signal).catch((error: unknown) => error);
    const queued = simulate(api, { model: HEAVY, dossiers: MAX_SIMULATED_DOSSIERS }, waiting.signal).catch((error: unknown) => error);
    // Let both reach the pool: one running, one waiting.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const refused = await simulate(api, { model: MODEL, dossiers: 10 });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('5');
    const problem = (await refused.json()) as { code: string; messages: { vi: string; en: string } };
    expect(problem.code).toBe('analysis.busy');
    expect(problem.messages.vi).toContain('thử lại sau 5 giây');
    expect(problem.messages.en).toContain('retry in 5 seconds');

    // The clients go away: the running task's thread is terminated and the waiting one dropped, so
    // the next run is answered now rather than after minutes of work nobody will read.
    running.abort();
    waiting.abort();
    expect(await heavy).toBeInstanceOf(Error);
    expect(await queued).toBeInstanceOf(Error);
    const next = await simulate(api, { model: MODEL, dossiers: 500, seed: 3 });
    expect(next.status).toBe(200);
    expect(await next.text()).toBe(JSON.stringify(simulateProcedure(await readProcess(MODEL), { dossiers: 500, seed: 3 })));
  });

  it('stops an analysis past its time limit with a typed 503', async () => {
    const api = await serve({ maxThreads: 1, timeoutMs: 3000 });
    const stopped = await callApi(api, 'POST', '/api/analysis/simulate', { model: HEAVY, dossiers: MAX_SIMULATED_DOSSIERS });
    expect(stopped.status).toBe(503);
    expect(stopped.type).toContain('application/problem+json');
    expect(stopped.body.code).toBe('analysis.timeout');
    expect(stopped.body.messages.vi).toContain('3 giây');
    expect(stopped.body.messages.en).toContain('3-second limit');
  });
});
