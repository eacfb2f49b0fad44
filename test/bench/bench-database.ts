import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { openDatabase, type Database } from '../../server/db/connect.ts';
import { startEmbeddedPostgres } from '../../server/db/embedded.ts';
import { migrateToLatest } from '../../server/db/migrations/index.ts';

export interface BenchDatabase {
  url: string;
  db: Database;
  close: () => Promise<void>;
}

/** A migrated PostgreSQL for one bench: DATABASE_URL's server, or an embedded cluster of its own. */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'quytrinh-bench-'));
  const cluster = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres(dataDir, pino({ level: 'silent' }));
  const url = process.env.DATABASE_URL ?? cluster!.url;
  const db = await openDatabase(url, 10_000);
  const close = async () => {
    await db.destroy();
    await cluster?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await migrateToLatest(db);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, db, close };
}
