import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { userTaskSequence } from '../bench/compile-models.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';

const fixture = useApiOverTestDatabase();

/** Latencies of `GET /api/health`, one call after another, until `until` settles (or for `count` calls). */
async function healthLatencies(options: { count?: number; until?: Promise<unknown> }): Promise<number[]> {
  let settled = false;
  void options.until?.finally(() => (settled = true));
  const latencies: number[] = [];
  while (options.until ? !settled : latencies.length < options.count!) {
    const started = performance.now();
    const response = await fetch(`${fixture.api.url}/api/health`);
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    expect(response.status).toBe(200);
  }
  return latencies;
}

const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.99))]!;

describe('deploying a large model', () => {
  it('does not hold up other requests: health answers as fast as without it while a 10,000-task model is deployed', async () => {
    const xml = userTaskSequence(10_000, 'Process_ten_thousand');
    await healthLatencies({ count: 20 }); // connections and code paths warmed
    const baseline = p99(await healthLatencies({ count: 200 }));

    const deployed = fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml });
    const during = await healthLatencies({ until: deployed });
    const response = await deployed;
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ key: 'Process_ten_thousand', version: 1 });
    // Reading and compiling it takes hundreds of milliseconds: health was asked many times meanwhile.
    expect(during.length).toBeGreaterThan(10);
    console.log(`health p99 ${baseline.toFixed(1)} ms alone, ${p99(during).toFixed(1)} ms during the deployment (${during.length} calls)`);
    expect(p99(during)).toBeLessThan(baseline + 100);
  });
});
