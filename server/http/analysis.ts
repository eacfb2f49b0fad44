import { Router } from 'express';
import { z } from 'zod';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { analyseProcedureCost } from '../../engine/cost/procedure-cost.ts';
import { analyseRestructuringXml } from '../../engine/cost/restructuring.ts';
import { analyseSensitivity } from '../../engine/cost/sensitivity.ts';
import { MAX_SIMULATED_DOSSIERS, simulateProcedure } from '../../engine/cost/simulation.ts';
import { lintModelXml } from '../../engine/rules/lint.ts';
import { classifyOnlineService } from '../../engine/rules/online-service-level.ts';
import { restructuringPdf } from '../reports/restructuring-pdf.ts';
import { restructuringWorkbook } from '../reports/restructuring-workbook.ts';
import { MAX_MODEL_BYTES, safeString } from './input-limits.ts';
import { validate } from './problem.ts';

/** The same bound as deployment: a real procedure model is a few hundred kilobytes. */
const bpmnXml = safeString(MAX_MODEL_BYTES).trim().min(1, 'BPMN XML required');

const oneModel = z.object({ model: bpmnXml });
const twoModels = z.object({ asIs: bpmnXml, toBe: bpmnXml });
const simulation = z.object({
  model: bpmnXml,
  dossiers: z.number().int().min(1).max(MAX_SIMULATED_DOSSIERS).default(10_000),
  seed: z.number().int().default(1),
  submittedFrom: z.iso.datetime({ offset: true }).optional(),
});
const reportQuery = z.object({ format: z.enum(['xlsx', 'pdf']), language: z.enum(['vi', 'en']).default('vi') });
const sensitivity = twoModels.extend({ variation: z.number().gt(0).lt(1).default(0.2), limit: z.number().int().min(1).max(500).optional() });

/**
 * `/api/analysis`: the cost model over models sent in the request (nothing is stored), for the
 * designer's live figures and for scripts. Each takes BPMN XML as JSON strings.
 */
export function analysisRouter(): Router {
  const router = Router();

  // One model's cost per dossier and per year, element by element (the designer's live badge).
  router.post('/analysis/procedure', async (request, response) => {
    const { model } = validate(oneModel, request.body, 'body');
    response.json(analyseProcedureCost(await readProcess(model)));
  });

  // Circular 01 Art. 18: the savings of a restructuring, the aims of Art. 17.1 it meets, and what changed.
  router.post('/analysis/cost', async (request, response) => {
    const { asIs, toBe } = validate(twoModels, request.body, 'body');
    response.json(await analyseRestructuringXml(asIs, toBe));
  });

  // The same comparison as a report an agency files: an .xlsx workbook or a PDF, Vietnamese unless ?language=en.
  router.post('/analysis/cost/report', async (request, response) => {
    const { format, language } = validate(reportQuery, request.query, 'query');
    const { asIs, toBe } = validate(twoModels, request.body, 'body');
    const analysis = await analyseRestructuringXml(asIs, toBe);
    const file = format === 'xlsx' ? await restructuringWorkbook(analysis, { language }) : await restructuringPdf(analysis, { language });
    const name = reportFileName(analysis.toBe.procedureCode ?? analysis.toBe.name ?? analysis.toBe.processId, language);
    response
      .type(format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf')
      .setHeader('Content-Disposition', `attachment; filename="${name.ascii}.${format}"; filename*=UTF-8''${name.encoded}.${format}`)
      .send(file);
  });

  router.post('/analysis/simulate', async (request, response) => {
    const { model, dossiers, seed, submittedFrom } = validate(simulation, request.body, 'body');
    response.json(simulateProcedure(await readProcess(model), { dossiers, seed, submittedFrom: submittedFrom ? new Date(submittedFrom) : undefined }));
  });

  router.post('/analysis/sensitivity', async (request, response) => {
    const { asIs, toBe, variation, limit } = validate(sensitivity, request.body, 'body');
    response.json(analyseSensitivity(await readProcess(asIs), await readProcess(toBe), { variation, limit }));
  });

  // Circular 01 Art. 13: wholly online, partially online, or information only.
  router.post('/analysis/classify', async (request, response) => {
    const { model } = validate(oneModel, request.body, 'body');
    response.json(classifyOnlineService(await readProcess(model)));
  });

  // bpmnlint's recommended rules and the procedure rules, each finding in both languages.
  router.post('/analysis/lint', async (request, response) => {
    const { model } = validate(oneModel, request.body, 'body');
    response.json(await lintModelXml(model));
  });

  return router;
}

/** "bao-cao-tai-cau-truc-1.001193": an ASCII name for old clients, the full one (RFC 5987 `filename*`) for the rest. */
function reportFileName(procedure: string, language: 'vi' | 'en'): { ascii: string; encoded: string } {
  const full = `${language === 'vi' ? 'Báo cáo tái cấu trúc' : 'Restructuring report'} ${procedure}`.replace(/[\\/:*?"<>|\p{Cc}]/gu, '-');
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
