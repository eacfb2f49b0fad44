import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Three projects: `engine` (pure functions, no database), `server` and `designer` (a real
 * PostgreSQL: a throwaway embedded cluster per run, or fresh databases on DATABASE_URL's server).
 * CI runs the database projects a second time against the machine's PostgreSQL service.
 */
export default defineConfig({
  root,
  test: {
    // A browser or a job runner on a loaded 2-core CI machine may take seconds to show what a test
    // waits for: polls wait up to 10 s (vitest's default is 1 s) before they fail.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        test: { name: 'engine', include: ['test/engine/**/*.test.ts', 'test/processes/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          globalSetup: ['test/support/database-cluster.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'designer',
          include: ['test/designer/**/*.test.ts'],
          globalSetup: ['test/support/database-cluster.ts', 'test/support/designer-built.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
