import { Router } from 'express';
import { z } from 'zod';
import { requirePrincipal } from '../access/authorize.ts';
import type { Database } from '../db/connect.ts';
import { monitoringScope } from '../monitoring/access.ts';
import { cancelBody, cancelInstance, instanceHistory, instanceView } from '../monitoring/instance-view.ts';
import { bulkMigrateBody, migrateBody, migrateInstance, migrateVersion, migrationPreview, migrationPreviewQuery, moveBody, moveInstanceToken } from '../monitoring/interventions.ts';
import { procedureHeat } from '../monitoring/procedure-view.ts';
import { searchPage, searchQuery } from '../monitoring/search.ts';
import { keyString } from './input-limits.ts';
import { pageQuery } from './pagination.ts';
import { validate } from './problem.ts';

const idParams = z.object({ id: z.uuid('not an instance id (UUID)') });
const keyParams = z.object({ key: keyString });

/**
 * `/api/monitoring/*` (issue 14, docs/monitoring.md): find any dossier or instance, see one on its
 * diagram, cancel it, move its token, migrate it to a newer version; a procedure's heat map. Who may see what: monitoring/access.ts. An
 * incident is retried through `/api/incidents/{id}/retry` (jobs.ts).
 */
export function monitoringRouter(db: Database): Router {
  const router = Router();

  router.get('/monitoring/search', async (request, response) => {
    const scope = monitoringScope(requirePrincipal(response));
    response.json(await searchPage(db, scope, validate(searchQuery, request.query, 'query')));
  });

  router.get('/monitoring/instances/:id', async (request, response) => {
    const scope = monitoringScope(requirePrincipal(response));
    const { id } = validate(idParams, request.params, 'params');
    response.json(await instanceView(db, scope, id));
  });

  router.get('/monitoring/instances/:id/history', async (request, response) => {
    const scope = monitoringScope(requirePrincipal(response));
    const { id } = validate(idParams, request.params, 'params');
    response.json(await instanceHistory(db, scope, id, validate(pageQuery, request.query, 'query')));
  });

  router.post('/monitoring/instances/:id/cancel', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const { reason } = validate(cancelBody, request.body ?? {}, 'body');
    response.json(await cancelInstance(db, requirePrincipal(response), id, reason));
  });

  router.post('/monitoring/instances/:id/move', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const move = validate(moveBody, request.body ?? {}, 'body');
    response.json(await moveInstanceToken(db, requirePrincipal(response), id, move));
  });

  router.post('/monitoring/instances/:id/migrate', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const migration = validate(migrateBody, request.body ?? {}, 'body');
    response.json(await migrateInstance(db, requirePrincipal(response), id, migration));
  });

  router.post('/monitoring/procedures/:key/migrate', async (request, response) => {
    const { key } = validate(keyParams, request.params, 'params');
    const migration = validate(bulkMigrateBody, request.body ?? {}, 'body');
    response.json(await migrateVersion(db, requirePrincipal(response), key, migration));
  });

  router.get('/monitoring/procedures/:key/migration-preview', async (request, response) => {
    const { key } = validate(keyParams, request.params, 'params');
    const query = validate(migrationPreviewQuery, request.query, 'query');
    response.json(await migrationPreview(db, key, query));
  });

  router.get('/monitoring/procedures/:key', async (request, response) => {
    const scope = monitoringScope(requirePrincipal(response));
    const { key } = validate(keyParams, request.params, 'params');
    response.json(await procedureHeat(db, scope, key));
  });

  return router;
}
