/** The test-run screen's calls (server/http/service-publications.ts), through the one API client. */
import type { PublicationStatus, TestRecord } from '../../../engine/publication/service-test-run.ts';
import type { Publication, TestEvidence as Evidence } from '../../../server/publications/service-publications.ts';
import { apiJson } from '../api-client.ts';
import type { Language } from '../i18n.ts';

export type { Evidence, Publication };

const base = (key: string) => `/api/service-publications/${encodeURIComponent(key)}`;

export const publicationsApi = {
  list(language: Language, status: PublicationStatus | '', cursor: string | null) {
    const query = new URLSearchParams({ limit: '25' });
    if (status) query.set('status', status);
    if (cursor) query.set('cursor', cursor);
    return apiJson<{ items: Publication[]; next: string | null; total?: number }>(`/api/service-publications?${query.toString()}`, { language });
  },
  one: (language: Language, key: string) => apiJson<Publication & { evidence: Evidence | null }>(base(key), { language }),
  record: (language: Language, key: string, record: TestRecord) => apiJson<Publication & { evidence: Evidence }>(`${base(key)}/test-run`, { language, method: 'POST', json: record }),
  republish: (language: Language, key: string) => apiJson<Publication>(`${base(key)}/republish`, { language, method: 'POST' }),
};
