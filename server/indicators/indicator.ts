import type { Bilingual } from '../../engine/errors.ts';

/**
 * One indicator of Decision 766/QĐ-TTg (2022) as this product computes it from its own records
 * (docs/indicators.md). Circular 01 Art. 32.2 makes Decision 766's real-time indicators the measure
 * of the quality of handling administrative procedures. Every figure is a count over the dossiers
 * an agency received in the period (Decree 45 Art. 11.1: `d.submitted_at`, Vietnam days), grouped
 * by agency and procedure. A group names the facts of one dossier it needs (`facts`: SQL over `d`,
 * the dossier, and `q.now`, the moment asked), each looked up once per dossier; its indicators'
 * numerators and denominators are aggregates over those facts (`f.<fact>`) and the dossier's own
 * columns (`f.ended_at`, `f.owner_account_id`), all run together in one indexed scan (report.ts).
 */
export type IndicatorGroupId = 'transparency' | 'progress' | 'digitization' | 'online-service' | 'satisfaction';

export interface Indicator {
  /** `<group>.<name>`, stable: the API's and the workbook's key. */
  id: string;
  name: Bilingual;
  /** `percent`: numerator ÷ denominator × 100; `score`: numerator ÷ denominator, the mean of 1–5 ratings. */
  unit: 'percent' | 'score';
  numerator: { text: Bilingual; sql: string };
  denominator: { text: Bilingual; sql: string };
  /** The tables the counts read. */
  source: string;
  /** The articles the rule comes from. */
  legal: string;
}

export interface IndicatorGroup {
  id: IndicatorGroupId;
  /** Per-dossier facts by name: SQL over `d` and `q.now`, evaluated once per dossier. */
  facts: Readonly<Record<string, string>>;
  /** The group's name in Decision 766's set of indicators. */
  name: Bilingual;
  indicators: readonly Indicator[];
}

/** A counted figure: null value when nothing was there to count (denominator 0). */
export interface Figure {
  numerator: number;
  denominator: number;
  value: number | null;
}

export function figureOf(indicator: Indicator, numerator: number, denominator: number): Figure {
  if (denominator === 0) return { numerator, denominator, value: null };
  const value = indicator.unit === 'percent' ? Math.round((numerator / denominator) * 1000) / 10 : Math.round((numerator / denominator) * 100) / 100;
  return { numerator, denominator, value };
}


/**
 * Whether a row of the dossier exists, as one index probe per dossier: written as a scalar
 * sub-select, not `exists`, which PostgreSQL may turn into a hash of the whole table.
 */
export const anyRow = (fromWhere: string): string => `coalesce((select true ${fromWhere} limit 1), false)`;
