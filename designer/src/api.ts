/** The designer's calls to the product API; a problem+json answer becomes an Error with its message. */
import type { ProcedureCost } from '../../engine/cost/procedure-cost.ts';
import type { LintFinding } from '../../engine/rules/lint.ts';

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

/** RFC 9457 problem details as the server sends them (server/http/problem.ts). */
export interface Problem {
  title: string;
  status: number;
  code: string;
  messages: { vi: string; en: string };
  errors: Array<{ field?: string; elementId?: string; message: string; messages?: { vi: string; en: string } }>;
}

/** One model's cost, or the problems that keep it from being computed (HTTP 422). */
export type CostAnswer = { kind: 'cost'; cost: ProcedureCost } | { kind: 'problem'; problem: Problem };

/** A deployed definition (201 a new version, 200 the same model deployed before), or why the server refused it. */
export type DeployAnswer = { kind: 'deployed'; key: string; version: number; created: boolean } | { kind: 'problem'; problem: Problem };

export interface CatalogueProcedure {
  id: string;
  name: { vi: string; en: string };
  procedureCode?: string;
  level?: string;
}

/** 400 and 422 list what is wrong with the model sent; any other failure is the server's. */
async function answerOrProblem<T>(response: Response): Promise<{ ok: true; body: T } | { ok: false; problem: Problem }> {
  const body = (await response.json()) as T | Problem;
  if (response.ok) return { ok: true, body: body as T };
  const problem = body as Problem;
  if (response.status === 400 || response.status === 422) return { ok: false, problem: { ...problem, errors: problem.errors ?? [] } };
  throw new Error(problem.title ?? `HTTP ${response.status}`);
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
  analyseProcedure: async (model: string, language: string, signal?: AbortSignal): Promise<CostAnswer> => {
    const response = await fetch('/api/analysis/procedure', {
      method: 'POST',
      headers: { 'Accept-Language': language, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model }),
      signal,
    });
    const answer = await answerOrProblem<ProcedureCost>(response);
    return answer.ok ? { kind: 'cost', cost: answer.body } : { kind: 'problem', problem: answer.problem };
  },
  catalogue: (language: string) => call<CatalogueProcedure[]>('/api/catalogue', language),
  catalogueModel: async (id: string, model: 'as-is' | 'to-be'): Promise<string> => {
    const response = await fetch(`/api/catalogue/${encodeURIComponent(id)}/${model}.bpmn`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  },
  saveVersion: (id: string, input: { xml: string; baseVersion: number }, language: string) =>
    call<{ id: string; version: number }>(`/api/models/${id}/versions`, language, { method: 'POST', body: JSON.stringify(input) }),
  lint: (model: string, language: string, signal?: AbortSignal) =>
    call<LintFinding[]>('/api/analysis/lint', language, { method: 'POST', body: JSON.stringify({ model }), signal }),
  deployDefinition: async (xml: string, language: string): Promise<DeployAnswer> => {
    const response = await fetch('/api/definitions', { method: 'POST', headers: { 'Accept-Language': language, 'Content-Type': 'application/xml' }, body: xml });
    const answer = await answerOrProblem<{ key: string; version: number }>(response);
    return answer.ok ? { kind: 'deployed', key: answer.body.key, version: answer.body.version, created: response.status === 201 } : { kind: 'problem', problem: answer.problem };
  },
};
