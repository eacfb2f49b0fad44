import { Router, type Response } from 'express';
import { z } from 'zod';
import { checkDossierCount } from '../../engine/cost/simulation.ts';
import { BUSY_RETRY_AFTER_SECONDS, isAnalysisBusy, type AnalysisPool } from '../workers/analysis-pool.ts';
import type { AnalysisKind, AnalysisTask, TaskResults } from '../workers/analysis-tasks.ts';
import { MAX_MODEL_BYTES, safeString } from './input-limits.ts';
import { validate } from './problem.ts';

/** The same bound as deployment: a real procedure model is a few hundred kilobytes. */
const bpmnXml = safeString(MAX_MODEL_BYTES).trim().min(1, 'BPMN XML required');

const oneModel = z.object({ model: bpmnXml });
const twoModels = z.object({ asIs: bpmnXml, toBe: bpmnXml });
// The range of `dossiers` is checked by the engine's own rule, whose message states the cap in both languages.
const simulation = z.object({
  model: bpmnXml,
  dossiers: z.number().int().default(10_000),
  seed: z.number().int().default(1),
  submittedFrom: z.iso.datetime({ offset: true }).optional(),
});
const filingText = safeString(200).trim().optional();
/** The particulars of the filed PDF (Decree 30/2020/ND-CP Appendix I); each is optional, left blank to fill in by hand. */
const filing = z
  .object({
    parentAgency: filingText,
    agency: filingText,
    number: filingText,
    place: filingText,
    date: z.iso.date().optional(),
    signerTitle: filingText,
    signerName: filingText,
  })
  .strict();
const reportBody = twoModels.extend({ filing: filing.optional() });
const reportQuery = z.object({ format: z.enum(['xlsx', 'pdf']), language: z.enum(['vi', 'en']).default('vi') });
const sensitivity = twoModels.extend({ variation: z.number().gt(0).lt(1).default(0.2), limit: z.number().int().min(1).max(500).optional() });

/**
 * `/api/analysis`: the cost model over models sent in the request (nothing is stored), for the
 * designer's live figures and for scripts. Each takes BPMN XML as JSON strings. The analyses run
 * in the analysis pool's threads (`server/workers/analysis-pool.ts`), never on the event loop.
 */
export function analysisRouter(pool: AnalysisPool): Router {
  const router = Router();

  // One model's cost per dossier and per year, element by element (the designer's live badge).
  router.post('/analysis/procedure', async (request, response) => {
    const { model } = validate(oneModel, request.body, 'body');
    sendJson(response, await runAnalysis(pool, response, { kind: 'procedure', model }));
  });

  // Circular 01 Art. 18: the savings of a restructuring, the aims of Art. 17.1 it meets, and what changed.
  router.post('/analysis/cost', async (request, response) => {
    const { asIs, toBe } = validate(twoModels, request.body, 'body');
    sendJson(response, await runAnalysis(pool, response, { kind: 'cost', asIs, toBe }));
  });

  // The same comparison as a report an agency files: an .xlsx workbook or a PDF, Vietnamese unless ?language=en.
  router.post('/analysis/cost/report', async (request, response) => {
    const { format, language } = validate(reportQuery, request.query, 'query');
    const { asIs, toBe, filing: particulars } = validate(reportBody, request.body, 'body');
    const report = await runAnalysis(pool, response, { kind: 'cost-report', asIs, toBe, format, language, filing: particulars });
    sendReportFile(response, report.file, `${language === 'vi' ? 'Báo cáo tái cấu trúc' : 'Restructuring report'} ${report.procedure}`, format);
  });

  router.post('/analysis/simulate', async (request, response) => {
    const { model, dossiers, seed, submittedFrom } = validate(simulation, request.body, 'body');
    checkDossierCount(dossiers, 'body.dossiers');
    sendJson(response, await runAnalysis(pool, response, { kind: 'simulate', model, dossiers, seed, submittedFrom }));
  });

  router.post('/analysis/sensitivity', async (request, response) => {
    const { asIs, toBe, variation, limit } = validate(sensitivity, request.body, 'body');
    sendJson(response, await runAnalysis(pool, response, { kind: 'sensitivity', asIs, toBe, variation, limit }));
  });

  // Circular 01 Art. 13: wholly online, partially online, or information only.
  router.post('/analysis/classify', async (request, response) => {
    const { model } = validate(oneModel, request.body, 'body');
    sendJson(response, await runAnalysis(pool, response, { kind: 'classify', model }));
  });

  // bpmnlint's recommended rules and the procedure rules, each finding in both languages.
  router.post('/analysis/lint', async (request, response) => {
    const { model } = validate(oneModel, request.body, 'body');
    sendJson(response, await runAnalysis(pool, response, { kind: 'lint', model }));
  });

  return router;
}

/**
 * Runs one analysis for a request on the pool: aborted (its thread terminated) when the client
 * goes away before the answer, and, when the queue is full, refused with a Retry-After.
 */
export async function runAnalysis<K extends AnalysisKind>(pool: AnalysisPool, response: Response, task: AnalysisTask<K>): Promise<TaskResults[K]> {
  const gone = new AbortController();
  // The response closes when it is sent or when the connection drops; only the second leaves it unfinished.
  const onClose = () => {
    if (!response.writableFinished) gone.abort();
  };
  response.once('close', onClose);
  try {
    return await pool.run(task, gone.signal);
  } catch (error) {
    throw retryAfterIfBusy(response, error);
  } finally {
    response.off('close', onClose);
  }
}

/** A refusal for a full queue tells the client when to come back (Retry-After); the error is given back to be thrown. */
export function retryAfterIfBusy(response: Response, error: unknown): unknown {
  if (isAnalysisBusy(error)) response.setHeader('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
  return error;
}

/** What `response.json` sends, for JSON the analysis thread has already serialised. */
export function sendJson(response: Response, json: string): void {
  response.set('Content-Type', 'application/json').send(json);
}

/** A report file an analysis thread wrote, as an attachment named `title.extension`. */
export function sendReportFile(response: Response, file: Uint8Array, title: string, extension: 'xlsx' | 'pdf'): void {
  const name = reportFileName(title);
  response
    .type(extension === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf')
    .setHeader('Content-Disposition', `attachment; filename="${name.ascii}.${extension}"; filename*=UTF-8''${name.encoded}.${extension}`)
    // The thread's Buffer arrives as a plain Uint8Array, which express would send as JSON.
    .send(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
}

/** "bao-cao-tai-cau-truc-1.001193": an ASCII name for old clients, the full one (RFC 5987 `filename*`) for the rest. */
function reportFileName(title: string): { ascii: string; encoded: string } {
  const full = title.replace(/[\\/:*?"<>|\p{Cc}]/gu, '-');
  const ascii = full
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  // RFC 5987 attr-chars: encodeURIComponent leaves ' ( ) * as they are.
  const encoded = encodeURIComponent(full).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return { ascii: ascii || 'report', encoded };
}
