/** The designer's calls to the product API, each through the one client (api-client.ts). */
import type { LintFinding } from '../../engine/rules/lint.ts';
import { apiJson, apiText } from './api-client.ts';

export { ProblemError, type Problem } from './api-client.ts';

export type { ElementFigures, ProcedureCost } from '../../engine/cost/procedure-cost.ts';
export type { LintFinding } from '../../engine/rules/lint.ts';

export interface Health {
  status: string;
  version: string;
  database: { status: 'up' | 'down'; embedded: boolean; serverVersion?: string };
}

export interface ModelSummary {
  id: string;
  name: string;
  stage: 'as-is' | 'to-be';
  latestVersion: number;
  updatedAt: string;
  /** The procedure: its as-is and to-be models share it (docs/models.md). */
  projectId: string;
  deletedAt: string | null;
}

/** One deployment of a saved model version (GET /api/models/:id/deployments, newest first): the server's own type. */
import type { DeployedModel, ModelDeployment } from '../../server/models/deployments.ts';

export type { ModelDeployment };

export interface StoredModel extends ModelSummary {
  version: number;
  xml: string;
}

/** One stored version as GET /api/models/:id/versions lists it (newest first). */
export interface VersionInfo {
  modelId: string;
  version: number;
  comment: string;
  author: string;
  createdAt: string;
}

/** What a save says about itself: both optional, stored with the version. */
export interface SaveNote {
  comment?: string;
  author?: string;
}

export interface CatalogueProcedure {
  id: string;
  name: { vi: string; en: string };
  procedureCode?: string;
  level?: string;
}

/** One page of a list (server/http/pagination.ts): `next` is the cursor of the page after, null on the last. */
export interface Page<Item> {
  items: Item[];
  next: string | null;
  total?: number;
}

/** Every item of a list, following `next` page after page (500 a page, the most the server gives). */
export async function listAll<Item>(path: string, language: string): Promise<Item[]> {
  const items: Item[] = [];
  let next: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '500', ...(next === null ? {} : { cursor: next }) });
    const page: Page<Item> = await apiJson<Page<Item>>(`${path}?${query.toString()}`, { language });
    items.push(...page.items);
    next = page.next;
  } while (next !== null);
  return items;
}

export const api = {
  health: (language: string) => apiJson<Health>('/api/health', { language }),
  listModels: (language: string) => listAll<ModelSummary>('/api/models', language),
  /** One page of models whose name contains `search` (diacritics aside), or of the bin's. */
  searchModels: (search: string, bin: boolean, language: string) =>
    apiJson<Page<ModelSummary>>(`/api/models?${new URLSearchParams({ limit: '100', ...(search.trim() ? { search: search.trim() } : {}), ...(bin ? { bin: 'true' } : {}) }).toString()}`, { language }),
  renameModel: (id: string, name: string, language: string) => apiJson<ModelSummary>(`/api/models/${id}`, { language, method: 'PATCH', json: { name } }),
  binModel: (id: string, language: string) => apiJson<ModelSummary>(`/api/models/${id}`, { language, method: 'DELETE' }),
  restoreModel: (id: string, language: string) => apiJson<ModelSummary>(`/api/models/${id}/restore`, { language, method: 'POST', json: {} }),
  duplicateModel: (id: string, input: { name: string; stage: 'as-is' | 'to-be'; author?: string }, language: string) =>
    apiJson<{ id: string; version: number }>(`/api/models/${id}/duplicates`, { language, json: input }),
  listDeployments: (id: string, language: string) => apiJson<Page<ModelDeployment>>(`/api/models/${id}/deployments?limit=20`, { language }),
  deployModel: (id: string, version: number, confirmRemovedSigning: boolean, language: string) =>
    apiJson<DeployedModel>(`/api/models/${id}/deployments`, { language, json: { version, confirmRemovedSigning } }),
  rollback: (id: string, deploymentId: string, confirmRemovedSigning: boolean, language: string) =>
    apiJson<DeployedModel>(`/api/models/${id}/deployments/${deploymentId}/rollback`, { language, json: { confirmRemovedSigning } }),
  getModel: (id: string, language: string) => apiJson<StoredModel>(`/api/models/${id}`, { language }),
  createModel: (input: { name: string; stage: string; xml: string } & SaveNote, language: string) =>
    apiJson<{ id: string; version: number }>('/api/models', { language, json: input }),
  catalogue: (language: string) => listAll<CatalogueProcedure>('/api/catalogue', language),
  catalogueModel: (id: string, model: 'as-is' | 'to-be', language: string) => apiText(`/api/catalogue/${encodeURIComponent(id)}/${model}.bpmn`, { language }),
  saveVersion: (id: string, input: { xml: string; baseVersion: number } & SaveNote, language: string) =>
    apiJson<{ id: string; version: number }>(`/api/models/${id}/versions`, { language, json: input }),
  listVersions: (id: string, language: string) => listAll<VersionInfo>(`/api/models/${id}/versions`, language),
  getVersion: (id: string, version: number, language: string) => apiJson<VersionInfo & { xml: string }>(`/api/models/${id}/versions/${version}`, { language }),
  lint: (model: string, language: string, signal?: AbortSignal) => apiJson<LintFinding[]>('/api/analysis/lint', { language, json: { model }, signal }),
};
