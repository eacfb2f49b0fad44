import type { Database } from '../db/connect.ts';
import { CHAINED_TABLES, GENESIS, ROW_DIGEST_BYTES, chainedRows, rowDigest, sealHash, type ChainedTable } from './chain.ts';

export interface ChainBreak {
  /** altered: a record's content changed; removed: a sealed record is gone; inserted: a record appeared in a sealed range; seal: a seal itself was changed. */
  kind: 'altered' | 'removed' | 'inserted' | 'seal';
  sealId: string;
  table?: ChainedTable;
  recordId?: string;
  /** The record's place in its seal, from 0. */
  position?: number;
}

export interface ChainReport {
  ok: boolean;
  seals: number;
  records: number;
  /** Records written since the last seal (not yet chained). */
  pending: number;
  /** The hash of the last seal: publish it elsewhere to anchor the chain. */
  head: string;
  firstBreak?: ChainBreak;
}

/**
 * Recomputes the audit chain (`quytrinh audit verify`, `GET /api/audit/verify`) and names the first
 * record that was altered, removed, inserted or reordered since it was sealed, or the first seal
 * that was changed. Reordering shows as an alteration: a record's digest covers its id and txid.
 */
export async function verifyAuditChain(db: Database): Promise<ChainReport> {
  const seals = await db('audit_seals').orderBy('id').select<Array<{ id: string; from_txid: string; to_txid: string; row_count: number; row_digests: Buffer; previous_hash: string; hash: string }>>(
    'id', db.raw('from_txid::text as from_txid'), db.raw('to_txid::text as to_txid'), 'row_count', 'row_digests', 'previous_hash', 'hash',
  );
  let previousHash = GENESIS;
  let previousTo = 0n;
  let records = 0;
  const broken = (firstBreak: ChainBreak): ChainReport => ({ ok: false, seals: seals.length, records, pending: 0, head: previousHash, firstBreak });
  for (const seal of seals) {
    const from = BigInt(seal.from_txid);
    const to = BigInt(seal.to_txid);
    if (seal.previous_hash !== previousHash || from !== previousTo || seal.hash !== sealHash(seal.previous_hash, from, to, seal.row_digests) || seal.row_digests.length !== seal.row_count * ROW_DIGEST_BYTES) {
      return broken({ kind: 'seal', sealId: String(seal.id) });
    }
    const { rows } = await chainedRows(db, from, to);
    for (let position = 0; position < Math.max(rows.length, seal.row_count); position++) {
      const stored = seal.row_digests.subarray(position * ROW_DIGEST_BYTES, (position + 1) * ROW_DIGEST_BYTES);
      const row = rows[position];
      if (row && stored.length > 0 && rowDigest(row).equals(stored)) continue;
      const next = seal.row_digests.subarray((position + 1) * ROW_DIGEST_BYTES, (position + 2) * ROW_DIGEST_BYTES);
      const following = rows[position + 1];
      if (!row || (rows.length < seal.row_count && next.length > 0 && rowDigest(row).equals(next))) {
        return broken({ kind: 'removed', sealId: String(seal.id), position, ...(row ? { table: row.table, recordId: `before ${row.id}` } : {}) });
      }
      const inserted = stored.length === 0 || (rows.length > seal.row_count && following !== undefined && rowDigest(following).equals(stored));
      return broken({ kind: inserted ? 'inserted' : 'altered', sealId: String(seal.id), position, table: row.table, recordId: row.id });
    }
    records += rows.length;
    previousHash = seal.hash;
    previousTo = to;
  }
  let pending = 0;
  for (const table of CHAINED_TABLES) {
    const [row] = await db(table).where('txid', '>=', db.raw('?::xid8', [previousTo.toString()])).count<Array<{ count: string }>>('* as count');
    pending += Number(row?.count ?? 0);
  }
  return { ok: true, seals: seals.length, records, pending, head: previousHash };
}
