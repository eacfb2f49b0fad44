import type { Database } from '../db/connect.ts';
import type { MonitoringScope } from '../monitoring/access.ts';
import { agenciesAsked } from './access.ts';
import { INDICATOR_GROUPS, INDICATORS, LIVE_FACTS, STORED_FACTS } from './groups.ts';
import { figureOf, type Figure } from './indicator.ts';
import { ROLLUP_COUNTS, rollupColumnsOf } from './rollup.ts';
import { dayAfter, dayStart, halfYearOf, halfYear, vietnamDay, type Period } from './period.ts';

/**
 * The indicators of Decision 766 for a period, per agency and procedure and in total
 * (docs/indicators.md): every group's numerators and denominators computed in one statement over
 * the dossiers received in the period, a range scan of an index on `submitted_at` (behind the
 * agency and procedure when asked), each count's look-ups through an index led by the dossier.
 */
export interface IndicatorFigures {
  received: number;
  figures: Record<string, Figure>;
}
export interface IndicatorRow extends IndicatorFigures {
  agency: { code: string; name: string };
  procedure: { key: string; name: string };
}
export interface IndicatorReport {
  period: Period;
  /** The moment the real-time figures were read against. */
  at: string;
  agency: string | null;
  procedure: string | null;
  groups: Array<{ id: string; name: { vi: string; en: string }; indicators: Array<{ id: string; name: { vi: string; en: string }; unit: 'percent' | 'score'; numerator: { vi: string; en: string }; denominator: { vi: string; en: string }; source: string; legal: string }> }>;
  rows: IndicatorRow[];
  total: IndicatorFigures;
}

export interface ReportRequest {
  from?: string | undefined;
  to?: string | undefined;
  agency?: string | undefined;
  procedure?: string | undefined;
}

/** Without dates: the half-yearly reporting period running today (period.ts). */
export function periodOf(request: ReportRequest, now: Date): Period {
  const current = halfYearOf(vietnamDay(now));
  const running = halfYear(current.year, current.half);
  const from = request.from ?? running.from;
  const to = request.to ?? running.to;
  // One end given outside the running period: the period is that one day rather than an empty one.
  if (from <= to) return { from, to };
  return request.from !== undefined ? { from, to: from } : { from: to, to };
}

type Row = { agency_code: string | null; procedure_key: string | null; procedure_name: string | null; total: boolean; received: number } & Record<string, number>;

/**
 * The statement itself, for the report and for the EXPLAIN of test/server/indicators.test.ts: the
 * ended dossiers of the period from the rollup (migration 0043: a row per agency, procedure and day
 * of receipt, rollup.ts), the dossiers still in progress counted one by one (their figures depend
 * on the moment asked), both summed per agency and procedure and in total.
 */
export function indicatorsStatement(scope: MonitoringScope, request: ReportRequest, period: Period, now: Date) {
  const agencies = agenciesAsked(scope, request.agency);
  const counts = ROLLUP_COUNTS.map(([column, aggregate]) => `${aggregate} as ${column}`);
  const sums = [`sum(g.received)::int as received`, ...INDICATORS.flatMap((indicator, i) => {
    const { numerator, denominator } = rollupColumnsOf(indicator);
    return [`sum(g.${numerator})::int as n${i}`, `sum(g.${denominator})::int as d${i}`];
  })];
  const filters = (alias: string) => {
    const where: string[] = [];
    const bindings: unknown[] = [];
    if (agencies !== null) {
      where.push(`${alias}.agency_code = any(?::text[])`);
      bindings.push(agencies);
    }
    if (request.procedure !== undefined) {
      where.push(`${alias}.procedure_key = ?`);
      bindings.push(request.procedure);
    }
    return { where, bindings };
  };
  const days = filters('r');
  const running = filters('d');
  const bindings: unknown[] = [period.from, period.to, ...days.bindings, now.toISOString(), dayStart(period.from), dayStart(dayAfter(period.to)), ...running.bindings];
  // The dossiers in progress: through the partial index `dossiers_in_progress`, with their stored
  // facts (migration 0040) read by the facts' key (`offset 0` in the lateral keeps it a look-up per
  // dossier, not a scan of every dossier's facts) and those of the moment looked up. `offset 0`
  // keeps PostgreSQL from folding the subquery into the aggregates, which would look each fact up
  // again for every aggregate that reads it.
  const sql = `select g.agency_code, g.procedure_key, max(g.procedure_name) as procedure_name, grouping(g.agency_code, g.procedure_key) = 3 as total,
         ${sums.join(', ')}
    from (select r.agency_code, r.procedure_key, r.procedure_name, ${ROLLUP_COUNTS.map(([column]) => `r.${column}`).join(', ')}
            from dossier_indicator_days r
           where ${['r.day >= ?::date', 'r.day <= ?::date', 'r.received > 0', ...days.where].join(' and ')}
          union all
          select f.agency_code, f.procedure_key, max(f.procedure_name), ${counts.join(', ')}
            from (select d.agency_code, d.procedure_key, d.procedure_name, d.ended_at, q.now,
                         ${STORED_FACTS.map(([name]) => `x.${name}`).join(', ')},
                         ${LIVE_FACTS.map(([name, fact]) => `${fact} as ${name}`).join(', ')}
                    from dossiers d
                   cross join lateral (select * from dossier_indicator_facts x where x.dossier_id = d.id offset 0) as x
                   cross join (select ?::timestamptz as now) as q
                   where ${['d.ended_at is null', 'd.submitted_at >= ?::timestamptz', 'd.submitted_at < ?::timestamptz', ...running.where].join(' and ')}
                  offset 0) as f
           group by f.agency_code, f.procedure_key) as g
   group by grouping sets ((g.agency_code, g.procedure_key), ())`;
  return { sql, bindings };
}

export async function indicatorsReport(db: Database, scope: MonitoringScope, request: ReportRequest, now = new Date()): Promise<IndicatorReport> {
  const period = periodOf(request, now);
  const { sql, bindings } = indicatorsStatement(scope, request, period, now);
  // JIT off for the statement, as for the heat map (server/monitoring/procedure-view.ts): compiling costs more than running it.
  const rows = await db.transaction(async (trx) => {
    await trx.raw('set local jit = off');
    return (await trx.raw<{ rows: Row[] }>(sql, bindings as never)).rows;
  });
  const figuresOf = (row: Row | undefined): IndicatorFigures => ({
    received: row?.received ?? 0,
    figures: Object.fromEntries(INDICATORS.map((indicator, i) => [indicator.id, figureOf(indicator, row?.[`n${i}`] ?? 0, row?.[`d${i}`] ?? 0)])),
  });
  const detail = rows.filter((row) => !row.total);
  const codes = [...new Set(detail.map((row) => row.agency_code!))];
  const names = new Map((await db('agencies').whereIn('code', codes).select<Array<{ code: string; name: string }>>('code', 'name')).map((a) => [a.code, a.name]));
  return {
    period,
    at: now.toISOString(),
    agency: request.agency ?? null,
    procedure: request.procedure ?? null,
    groups: INDICATOR_GROUPS.map((group) => ({
      id: group.id,
      name: group.name,
      indicators: group.indicators.map((indicator) => ({ id: indicator.id, name: indicator.name, unit: indicator.unit, numerator: indicator.numerator.text, denominator: indicator.denominator.text, source: indicator.source, legal: indicator.legal })),
    })),
    rows: detail
      .map((row) => ({ agency: { code: row.agency_code!, name: names.get(row.agency_code!) ?? row.agency_code! }, procedure: { key: row.procedure_key!, name: row.procedure_name ?? row.procedure_key! }, ...figuresOf(row) }))
      .sort((a, b) => a.agency.code.localeCompare(b.agency.code) || a.procedure.name.localeCompare(b.procedure.name, 'vi')),
    total: figuresOf(rows.find((row) => row.total)),
  };
}
