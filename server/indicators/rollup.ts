import { INDICATORS, LIVE_FACTS, STORED_FACTS } from './groups.ts';
import type { Indicator } from './indicator.ts';

/**
 * The indicators' rollup per Vietnam day (migration 0043, docs/indicators.md "Performance"): for
 * each agency, procedure and day of receipt, the figures of the dossiers received that day which
 * have **ended**, every indicator's numerator and denominator summed. An ended dossier's figures
 * depend only on what is stored (the facts of the moment asked, an open step overdue now, are false
 * once it ended: report.ts), so they can be added up ahead; a period, being whole Vietnam days
 * (period.ts), is the sum of its days' rows plus the dossiers still in progress, counted per
 * dossier when asked. Every aggregate of the indicators is a count or a sum, so a dossier's part in
 * its day is the aggregates over that one dossier, added when its facts row is written and taken
 * away (the old row's part) when it is rewritten or deleted, by a trigger on
 * `dossier_indicator_facts`, in the writing transaction.
 */

/** The dossier's own columns the figures and the rollup's key read, kept in its facts row beside the facts. */
export const DOSSIER_COLUMNS = ['agency_code', 'procedure_key', 'procedure_name', 'submitted_at', 'ended_at'] as const;

/** The Vietnam day (UTC+7, Decree 45's office days) of a timestamp: the rollup's day of receipt. */
export const vietnamDaySql = (at: string): string => `((${at} at time zone 'UTC') + interval '7 hours')::date`;

const key = (indicator: Indicator) => indicator.id.replace(/[.-]/g, '_');

/** The rollup's counted columns, with the aggregate each sums: the dossiers received, then each indicator's numerator and denominator. */
export const ROLLUP_COUNTS: ReadonlyArray<[column: string, aggregate: string]> = [
  ['received', 'count(*)'],
  ...INDICATORS.flatMap((indicator): Array<[string, string]> => [[`${key(indicator)}_n`, indicator.numerator.sql], [`${key(indicator)}_d`, indicator.denominator.sql]]),
];

/** The rollup's columns holding an indicator's numerator and denominator. */
export const rollupColumnsOf = (indicator: Indicator): { numerator: string; denominator: string } => ({ numerator: `${key(indicator)}_n`, denominator: `${key(indicator)}_d` });

/**
 * One facts row (`row`, a `dossier_indicator_facts` value) as the rows the aggregates read (`f`):
 * its dossier columns and stored facts, the facts of the moment false (it has ended) and no moment.
 */
export const endedDossierAsFigures = (row: string): string =>
  [
    ...DOSSIER_COLUMNS.map((column) => `(${row}).${column} as ${column}`),
    ...STORED_FACTS.map(([name]) => `(${row}).${name} as ${name}`),
    ...LIVE_FACTS.map(([name]) => `false as ${name}`),
    'null::timestamptz as now',
  ].join(', ');
