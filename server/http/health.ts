import { Router } from 'express';
import type { Database } from '../db/connect.ts';
import { RETRY_AFTER_SECONDS } from './problem.ts';

export interface HealthOptions {
  db: Database;
  version: string;
  embeddedDatabase: boolean;
}

/** `GET /api/health`: the product version and whether the database answers (503 when it does not). */
export function healthRouter({ db, version, embeddedDatabase }: HealthOptions): Router {
  const router = Router();
  router.get('/health', async (_request, response) => {
    const started = performance.now();
    try {
      const { rows } = await db.raw<{ rows: Array<{ server_version: string }> }>('show server_version');
      response.json({
        status: 'ok',
        version,
        database: {
          status: 'up',
          embedded: embeddedDatabase,
          serverVersion: rows[0]?.server_version ?? 'unknown',
          latencyMs: Math.round((performance.now() - started) * 10) / 10,
        },
      });
    } catch (error) {
      response.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json({
        status: 'degraded',
        version,
        database: { status: 'down', embedded: embeddedDatabase, error: error instanceof Error ? error.message : String(error) },
      });
    }
  });
  return router;
}
