import type { Bilingual } from '../errors.ts';

/**
 * What a paper component is, as the official receiving it sees it: the forms Circular 01 Art.
 * 4.1 digitizes (originals, certified true copies from the master register, certified true
 * electronic copies of originals, photocopies compared with the original) and the ones Art. 4.4
 * says not to digitize.
 */
export const DOCUMENT_KINDS = [
  'original',
  'register-copy',
  'certified-electronic-copy',
  'copy-with-original',
  'shared-as-data',
  'photocopy',
  'certified-photocopy',
  'presented-only',
  'classified',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_KIND_NAMES: Record<DocumentKind, Bilingual> = {
  original: { vi: 'Bản chính', en: 'Original' },
  'register-copy': { vi: 'Bản sao cấp từ sổ gốc', en: 'Certified true copy from the master register' },
  'certified-electronic-copy': { vi: 'Bản sao điện tử chứng thực từ bản chính', en: 'Certified true electronic copy of the original' },
  'copy-with-original': { vi: 'Bản chụp kèm bản chính để đối chiếu', en: 'Photocopy with the original to compare' },
  'shared-as-data': { vi: 'Giấy tờ đã được chia sẻ dưới dạng dữ liệu có giá trị pháp lý', en: 'Document already shared as data with legal value' },
  photocopy: { vi: 'Bản sao (bản photocopy)', en: 'Photocopy' },
  'certified-photocopy': { vi: 'Bản sao chứng thực giấy', en: 'Certified paper photocopy' },
  'presented-only': { vi: 'Giấy tờ chỉ cần xuất trình', en: 'Document only to be presented' },
  classified: { vi: 'Tài liệu mật', en: 'Classified document' },
};

export interface Exclusion {
  /** The point of Circular 01 Art. 4.4 that excludes it. */
  article: string;
  reason: Bilingual;
}

const EXCLUSIONS: Partial<Record<DocumentKind, Exclusion>> = {
  'shared-as-data': {
    article: 'Điều 4.4.a',
    reason: {
      vi: 'Giấy tờ đã được chia sẻ dưới dạng dữ liệu từ cơ sở dữ liệu quốc gia, chuyên ngành, Cổng DVC quốc gia hoặc hệ thống TTHC và có giá trị pháp lý thì không số hóa (Thông tư 01/2023 Điều 4.4.a)',
      en: 'A document already shared as data by a national or specialised database, the National Public Service Portal or a procedure information system, with legal value, is not digitized (Circular 01/2023 Art. 4.4.a)',
    },
  },
  photocopy: {
    article: 'Điều 4.4.b',
    reason: {
      vi: 'Bản sao, bản sao chứng thực giấy không được số hóa; chỉ bản sao điện tử chứng thực từ bản chính (Thông tư 01/2023 Điều 4.4.b)',
      en: 'Photocopies and certified paper photocopies are not digitized; only certified true electronic copies of originals are (Circular 01/2023 Art. 4.4.b)',
    },
  },
  'certified-photocopy': {
    article: 'Điều 4.4.b',
    reason: {
      vi: 'Bản sao, bản sao chứng thực giấy không được số hóa; chỉ bản sao điện tử chứng thực từ bản chính (Thông tư 01/2023 Điều 4.4.b)',
      en: 'Photocopies and certified paper photocopies are not digitized; only certified true electronic copies of originals are (Circular 01/2023 Art. 4.4.b)',
    },
  },
  'presented-only': {
    article: 'Điều 4.4.c',
    reason: {
      vi: 'Giấy tờ chỉ cần xuất trình khi nộp hồ sơ thì không số hóa (Thông tư 01/2023 Điều 4.4.c)',
      en: 'A document only to be presented with the application is not digitized (Circular 01/2023 Art. 4.4.c)',
    },
  },
  classified: {
    article: 'Điều 4.4.d',
    reason: { vi: 'Tài liệu mật theo quy định của pháp luật thì không số hóa (Thông tư 01/2023 Điều 4.4.d)', en: 'Classified documents are not digitized (Circular 01/2023 Art. 4.4.d)' },
  },
};

/** Why Art. 4.4 excludes a kind of document from digitization, or undefined when it may be digitized. */
export function exclusionOf(kind: DocumentKind): Exclusion | undefined {
  return EXCLUSIONS[kind];
}
