import { Router } from 'express';
import { z } from 'zod';
import { testRecordSchema } from '../../engine/publication/service-test-run.ts';
import { requirePrincipal } from '../access/authorize.ts';
import type { Database } from '../db/connect.ts';
import { openProcedureOf } from '../dossiers/procedures.ts';
import { listPublications, publicationOf, recordTestRun, republish, syncPublications } from '../publications/service-publications.ts';
import { keyString } from './input-limits.ts';
import { pageQuery } from './pagination.ts';
import { validate } from './problem.ts';

const keyParams = z.object({ key: keyString });
const listQuery = pageQuery.extend({ status: z.enum(['testing', 'tested', 'stopped']).optional() });

/** Whether the procedure's model collects a fee online: a step of job type payment.online (docs/payments.md). */
async function takesOnlinePayment(db: Database, key: string): Promise<boolean> {
  const procedure = await openProcedureOf(db, key);
  return [...procedure.graph.nodes.values()].some((node) => node.qt.jobType === 'payment.online');
}

/**
 * `/api/service-publications/*` (issue 14; Circular 01/2023 Art. 20, docs/service-test-runs.md):
 * the online services published, their 05-working-day test runs, the test record, and a new
 * publication after a stop. Procedure-control staff (route-policies.ts).
 */
export function servicePublicationsRouter(db: Database): Router {
  const router = Router();

  router.get('/service-publications', async (request, response) => {
    // A procedure deployed since the last look gets its publication, dated by its deployment.
    await syncPublications(db);
    response.json(await listPublications(db, validate(listQuery, request.query, 'query')));
  });

  router.get('/service-publications/:key', async (request, response) => {
    const { key } = validate(keyParams, request.params, 'params');
    response.json(await publicationOf(db, key));
  });

  router.post('/service-publications/:key/test-run', async (request, response) => {
    const { key } = validate(keyParams, request.params, 'params');
    const record = validate(testRecordSchema, request.body ?? {}, 'body');
    response.json(await recordTestRun(db, key, record, requirePrincipal(response).actor, (procedureKey) => takesOnlinePayment(db, procedureKey)));
  });

  router.post('/service-publications/:key/republish', async (request, response) => {
    const { key } = validate(keyParams, request.params, 'params');
    response.status(201).json(await republish(db, await openProcedureOf(db, key), requirePrincipal(response).actor));
  });

  return router;
}
