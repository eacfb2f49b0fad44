import { Router } from 'express';
import { z } from 'zod';
import type { CalibrationRequest, CalibrationResult } from '../../engine/calibration/calibrate.ts';
import { requirePrincipal } from '../access/authorize.ts';
import { calibrateInput, calibrateProcedure, nonConformingPage } from '../calibration/calibrate.ts';
import type { Database } from '../db/connect.ts';
import type { AnalysisPool } from '../workers/analysis-pool.ts';
import { runAnalysis } from './analysis.ts';
import { keyString } from './input-limits.ts';
import { pageQuery } from './pagination.ts';
import { validate } from './problem.ts';

const keyParams = z.object({ key: keyString });
const idParams = z.object({ id: z.uuid('not a calibration id (UUID)') });

/**
 * Calibration and conformance (issue 14, docs/calibration.md): a deployed procedure's figures
 * measured on its history and stored as a calibrated model version; the dossiers of that history
 * that did not follow the model, paged. The measuring runs on the analysis pool's threads.
 */
export function calibrationRouter(db: Database, pool: AnalysisPool): Router {
  const router = Router();

  router.post('/procedures/:key/calibrate', async (request, response) => {
    const { key } = validate(keyParams, request.params, 'params');
    const input = validate(calibrateInput, request.body ?? {}, 'body');
    const principal = requirePrincipal(response);
    const compute = async (task: CalibrationRequest) => JSON.parse(await runAnalysis(pool, response, { kind: 'calibrate', ...task })) as CalibrationResult;
    response.status(201).json(await calibrateProcedure(db, key, input, principal.actor, compute));
  });

  router.get('/calibrations/:id/nonconforming', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    response.json(await nonConformingPage(db, id, validate(pageQuery, request.query, 'query')));
  });

  return router;
}
