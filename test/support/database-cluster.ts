import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../server/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL URL whose user may create databases; each test file makes its own from it. */
    adminDatabaseUrl: string;
    /** True when the tests run on the embedded cluster, false on DATABASE_URL's server. */
    embeddedDatabase: boolean;
  }
}

/**
 * Vitest global setup: the PostgreSQL the database suites run against. With DATABASE_URL set
 * (CI's second pass) that server is used; otherwise a throwaway embedded cluster is made for
 * this run, in a temporary folder removed afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide('adminDatabaseUrl', external);
    project.provide('embeddedDatabase', false);
    return async () => {};
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'quytrinh-test-'));
  const cluster = await startEmbeddedPostgres(dataDir, pino({ level: 'silent' }));
  project.provide('adminDatabaseUrl', cluster.url);
  project.provide('embeddedDatabase', true);
  return async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
