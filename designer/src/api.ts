/** The designer's calls to the product API, each through the one client (api-client.ts). */
import type { LintFinding } from '../../engine/rules/lint.ts';
import { ProblemError, apiFetch, apiJson, apiText, type Problem } from './api-client.ts';

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
}

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

/** A deployed definition (201 a new version, 200 the same model deployed before), or why the server refused it. */
export type DeployAnswer = { kind: 'deployed'; key: string; version: number; created: boolean } | { kind: 'problem'; problem: Problem };

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
  /** 400 and 422 list what is wrong with the model sent (answered, not thrown); any other refusal is thrown. */
  deployDefinition: async (xml: string, language: string): Promise<DeployAnswer> => {
    try {
      const response = await apiFetch('/api/definitions', { language, xml });
      const body = (await response.json()) as { key: string; version: number };
      return { kind: 'deployed', key: body.key, version: body.version, created: response.status === 201 };
    } catch (error) {
      if (error instanceof ProblemError && (error.status === 400 || error.status === 422)) return { kind: 'problem', problem: error.problem };
      throw error;
    }
  },
};
