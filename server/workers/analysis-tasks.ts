/**
 * The analyses the API runs in the analysis pool's worker threads (`analysis-worker.js` loads this
 * module through tsx): the cost model, simulation, sensitivity, classification, lint and the filed
 * reports, each of which can hold a CPU for seconds on a large model or run.
 *
 * A task is plain data in and plain data out, since only structured-cloneable values cross a
 * thread. JSON answers come back already serialised with `JSON.stringify`, exactly what express's
 * `response.json` would have sent, so the bytes on the wire are unchanged; a typed error comes back
 * as data too, because cloning an Error keeps only its message and stack, not its code, languages
 * or details.
 */
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { analyseProcedureCost } from '../../engine/cost/procedure-cost.ts';
import { analyseRestructuringXml } from '../../engine/cost/restructuring.ts';
import { calibrateModel, type CalibrationRequest } from '../../engine/calibration/calibrate.ts';
import { analyseSensitivity } from '../../engine/cost/sensitivity.ts';
import { simulateProcedure } from '../../engine/cost/simulation.ts';
import { isQuyTrinhError, type Bilingual, type ErrorDetail, type ErrorKind } from '../../engine/errors.ts';
import { lintModelXml } from '../../engine/rules/lint.ts';
import { classifyOnlineService } from '../../engine/rules/online-service-level.ts';
import { restructuringPdf } from '../reports/restructuring-pdf.ts';
import type { FilingDetails } from '../reports/restructuring-report.ts';
import { restructuringWorkbook } from '../reports/restructuring-workbook.ts';
import { catalogueSummaryWorkbook } from '../reports/catalogue-summary-workbook.ts';
import { summariseCatalogue, type CatalogueSummary, type SummarisedEntry } from '../../engine/catalogue/summary.ts';
import type { Procedure } from '../../engine/catalogue/procedure.ts';

/** What each task is given. */
interface TaskInputs {
  procedure: { model: string };
  cost: { asIs: string; toBe: string };
  'cost-report': { asIs: string; toBe: string; format: 'xlsx' | 'pdf'; language: 'vi' | 'en'; filing?: FilingDetails | undefined };
  simulate: { model: string; dossiers: number; seed: number; submittedFrom?: string | undefined };
  sensitivity: { asIs: string; toBe: string; variation: number; limit?: number | undefined };
  classify: { model: string };
  lint: { model: string };
  /** A catalogue procedure's restructuring analysis and its to-be model's Art. 13 level. */
  'catalogue-analysis': { asIs: string; toBe: string };
  /** A deployed model calibrated from its executed instances (docs/calibration.md). */
  calibrate: CalibrationRequest;
  /** Every catalogue entry analysed, with the totals (issue 16; about a second for 22 entries). */
  'catalogue-summary': { entries: SummarisedEntry[] };
  /** That summary as a workbook, with every entry's figures and their sources. */
  'catalogue-summary-workbook': { summary: CatalogueSummary; procedures: Procedure[]; language: 'vi' | 'en' };
}

/** A report file and the procedure it is named after. */
export interface ReportFile {
  file: Uint8Array;
  procedure: string;
}

/** What each task answers: serialised JSON, or a report file. */
export interface TaskResults {
  procedure: string;
  cost: string;
  'cost-report': ReportFile;
  simulate: string;
  sensitivity: string;
  classify: string;
  lint: string;
  'catalogue-analysis': string;
  calibrate: string;
  'catalogue-summary': string;
  'catalogue-summary-workbook': Uint8Array;
}

export type AnalysisKind = keyof TaskInputs;
export type AnalysisTask<K extends AnalysisKind = AnalysisKind> = { [Kind in K]: { kind: Kind } & TaskInputs[Kind] }[K];

/** A QuyTrinhError as data, rebuilt on the other side. */
export interface TypedErrorData {
  kind: ErrorKind;
  code: string;
  text: Bilingual;
  details: ErrorDetail[];
}

export type TaskOutcome<K extends AnalysisKind> = { ok: true; value: TaskResults[K] } | { ok: false; error: TypedErrorData };

const tasks: { [K in AnalysisKind]: (input: TaskInputs[K]) => Promise<TaskResults[K]> } = {
  procedure: async ({ model }) => JSON.stringify(analyseProcedureCost(await readProcess(model))),
  cost: async ({ asIs, toBe }) => JSON.stringify(await analyseRestructuringXml(asIs, toBe)),
  'cost-report': async ({ asIs, toBe, format, language, filing }) => {
    const analysis = await analyseRestructuringXml(asIs, toBe);
    const file = format === 'xlsx' ? await restructuringWorkbook(analysis, { language }) : await restructuringPdf(analysis, { language, filing, diagrams: { asIs, toBe } });
    return { file, procedure: analysis.toBe.procedureCode ?? analysis.toBe.name ?? analysis.toBe.processId };
  },
  simulate: async ({ model, dossiers, seed, submittedFrom }) =>
    JSON.stringify(simulateProcedure(await readProcess(model), { dossiers, seed, submittedFrom: submittedFrom ? new Date(submittedFrom) : undefined })),
  sensitivity: async ({ asIs, toBe, variation, limit }) => JSON.stringify(analyseSensitivity(await readProcess(asIs), await readProcess(toBe), { variation, limit })),
  classify: async ({ model }) => JSON.stringify(classifyOnlineService(await readProcess(model))),
  lint: async ({ model }) => JSON.stringify(await lintModelXml(model)),
  'catalogue-analysis': async ({ asIs, toBe }) =>
    JSON.stringify({ cost: await analyseRestructuringXml(asIs, toBe), onlineService: classifyOnlineService(await readProcess(toBe)) }),
  calibrate: async (request) => JSON.stringify(await calibrateModel(request)),
  'catalogue-summary': async ({ entries }) => JSON.stringify(await summariseCatalogue(entries)),
  'catalogue-summary-workbook': async ({ summary, procedures, language }) => catalogueSummaryWorkbook(summary, procedures, language),
};

/** The worker's one entry point (piscina calls the default export with each task). */
export default async function runAnalysisTask<K extends AnalysisKind>(task: AnalysisTask<K>): Promise<TaskOutcome<K>> {
  const run = tasks[task.kind] as (input: TaskInputs[K]) => Promise<TaskResults[K]>;
  try {
    return { ok: true, value: await run(task) };
  } catch (error) {
    if (!isQuyTrinhError(error)) throw error;
    return { ok: false, error: { kind: error.kind, code: error.code, text: error.text, details: error.details } };
  }
}
