/** The accountant's calls (docs/payments.md "The accountant's screen and API"), through the one API client. */
import { apiJson } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import type { Mark, TransactionStatus } from './messages.ts';

export interface Page<T> {
  items: T[];
  next: string | null;
  total?: number;
}

export interface Transaction {
  id: string;
  code: string;
  dossierId: string | null;
  revenueIdentifier: string;
  amountVnd: number;
  serviceFeeVnd: number | null;
  payerName: string;
  status: TransactionStatus;
  settlementStatus: string;
  createdAt: string;
  review: { flaggedAt: string; through: string } | null;
  marks: Record<Mark, { at: string; by: string } | null>;
}

export interface TransactionDetail extends Transaction {
  content: string;
  callbacks: Array<{ id: string; eventId: string; report: { status: string }; verdict: string; receivedAt: string }>;
}

export type MismatchKind = 'not-ours' | 'not-in-statement' | 'amount-differs' | 'status-differs';

export interface ReconciliationRun {
  id: string;
  provider: string;
  day: string;
  source: 'provider' | 'file';
  statementEntries: number;
  ourTransactions: number;
  matched: number;
  mismatchCount: number;
  processingFlagged: number;
  ranAt: string;
  ranBy: string;
  mismatches: Array<{ kind: MismatchKind; transactionCode: string; ours: { amountVnd: number; status: TransactionStatus } | null; statement: { amountVnd: number; status: 'paid' | 'failed' } | null }>;
}

export interface CollectionSettings {
  agencyCode: string;
  agencyName: string;
  accountNumber: string;
  accountName: string;
  citadCode: string;
  bankName: string;
  issuesOwnTransactionCodes: boolean;
  feeCodes: Array<{ procedureCode: string; feeCode: string; name?: string }>;
}

export interface TransactionFilter {
  status: TransactionStatus | '';
  day: string;
  code: string;
  flagged: boolean;
}

const base = (agency: string) => `/api/payments/agencies/${encodeURIComponent(agency)}`;

export const accountingApi = {
  agencies: (language: Language) => apiJson<{ items: Array<{ code: string; name: string }> }>('/api/agencies', { language }),
  transactions(language: Language, agency: string, filter: TransactionFilter, cursor: string | null) {
    const query = new URLSearchParams({ limit: '20' });
    if (filter.status) query.set('status', filter.status);
    if (filter.day) query.set('day', filter.day);
    if (filter.code.trim()) query.set('code', filter.code.trim());
    if (filter.flagged) query.set('flagged', 'true');
    if (cursor) query.set('cursor', cursor);
    return apiJson<Page<Transaction>>(`${base(agency)}/transactions?${query.toString()}`, { language });
  },
  transaction: (language: Language, agency: string, id: string) => apiJson<TransactionDetail>(`${base(agency)}/transactions/${id}`, { language }),
  mark: (language: Language, agency: string, id: string, mark: Mark) => apiJson<TransactionDetail>(`${base(agency)}/transactions/${id}/marks`, { language, method: 'POST', json: { mark } }),
  reconciliation: (language: Language, agency: string, day: string) => apiJson<{ day: string; runs: ReconciliationRun[] }>(`${base(agency)}/reconciliations/${day}`, { language }),
  reconcile: (language: Language, agency: string, day: string, statement?: { name: string; contents: string }) =>
    apiJson<{ day: string; runs: ReconciliationRun[] }>(`${base(agency)}/reconciliations`, { language, method: 'POST', json: { day, ...(statement ? { statement } : {}) } }),
  settings: (language: Language, agency: string) => apiJson<CollectionSettings>(`${base(agency)}/collection-settings`, { language }),
  saveSettings: (language: Language, agency: string, settings: CollectionSettings) => apiJson<CollectionSettings>(`${base(agency)}/collection-settings`, { language, method: 'PUT', json: settings }),
};
