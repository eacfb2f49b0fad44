import { Router } from 'express';
import { z } from 'zod';
import { requirePrincipal } from '../access/authorize.ts';
import type { Database } from '../db/connect.ts';
import { modelDeployments } from '../models/deployments.ts';
import { modelStore } from '../models/store.ts';
import { pageQuery } from './pagination.ts';
import { validate } from './problem.ts';

const idParams = z.object({ id: z.uuid('not a model id (UUID)') });
const deploymentParams = idParams.extend({ deploymentId: z.uuid('not a deployment id (UUID)') });
const confirm = { confirmRemovedSigning: z.boolean().optional() };
const deployBody = z.object({ version: z.number().int().positive('a saved version: 1, 2, ...'), ...confirm });
const rollbackBody = z.object(confirm);

/**
 * `/api/models/:id/deployments`: a saved version of a to-be model deployed as its process's next
 * version, the list of them with who and when, and a rollback (an earlier one deployed again,
 * recorded as a new deployment naming the one it restores). docs/models.md "Deployment".
 */
export function modelDeploymentsRouter(db: Database): Router {
  const router = Router();
  const deployments = modelDeployments(db, modelStore(db));

  router.get('/models/:id/deployments', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    response.json(await deployments.list(id, validate(pageQuery, request.query, 'query')));
  });

  router.post('/models/:id/deployments', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const body = validate(deployBody, request.body, 'body');
    const deployed = await deployments.deploy(id, { ...body, actor: requirePrincipal(response).actor });
    response.status(201).location(`/api/models/${id}/deployments/${deployed.id}`).json(deployed);
  });

  router.post('/models/:id/deployments/:deploymentId/rollback', async (request, response) => {
    const { id, deploymentId } = validate(deploymentParams, request.params, 'params');
    const body = validate(rollbackBody, request.body ?? {}, 'body');
    const target = await deployments.one(id, deploymentId);
    const deployed = await deployments.deploy(id, { version: target.modelVersion, confirmRemovedSigning: body.confirmRemovedSigning, restores: target.id, actor: requirePrincipal(response).actor });
    response.status(201).location(`/api/models/${id}/deployments/${deployed.id}`).json(deployed);
  });

  return router;
}
