/**
 * The workspace's calls (docs/dossiers.md, API), all through the one API client: the officials'
 * inbox of tasks, the dossier view, and the receipt, decision and annulment actions.
 */
import type { ComponentSignature } from '../signatures/ComponentSignatureNote.tsx';
import { apiJson, apiText } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import type { DossierPayments } from '../dossier-payments.ts';
import type { DossierResult } from '../dossier-result.ts';

export type { DossierResult };

export interface Page<T> {
  items: T[];
  next: string | null;
  total: number;
}

/** Who holds a task; the server names an account by its username and display name. */
export type Assignee = { id?: string; username?: string; displayName?: string } | string | null;

export interface TaskSummary {
  id: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  candidateGroup: string | null;
  dueAt: string | null;
  overdue?: boolean;
  assignee?: Assignee;
  /** `receipt` on the receipt check of Decree 45 Art. 11.2–11.4 (`qt:dossierStep`). */
  dossierStep?: string | null;
  dossier?: { id: string; code: string | null; applicantName: string | null; procedureName: string | null } | null;
}

export interface FormSchema {
  code?: string;
  version?: number;
  schema: Record<string, unknown>;
}

export interface TaskDetail extends TaskSummary {
  /** The step's decision form (form-js). */
  form?: FormSchema | null;
  dossierId?: string | null;
  variables?: Record<string, unknown>;
}


export interface Dossier {
  id: string;
  code: string | null;
  status: string;
  statusText: { vi: string; en: string };
  procedure: { key: string; code: string; name: string };
  agency: { code: string; name: string } | null;
  applicant: { name: string; idNumber: string | null };
  formCode: string | null;
  formVersion: number | null;
  data: Record<string, unknown>;
  components: Array<{ id: string; name: string; fileName: string; mediaType: string; size: number; signature: ComponentSignature | null }>;
  submittedAt: string | null;
  receiptDueAt: string | null;
  receiptOverdue: boolean;
  amendment: { requestedAt: string; items: string[]; note: string | null; answeredAt: string | null } | null;
  refusal: { at: string; reasons: string[] } | null;
  results: DossierResult[];
  payments: DossierPayments;
  history: Array<{ at: string; kind: string; text: { vi: string; en: string } }>;
  tasks: Array<{ id: string; elementId: string; name: string | null; dueAt: string | null; applicant?: boolean }>;
  instanceId: string;
}

/** A row of GET /api/dossiers: found by code or applicant when no task of the official's leads to it. */
export interface DossierSummary {
  id: string;
  code: string | null;
  statusText: { vi: string; en: string };
  procedure: { name: string };
  applicant: { name: string };
}

export interface InstanceState {
  definitionKey: string;
  version: number;
  activeElementIds: string[];
}

export interface TaskFilter {
  q: string;
  mine: boolean;
  cursor?: string | null;
}

const post = <T>(path: string, language: Language, json: unknown = {}) => apiJson<T>(path, { language, method: 'POST', json });
const id = (value: string) => encodeURIComponent(value);

export const workspaceApi = {
  tasks: (language: Language, filter: TaskFilter) => {
    const query = new URLSearchParams({ limit: '50' });
    if (filter.q.trim()) query.set('q', filter.q.trim());
    if (filter.mine) query.set('mine', 'true');
    if (filter.cursor) query.set('cursor', filter.cursor);
    return apiJson<Page<TaskSummary>>(`/api/tasks?${query}`, { language });
  },
  /**
   * The step kind of the dossier tasks on a page (the inbox offers receipt checks for bulk receipt),
   * read from each task when the list does not carry it.
   */
  withSteps: (language: Language, tasks: TaskSummary[]) =>
    Promise.all(tasks.map(async (task) => (task.dossier && !('dossierStep' in task) ? { ...task, dossierStep: (await workspaceApi.task(language, task.id).catch(() => undefined))?.dossierStep ?? null } : task))),
  task: (language: Language, taskId: string) => apiJson<TaskDetail>(`/api/tasks/${id(taskId)}`, { language }),
  claim: (language: Language, taskId: string) => post(`/api/tasks/${id(taskId)}/claim`, language),
  unclaim: (language: Language, taskId: string) => post(`/api/tasks/${id(taskId)}/unclaim`, language),
  assign: (language: Language, taskId: string, username: string) => post(`/api/tasks/${id(taskId)}/assign`, language, { username }),
  complete: (language: Language, taskId: string, variables: Record<string, unknown>) => post(`/api/tasks/${id(taskId)}/complete`, language, { variables }),
  /** Dossiers of the official's agencies by code or applicant, newest first (an approver annuls a result from here). */
  dossiers: (language: Language, q: string) => apiJson<Page<DossierSummary>>(`/api/dossiers?${new URLSearchParams({ q, limit: '20' })}`, { language }),
  dossier: (language: Language, dossierId: string) => apiJson<Dossier>(`/api/dossiers/${id(dossierId)}`, { language }),
  /** Decree 45 Art. 11.2: the receipt check passed. */
  receive: (language: Language, dossierId: string) => post(`/api/dossiers/${id(dossierId)}/receive`, language),
  /** Decree 45 Art. 11.3: everything to supplement, in one request, once. */
  requestAmendment: (language: Language, dossierId: string, items: string[], note: string) => post(`/api/dossiers/${id(dossierId)}/request-amendment`, language, note ? { items, note } : { items }),
  /** Decree 45 Art. 11.3: refusal with its reasons. */
  refuse: (language: Language, dossierId: string, reasons: string[]) => post(`/api/dossiers/${id(dossierId)}/refuse`, language, { reasons }),
  /** Decree 45 Art. 15: an issued result annulled, with the reason. */
  annul: (language: Language, resultCode: string, reason: string) => post(`/api/results/${id(resultCode)}/annul`, language, { reason }),
  /** A form's latest version (form-js schema), by its code (Circular 01 Art. 22.3.b). */
  form: (language: Language, code: string) => apiJson<FormSchema>(`/api/forms/${id(code)}`, { language }),
  instance: (language: Language, instanceId: string) => apiJson<InstanceState>(`/api/instances/${id(instanceId)}`, { language }),
  /** The deployed definition's BPMN XML, the version the dossier runs on. */
  definitionXml: (language: Language, key: string, version: number) => apiText(`/api/definitions/${id(key)}/${version}`, { language }),
};

export const componentUrl = (dossierId: string, componentId: string) => `/api/dossiers/${id(dossierId)}/components/${id(componentId)}`;
export const resultPdfUrl = (code: string) => `/api/results/${id(code)}.pdf`;

/** The name of whoever holds a task, and whether it is the signed-in account. */
export function assigneeOf(assignee: Assignee | undefined, account: { id: string; actor: string }): { name: string; me: boolean } | undefined {
  if (!assignee) return undefined;
  if (typeof assignee === 'string') return { name: assignee, me: assignee === account.id || assignee === account.actor || account.actor.endsWith(`:${assignee}`) };
  const name = assignee.displayName ?? assignee.username ?? assignee.id ?? '';
  const me = assignee.id === account.id || (assignee.username !== undefined && (account.actor === assignee.username || account.actor.endsWith(`:${assignee.username}`)));
  return { name, me };
}
