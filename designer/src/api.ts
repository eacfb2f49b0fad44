/** The designer's calls to the product API; a problem+json answer becomes an Error with its message. */
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
  saveVersion: (id: string, input: { xml: string; baseVersion: number }, language: string) =>
    call<{ id: string; version: number }>(`/api/models/${id}/versions`, language, { method: 'POST', body: JSON.stringify(input) }),
};
