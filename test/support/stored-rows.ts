import type { Database } from '../../server/db/connect.ts';

/**
 * Every table of the public schema and graphile-worker's job queue, each with its row count and
 * a digest of its rows: two snapshots are equal only when nothing was inserted, deleted or updated.
 */
const AUDIT_TRAIL = new Set(['audit_log', 'audit_seals']);
/** The heat map's counters (migration 0044): folded by a timer and by a heat map read without any change to what they count; `instance_positions` stays in. */
const FOLDED_COUNTERS = new Set(['procedure_step_counts', 'procedure_step_count_deltas']);

export async function storedRows(db: Database): Promise<Record<string, string>> {
  const tables = await db('information_schema.tables').where({ table_schema: 'public', table_type: 'BASE TABLE' }).orderBy('table_name').pluck<string[]>('table_name');
  // The audit trail records refused requests too, by design (issue 9): it is not "stored data" here.
  const sources = [...tables.filter((table) => !AUDIT_TRAIL.has(table) && !FOLDED_COUNTERS.has(table)).map((table) => `public.${quote(table)}`), 'graphile_worker.jobs'];
  const { rows } = await db.raw<{ rows: Array<{ source: string; rows: string }> }>(
    sources.map((source) => `select '${source}' as source, count(*) || ':' || md5(coalesce(string_agg(md5(t::text), '' order by md5(t::text)), '')) as rows from ${source} t`).join(' union all '),
  );
  return Object.fromEntries(rows.map((row) => [row.source, row.rows]));
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
