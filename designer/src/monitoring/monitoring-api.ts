/** The monitoring screens' calls (docs/monitoring.md), through the one API client. */
import { apiJson, apiText } from '../api-client.ts';
import type { Language } from '../i18n.ts';

export interface Page<T> {
  items: T[];
  next: string | null;
  total?: number;
}

export interface SearchFilter {
  code?: string;
  businessKey?: string;
  applicant?: string;
  procedure?: string;
  agency?: string;
  status?: string;
  instanceStatus?: string;
  /** YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export interface SearchItem {
  instanceId: string;
  procedure: { key: string; version: number; name: string | null };
  businessKey: string | null;
  instanceStatus: string;
  activeElementIds: string[];
  /** The names of its open user tasks. */
  openSteps: string[];
  startedAt: string;
  endedAt: string | null;
  incidents: number;
  dossier: { id: string; code: string; status: string; applicantName: string; applicantId: string | null; agencyCode: string; submittedAt: string } | null;
}

export interface InstanceView {
  id: string;
  procedure: { key: string; version: number; name: string | null };
  businessKey: string | null;
  status: string;
  activeElementIds: string[];
  startedAt: string;
  endedAt: string | null;
  failure: unknown;
  entered: Record<string, number>;
  path: string[];
  incidents: Array<{ id: string; elementId: string; message: string; createdAt: string }>;
  dossier: { id: string; code: string; status: string; applicantName: string; agencyCode: string; procedureName: string; submittedAt: string } | null;
  /** Staff and administrators only. */
  variables?: Record<string, unknown>;
}

export interface HistoryStep {
  eventType: string;
  elementId: string | null;
  actor: string | null;
  at: string;
  statusAfter: string;
  activeAfter: string[];
  variablesChanged?: Record<string, unknown>;
  /** An operator's move or migration: why, and what changed (server/monitoring/interventions.ts). */
  intervention?:
    | { kind: 'move'; reason: string; from: string; to: string }
    | { kind: 'move'; reason: string; moves: Array<{ from: string; to: string }> }
    | { kind: 'migrate'; reason: string; from: { definitionId: string; version: number }; to: { definitionId: string; version: number } };
}

export interface MigrationPreview {
  running: number;
  migratable: number;
  /** By the elements without a counterpart, named as the version they run names them. */
  refused: Array<{ elementIds: string[]; names: string[]; instances: number }>;
}

export interface DefinitionVersion {
  id: string;
  key: string;
  version: number;
  name: string | null;
  deployedAt: string;
}

export interface StepHeat {
  elementId: string;
  dossiers: number;
  averageWaitHours: number;
  longestWaitHours: number;
  overdue: number;
}

export interface ProcedureHeat {
  procedure: { key: string; version: number; name: string | null };
  at: string;
  steps: StepHeat[];
}

const id = (value: string) => encodeURIComponent(value);

export const monitoringApi = {
  search: (language: Language, filter: SearchFilter, cursor: string | null) => {
    const query = new URLSearchParams({ limit: '50' });
    for (const [name, value] of Object.entries(filter)) if (typeof value === 'string' && value.trim()) query.set(name, value.trim());
    if (cursor) query.set('cursor', cursor);
    return apiJson<Page<SearchItem>>(`/api/monitoring/search?${query}`, { language });
  },
  instance: (language: Language, instanceId: string) => apiJson<InstanceView>(`/api/monitoring/instances/${id(instanceId)}`, { language }),
  history: (language: Language, instanceId: string, cursor: string | null) =>
    apiJson<Page<HistoryStep>>(`/api/monitoring/instances/${id(instanceId)}/history?${new URLSearchParams(cursor ? { limit: '100', cursor } : { limit: '100' })}`, { language }),
  cancel: (language: Language, instanceId: string, reason: string) => apiJson<{ status: string }>(`/api/monitoring/instances/${id(instanceId)}/cancel`, { language, method: 'POST', json: { reason } }),
  move: (language: Language, instanceId: string, body: { from: string; to: string; reason: string } | { moves: Array<{ from: string; to: string }>; reason: string }) => apiJson<{ activeElementIds: string[] }>(`/api/monitoring/instances/${id(instanceId)}/move`, { language, method: 'POST', json: body }),
  migrate: (language: Language, instanceId: string, body: { targetDefinitionId: string; reason: string }) => apiJson<{ version: number }>(`/api/monitoring/instances/${id(instanceId)}/migrate`, { language, method: 'POST', json: body }),
  /** The deployed versions of a process, newest first. */
  versions: (language: Language, key: string) => apiJson<Page<DefinitionVersion>>(`/api/definitions?${new URLSearchParams({ key, limit: '50' })}`, { language }),
  /** The existing incident retry of /api/incidents (server/http/jobs.ts). */
  retry: (language: Language, incidentId: string) => apiJson<{ status: string }>(`/api/incidents/${id(incidentId)}/retry`, { language, method: 'POST', json: {} }),
  /** What migrating a version's running instances would do (server/monitoring/interventions.ts, migrationPreview). */
  migrationPreview: (language: Language, key: string, fromVersion: number, targetDefinitionId: string) =>
    apiJson<MigrationPreview>(`/api/monitoring/procedures/${id(key)}/migration-preview?${new URLSearchParams({ fromVersion: String(fromVersion), targetDefinitionId })}`, { language }),
  /** One page (at most 100) of the bulk migration. */
  migrateVersion: (language: Language, key: string, body: { fromVersion: number; targetDefinitionId: string; reason: string; limit: number; after?: string }) =>
    apiJson<{ migrated: string[]; refused: Array<{ instanceId: string; code: string; elementIds: string[] }>; next: string | null }>(`/api/monitoring/procedures/${id(key)}/migrate`, { language, method: 'POST', json: body }),
  procedure: (language: Language, key: string) => apiJson<ProcedureHeat>(`/api/monitoring/procedures/${id(key)}`, { language }),
  definitionXml: (language: Language, key: string, version: number) => apiText(`/api/definitions/${id(key)}/${version}`, { language }),
};
