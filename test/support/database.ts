import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrations/index.ts';
import { migrateJobQueue } from '../../server/execution/worker.ts';
import { pino } from 'pino';

export interface TestDatabase {
  url: string;
  db: Database;
  drop(): Promise<void>;
}

/** The URL of another database on the same server as `url`. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh, empty database for one test file, on the run's PostgreSQL (embedded or
 * DATABASE_URL's), optionally migrated. Dropped by `drop()`, connections and all.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `qt_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase(adminUrl, 10_000);
  await admin.raw('create database ??', [name]);
  const url = databaseUrl(adminUrl, name);
  const db = await openDatabase(url, 10_000);
  if (options.migrate !== false) {
    await migrateToLatest(db);
    await migrateJobQueue(url, pino({ level: 'silent' }));
  }
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    },
  };
}
