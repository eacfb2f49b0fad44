import { Router } from 'express';
import { z } from 'zod';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import { requirePrincipal } from '../access/authorize.ts';
import type { ModelStore } from '../models/store.ts';
import { pageQuery } from './pagination.ts';
import { keyString, MAX_NAME_LENGTH, MAX_SAVED_MODEL_CHARACTERS, MAX_COMMENT_LENGTH, safeString } from './input-limits.ts';
import { validate } from './problem.ts';

const xml = safeString(MAX_SAVED_MODEL_CHARACTERS).min(1, 'BPMN XML is required');
const versionFields = {
  xml,
  comment: safeString(MAX_COMMENT_LENGTH).optional(),
  author: keyString.optional(),
};
const name = safeString(MAX_NAME_LENGTH).trim().min(1, 'a name is required');
const stage = z.enum(['as-is', 'to-be']);
const createBody = z.object({
  name,
  stage,
  ...versionFields,
  /** Another model of the procedure: the new one joins it (its as-is or to-be, Circular 01 Art. 16–17). */
  projectOf: z.uuid('not a model id (UUID)').optional(),
});
const renameBody = z.object({ name });
const duplicateBody = z.object({ name, stage: stage.optional(), author: keyString.optional() });
const listQuery = pageQuery.extend({
  search: safeString(MAX_NAME_LENGTH).trim().min(1).optional(),
  bin: z.enum(['true', 'false']).optional(),
  projectId: z.uuid('not a procedure id (UUID)').optional(),
});
const versionBody = z.object({ ...versionFields, baseVersion: z.number().int().positive().optional() });
const idParams = z.object({ id: z.uuid('not a model id (UUID)') });
const versionParams = idParams.extend({ version: z.coerce.number().int().positive() });

/**
 * `/api/models`: procedure models as the designer saves them. The XML is parsed before anything
 * is stored, so a save that is not BPMN is refused with 422 and leaves the stored model as it was.
 */
export function modelsRouter(store: ModelStore): Router {
  const router = Router();

  router.get('/models', async (request, response) => {
    const { search, bin, projectId, ...page } = validate(listQuery, request.query, 'query');
    response.json(await store.list(search, page, { bin: bin === 'true', projectId }));
  });

  router.post('/models', async (request, response) => {
    const body = validate(createBody, request.body, 'body');
    const { warnings } = await parseBpmn(body.xml);
    const created = await store.create(body);
    response.status(201).location(`/api/models/${created.id}`).json({ ...created, warnings });
  });

  router.get('/models/:id', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const model = await store.get(id);
    const latest = await store.version(id, model.latestVersion);
    response.json({ ...model, version: latest.version, xml: latest.xml, comment: latest.comment, author: latest.author });
  });

  router.patch('/models/:id', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    response.json(await store.rename(id, validate(renameBody, request.body, 'body').name));
  });

  // To the bin, not gone: the versions and deployments stay, and POST …/restore brings it back.
  router.delete('/models/:id', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    response.json(await store.moveToBin(id, requirePrincipal(response).actor));
  });

  router.post('/models/:id/restore', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    response.json(await store.restoreFromBin(id));
  });

  router.post('/models/:id/duplicates', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const body = validate(duplicateBody, request.body ?? {}, 'body');
    const source = await store.live(id);
    const created = await store.duplicate(id, { name: body.name, stage: body.stage ?? source.stage, author: body.author });
    response.status(201).location(`/api/models/${created.id}`).json(created);
  });

  router.get('/models/:id/versions', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    response.json(await store.versions(id, validate(pageQuery, request.query, 'query')));
  });

  router.post('/models/:id/versions', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const body = validate(versionBody, request.body, 'body');
    const { warnings } = await parseBpmn(body.xml);
    const saved = await store.addVersion(id, body);
    response.status(201).location(`/api/models/${id}/versions/${saved.version}`).json({ ...saved, warnings });
  });

  router.get('/models/:id/versions/:version', async (request, response) => {
    const { id, version } = validate(versionParams, request.params, 'params');
    response.json(await store.version(id, version));
  });

  return router;
}
