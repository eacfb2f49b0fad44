import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
 *
 * A live process can lose that connection too (a backend terminated, a network blip): its lock
 * is then released while its jobs still run. It takes a new connection and a new key at once and
 * moves its pools under it; and a free key is taken for dead only when it is still free, with
 * pools under it, `graceMs` after it was first seen free, so a process that re-registers within
 * the grace never has its running jobs unlocked and run a second time elsewhere.
 */
export interface Liveness {
  register(poolId: string): Promise<void>;
  /** Pools of this process that ended without releasing their jobs: their jobs are unlocked and they are forgotten. */
  release(poolIds: string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface LivenessOptions {
  /** How often the other processes' keys are checked. */
  reapEveryMs?: number;
  /** How long a key must stay free before its process is taken for dead. */
  graceMs?: number;
}

interface Held {
  key: number;
  session: pg.Client;
}

export async function holdLiveness(db: Database, connectionString: string, logger: Logger, options: LivenessOptions = {}): Promise<Liveness> {
  const { reapEveryMs = 10_000, graceMs = 5_000 } = options;
  const pools = new Set<string>();
  const ownKeys = new Set<string>(); // every key this process held: never reaped by itself
  const freeSince = new Map<string, number>(); // other processes' keys seen free, and since when
  let stopped = false;
  const stopping = new AbortController(); // cuts a wait between two attempts short

  // Registering and re-registering take turns, so a pool is never recorded under a key given up.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work, work);
    turn = next.catch(() => undefined);
    return next;
  };

  const lockSession = async (): Promise<Held> => {
    const key = randomInt(1, 2 ** 47);
    const session = new pg.Client({ connectionString, application_name: 'quytrinh liveness' });
    // An error on this connection is followed by its end, handled below; it must not crash the process.
    session.on('error', (error) => logger.debug({ err: error }, 'liveness session error'));
    try {
      await session.connect();
      await session.query('select pg_advisory_lock($1)', [key]);
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error;
    }
    ownKeys.add(String(key));
    session.once('end', () => {
      if (!stopped && held.session === session) void inTurn(relock);
    });
    return { key, session };
  };

  const retrying = async (what: string, work: () => Promise<void>): Promise<void> => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        return await work();
      } catch (error) {
        logger.warn({ err: error, attempt }, `could not ${what}; retrying`);
        // At most 2 s between attempts: after a database outage every key is free at once, and
        // this process must take its new one well within the grace the others give its old one.
        await sleep(Math.min(100 * 2 ** attempt, 2_000), undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  };

  /** The session ended while the process lives: a new key, and the pools moved under it at once. */
  const relock = async (): Promise<void> => {
    const lost = held.key;
    await retrying('take the liveness lock again', async () => {
      held = await lockSession();
    });
    await retrying('register the job pools again', async () => {
      const moved = await db('job_runners').where({ liveness_lock: lost }).update({ liveness_lock: held.key }).returning<Array<{ pool_id: string }>>('pool_id');
      const reaped = [...pools].filter((pool) => !moved.some((row) => row.pool_id === pool));
      if (reaped.length === 0) {
        logger.warn({ pools: [...pools] }, 'liveness connection lost; job pools registered again under a new key');
        return;
      }
      await db('job_runners').insert(reaped.map((pool) => ({ pool_id: pool, liveness_lock: held.key }))).onConflict('pool_id').merge();
      logger.error({ pools: reaped }, 'taken for dead while the liveness connection was down: jobs this process was running may have run again elsewhere');
    });
  };

  let held = await lockSession();

  const reap = async () => {
    const owners = (await db('job_runners').distinct<Array<{ liveness_lock: string }>>('liveness_lock')).map((row) => String(row.liveness_lock)).filter((owner) => !ownKeys.has(owner));
    for (const seen of freeSince.keys()) if (!owners.includes(seen)) freeSince.delete(seen); // moved or reaped meanwhile
    for (const owner of owners) {
      await db.transaction(async (trx) => {
        const { rows } = await trx.raw<{ rows: Array<{ free: boolean }> }>('select pg_try_advisory_xact_lock(?) as free', [owner]);
        if (!rows[0]?.free) {
          freeSince.delete(owner); // that process is alive
          return;
        }
        const since = freeSince.get(owner);
        if (since === undefined) {
          freeSince.set(owner, Date.now());
          recheck.refresh();
          return;
        }
        if (Date.now() - since < graceMs) return;
        // Rows a process re-registering moves meanwhile are not locked here: it is alive.
        const pools = (await trx('job_runners').where({ liveness_lock: owner }).forUpdate().pluck('pool_id')) as string[];
        freeSince.delete(owner);
        if (pools.length === 0) return;
        await trx.raw('select graphile_worker.force_unlock_workers(?::text[])', [pools]);
        await trx('job_runners').where({ liveness_lock: owner }).delete();
        logger.warn({ pools }, 'unlocked the jobs of a server process that died');
      });
    }
  };
  const reapLogged = () => void reap().catch((error: unknown) => logger.error({ err: error }, 'could not check for dead job runners'));
  const timer = setInterval(reapLogged, reapEveryMs);
  timer.unref();
  // A key seen free is looked at again once its grace is over, not only at the next round.
  const recheck = setTimeout(reapLogged, graceMs + 50);
  recheck.unref();

  return {
    async register(poolId) {
      await inTurn(async () => {
        pools.add(poolId);
        await db('job_runners').insert({ pool_id: poolId, liveness_lock: held.key });
      });
      await reap();
    },
    async release(poolIds) {
      await inTurn(() =>
        db.transaction(async (trx) => {
          await trx.raw('select graphile_worker.force_unlock_workers(?::text[])', [poolIds]);
          await trx('job_runners').whereIn('pool_id', poolIds).delete();
          for (const pool of poolIds) pools.delete(pool);
        }),
      );
    },
    async stop() {
      stopped = true;
      stopping.abort();
      clearInterval(timer);
      clearTimeout(recheck);
      await turn;
      await db('job_runners').whereIn('liveness_lock', [...ownKeys]).delete().catch(() => undefined); // the database may be gone already
      await held.session.end().catch(() => undefined);
    },
  };
}
