/**
 * The workspace's calls for digitizing a dossier's paper components (docs/digitization.md, the
 * API; Circular 01 Art. 6–12), through the one API client.
 */
import { apiJson } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import type { DocumentKind } from '../../../engine/digitization/document-kinds.ts';
import type { Suggestion } from '../../../engine/digitization/extract.ts';
import type { MetadataField } from '../../../engine/digitization/metadata.ts';
import type { Page } from './workspace-api.ts';

export type DigitizationStatus = 'queued' | 'ocr' | 'awaiting-confirmation' | 'confirmed' | 'excluded';
type Bilingual = { vi: string; en: string };

export interface ScanFile {
  fileName: string;
  mediaType: string;
  contentBase64: string;
}

export interface DigitizationUpload {
  componentName: string;
  componentId?: string;
  documentKind: DocumentKind;
  paperPages?: number;
  files?: ScanFile[];
}

export interface DigitizationSummary {
  id: string;
  componentName: string;
  documentKind: DocumentKind;
  status: DigitizationStatus;
  exclusion: { article: string; reason: Bilingual } | null;
  pagesDone: number;
  pagesTotal: number;
  code: string | null;
  createdAt: string;
  copierName: string | null;
  confirmedAt: string | null;
}

export interface Digitization extends Omit<DigitizationSummary, 'pagesDone' | 'pagesTotal'> {
  documentKindName: Bilingual;
  paperPages: number | null;
  progress: { pagesDone: number; pagesTotal: number; fraction: number; pages: Array<{ n: number; mediaType: string; progress: number; confidence: number | null }> };
  ocrProblem: { code: string; text: Bilingual } | null;
  suggestions: Record<MetadataField, Suggestion | null> | null;
  metadata: Record<MetadataField, string | null> | null;
  confirmation: Partial<Record<MetadataField, 'confirmed' | 'corrected' | 'entered'>> | null;
  confirmedByName: string | null;
}

const id = (value: string) => encodeURIComponent(value);
const base = (dossierId: string) => `/api/dossiers/${id(dossierId)}/digitizations`;

export const digitizationApi = {
  list: (language: Language, dossierId: string, cursor?: string | null) => apiJson<Page<DigitizationSummary>>(`${base(dossierId)}?${new URLSearchParams(cursor ? { limit: '20', cursor } : { limit: '20' })}`, { language }),
  one: (language: Language, dossierId: string, digitizationId: string) => apiJson<Digitization>(`${base(dossierId)}/${id(digitizationId)}`, { language }),
  upload: (language: Language, dossierId: string, upload: DigitizationUpload) => apiJson<Digitization>(base(dossierId), { language, method: 'POST', json: upload }),
  confirm: (language: Language, dossierId: string, digitizationId: string, metadata: Record<MetadataField, string | null>) =>
    apiJson<Digitization>(`${base(dossierId)}/${id(digitizationId)}/confirm`, { language, method: 'POST', json: { metadata } }),
};

/** The stamped copy signed by the receiving agency (Art. 8.1). */
export const digitizationCopyUrl = (dossierId: string, digitizationId: string) => `${base(dossierId)}/${id(digitizationId)}/copy.pdf`;

/** A file as base64, in chunks (a spread of a whole scan would overflow the call stack). */
export async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}
