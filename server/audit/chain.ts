import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * What the audit chain covers and how a record is digested: the request log (`audit_log`) and the
 * engine's step history (`instance_history`), ordered by the transaction that wrote them, then by
 * table and id. One place for this rule, shared by the sealer and the verifier.
 */
export const CHAINED_TABLES = ['audit_log', 'instance_history'] as const;
export type ChainedTable = (typeof CHAINED_TABLES)[number];

/** Bytes of each row's SHA-256 kept in a seal: enough to name a changed row, small at volume. */
export const ROW_DIGEST_BYTES = 16;
export const GENESIS = '0'.repeat(64);

const COLUMNS: Record<ChainedTable, string[]> = {
  audit_log: ['id', 'at', 'actor', 'action', 'status', 'ip', 'target', 'detail', 'txid'],
  instance_history: ['id', 'instance_id', 'event_id', 'event_type', 'element_id', 'actor', 'at', 'variables_changed', 'status_after', 'active_after', 'txid'],
};

export interface ChainedRow {
  table: ChainedTable;
  id: string;
  txid: bigint;
  values: unknown[];
}

/** The rows written by transactions in [from, to), in chain order; `limit` bounds each table's share. */
export async function chainedRows(db: Knex, from: bigint, to: bigint | undefined, limit?: number): Promise<{ rows: ChainedRow[]; truncated: boolean }> {
  let truncated = false;
  const rows: ChainedRow[] = [];
  for (const table of CHAINED_TABLES) {
    const query = db(table)
      .where('txid', '>=', db.raw('?::xid8', [from.toString()]))
      .modify((builder) => { if (to !== undefined) void builder.where('txid', '<', db.raw('?::xid8', [to.toString()])); })
      .orderBy([{ column: 'txid' }, { column: 'id' }])
      .select(COLUMNS[table].map((column) => (column === 'txid' || column === 'id' ? db.raw(`${column}::text as ${column}`) : column)));
    if (limit !== undefined) void query.limit(limit);
    const found = (await query) as Array<Record<string, unknown>>;
    if (limit !== undefined && found.length === limit) truncated = true;
    for (const row of found) rows.push({ table, id: String(row.id), txid: BigInt(row.txid as string), values: COLUMNS[table].map((column) => row[column]) });
  }
  rows.sort((a, b) => (a.txid === b.txid ? (a.table === b.table ? compareIds(a.id, b.id) : a.table < b.table ? -1 : 1) : a.txid < b.txid ? -1 : 1));
  return { rows, truncated };
}

function compareIds(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}

/** JSON with sorted keys and dates as ISO strings: the same bytes for the same content, read at any time. */
export function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function rowDigest(row: ChainedRow): Buffer {
  return createHash('sha256').update(row.table).update('\n').update(canonical(row.values)).digest().subarray(0, ROW_DIGEST_BYTES);
}

export function sealHash(previousHash: string, from: bigint, to: bigint, digests: Buffer): string {
  return createHash('sha256').update(previousHash).update(`\n${from}\n${to}\n`).update(digests).digest('hex');
}
