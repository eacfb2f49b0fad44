import { Router } from 'express';
import { z } from 'zod';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
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
const createBody = z.object({
  name: safeString(MAX_NAME_LENGTH).trim().min(1, 'a name is required'),
  stage: z.enum(['as-is', 'to-be']),
  ...versionFields,
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
    const { search, ...page } = validate(pageQuery.extend({ search: safeString(MAX_NAME_LENGTH).trim().min(1).optional() }), request.query, 'query');
    response.json(await store.list(search, page));
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
