import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { GENESIS, chainedRows, rowDigest, sealHash } from './chain.ts';

/** Rows per table one seal takes at most, so a backlog is sealed in bounded steps. */
const BATCH = 20_000;

/**
 * Seals the audit chain up to the oldest transaction still running: every row written by a
 * transaction that has finished (its id below the snapshot's xmin) can no longer change place,
 * so the order is final. Writers never wait for each other (no global lock on the hot path);
 * one sealer at a time across every process (an advisory lock). Returns the rows sealed.
 */
export async function sealAuditChain(db: Database): Promise<number> {
  return db.transaction(async (trx) => {
    const { rows: [lock] } = await trx.raw<{ rows: Array<{ locked: boolean }> }>(`select pg_try_advisory_xact_lock(hashtext('quytrinh:audit-sealer')) as locked`);
    if (!lock?.locked) return 0;
    const last = await trx('audit_seals').orderBy('id', 'desc').first<{ to_txid: string; hash: string } | undefined>(trx.raw('to_txid::text as to_txid'), 'hash');
    const from = BigInt(last?.to_txid ?? '0');
    const { rows: [snapshot] } = await trx.raw<{ rows: Array<{ xmin: string }> }>('select pg_snapshot_xmin(pg_current_snapshot())::text as xmin');
    let to = BigInt(snapshot!.xmin);
    if (to <= from) return 0;
    const batch = await chainedRows(trx, from, to, BATCH);
    let { rows } = batch;
    if (batch.truncated) {
      // Take whole transactions only: up to the last one fully read, or the first alone when it is larger than a batch.
      const lastTxid = rows.at(-1)!.txid;
      to = lastTxid > rows[0]!.txid ? lastTxid : lastTxid + 1n;
      rows = to === lastTxid + 1n ? (await chainedRows(trx, from, to)).rows : rows.filter((row) => row.txid < to);
    }
    if (rows.length === 0) return 0;
    const digests = Buffer.concat(rows.map(rowDigest));
    const previousHash = last?.hash ?? GENESIS;
    await trx('audit_seals').insert({
      from_txid: trx.raw('?::xid8', [from.toString()]),
      to_txid: trx.raw('?::xid8', [to.toString()]),
      row_count: rows.length,
      row_digests: digests,
      previous_hash: previousHash,
      hash: sealHash(previousHash, from, to, digests),
    });
    return rows.length;
  });
}

/** Seals every second in the background; stop() seals once more so a clean stop leaves nothing open. */
export function startAuditSealer(db: Database, logger: Logger, intervalMs = 1000): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(() => sealAuditChain(db)).catch((error: unknown) => logger.warn({ err: error }, 'audit sealing failed; retried next tick'));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await sealAuditChain(db).catch(() => undefined);
    },
  };
}
