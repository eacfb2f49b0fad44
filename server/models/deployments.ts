import { QuyTrinhError } from '../../engine/errors.ts';
import { removedSigningSteps, type SigningStep } from '../../engine/bpmn/signing-steps.ts';
import type { Database } from '../db/connect.ts';
import { deployDefinition, type DeployedDefinition } from '../execution/definitions.ts';
import { pageOf, type Keyset, type Page, type PageRequest } from '../http/pagination.ts';
import type { ModelStore } from './store.ts';

/** One deployment of a saved model version: which, as which process version, by whom, when. */
export interface ModelDeployment {
  id: string;
  modelId: string;
  modelVersion: number;
  definitionKey: string;
  definitionVersion: number;
  deployedBy: string;
  deployedAt: string;
  /** A rollback: the earlier deployment it deployed again, and that deployment's model version. */
  restores: { id: string; modelVersion: number } | null;
  /** The signing steps the deployment removed, deployed once the deployer confirmed it. */
  removedSigningSteps: SigningStep[];
}

interface DeploymentRow {
  id: string;
  model_id: string;
  model_version: number;
  definition_key: string;
  definition_version: number;
  deployed_by: string;
  deployed_at: Date;
  restores_id: string | null;
  restores_version: number | null;
  removed_signing_steps: SigningStep[];
}

// Newest first; index: migration 0037's model_deployments_list.
const newestFirst: Keyset = {
  name: 'model-deployments',
  keys: [
    { sql: 'd.deployed_at', kind: 'timestamp', descending: true },
    { sql: 'd.id', kind: 'uuid', descending: true },
  ],
};

const toDeployment = (row: DeploymentRow): ModelDeployment => ({
  id: row.id,
  modelId: row.model_id,
  modelVersion: row.model_version,
  definitionKey: row.definition_key,
  definitionVersion: row.definition_version,
  deployedBy: row.deployed_by,
  deployedAt: row.deployed_at.toISOString(),
  restores: row.restores_id === null ? null : { id: row.restores_id, modelVersion: row.restores_version! },
  removedSigningSteps: row.removed_signing_steps,
});

/** What deploying a model answers: the deployment recorded, whether it stored a new version, the checks' warnings, and every definition when the model has several executable processes. */
export type DeployedModel = ModelDeployment & { created: boolean; warnings: unknown[]; definitions?: DeployedDefinition[] };

export interface DeployRequest {
  version: number;
  actor: string;
  /** The deployer saw the signing steps this deployment removes and deploys anyway. */
  confirmRemovedSigning?: boolean | undefined;
  /** A rollback: the deployment deployed again. */
  restores?: string | undefined;
}

/**
 * Deployments of saved models (docs/models.md "Deployment"): only a version stored in the model's
 * history is deployed, so what runs can always be opened, compared and deployed again.
 */
export function modelDeployments(db: Database, models: ModelStore) {
  const rows = () =>
    db('model_deployments as d')
      .leftJoin('model_deployments as r', 'r.id', 'd.restores_id')
      .select('d.*', 'r.model_version as restores_version');

  const one = async (modelId: string, id: string): Promise<ModelDeployment> => {
    const row = (await rows().where({ 'd.id': id, 'd.model_id': modelId }).first()) as DeploymentRow | undefined;
    if (!row) {
      throw new QuyTrinhError('not-found', 'deployment.not-found', { vi: `Không có lần triển khai ${id} của mô hình này`, en: `No deployment ${id} of this model` });
    }
    return toDeployment(row);
  };

  const latest = async (modelId: string): Promise<ModelDeployment | undefined> => {
    const row = (await rows().where({ 'd.model_id': modelId }).orderBy([{ column: 'd.deployed_at', order: 'desc' }, { column: 'd.id', order: 'desc' }]).first()) as DeploymentRow | undefined;
    return row && toDeployment(row);
  };

  return {
    list: async (modelId: string, page: PageRequest): Promise<Page<ModelDeployment>> => {
      await models.get(modelId);
      return pageOf(db, rows().where({ 'd.model_id': modelId }), newestFirst, page, toDeployment);
    },

    one,
    latest,

    /**
     * Deploys a saved version of a to-be model as the next version of its process and records it.
     * A signing step the last deployed version had and this one lacks refuses the deployment (409,
     * each step named) until `confirmRemovedSigning`.
     */
    async deploy(modelId: string, request: DeployRequest): Promise<DeployedModel> {
      const model = await models.live(modelId);
      // Circular 01 Art. 16: the as-is model describes the procedure as it is run today, for analysis; only a to-be model runs.
      if (model.stage !== 'to-be') {
        throw new QuyTrinhError('invalid-model', 'deployment.as-is', {
          vi: 'Chỉ mô hình tái cấu trúc được triển khai; mô hình hiện trạng dùng để phân tích (Điều 16 Thông tư 01/2023)',
          en: 'Only a to-be model is deployed; the as-is model is for analysis (Circular 01/2023 Art. 16)',
        }, [{ field: 'params.id', message: 'an as-is model' }]);
      }
      const { xml } = await models.version(modelId, request.version);
      const previous = await latest(modelId);
      const removed = previous ? await removedSigningSteps((await models.version(modelId, previous.modelVersion)).xml, xml) : [];
      if (removed.length > 0 && request.confirmRemovedSigning !== true) {
        const names = removed.map((step) => `“${step.name || step.id}”`).join(', ');
        throw new QuyTrinhError('conflict', 'deployment.signing-step-removed', {
          vi: `Phiên bản ${request.version} bỏ bước ký so với phiên bản ${previous!.modelVersion} đang chạy: ${names}. Xác nhận nếu đúng là muốn bỏ (Điều 14.3.b Nghị định 45/2020)`,
          en: `Version ${request.version} removes a signing step the running version ${previous!.modelVersion} has: ${names}. Confirm if it is meant (Decree 45/2020 Art. 14.3.b)`,
        }, removed.map((step) => ({ field: 'body.confirmRemovedSigning', message: `removes ${step.type} ${step.id}`, elementId: step.id })));
      }
      const deployed = await deployDefinition(db, xml);
      const [row] = await db('model_deployments')
        .insert({
          model_id: modelId,
          model_version: request.version,
          definition_id: deployed.id,
          definition_key: deployed.key,
          definition_version: deployed.version,
          deployed_by: request.actor,
          restores_id: request.restores ?? null,
          removed_signing_steps: JSON.stringify(removed),
        })
        .returning<Array<{ id: string }>>('id');
      // A model of several executable processes deploys each (deployDefinition); the deployment records its first, as the definitions answer does, and lists them all.
      const several = deployed.definitions.length > 1 ? { definitions: deployed.definitions } : {};
      return { ...(await one(modelId, row!.id)), created: deployed.definitions.some((definition) => definition.created), warnings: deployed.warnings, ...several };
    },
  };
}

export type ModelDeploymentStore = ReturnType<typeof modelDeployments>;
