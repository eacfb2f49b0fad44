import path from 'node:path';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { loadCatalogue, MODEL_NAMES, type CatalogueEntry } from '../../engine/catalogue/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { projectRoot } from '../paths.ts';
import { pageOfArray, pageQuery, type Keyset } from './pagination.ts';
import type { AnalysisPool } from '../workers/analysis-pool.ts';
import { retryAfterIfBusy, runAnalysis, sendJson, sendReportFile } from './analysis.ts';
import type { CatalogueSummary } from '../../engine/catalogue/summary.ts';
import { SUMMARY_LABELS } from '../reports/catalogue-summary-report.ts';
import { validate } from './problem.ts';

const procedureParams = z.object({ id: z.string().regex(/^[a-z0-9-]{1,100}$/, 'a catalogue id such as dang-ky-khai-sinh') });
const modelParams = procedureParams.extend({ model: z.enum(MODEL_NAMES) });
const workbookQuery = z.object({ language: z.enum(['vi', 'en']).default('vi') });
/** The shipped catalogue is read into memory; it is paged like the database's lists, by procedure id. */
const byCatalogueId = { name: 'catalogue', keys: [{ sql: 'id', kind: 'text' }] } as const satisfies Keyset;

/**
 * `/api/catalogue`: the shipped catalogue of real procedures (processes/), read once: its list,
 * each procedure with its two models, and the analysis the restructuring report is built on (run
 * in the analysis pool, like `/api/analysis`).
 */
export function catalogueRouter(pool: AnalysisPool, dir = path.join(projectRoot, 'processes')): Router {
  const router = Router();
  let catalogue: Promise<CatalogueEntry[]> | undefined;
  const entries = () => (catalogue ??= loadCatalogue(dir));
  const entry = async (id: string) => {
    const found = (await entries()).find((candidate) => candidate.folder === id);
    if (!found) {
      throw new QuyTrinhError('not-found', 'catalogue.not-found', { vi: `Không có thủ tục "${id}" trong danh mục`, en: `No procedure "${id}" in the catalogue` }, [{ field: 'params.id', message: 'unknown catalogue id' }]);
    }
    return found;
  };

  // The catalogue is files read once, so its summary is computed once (about a second of one core,
  // in the analysis pool) and kept, as is each language's workbook; a failure (a full queue) is not kept.
  const computed = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let result = computed.get(key) as Promise<T> | undefined;
    if (!result) {
      result = compute();
      computed.set(key, result);
      result.catch(() => computed.delete(key));
    }
    return result;
  };
  // Not tied to one request (several share it): no abort when a client goes away, the pool's time limit only.
  const summary = () =>
    once('summary', async () => JSON.parse(await pool.run({ kind: 'catalogue-summary', entries: (await entries()).map(({ folder, procedure, models }) => ({ folder, procedure, models })) })) as CatalogueSummary);
  const answer = async <T>(response: Response, result: Promise<T>): Promise<T> => {
    try {
      return await result;
    } catch (error) {
      throw retryAfterIfBusy(response, error);
    }
  };

  // Issue 16: every entry's restructuring on one row and the catalogue's totals (Circular 01 Art. 18).
  // The rows are paged like the list; the totals are always the whole catalogue's.
  router.get('/catalogue/summary', async (request, response) => {
    const pageRequest = validate(pageQuery, request.query, 'query');
    const { rows, totals } = await answer(response, summary());
    response.json({ ...pageOfArray(byCatalogueId, rows, (row) => row.id, pageRequest), totals });
  });

  router.get('/catalogue/summary.xlsx', async (request, response) => {
    const { language } = validate(workbookQuery, request.query, 'query');
    const file = await answer(
      response,
      once(`workbook-${language}`, async () => pool.run({ kind: 'catalogue-summary-workbook', summary: await summary(), procedures: (await entries()).map((entry) => entry.procedure), language })),
    );
    sendReportFile(response, file, SUMMARY_LABELS.title[language], 'xlsx');
  });

  router.get('/catalogue', async (request, response) => {
    const page = pageOfArray(byCatalogueId, await entries(), (entry) => entry.procedure.id, validate(pageQuery, request.query, 'query'));
    response.json({
      ...page,
      items: page.items.map(({ procedure }) => ({
        id: procedure.id,
        name: procedure.name,
        procedureCode: procedure.procedureCode,
        level: procedure.level,
        agencies: procedure.agencies,
        related: procedure.related,
      })),
    });
  });

  router.get('/catalogue/:id', async (request, response) => {
    const { id } = validate(procedureParams, request.params, 'params');
    response.json((await entry(id)).procedure);
  });

  // The BPMN XML of one model, for the designer to open.
  router.get('/catalogue/:id/:model.bpmn', async (request, response) => {
    const { id, model } = validate(modelParams, request.params, 'params');
    response.type('application/xml').send((await entry(id)).models[model]);
  });

  router.get('/catalogue/:id/analysis', async (request, response) => {
    const { id } = validate(procedureParams, request.params, 'params');
    const { models } = await entry(id);
    sendJson(response, await runAnalysis(pool, response, { kind: 'catalogue-analysis', asIs: models['as-is'], toBe: models['to-be'] }));
  });

  return router;
}
