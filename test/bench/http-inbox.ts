import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Express, RequestHandler } from 'express';
import { pino } from 'pino';
import { RequestAuditLog, type AuditSink } from '../../server/audit/request-log.ts';
import { startAuditSealer } from '../../server/audit/sealer.ts';
import { verifyAuditChain } from '../../server/audit/verify.ts';
import type { Database } from '../../server/db/connect.ts';
import { deployDefinition } from '../../server/execution/definitions.ts';
import { startProcessInstance } from '../../server/execution/instances.ts';
import { migrateJobQueue } from '../../server/execution/worker.ts';
import { createApp } from '../../server/http/app.ts';
import { createAgency, mapLane } from '../../server/identity/agencies.ts';
import type { Principal } from '../../server/identity/roles.ts';
import type { Logger } from '../../server/logger.ts';
import { createToken } from '../../server/identity/tokens.ts';
import { openBenchDatabase } from './bench-database.ts';
import type { InboxReply, InboxRequest } from './inbox-client.ts';
import { sequenceOfTenTasks } from './models.ts';

/**
 * Durable task completions through the HTTP API (issue 9's benchmark): the server on loopback
 * in this process, an inbox client in a child process (inbox-client.ts) listing the open tasks
 * page by page and completing them with 16 or 64 requests in flight, until none is left.
 *
 * Two servers over the same database, measured back to back on fresh data, alternating which
 * goes first from round to round:
 * - product: the product's app (createApp) as shipped, called with an official's API token
 *   whose agency holds the model's lane: every request authenticated, every completion
 *   authorised for its task's lane, recorded in the audit log, and the audit chain sealed every
 *   second by the sealer (startAuditSealer) while the client runs;
 * - baseline ("without authentication and audit"): the same app with a fixed administrator as the
 *   caller instead of the route policy table, no audit log and no sealer; everything else (security
 *   headers, request logging, body limits, routers) as in the product.
 */
export interface InboxFigures {
  completions: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Processor time of the server's process (the product's includes its audit writes and sealer) per completion. */
  serverCpuMs: number;
  /** Processor time of the PostgreSQL backends serving the bench's database per completion. */
  databaseCpuMs: number;
}

export interface HttpInboxRow {
  concurrency: number;
  /** Medians over the rounds. */
  product: InboxFigures;
  baseline: InboxFigures;
  /** Per round: product completions/s over baseline completions/s, runs of a round back to back. */
  ratios: number[];
  /** The median of `ratios`. */
  ratio: number;
}

export interface HttpInboxResult {
  instances: number;
  rounds: number;
  rows: HttpInboxRow[];
}

const AGENCY = { code: '000.00.31.H01', name: 'UBND xã Bench' };
const LANE = 'Chuyên viên xã Bench';
const WARM_UP_INSTANCES = 50;

const BASELINE_PRINCIPAL: Principal = {
  kind: 'token',
  id: '00000000-0000-0000-0000-000000000000',
  actor: 'bench:baseline',
  displayName: 'baseline (no authentication)',
  roles: ['admin'],
  memberships: [],
  assuranceLevel: 1,
  jobTypes: null,
};

/**
 * The baseline server: the product's own app (createApp, the same middleware and routers) with
 * authentication and audit taken out — a fixed administrator as the caller in place of the route
 * policy table, and no audit log (nor, in the run, a sealer).
 */
function baselineApp(db: Database, logger: Logger): Express {
  const noAudit: AuditSink = { middleware: () => (_request, _response, next) => next(), add: () => undefined };
  const fixedCaller: RequestHandler = (_request, response, next) => {
    response.locals.principal = BASELINE_PRINCIPAL;
    next();
  };
  return createApp({ db, logger, version: 'bench', embeddedDatabase: !process.env.DATABASE_URL, auditLog: noAudit, authorizer: fixedCaller });
}

async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Fresh data: no instances, history or audit records, then `instances` instances of the ten-task sequence, each with its first task open. */
async function seed(db: Database, instances: number): Promise<void> {
  await db.raw('truncate process_definitions, process_instances, user_tasks, instance_history, service_jobs, message_subscriptions, incidents, audit_log, audit_seals cascade');
  await deployDefinition(db, sequenceOfTenTasks(LANE));
  for (let i = 0; i < instances; i++) await startProcessInstance(db, 'Process_sequence', {});
  await db.raw('analyze user_tasks, process_instances');
}

function inboxClient(): { run: (request: InboxRequest) => Promise<{ completions: number; seconds: number; latenciesMs: number[] }>; stop: () => void } {
  const child: ChildProcess = fork(fileURLToPath(new URL('./inbox-client.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
  return {
    run: async (request) => {
      const reply = once(child, 'message') as Promise<[InboxReply]>;
      child.send(request);
      const [answer] = await reply;
      if ('error' in answer) throw new Error(`inbox client: ${answer.error}`);
      return answer;
    },
    stop: () => child.kill(),
  };
}

/**
 * Processor time used so far by the PostgreSQL backends serving this database, in ms, by pid
 * (from /proc: the server runs on this machine, embedded or DATABASE_URL's local one).
 */
async function backendCpuMs(db: Database): Promise<Map<number, number>> {
  const { rows } = await db.raw<{ rows: Array<{ pid: number }> }>('select pid from pg_stat_activity where datname = current_database()');
  const ticks = 100; // USER_HZ on Linux
  const used = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      used.set(pid, ((Number(fields[11]) + Number(fields[12])) / ticks) * 1000);
    } catch {
      // a backend that has exited meanwhile
    }
  }
  return used;
}

function backendCpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

function figures({ completions, seconds, latenciesMs }: { completions: number; seconds: number; latenciesMs: number[] }, cpu: NodeJS.CpuUsage, databaseCpuMs: number): InboxFigures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { completions, seconds, perSecond: completions / seconds, p50Ms: at(0.5), p99Ms: at(0.99), serverCpuMs: (cpu.user + cpu.system) / 1000 / completions, databaseCpuMs: databaseCpuMs / completions };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function medianFigures(runs: InboxFigures[]): InboxFigures {
  return {
    completions: runs[0]!.completions,
    seconds: median(runs.map((run) => run.seconds)),
    perSecond: median(runs.map((run) => run.perSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    serverCpuMs: median(runs.map((run) => run.serverCpuMs)),
    databaseCpuMs: median(runs.map((run) => run.databaseCpuMs)),
  };
}

export async function runHttpInbox(instances: number, concurrencies: readonly number[], rounds: number): Promise<HttpInboxResult> {
  const { url: databaseUrl, db, close } = await openBenchDatabase();
  const logger = pino({ level: 'silent' });
  const auditLog = new RequestAuditLog(db, logger);
  const servers: Server[] = [];
  const client = inboxClient();
  try {
    await migrateJobQueue(databaseUrl, logger);
    await createAgency(db, AGENCY);
    await mapLane(db, LANE, AGENCY.code, 'chuyen-vien');
    const { token } = await createToken(db, { name: 'bench-inbox', role: 'official', agency: AGENCY.code }, 'bench');
    const product = await listen(createApp({ db, logger, version: 'bench', embeddedDatabase: !process.env.DATABASE_URL, auditLog }));
    const baseline = await listen(baselineApp(db, logger));
    servers.push(product.server, baseline.server);

    /** Every completion of the run audited, and the chain sealed up to the end of it and intact. */
    const checkAudit = async (completions: number) => {
      const audited = Number((await db('audit_log').where({ actor: 'token:bench-inbox', status: 200 }).whereLike('action', 'POST /api/tasks/%/complete').count<Array<{ count: string }>>('* as count'))[0]!.count);
      if (audited !== completions) throw new Error(`${audited} audit records for ${completions} completions`);
      const chain = await verifyAuditChain(db);
      // Each completion is an audit record and a history record.
      if (!chain.ok || chain.pending !== 0 || chain.records < 2 * completions) throw new Error(`audit chain after the run: ${JSON.stringify(chain)}`);
    };

    /** One run on fresh data. */
    const measure = async (configuration: 'product' | 'baseline', count: number, concurrency: number): Promise<InboxFigures> => {
      await seed(db, count);
      const isProduct = configuration === 'product';
      if (isProduct) {
        const refused = await fetch(`${product.url}/api/tasks`);
        if (refused.status !== 401) throw new Error(`the product answered a call without a token with ${refused.status}, not 401`);
      }
      const backends = await backendCpuMs(db);
      const cpu = process.cpuUsage();
      const sealer = isProduct ? startAuditSealer(db, logger) : undefined;
      let run;
      try {
        run = await client.run({ url: isProduct ? product.url : baseline.url, token: isProduct ? token : undefined, concurrency });
      } finally {
        // The product's run ends when its audit records are written and sealed.
        await auditLog.flush();
        await sealer?.stop();
      }
      const measured = figures(run, process.cpuUsage(cpu), backendCpuSince(backends, await backendCpuMs(db)));
      if (isProduct) await checkAudit(run.completions);
      return measured;
    };

    // Both servers' code paths warmed up before anything is measured.
    for (const configuration of ['product', 'baseline'] as const) await measure(configuration, WARM_UP_INSTANCES, Math.max(...concurrencies));

    const rows: HttpInboxRow[] = [];
    for (const concurrency of concurrencies) {
      const runs = { product: [] as InboxFigures[], baseline: [] as InboxFigures[] };
      const ratios: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? (['product', 'baseline'] as const) : (['baseline', 'product'] as const);
        for (const configuration of order) runs[configuration].push(await measure(configuration, instances, concurrency));
        ratios.push(runs.product.at(-1)!.perSecond / runs.baseline.at(-1)!.perSecond);
      }
      rows.push({ concurrency, product: medianFigures(runs.product), baseline: medianFigures(runs.baseline), ratios, ratio: median(ratios) });
    }
    return { instances, rounds, rows };
  } finally {
    client.stop();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await auditLog.flush();
    await close();
  }
}

/** Issue 9's targets: at 64 in flight, at least 1,000 completions/s and within 25 % of the baseline. */
export function httpInboxTargets(result: HttpInboxResult): { perSecond: boolean; ratio: boolean } {
  const at64 = result.rows.find((row) => row.concurrency === 64);
  return { perSecond: (at64?.product.perSecond ?? 0) >= 1000, ratio: (at64?.ratio ?? 0) >= 0.75 };
}

export function httpInboxSummary(result: HttpInboxResult): string[] {
  const line = (figures: InboxFigures) => `${figures.perSecond.toFixed(0)}/s, p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms, server ${figures.serverCpuMs.toFixed(2)} ms + database ${figures.databaseCpuMs.toFixed(2)} ms of processor per completion`;
  return result.rows.map((row) => `HTTP inbox, ${row.concurrency} in flight: product ${line(row.product)}; baseline ${line(row.baseline)}; ratio ×${row.ratio.toFixed(2)} (rounds ${row.ratios.map((ratio) => `×${ratio.toFixed(2)}`).join(' ')})`);
}

/** The HTTP section of docs/benchmarks.md. */
export function httpInboxMarkdown(result: HttpInboxResult): string {
  const targets = httpInboxTargets(result);
  const met = (ok: boolean) => (ok ? 'met' : 'not met');
  const cells = (figures: InboxFigures) => `${figures.perSecond.toFixed(0)} | ${figures.p50Ms.toFixed(1)} ms | ${figures.p99Ms.toFixed(1)} ms | ${figures.serverCpuMs.toFixed(2)} ms | ${figures.databaseCpuMs.toFixed(2)} ms`;
  return `## Durable through the HTTP API, authenticated and audited (issue 9: at least 1,000 completions per second at 64 in flight, within 25 % of the same run without authentication and audit)

An inbox client (test/bench/inbox-client.ts, in a process of its own) against a server on
loopback (test/bench/http-inbox.ts) over the embedded PostgreSQL: it lists the open tasks page by
page (\`GET /api/tasks?limit=500\`, following \`next\`), completes them with 16 or 64
\`POST /api/tasks/:id/complete\` in flight, and repeats until none is left. Each run starts on
fresh data: ${result.instances} instances of the ten-task sequence (${result.instances * 10} completions), all its tasks in one
lane mapped to an agency. Two servers, run back to back in each round, which goes first
alternating from round to round; medians of ${result.rounds} rounds, and the ratio is the median of the rounds' ratios.
\`npm run bench -- --http\` runs this part alone and prints it (BENCH_HTTP_INSTANCES, BENCH_HTTP_ROUNDS).

- **product**: the product's app (\`createApp\`) as shipped, called with an official's API token
  whose agency holds the lane: each request authenticated, each completion authorised for its
  task's lane, recorded in the audit log, and the audit chain sealed every second
  (\`startAuditSealer\`) while the client runs. After each run the bench checks that every
  completion has its audit record and that the chain verifies with nothing left unsealed.
- **baseline** (without authentication and audit): the same app (\`createApp\`) with a fixed
  administrator as the caller in place of the route policy table (\`authorizer\`), no audit log
  (\`auditLog\`) and no sealer; the security headers, request logging (silent in both), body limits
  and routers are the product's.

"Server" and "database" are the processor time per completion of the server's process (the
product's includes its audit writes and the sealer) and of the PostgreSQL backends serving the run.

| server | in flight | completions/s | p50 latency | p99 latency | server | database |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${result.rows.flatMap((row) => [`| product | ${row.concurrency} | ${cells(row.product)} |`, `| baseline | ${row.concurrency} | ${cells(row.baseline)} |`]).join('\n')}

| in flight | product / baseline (median) | rounds |
| ---: | ---: | --- |
${result.rows.map((row) => `| ${row.concurrency} | ×${row.ratio.toFixed(2)} | ${row.ratios.map((ratio) => `×${ratio.toFixed(2)}`).join(' ')} |`).join('\n')}

At 64 in flight: 1,000 completions/s ${met(targets.perSecond)}; within 25 % of the baseline ${met(targets.ratio)}.

Authorising a completion used to cost three round trips of its own (the task's lane, then the
official's lanes and agencies): in one round of 200 instances the product ran at 170 and 395
completions/s at 16 and 64 in flight against 495 and 592 for a bare baseline (×0.34 and ×0.67).
Now an official token's lanes are read once per token-cache period and kept with its cached
principal (server/access/scopes.ts; mapping a lane clears them at once in this process, and
elsewhere they follow within the 5 s a revocation takes), the task-scope checks of the requests
in flight are read together in one query, as the completions are, and the requests that find a
token's cache entry expired share one read of it. What the product still pays per completion,
from a processor profile: authorisation (about 30 µs: the token's hash, the policy match, the
scope check), the audit middleware and its batched inserts, the sealer's row digests (about
15 µs) and the garbage collection they add; at 16 in flight batches are smaller, so the scope
read and the audit insert are shared by fewer completions.
`;
}
