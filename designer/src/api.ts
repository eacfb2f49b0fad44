/** The designer's calls to the product API; a problem+json answer becomes an Error with its message. */
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

/** RFC 9457 problem details as the server sends them (server/http/problem.ts). */
export interface Problem {
  title: string;
  status: number;
  code: string;
  messages: { vi: string; en: string };
  errors: Array<{ field?: string; elementId?: string; message: string; messages?: { vi: string; en: string } }>;
}

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

/** A refusal of the server: its title as the message, the problem details (each error with its field or element) kept. */
export class ProblemError extends Error {
  constructor(readonly problem: Partial<Problem> & { title: string }) {
    super(problem.title);
  }
}

/** A JSON call; a refusal becomes a ProblemError with the server's title (in the language asked for). */
export async function call<T>(path: string, language: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { 'Accept-Language': language, ...(init?.body ? { 'Content-Type': 'application/json' } : {}) },
  });
  const body = (await response.json()) as T & Partial<Problem>;
  if (!response.ok) throw new ProblemError({ ...body, title: body.title ?? `HTTP ${response.status}` });
  return body;
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
    const page: Page<Item> = await call<Page<Item>>(`${path}?${query.toString()}`, language);
    items.push(...page.items);
    next = page.next;
  } while (next !== null);
  return items;
}

export const api = {
  health: (language: string) => call<Health>('/api/health', language),
  listModels: (language: string) => listAll<ModelSummary>('/api/models', language),
  getModel: (id: string, language: string) => call<StoredModel>(`/api/models/${id}`, language),
  createModel: (input: { name: string; stage: string; xml: string } & SaveNote, language: string) =>
    call<{ id: string; version: number }>('/api/models', language, { method: 'POST', body: JSON.stringify(input) }),
  catalogue: (language: string) => listAll<CatalogueProcedure>('/api/catalogue', language),
  catalogueModel: async (id: string, model: 'as-is' | 'to-be'): Promise<string> => {
    const response = await fetch(`/api/catalogue/${encodeURIComponent(id)}/${model}.bpmn`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  },
  saveVersion: (id: string, input: { xml: string; baseVersion: number } & SaveNote, language: string) =>
    call<{ id: string; version: number }>(`/api/models/${id}/versions`, language, { method: 'POST', body: JSON.stringify(input) }),
  listVersions: (id: string, language: string) => listAll<VersionInfo>(`/api/models/${id}/versions`, language),
  getVersion: (id: string, version: number, language: string) => call<VersionInfo & { xml: string }>(`/api/models/${id}/versions/${version}`, language),
  lint: (model: string, language: string, signal?: AbortSignal) =>
    call<LintFinding[]>('/api/analysis/lint', language, { method: 'POST', body: JSON.stringify({ model }), signal }),
  deployDefinition: async (xml: string, language: string): Promise<DeployAnswer> => {
    const response = await fetch('/api/definitions', { method: 'POST', headers: { 'Accept-Language': language, 'Content-Type': 'application/xml' }, body: xml });
    const answer = await answerOrProblem<{ key: string; version: number }>(response);
    return answer.ok ? { kind: 'deployed', key: answer.body.key, version: answer.body.version, created: response.status === 201 } : { kind: 'problem', problem: answer.problem };
  },
};
