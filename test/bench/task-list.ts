/**
 * `GET /api/tasks` with 6,000 open tasks: the size of one answer and the requests per second four
 * clients get from one server process for five seconds. A one-off measurement for issue 10 (not
 * part of `npm run bench`): `DATABASE_URL=postgres://… npx tsx test/bench/task-list.ts`.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrations/index.ts';
import { createApp } from '../../server/http/app.ts';
import { databaseUrl } from '../support/database.ts';
import { seedOpenTasks } from '../support/open-tasks.ts';

/** Requests per second four clients get for five seconds, each waiting for its answer before the next. */
async function requestsPerSecond(url: string): Promise<number> {
  let requests = 0;
  const until = performance.now() + 5_000;
  const client = async () => {
    while (performance.now() < until) {
      await (await fetch(url)).arrayBuffer();
      requests += 1;
    }
  };
  await Promise.all([client(), client(), client(), client()]);
  return requests / 5;
}

const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error('set DATABASE_URL to a PostgreSQL server this script may create a database on');
const name = `qt_bench_tasks_${randomBytes(4).toString('hex')}`;
const admin = await openDatabase(adminUrl, 10_000);
await admin.raw('create database ??', [name]);
const db = await openDatabase(databaseUrl(adminUrl, name), 10_000);
try {
  await migrateToLatest(db);
  await seedOpenTasks(db, 6_000);
  await db.raw('analyze');
  const server = createApp({ db, logger: pino({ level: 'silent' }), version: 'bench', embeddedDatabase: false }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tasks`;
  const first = await (await fetch(url)).text();
  console.log(`GET /api/tasks with 6,000 open tasks: ${Buffer.byteLength(first).toLocaleString('en')} bytes, ${(await requestsPerSecond(url)).toFixed(1)} requests/s (4 clients, 5 s)`);
  // Paged (issue 10): a page after the first, which does not count the tasks again.
  const next = (JSON.parse(first) as { next?: string }).next;
  if (next) console.log(`GET /api/tasks?cursor=…: ${(await requestsPerSecond(`${url}?cursor=${next}`)).toFixed(1)} requests/s`);
  server.close();
} finally {
  await db.destroy();
  await admin.raw('drop database ?? with (force)', [name]);
  await admin.destroy();
}
