import { once } from 'node:events';
import os from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { migrateJobQueue } from '../../server/execution/worker.ts';
import { createApp } from '../../server/http/app.ts';
import { createDemoData, DEMO_PASSWORD } from '../../server/identity/demo.ts';
import { BIRTH_CHILD } from '../support/birth-application.ts';
import { openBenchDatabase } from './bench-database.ts';

/**
 * Issue 11's benchmark, through the HTTP API of the product's app on loopback, on the catalogue's
 * birth registration as `npm run demo` deploys it:
 * - dossier submissions per second: a signed-in citizen's application (form validated against
 *   its schema, the component's technical check, the dossier code, the process instance with its
 *   first steps and history, the dossier, its component, event and receipt notice, the audit
 *   record), with 16 in flight;
 * - the public lookup (Circular 01 Art. 23.5.a) by dossier code, 64 clients at once: requests per
 *   second and p99 latency.
 * The clients run in this process beside the server, so the figures are what one process serves
 * and drives at once on this machine.
 */
export interface DossierBench {
  submissions: { count: number; concurrency: number; perSecond: number; p50Ms: number; p99Ms: number };
  lookup: { count: number; concurrency: number; perSecond: number; p50Ms: number; p99Ms: number };
}

const PROCEDURE = 'Process_dang_ky_khai_sinh';
// A one-page scan is about 100 kB; the technical check reads every byte of it.
const SCAN = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Runs `count` calls of `call`, `concurrency` at a time; every call must succeed. */
async function drive(count: number, concurrency: number, call: (index: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const at = performance.now();
        await call(index);
        latencies.push(performance.now() - at);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count, concurrency, perSecond: count / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

export async function runDossierBench(submissions: number, lookups: number): Promise<DossierBench> {
  const database = await openBenchDatabase();
  const logger = pino({ level: 'silent' });
  let server: Server | undefined;
  try {
    await migrateJobQueue(database.url, logger);
    await createDemoData(database.db, logger);
    const app = createApp({ db: database.db, logger, version: 'bench', embeddedDatabase: false });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const signIn = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: '001099054321', password: DEMO_PASSWORD }) });
    const session = { cookie: signIn.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await signIn.json()) as { csrfToken: string }).csrfToken };
    const form = (await (await fetch(`${url}/api/portal/procedures/${PROCEDURE}/form`, { headers: { cookie: session.cookie } })).json()) as { form: { version: number }; prefill: { values: Record<string, string> }; components: Array<{ name: string }> };
    const body = JSON.stringify({
      procedureKey: PROCEDURE,
      formVersion: form.form.version,
      data: { ...form.prefill.values, ...BIRTH_CHILD },
      components: [{ name: form.components[0]!.name, fileName: 'giay-chung-sinh.pdf', mediaType: 'application/pdf', contentBase64: SCAN.toString('base64') }],
    });
    const codes: string[] = [];
    const submit = async () => {
      const response = await fetch(`${url}/api/dossiers`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf }, body });
      if (response.status !== 201) throw new Error(`submission answered ${response.status}: ${await response.text()}`);
      codes.push(((await response.json()) as { receipt: { code: string } }).receipt.code);
    };
    // Warm up: the compiled definition, the form, the connections.
    for (let i = 0; i < 20; i++) await submit();
    const submitted = await drive(submissions, 16, submit);

    const lookup = await drive(lookups, 64, async (index) => {
      const response = await fetch(`${url}/api/lookup/${codes[index % codes.length]!}`);
      if (response.status !== 200) throw new Error(`lookup answered ${response.status}`);
      await response.arrayBuffer();
    });
    return { submissions: submitted, lookup };
  } finally {
    server?.close();
    await database.close();
  }
}

export function dossierBenchSummary(result: DossierBench): string[] {
  const { submissions: s, lookup: l } = result;
  return [
    `dossier submissions through the HTTP API: ${s.perSecond.toFixed(0)}/s at ${s.concurrency} in flight (p50 ${s.p50Ms.toFixed(1)} ms, p99 ${s.p99Ms.toFixed(1)} ms, ${s.count} dossiers)`,
    `public lookup: ${l.perSecond.toFixed(0)} requests/s from ${l.concurrency} clients (p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms, ${l.count} requests)`,
  ];
}

export function dossierBenchMarkdown(result: DossierBench): string {
  const { submissions: s, lookup: l } = result;
  return `## Dossiers through the HTTP API (issue 11)

The product's app on loopback (test/bench/dossiers.ts), on the catalogue's birth registration as
\`npm run demo\` deploys it, clients in the same process. A submission is a signed-in citizen's
application with a 100 kB scan: the form validated against its schema, the component's technical
check, the dossier code from the agency's daily sequence, the process instance with its first
steps and history, the dossier, its component, event and receipt notice, and the audit record, in
one transaction. The public lookup reads a dossier code and answers its procedure and level.

| what | in flight | per second | p50 | p99 | requests |
| --- | ---: | ---: | ---: | ---: | ---: |
| dossier submissions | ${s.concurrency} | ${s.perSecond.toFixed(0)} | ${s.p50Ms.toFixed(1)} ms | ${s.p99Ms.toFixed(1)} ms | ${s.count} |
| public lookup | ${l.concurrency} | ${l.perSecond.toFixed(0)} | ${l.p50Ms.toFixed(1)} ms | ${l.p99Ms.toFixed(1)} ms | ${l.count} |

On ${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end of the run.
`;
}
