/**
 * The dossier API as the portal calls it (docs/dossiers.md, "API"), through the one API client
 * (CSRF, problem+json). The shapes are the contract's; fields the contract leaves open are optional.
 */
import type { ComponentSignature } from '../signatures/ComponentSignatureNote.tsx';
import { apiJson } from '../api-client.ts';
import type { DossierRating } from './RatingSection.tsx';
import type { Language } from '../i18n.ts';
import type { DossierPayments } from '../dossier-payments.ts';
import type { DossierResult } from '../dossier-result.ts';

export type { DossierPayments, DossierResult };

export type Bilingual = { vi: string; en: string };

export interface PageOf<Item> {
  items: Item[];
  next: string | null;
  total?: number;
}

export interface PortalProcedure {
  key: string;
  procedureCode: string | null;
  name: string;
  formCode: string | null;
  agencies: Array<{ code: string; name: string }>;
}

/** One attachable component: what it is called, whether it must be given, which media types and how large. */
export interface ComponentSpec {
  name: string;
  required: boolean;
  /** Media types (`application/pdf`, `image/*`) or extensions (`.pdf`), as a list or comma-separated. */
  accept: string[] | string;
  maxBytes: number;
  /** What the applicant's e-data store holds for it, still valid (Decree 45 Art. 16.4; docs/datastore.md). */
  stored?: StoredOffer[];
}

/** A digitized document of the store (GET /api/datastore/copies and /documents; Circular 01 Art. 24.2.dd–e), with its Art. 9.2 metadata and Art. 10 code. */
export interface StoredDocument {
  id: string;
  name: string;
  documentKind: string;
  code: string;
  metadata: Record<string, string | null>;
  validUntil: string | null;
  valid: boolean;
  dossier: { id: string; code: string; procedureName: string };
  href: string;
}

/** The holder's identity as the store shows it to its owner (GET /api/datastore; Art. 24.2.a). */
export interface StoreHolder {
  reader: 'owner' | 'official';
  identity: {
    holderKind: 'person' | 'organisation' | null;
    holderId: string | null;
    fullName: string;
    dateOfBirth: string | null;
    email?: string | null;
    phone?: string | null;
    assuranceLevel?: number;
    identifiedBy?: string;
  };
}

/** A dossier of the store with its history (GET /api/datastore/dossiers; Art. 24.2.b–c). */
export interface StoredDossier extends Dossier {
  history: Array<{ at: string; kind: string; text: Bilingual }>;
}

/** A file the holder uploaded, with its signature as verified on receipt (GET /api/datastore/uploads; Art. 24.2.g). */
export interface StoredUpload {
  id: string;
  name: string;
  fileName: string;
  size: number;
  uploadedAt: string;
  supersededAt: string | null;
  storedFrom: string | null;
  signature: ComponentSignature | null;
  dossier: { id: string; code: string };
  href: string;
}

/** The sections of the store, one per point of Circular 01 Art. 24.2 (server/datastore/store.ts). */
export interface StoreSections {
  dossiers: StoredDossier;
  results: StoredResult;
  copies: StoredDocument;
  documents: StoredDocument;
  uploads: StoredUpload;
}

/** A confirmed digitized document of the store offered instead of an upload. */
export interface StoredOffer {
  id: string;
  name: string;
  code: string;
  validUntil: string | null;
  issuedOn: string;
  issuingAgency: string;
}

export interface ProcedureForm {
  form: { code: string; version: number; schema: Record<string, unknown> };
  /** `fields`: the keys filled from the account or the data store (Decree 45 Art. 16.4). */
  prefill: { values: Record<string, unknown>; fields: string[] };
  components: ComponentSpec[];
}

export interface UploadedComponent {
  name: string;
  fileName: string;
  mediaType: string;
  contentBase64: string;
}

/** A component as POST /api/dossiers takes it: a file, or a document of the store by its id. */
export type SentComponent = UploadedComponent | { name: string; storedDocumentId: string };


/** The dossier view of GET /api/dossiers/:id (the list's items carry at least its summary fields). */
export interface Dossier {
  id: string;
  code: string;
  status: string;
  statusText?: Bilingual;
  procedure: { key: string; code: string | null; name: string };
  agency?: { code: string; name: string };
  applicant?: { name: string; idNumber: string | null };
  formCode?: string | null;
  formVersion?: number | null;
  data?: Record<string, unknown>;
  components?: Array<{ id: string; name: string; fileName: string; mediaType: string; size: number; signature: ComponentSignature | null }>;
  submittedAt: string;
  receiptDueAt: string;
  receiptOverdue?: boolean;
  /** Any later deadline the server states for the whole dossier. */
  dueAt?: string | null;
  overdue?: boolean;
  amendment?: { requestedAt: string; items: string[]; note?: string | null; answeredAt: string | null } | null;
  refusal?: { at: string; reasons: string[] } | null;
  results?: DossierResult[];
  history?: Array<{ at: string; kind: string; text: Bilingual }>;
  payments?: DossierPayments;
  endedAt?: string | null;
  /** The applicant's rating once the dossier ended (docs/indicators.md). */
  rating?: DossierRating | null;
}


export interface Receipt {
  dossier: Dossier;
  /** The receipt notice's facts: the code, the official receipt time (Decree 45 Art. 11.1) and the 08 working hours after it (Art. 11.4). */
  receipt: { code: string; receivedAt: string; receiptDueAt: string };
}

export interface Notice {
  id: string;
  kind: string;
  dossierId?: string | null;
  dossierCode?: string | null;
  subject: Bilingual | string;
  body: Bilingual | string;
  createdAt: string;
  readAt: string | null;
}

const enc = encodeURIComponent;
const withCursor = (path: string, cursor: string | null | undefined) => (cursor ? `${path}?cursor=${enc(cursor)}` : path);

/** A result in the applicant's e-data store (GET /api/datastore/results), with the dossier it came from. */
export interface StoredResult extends DossierResult {
  dossier: { id: string; code: string; procedureName: string };
}

export const portalApi = {
  procedures: (language: Language, cursor?: string | null) => apiJson<PageOf<PortalProcedure>>(withCursor('/api/portal/procedures', cursor), { language }),
  form: (language: Language, key: string) => apiJson<ProcedureForm>(`/api/portal/procedures/${enc(key)}/form`, { language }),
  submit: (language: Language, body: { procedureKey: string; agencyCode?: string; formVersion: number; data: Record<string, unknown>; components: SentComponent[] }) =>
    apiJson<Receipt>('/api/dossiers', { language, json: body }),
  dossiers: (language: Language, cursor?: string | null) => apiJson<PageOf<Dossier>>(withCursor('/api/dossiers', cursor), { language }),
  dossier: (language: Language, id: string) => apiJson<Dossier>(`/api/dossiers/${enc(id)}`, { language }),
  amend: (language: Language, id: string, body: { data: Record<string, unknown>; components: SentComponent[] }) =>
    apiJson<Dossier | { dossier: Dossier }>(`/api/dossiers/${enc(id)}/amend`, { language, json: body }),
  notices: (language: Language, cursor?: string | null) => apiJson<PageOf<Notice>>(withCursor('/api/notices', cursor), { language }),
  storeHolder: (language: Language) => apiJson<StoreHolder>('/api/datastore', { language }),
  storeSection: <Section extends keyof StoreSections>(language: Language, section: Section, cursor?: string | null) => apiJson<PageOf<StoreSections[Section]>>(withCursor(`/api/datastore/${section}`, cursor), { language }),
  retryPayment: (language: Language, id: string) => apiJson<DossierPayments>(`/api/dossiers/${enc(id)}/payments/retry`, { language, method: 'POST', json: {} }),
  markRead: (language: Language, id: string) => apiJson<unknown>(`/api/notices/${enc(id)}/read`, { language, method: 'POST', json: {} }),
  register: (language: Language, body: { holderKind: 'person' | 'organisation'; holderId: string; displayName: string; password: string; email?: string }) =>
    apiJson<unknown>('/api/accounts/register', { language, json: body }),
};

/** Links the browser opens itself (files and printed PDFs, sent with the session cookie). */
export const portalLinks = {
  component: (dossierId: string, componentId: string) => `/api/dossiers/${enc(dossierId)}/components/${enc(componentId)}`,
  notice: (dossierId: string, kind: 'receipt' | 'amendment' | 'refusal') => `/api/dossiers/${enc(dossierId)}/notices/${kind}.pdf`,
  result: (code: string) => `/api/results/${enc(code)}.pdf`,
};
