import { randomInt } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';

/**
 * Knowing at once when a server process has died, so the jobs it had claimed go to the others.
 *
 * Each process opens one connection and holds a session advisory lock on a random key for as
 * long as it lives, and records its job-queue pool ids under that key. PostgreSQL releases the
 * lock when the connection ends, which a killed process's does at once. A pool whose key can be
 * locked by someone else therefore belongs to a dead process: its jobs are unlocked with
 * graphile-worker's own `force_unlock_workers` and retried.
 */
export interface Liveness {
  register(poolId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function holdLiveness(db: Database, connectionString: string, logger: Logger, reapEveryMs = 10_000): Promise<Liveness> {
  const key = randomInt(1, 2 ** 47);
  const session = new pg.Client({ connectionString });
  // The session ends when the database does (a stop, or Ctrl-C reaching the embedded cluster
  // first): that is no error of ours, and must not crash the process.
  session.on('error', (error) => logger.debug({ err: error }, 'liveness session closed'));
  await session.connect();
  await session.query('select pg_advisory_lock($1)', [key]);

  const reap = async () => {
    const owners = await db('job_runners').whereNot({ liveness_lock: key }).distinct<Array<{ liveness_lock: string }>>('liveness_lock');
    for (const { liveness_lock: owner } of owners) {
      await db.transaction(async (trx) => {
        const { rows } = await trx.raw<{ rows: Array<{ free: boolean }> }>('select pg_try_advisory_xact_lock(?) as free', [owner]);
        if (!rows[0]?.free) return; // that process is alive
        const pools = (await trx('job_runners').where({ liveness_lock: owner }).pluck('pool_id')) as string[];
        await trx.raw('select graphile_worker.force_unlock_workers(?::text[])', [pools]);
        await trx('job_runners').where({ liveness_lock: owner }).delete();
        logger.warn({ pools }, 'unlocked the jobs of a server process that died');
      });
    }
  };
  const timer = setInterval(() => void reap().catch((error: unknown) => logger.error({ err: error }, 'could not check for dead job runners')), reapEveryMs);
  timer.unref();

  return {
    async register(poolId) {
      await db('job_runners').insert({ pool_id: poolId, liveness_lock: key });
      await reap();
    },
    async stop() {
      clearInterval(timer);
      await db('job_runners').where({ liveness_lock: key }).delete().catch(() => undefined); // the database may be gone already
      await session.end().catch(() => undefined);
    },
  };
}
