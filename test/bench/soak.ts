import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../server/paths.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { adminToken, runCli, startProductProcess } from '../support/product-process.ts';

/**
 * `npm run soak -- [--minutes 10] [--write]` (issue 10): the real product (`quytrinh start`, a
 * child process on its own embedded database, or on DATABASE_URL when set) under mixed traffic
 * at a fixed concurrency for the whole duration, with the child's RSS and each request kind's
 * p50/p99 sampled every minute. It fails (exit 1) on any unexpected answer, on a sustained RSS
 * growth, or on p99 latencies growing markedly; `--write` puts the figures into their section of
 * docs/benchmarks.md.
 */
const { values: options } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, write: { type: 'boolean', default: false } } });
const MINUTES = Number(options.minutes);
if (!Number.isInteger(MINUTES) || MINUTES < 1) throw new Error('--minutes must be a whole number of minutes, at least 1');
const MINUTE_MS = 60_000;

// Four clients carry dossiers through, two external workers drain the jobs, two read lists: eight at once.
const DOSSIER_CLIENTS = 4;
const JOB_WORKERS = 2;
const READER_CLIENTS = 2;
// The dossier clients wait while this many archive jobs are open, so that the open work stays
// bounded whatever the machine's speed: a soak measures a steady state, not a growing backlog.
const MAX_OPEN_JOBS = 200;
const SIMULATED_DOSSIERS = 50_000;
// One message in four is sent again with the same messageId, as a bank or portal retrying would.
const RESEND_EVERY = 4;

// RSS is read every 5 s and each minute is its median of 12: single readings swing ±50 MB with the
// garbage collector's cycles (one run's end-of-minute readings: 353–466 MB, a slope of 6.7 MB/min from that alone).
const RSS_EVERY_MS = 5000;
// The judgement (needs at least 4 minutes: the first is warm-up, and a trend needs 3 points).
// RSS: a leak raises RSS steadily; 5 MB/min sustained over minutes 2..N would be 7 GB a day of uptime,
// while a healthy process's drift in a few minutes (V8 growing its heap to its working size,
// the code cache, the pool's connections) stays well under it.
const RSS_SLOPE_LIMIT_MB_PER_MIN = 5;
// p99: the median p99 of the last third of the minutes against that of the first third after warm-up;
// ×2 and at least 25 ms more, because the machine's 2 cores are shared and one noisy minute is not a trend.
const P99_GROWTH_FACTOR = 2;
const P99_GROWTH_FLOOR_MS = 25;
// Kinds sent at most once a minute have one sample per minute: shown, not judged.
const JUDGED_MIN_SAMPLES = 20;

const PROCESS_KEY = 'Process_soak';
const JOB_TYPE = 'soak.archive';
const MESSAGE_NAME = 'soak.fee-paid';

/** The soak model: an official's review, the fee's message, then an external archive job. `label` makes each deployment a new version. */
function soakModel(label: string): string {
  return bpmnProcess(`
    <bpmn:startEvent id="submitted"/>
    <bpmn:userTask id="review" name="Xem xét hồ sơ ${label}"/>
    <bpmn:intermediateCatchEvent id="feePaid"><bpmn:messageEventDefinition messageRef="Message_fee" qt:correlationKey="=dossierNumber"/></bpmn:intermediateCatchEvent>
    <bpmn:serviceTask id="archive" qt:jobType="${JOB_TYPE}"/>
    <bpmn:endEvent id="done"/>
    ${flows('submitted>review', 'review>feePaid', 'feePaid>archive', 'archive>done')}
  `, { id: PROCESS_KEY, outside: `<bpmn:message id="Message_fee" name="${MESSAGE_NAME}"/>`, attributes: `name="Soak ${label}"` });
}

type Kind = 'start' | 'task-by-instance' | 'task-complete' | 'message' | 'message-resend' | 'jobs-fetch' | 'job-complete' | 'models-list' | 'tasks-list' | 'definitions-list' | 'instance-read' | 'model-version' | 'deploy' | 'simulate';

interface Sample {
  kind: Kind;
  at: number;
  ms: number;
}

const began = Date.now();
const samples: Sample[] = [];
const errors: string[] = [];
let stopping = false;

class UnexpectedAnswer extends Error {}

/** One request, timed and recorded; anything but `expected` (or a body `check` refuses) is an error. */
async function call(kind: Kind, url: string, token: string, expected: number, init: { method?: string; body?: unknown; xml?: string } = {}, check?: (body: any) => string | undefined): Promise<any> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.xml !== undefined) headers['content-type'] = 'application/xml';
  else if (init.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.xml ?? (init.body === undefined ? undefined : JSON.stringify(init.body)) });
  const text = await response.text();
  const ms = performance.now() - started;
  samples.push({ kind, at: Date.now(), ms });
  const body = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  const wrong = response.status !== expected ? `status ${response.status}, expected ${expected}` : check?.(body);
  if (wrong) {
    errors.push(`${kind} ${init.method ?? 'GET'} ${new URL(url).pathname}: ${wrong}: ${text.slice(0, 300)}`);
    throw new UnexpectedAnswer(wrong);
  }
  return body;
}

/** Runs `step` until the soak ends; an unexpected answer is recorded and the client goes on, anything else (the product gone) ends the soak. */
async function loop(step: () => Promise<void>): Promise<void> {
  while (!stopping) {
    try {
      await step();
    } catch (error) {
      if (!(error instanceof UnexpectedAnswer)) {
        errors.push(`client stopped: ${error instanceof Error ? error.message : String(error)}`);
        stopping = true;
      }
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 0.5);

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxy / sxx;
}

// --- the product, its tokens and the model ---
const external = process.env.DATABASE_URL;
const dataDir = await mkdtemp(path.join(tmpdir(), 'quytrinh-soak-'));
const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: external };
console.log(`soak: ${MINUTES} min, ${DOSSIER_CLIENTS + JOB_WORKERS + READER_CLIENTS} clients, database ${external ? 'DATABASE_URL' : `embedded in ${dataDir}`}`);
const product = await startProductProcess(env, ['--no-build']);
const pid = product.child.pid!;
// Whatever ends this script early, the product is not left running (it stops its database on SIGTERM).
process.on('exit', () => product.child.exitCode === null && product.child.kill('SIGTERM'));
const api = (route: string) => `${product.url}/api${route}`;
const admin = await adminToken(env);
const workerToken = await runCli(['token', 'create', '--name', `soak-worker-${Date.now()}`, '--role', 'worker', '--job-type', JOB_TYPE], env);
if (workerToken.code !== 0) throw new Error(`quytrinh token create (worker) failed:\n${workerToken.stderr}`);
const worker = workerToken.stdout.trim().split('\n').at(-1)!;

const simulatedModel = await readFile(path.join(projectRoot, 'processes', 'dang-ky-khai-sinh', 'as-is.bpmn'), 'utf8');
await call('deploy', api('/definitions'), admin, 201, { method: 'POST', xml: soakModel('v0') });
const savedModel = await call('model-version', api('/models'), admin, 201, { method: 'POST', body: { name: 'Soak', stage: 'to-be', xml: soakModel('v0') } });

// --- the traffic ---
const counts = { started: 0, messages: 0, jobsCompleted: 0 };
const recentInstances: string[] = [];
let dossierSerial = 0;

async function dossierStep(): Promise<void> {
  while (counts.messages - counts.jobsCompleted > MAX_OPEN_JOBS && !stopping) await sleep(10);
  if (stopping) return;
  const dossierNumber = `SOAK-${++dossierSerial}`;
  const instance = await call('start', api(`/definitions/${PROCESS_KEY}/instances`), admin, 201, { method: 'POST', body: { variables: { dossierNumber } } });
  counts.started++;
  recentInstances[counts.started % 100] = instance.id;
  const tasks = await call('task-by-instance', api(`/tasks?instanceId=${instance.id}`), admin, 200, {}, (body) => (body.items?.length === 1 ? undefined : `${body.items?.length} open tasks, expected 1`));
  await call('task-complete', api(`/tasks/${tasks.items[0].id}/complete`), admin, 200, { method: 'POST', body: { variables: { approved: true } } });
  const message = { name: MESSAGE_NAME, correlationKey: dossierNumber, messageId: `bank-${dossierNumber}`, variables: { fee: 50_000 } };
  await call('message', api('/messages'), worker, 200, { method: 'POST', body: message }, (body) => (body.correlated === 1 ? undefined : 'not correlated'));
  counts.messages++;
  if (dossierSerial % RESEND_EVERY === 0) await call('message-resend', api('/messages'), worker, 200, { method: 'POST', body: message }, (body) => (body.duplicate === true && body.correlated === 0 ? undefined : 'a resend was delivered again'));
}

/**
 * One poll of an external worker: the open jobs, oldest first, and the completion of those that are
 * its share (`part` of JOB_WORKERS, by the job id's last hex digit) so that two workers never race for one job.
 */
async function jobStep(part?: number): Promise<void> {
  const jobs = await call('jobs-fetch', api(`/jobs?limit=100`), worker, 200);
  const mine = (jobs.items as Array<{ id: string }>).filter((job) => part === undefined || parseInt(job.id.slice(-1), 16) % JOB_WORKERS === part);
  for (const job of mine) {
    await call('job-complete', api(`/jobs/${job.id}/complete`), worker, 200, { method: 'POST', body: { variables: { archived: true } } });
    counts.jobsCompleted++;
  }
  // An empty queue: ask again shortly, as a polling worker does.
  if (mine.length === 0) await sleep(20);
}

let readTurn = 0;
async function readStep(): Promise<void> {
  const turn = readTurn++ % 4;
  if (turn === 0) await call('models-list', api('/models?limit=20'), admin, 200, {}, (body) => (Array.isArray(body.items) ? undefined : 'no items'));
  else if (turn === 1) await call('tasks-list', api('/tasks?limit=50'), admin, 200, {}, (body) => (Array.isArray(body.items) ? undefined : 'no items'));
  else if (turn === 2) await call('definitions-list', api(`/definitions?key=${PROCESS_KEY}&limit=20`), admin, 200, {}, (body) => (body.items?.length > 0 ? undefined : 'no definitions'));
  else {
    const id = recentInstances[readTurn % recentInstances.length];
    if (id) await call('instance-read', api(`/instances/${id}`), admin, 200);
  }
}

/** Once a minute, half-way through it (away from the RSS sample): a new version saved and deployed, and a simulation. */
async function minuteWork(minute: number): Promise<void> {
  const xml = soakModel(`v${minute}`);
  await call('model-version', api(`/models/${savedModel.id}/versions`), admin, 201, { method: 'POST', body: { xml, comment: `minute ${minute}` } });
  await call('deploy', api('/definitions'), admin, 201, { method: 'POST', xml }, (body) => (body.version === minute + 1 ? undefined : `version ${body.version}, expected ${minute + 1}`));
  await call('simulate', api('/analysis/simulate'), admin, 200, { method: 'POST', body: { model: simulatedModel, dossiers: SIMULATED_DOSSIERS, seed: minute } }, (body) => (body && typeof body === 'object' ? undefined : 'no result'));
}

interface Minute {
  minute: number;
  /** The median of the minute's RSS readings, then their least and greatest. */
  rssMb: number;
  rssRange: [number, number];
  requests: number;
  perSecond: number;
  kinds: Partial<Record<Kind, { count: number; p50: number; p99: number }>>;
}
const minutes: Minute[] = [];
const rssBefore = await rssMb(pid);
const rssReadings: Array<{ at: number; mb: number }> = [];
const rssTimer = setInterval(() => void rssMb(pid).then((mb) => rssReadings.push({ at: Date.now(), mb }), () => undefined), RSS_EVERY_MS);
const trafficStart = Date.now();
samples.length = 0;

const clients = [
  ...Array.from({ length: DOSSIER_CLIENTS }, () => loop(dossierStep)),
  ...Array.from({ length: JOB_WORKERS }, (_, part) => loop(() => jobStep(part))),
  ...Array.from({ length: READER_CLIENTS }, () => loop(readStep)),
];
for (let minute = 1; minute <= MINUTES && !stopping; minute++) {
  const minuteStart = trafficStart + (minute - 1) * MINUTE_MS;
  await sleep(minuteStart + MINUTE_MS / 2 - Date.now());
  if (!stopping) await minuteWork(minute).catch((error: unknown) => {
    if (!(error instanceof UnexpectedAnswer)) throw error;
  });
  await sleep(minuteStart + MINUTE_MS - Date.now());
  const inMinute = samples.filter((sample) => sample.at >= minuteStart && sample.at < minuteStart + MINUTE_MS);
  const kinds: Minute['kinds'] = {};
  for (const kind of new Set(inMinute.map((sample) => sample.kind))) {
    const sorted = inMinute.filter((sample) => sample.kind === kind).map((sample) => sample.ms).sort((a, b) => a - b);
    kinds[kind] = { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  }
  const rss = [...rssReadings.filter((reading) => reading.at >= minuteStart && reading.at < minuteStart + MINUTE_MS).map((reading) => reading.mb), await rssMb(pid)].sort((a, b) => a - b);
  const row = { minute, rssMb: median(rss), rssRange: [rss[0]!, rss.at(-1)!] as [number, number], requests: inMinute.length, perSecond: inMinute.length / 60, kinds };
  minutes.push(row);
  console.log(`minute ${minute}: RSS ${row.rssMb.toFixed(0)} MB (${row.rssRange[0].toFixed(0)}–${row.rssRange[1].toFixed(0)}), ${row.perSecond.toFixed(0)} req/s, errors so far ${errors.length}`);
}
stopping = true;
clearInterval(rssTimer);
await Promise.all(clients);

// Every dossier carried through must end: its archive job done by the worker, the instance completed.
const drainUntil = Date.now() + 60_000;
while (counts.jobsCompleted < counts.messages && Date.now() < drainUntil) await jobStep().catch(() => undefined);
if (counts.jobsCompleted !== counts.messages) errors.push(`${counts.messages} messages delivered, but ${counts.jobsCompleted} archive jobs completed`);
for (const id of recentInstances.filter(Boolean).slice(0, 10)) {
  await call('instance-read', api(`/instances/${id}`), admin, 200, {}, (body) => (body.status === 'completed' ? undefined : `instance ${id} is ${body.status} after the drain`)).catch(() => undefined);
}
const stopped = await product.stop('SIGTERM');
if (stopped.code !== 0) errors.push(`the product exited with ${stopped.code ?? stopped.signal} on SIGTERM: ${stopped.stderr.slice(-500)}`);
if (!external) await rm(dataDir, { recursive: true, force: true });

// --- the judgement ---
const judged = minutes.filter((row) => row.minute >= 2);
const verdicts: string[] = [];
let rssSlope: number | undefined;
let rssRatio: number | undefined;
if (judged.length >= 3) {
  rssSlope = slope(judged.map((row) => [row.minute, row.rssMb]));
  rssRatio = judged.at(-1)!.rssMb / judged[0]!.rssMb;
  if (rssSlope > RSS_SLOPE_LIMIT_MB_PER_MIN) verdicts.push(`RSS grows ${rssSlope.toFixed(1)} MB/min over minutes 2..${MINUTES} (limit ${RSS_SLOPE_LIMIT_MB_PER_MIN})`);
  const third = Math.max(1, Math.floor(judged.length / 3));
  for (const kind of Object.keys(judged[0]!.kinds) as Kind[]) {
    if (judged.some((row) => (row.kinds[kind]?.count ?? 0) < JUDGED_MIN_SAMPLES)) continue;
    const early = median(judged.slice(0, third).map((row) => row.kinds[kind]!.p99));
    const late = median(judged.slice(-third).map((row) => row.kinds[kind]!.p99));
    if (late > early * P99_GROWTH_FACTOR && late - early > P99_GROWTH_FLOOR_MS) verdicts.push(`${kind} p99 grew from ${early.toFixed(1)} ms to ${late.toFixed(1)} ms`);
  }
}
const allKinds = [...new Set(minutes.flatMap((row) => Object.keys(row.kinds) as Kind[]))];
const totalRequests = minutes.reduce((sum, row) => sum + row.requests, 0);

function markdown(): string {
  const ms = (value: number | undefined) => (value === undefined ? '–' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : value.toFixed(value < 10 ? 1 : 0));
  const latencyKinds: Kind[] = ['start', 'task-complete', 'message', 'job-complete', 'tasks-list', 'models-list'];
  const lines = [
    `## Soak (issue 10: ${MINUTES} minutes of mixed traffic, no growth, no error)`,
    '',
    `\`npm run soak -- --minutes ${MINUTES} --write\`, ${new Date(began).toISOString().slice(0, 10)}: the product as a child process (\`quytrinh start --no-build\`, ${external ? 'on the machine\'s PostgreSQL (DATABASE_URL)' : 'its embedded PostgreSQL in a temporary DATA_DIR'}), on a 2-core machine shared with other work. ${DOSSIER_CLIENTS + JOB_WORKERS + READER_CLIENTS} clients without pause: ${DOSSIER_CLIENTS} carry dossiers through (start, the instance's task read and completed, the fee message with a messageId, one in ${RESEND_EVERY} resent and refused as a duplicate), ${JOB_WORKERS} external workers with a worker token fetch the open jobs and complete their share of them (the dossier clients wait while ${MAX_OPEN_JOBS} are open), ${READER_CLIENTS} read lists (models, open tasks, definitions, an instance); each minute a new model version is saved and deployed and ${SIMULATED_DOSSIERS.toLocaleString('en')} dossiers are simulated. RSS is the product process's VmRSS (its analysis threads included, PostgreSQL not), read every ${RSS_EVERY_MS / 1000} s: each minute's median, least and greatest; latencies are p50/p99 in ms over the minute.`,
    '',
    `| minute | RSS MB median (min–max) | req/s | ${latencyKinds.map((kind) => `${kind} p50/p99`).join(' | ')} | deploy | simulate |`,
    `|---|---|---|${latencyKinds.map(() => '---|').join('')}---|---|`,
    ...minutes.map((row) => `| ${row.minute} | ${row.rssMb.toFixed(0)} (${row.rssRange[0].toFixed(0)}–${row.rssRange[1].toFixed(0)}) | ${row.perSecond.toFixed(0)} | ${latencyKinds.map((kind) => `${ms(row.kinds[kind]?.p50)} / ${ms(row.kinds[kind]?.p99)}`).join(' | ')} | ${ms(row.kinds.deploy?.p99)} | ${ms(row.kinds.simulate?.p99)} |`),
    '',
    `${totalRequests.toLocaleString('en')} requests, ${counts.started.toLocaleString('en')} dossiers started, ${counts.messages.toLocaleString('en')} fee messages delivered, ${counts.jobsCompleted.toLocaleString('en')} archive jobs completed; **${errors.length} errors**. RSS before the traffic ${rssBefore.toFixed(0)} MB; trend over minutes 2..${MINUTES}: ${rssSlope === undefined ? 'not judged (fewer than 4 minutes)' : `**${rssSlope.toFixed(2)} MB/min**, last/second minute ×${rssRatio!.toFixed(2)}`}.`,
    '',
    `The rule (exit 1 otherwise): no unexpected status or body; slope of the minutes' median RSS over minutes 2..N at most ${RSS_SLOPE_LIMIT_MB_PER_MIN} MB/min (a leak of that rate is 7 GB a day; the first minute is warm-up); for each request kind with at least ${JUDGED_MIN_SAMPLES} requests a minute, the median p99 of the last third of the minutes at most ×${P99_GROWTH_FACTOR} that of the first third after warm-up, or within ${P99_GROWTH_FLOOR_MS} ms of it. Verdict: **${errors.length === 0 && verdicts.length === 0 ? 'pass' : `fail${verdicts.length ? ` (${verdicts.join('; ')})` : ''}`}**.`,
  ];
  return lines.join('\n');
}

console.log('');
console.log(`minute  RSS MB  req/s  ${allKinds.map((kind) => `${kind} p50/p99`).join('  ')}`);
for (const row of minutes) {
  console.log(`${String(row.minute).padStart(6)}  ${row.rssMb.toFixed(0).padStart(6)}  ${row.perSecond.toFixed(0).padStart(5)}  ${allKinds.map((kind) => (row.kinds[kind] ? `${row.kinds[kind].p50.toFixed(1)}/${row.kinds[kind].p99.toFixed(1)}` : '–')).join('  ')}`);
}
console.log(`\n${totalRequests} requests, ${counts.started} dossiers, ${counts.messages} messages, ${counts.jobsCompleted} jobs; RSS before ${rssBefore.toFixed(0)} MB; slope ${rssSlope?.toFixed(2) ?? '–'} MB/min over minutes 2..${MINUTES}, last/second ×${rssRatio?.toFixed(2) ?? '–'}`);
console.log(`${errors.length} errors${errors.length ? ':' : ''}`);
for (const error of errors.slice(0, 10)) console.log(`  ${error}`);
for (const verdict of verdicts) console.log(`FAIL: ${verdict}`);

if (options.write) {
  const page = path.join(projectRoot, 'docs', 'benchmarks.md');
  const text = await readFile(page, 'utf8');
  const section = `<!-- soak -->\n${markdown()}\n<!-- /soak -->`;
  const start = text.indexOf('<!-- soak -->');
  const end = text.indexOf('<!-- /soak -->');
  await writeFile(page, start !== -1 && end > start ? `${text.slice(0, start)}${section}${text.slice(end + '<!-- /soak -->'.length)}` : `${text.trimEnd()}\n\n${section}\n`);
  console.log('written to docs/benchmarks.md (its soak section)');
}
process.exit(errors.length === 0 && verdicts.length === 0 ? 0 : 1);
