/**
 * The analyst's summary across the catalogue (issue 16): each entry's restructuring (Circular 01
 * Art. 18 savings, the Art. 17.1 aims it meets, the to-be's online level of Art. 13) on one row,
 * and the totals of the catalogue.
 *
 * Inter-connected groups (Circular 01 Art. 16.4 and 17.5; Decree 63/2024, Decree 122/2020): a
 * group's to-be calls other entries' to-be models, and its dossiers are already counted in the
 * called entries' own volumes (every birth is one of the 1.400.000 birth registrations and one of
 * the 1.400.000 dossiers of the birth group; the death group's 150.000 are among the 600.000 death
 * registrations). Adding a group's row to the called entries' would count those people twice, so
 * the totals add the single procedures only and leave the groups out (`inTotals: false`): the
 * group's rows are shown beside them, with their own saving. This understates the catalogue's
 * saving by what a group saves beyond its procedures done separately after restructuring, the
 * lower figure Circular 02/2017 Art. 27.2 asks for when sources differ (docs/cost-model.md).
 */
import type { Bilingual } from '../errors.ts';
import { analyseModelXml, compareModels, type RestructuringAim } from '../cost/restructuring.ts';
import { classifyOnlineService, type OnlineServiceLevel } from '../rules/online-service-level.ts';
import type { CatalogueEntry, ProcedureLevel } from './procedure.ts';

/** What one model costs per dossier, as the summary shows it. */
export interface SummarySide {
  costPerDossierVnd: number;
  costPerYearVnd: number;
  applicantHours: number;
  trips: number;
  documents: number;
}

export interface CatalogueSummaryRow {
  /** The catalogue id (the folder). */
  id: string;
  name: Bilingual;
  procedureCode: string | null;
  level: ProcedureLevel;
  /** For an inter-connected group: the catalogue ids of the entries its to-be calls. */
  calls: string[];
  /** False for a group: its dossiers are already in the called entries' volumes. */
  inTotals: boolean;
  asIs: SummarySide;
  toBe: SummarySide;
  dossiersPerYear: number;
  savingPerYearVnd: number;
  /** Saving ÷ as-is yearly cost × 100 (Circular 02/2017 Art. 27). */
  ratePercent: number;
  /** Applicant hours saved a year (as-is − to-be; negative when the to-be takes more). */
  applicantHoursSavedPerYear: number;
  /** Visits to an office saved a year (Art. 17.1.b; negative when the to-be asks more). */
  tripsSavedPerYear: number;
  /** The aims of Art. 17.1 the restructuring meets. */
  aimsMet: Array<RestructuringAim['aim']>;
  /** The to-be's online service level (Circular 01 Art. 13). */
  onlineService: { level: OnlineServiceLevel; label: Bilingual };
  /** How many of the entry's figures (procedure.json) are the analysts' estimates, of how many. */
  figures: { estimates: number; total: number };
}

export interface CatalogueSummaryTotals {
  /** The rows added up: the single procedures. */
  entries: number;
  dossiersPerYear: number;
  asIsPerYearVnd: number;
  toBePerYearVnd: number;
  savingPerYearVnd: number;
  /** The weighted rate: total saving ÷ total as-is yearly cost × 100. */
  ratePercent: number;
  applicantHoursSavedPerYear: number;
  tripsSavedPerYear: number;
  /** The groups left out of the totals. */
  leftOut: string[];
}

export interface CatalogueSummary {
  rows: CatalogueSummaryRow[];
  totals: CatalogueSummaryTotals;
}

/** What the summary needs of an entry: its procedure.json and its two models. */
export type SummarisedEntry = Pick<CatalogueEntry, 'folder' | 'procedure' | 'models'>;

/** Analyses every entry (about a second for the 22 of the catalogue: run it off the event loop). */
export async function summariseCatalogue(entries: readonly SummarisedEntry[]): Promise<CatalogueSummary> {
  const analysed = await Promise.all(
    entries.map(async (entry) => {
      const [asIs, toBe] = await Promise.all([analyseModelXml(entry.models['as-is']), analyseModelXml(entry.models['to-be'])]);
      return { entry, asIs, toBe, analysis: compareModels(asIs, toBe) };
    }),
  );
  const folderOfProcess = new Map(analysed.map(({ entry, toBe }) => [toBe.graph.id, entry.folder]));
  const rows = analysed.map(({ entry, toBe, analysis }): CatalogueSummaryRow => {
    const calls = [...toBe.graph.nodes.values()].flatMap((node) => {
      const called = node.kind === 'callActivity' && node.calledElement ? folderOfProcess.get(node.calledElement) : undefined;
      return called ? [called] : [];
    });
    const side = (summary: typeof analysis.asIs): SummarySide => ({
      costPerDossierVnd: summary.perDossier.totalVnd,
      costPerYearVnd: summary.perYear.totalVnd,
      applicantHours: summary.perDossier.applicantHours,
      trips: summary.perDossier.trips,
      documents: summary.perDossier.documents,
    });
    const online = classifyOnlineService(toBe.graph);
    return {
      id: entry.folder,
      name: entry.procedure.name,
      procedureCode: entry.procedure.procedureCode,
      level: entry.procedure.level,
      calls,
      inTotals: calls.length === 0,
      asIs: side(analysis.asIs),
      toBe: side(analysis.toBe),
      dossiersPerYear: analysis.asIs.perYear.dossiers,
      savingPerYearVnd: analysis.savings.perYearVnd,
      ratePercent: analysis.savings.ratePercent,
      applicantHoursSavedPerYear: analysis.savings.applicantHoursPerYear,
      tripsSavedPerYear: analysis.asIs.perDossier.trips * analysis.asIs.perYear.dossiers - analysis.toBe.perDossier.trips * analysis.toBe.perYear.dossiers,
      aimsMet: analysis.aims.filter((aim) => aim.met).map((aim) => aim.aim),
      onlineService: { level: online.level, label: online.label },
      figures: { estimates: entry.procedure.figures.filter((figure) => figure.estimate).length, total: entry.procedure.figures.length },
    };
  });
  const counted = rows.filter((row) => row.inTotals);
  const sum = (of: (row: CatalogueSummaryRow) => number) => counted.reduce((total, row) => total + of(row), 0);
  const asIsPerYearVnd = sum((row) => row.asIs.costPerYearVnd);
  const savingPerYearVnd = sum((row) => row.savingPerYearVnd);
  return {
    rows,
    totals: {
      entries: counted.length,
      dossiersPerYear: sum((row) => row.dossiersPerYear),
      asIsPerYearVnd,
      toBePerYearVnd: sum((row) => row.toBe.costPerYearVnd),
      savingPerYearVnd,
      ratePercent: asIsPerYearVnd === 0 ? 0 : (savingPerYearVnd / asIsPerYearVnd) * 100,
      applicantHoursSavedPerYear: sum((row) => row.applicantHoursSavedPerYear),
      tripsSavedPerYear: sum((row) => row.tripsSavedPerYear),
      leftOut: rows.filter((row) => !row.inTotals).map((row) => row.id),
    },
  };
}
