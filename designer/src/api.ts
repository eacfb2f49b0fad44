/** The designer's calls to the product API; a problem+json answer becomes an Error with its message. */
export type { ElementFigures, ProcedureCost } from '../../engine/cost/procedure-cost.ts';

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

/** RFC 9457 problem details as the server sends them (server/http/problem.ts). */
export interface Problem {
  title: string;
  status: number;
  code: string;
  messages: { vi: string; en: string };
  errors: Array<{ field?: string; elementId?: string; message: string; messages?: { vi: string; en: string } }>;
}

export interface CatalogueProcedure {
  id: string;
  name: { vi: string; en: string };
  procedureCode?: string;
  level?: string;
}

async function call<T>(path: string, language: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { 'Accept-Language': language, ...(init?.body ? { 'Content-Type': 'application/json' } : {}) },
  });
  const body = (await response.json()) as T & { title?: string };
  if (!response.ok) throw new Error(body.title ?? `HTTP ${response.status}`);
  return body;
}

export const api = {
  health: (language: string) => call<Health>('/api/health', language),
  listModels: (language: string) => call<ModelSummary[]>('/api/models', language),
  getModel: (id: string, language: string) => call<StoredModel>(`/api/models/${id}`, language),
  createModel: (input: { name: string; stage: string; xml: string }, language: string) =>
    call<{ id: string; version: number }>('/api/models', language, { method: 'POST', body: JSON.stringify(input) }),
  catalogue: (language: string) => call<CatalogueProcedure[]>('/api/catalogue', language),
  catalogueModel: async (id: string, model: 'as-is' | 'to-be'): Promise<string> => {
    const response = await fetch(`/api/catalogue/${encodeURIComponent(id)}/${model}.bpmn`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  },
  saveVersion: (id: string, input: { xml: string; baseVersion: number }, language: string) =>
    call<{ id: string; version: number }>(`/api/models/${id}/versions`, language, { method: 'POST', body: JSON.stringify(input) }),
};
