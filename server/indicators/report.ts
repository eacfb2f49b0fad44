import type { Database } from '../db/connect.ts';
import type { MonitoringScope } from '../monitoring/access.ts';
import { agenciesAsked } from './access.ts';
import { INDICATOR_GROUPS, INDICATORS, LIVE_FACTS, STORED_FACTS } from './groups.ts';
import { figureOf, type Figure } from './indicator.ts';
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

/** The statement itself, for the report and for the EXPLAIN of test/server/indicators.test.ts. */
export function indicatorsStatement(scope: MonitoringScope, request: ReportRequest, period: Period, now: Date) {
  const agencies = agenciesAsked(scope, request.agency);
  const counts = INDICATORS.flatMap((indicator, i) => [`(${indicator.numerator.sql})::int as n${i}`, `(${indicator.denominator.sql})::int as d${i}`]);
  const where = ['d.submitted_at >= ?::timestamptz', 'd.submitted_at < ?::timestamptz'];
  const bindings: unknown[] = [now.toISOString(), dayStart(period.from), dayStart(dayAfter(period.to))];
  if (agencies !== null) {
    where.push('d.agency_code = any(?::text[])');
    bindings.push(agencies);
  }
  if (request.procedure !== undefined) {
    where.push('d.procedure_key = ?');
    bindings.push(request.procedure);
  }
  // The facts of each dossier once: those stored (migration 0040) read from its row of
  // `dossier_indicator_facts` by its key (`offset 0` in the lateral keeps it a look-up per dossier
  // of the range, not a scan of every dossier's facts), those of the moment looked up for the
  // dossiers in progress only (an ended dossier has no open step). `offset 0` keeps PostgreSQL from folding the subquery
  // into the aggregates, which would look each fact up again for every aggregate that reads it.
  const sql = `select f.agency_code, f.procedure_key, max(f.procedure_name) as procedure_name, grouping(f.agency_code, f.procedure_key) = 3 as total,
         count(*)::int as received, ${counts.join(', ')}
    from (select d.agency_code, d.procedure_key, d.procedure_name, d.ended_at, q.now,
                 ${STORED_FACTS.map(([name]) => `x.${name}`).join(', ')},
                 ${LIVE_FACTS.map(([name, fact]) => `case when d.ended_at is null then ${fact} else false end as ${name}`).join(', ')}
            from dossiers d
           cross join lateral (select * from dossier_indicator_facts x where x.dossier_id = d.id offset 0) as x
           cross join (select ?::timestamptz as now) as q
           where ${where.join(' and ')}
          offset 0) as f
   group by grouping sets ((f.agency_code, f.procedure_key), ())`;
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
