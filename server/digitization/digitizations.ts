/**
 * Digitizations of a dossier's paper components (docs/digitization.md; Circular 01 Art. 6–12):
 * recording a scan (Art. 8.2 checks, Art. 4.4 exclusions), what the API shows of one (status,
 * OCR progress per page, suggestions), and the official's confirmation of the metadata (Art. 9.1)
 * with its code (Art. 10).
 */
import { z } from 'zod';
import type { Knex } from 'knex';
import { DOCUMENT_KIND_NAMES, DOCUMENT_KINDS, exclusionOf, type DocumentKind, type Exclusion } from '../../engine/digitization/document-kinds.ts';
import type { Suggestions } from '../../engine/digitization/extract.ts';
import { codeOf, METADATA_FIELDS, validateMetadata, type DocumentMetadata, type MetadataField } from '../../engine/digitization/metadata.ts';
import { QuyTrinhError, type Bilingual } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { recordDossierEvent } from '../dossiers/records.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { officialSigner } from '../signatures/credentials.ts';
import { copySha256, signConfirmation, verifyConfirmation } from './confirmation-signature.ts';
import { queueDigitizationOcr } from './ocr-job.ts';
import { checkPageCount, MAX_SCAN_PAGES, scanFileSchema, scanPages } from './scan-pages.ts';

export const DIGITIZATION_STATUSES = ['excluded', 'queued', 'ocr', 'awaiting-confirmation', 'confirmed'] as const;
export type DigitizationStatus = (typeof DIGITIZATION_STATUSES)[number];

export const digitizationBody = z
  .strictObject({
    componentName: z.string().trim().min(1, 'required').max(500),
    componentId: z.uuid('not a component id (UUID)').optional(),
    documentKind: z.enum(DOCUMENT_KINDS, { error: `one of ${DOCUMENT_KINDS.join(', ')}` }),
    paperPages: z.number({ error: 'the number of pages of the paper document (Art. 8.2.c)' }).int().min(1).max(MAX_SCAN_PAGES).optional(),
    files: z.array(scanFileSchema).min(1, 'at least one file').max(MAX_SCAN_PAGES).optional(),
  })
  .superRefine((body, context) => {
    if (exclusionOf(body.documentKind)) return; // flagged, nothing scanned (Art. 4.4)
    if (body.paperPages === undefined) context.addIssue({ code: 'custom', path: ['paperPages'], message: 'required: the number of pages of the paper document (Art. 8.2.c)' });
    if (body.files === undefined) context.addIssue({ code: 'custom', path: ['files'], message: 'required: the scan, as one PDF or one image per page' });
  });
export type DigitizationBody = z.infer<typeof digitizationBody>;

export const confirmationBody = z.strictObject({ metadata: z.record(z.string(), z.unknown()) });

export interface DigitizationRow {
  id: string;
  dossier_id: string;
  component_name: string;
  component_id: string | null;
  document_kind: DocumentKind;
  status: DigitizationStatus;
  exclusion: Exclusion | null;
  paper_pages: number | null;
  created_by: string;
  copier_name: string;
  created_at: Date;
  signed_at: Date | null;
  ocr_problem: { code: string; text: Bilingual } | null;
  ocr_finished_at: Date | null;
  suggestions: Suggestions | null;
  metadata: DocumentMetadata | null;
  confirmation: Record<MetadataField, 'confirmed' | 'corrected' | 'entered'> | null;
  code: string | null;
  confirmed_by: string | null;
  confirmed_by_name: string | null;
  confirmed_at: Date | null;
}

/** The row columns a view needs: never the page images or the signed PDF. */
export const ROW_COLUMNS = ['id', 'dossier_id', 'component_name', 'component_id', 'document_kind', 'status', 'exclusion', 'paper_pages', 'created_by', 'copier_name', 'created_at', 'signed_at', 'ocr_problem', 'ocr_finished_at', 'suggestions', 'metadata', 'confirmation', 'code', 'confirmed_by', 'confirmed_by_name', 'confirmed_at'] as const;

interface DossierAccess {
  id: string;
  owner_account_id: string;
  agency_code: string;
}

const hidden = (id: string) => new QuyTrinhError('not-found', 'dossier.not-found', { vi: `Không có hồ sơ ${id}`, en: `No dossier ${id}` });

/**
 * Who may digitize a dossier's components (Circular 01 Art. 5.1: the officials who receive and
 * process it; the applicant may scan their own): an official of the receiving agency, the owner,
 * an administrator. Anyone else is told the dossier does not exist (404), as the scope check does.
 */
export async function dossierForDigitization(db: Database, principal: Principal, dossierId: string, { confirming }: { confirming: boolean }): Promise<DossierAccess> {
  const dossier = await db('dossiers').where({ id: dossierId }).first<DossierAccess | undefined>('id', 'owner_account_id', 'agency_code');
  if (!dossier) throw hidden(dossierId);
  if (hasRole(principal, 'admin')) return dossier;
  if (hasRole(principal, 'official') && principal.memberships.some((membership) => membership.agencyCode === dossier.agency_code)) return dossier;
  if (!confirming && principal.kind === 'account' && hasRole(principal, 'citizen') && dossier.owner_account_id === principal.id) return dossier;
  if (confirming && principal.kind === 'account' && dossier.owner_account_id === principal.id) {
    throw new QuyTrinhError('forbidden', 'digitization.official-confirms', {
      vi: 'Cán bộ tiếp nhận, giải quyết hồ sơ xác nhận siêu dữ liệu số hóa (Thông tư 01/2023 Điều 9.1, 9.3), không phải người nộp',
      en: 'The official who receives or handles the dossier confirms the digitized metadata (Circular 01/2023 Art. 9.1, 9.3), not the applicant',
    });
  }
  throw hidden(dossierId);
}

/**
 * Records a scan: an excluded kind (Art. 4.4) as a flagged row with no pages; otherwise the pages
 * read and counted against the paper (Art. 8.2.c), stored in order, and the OCR job queued in the
 * same transaction. Any fault throws before anything is written.
 */
export async function createDigitization(db: Database, principal: Principal, dossier: DossierAccess, body: DigitizationBody): Promise<string> {
  const exclusion = exclusionOf(body.documentKind);
  const pages = exclusion ? [] : await scanPages(body.files!);
  if (!exclusion) checkPageCount(pages, body.paperPages!);
  if (body.componentId !== undefined) {
    const component = await db('dossier_components').where({ id: body.componentId, dossier_id: dossier.id }).first<{ id: string } | undefined>('id');
    if (!component) throw new QuyTrinhError('unprocessable', 'digitization.component-unknown', { vi: 'Không có thành phần này trong hồ sơ', en: 'No such component in this dossier' }, [{ field: 'body.componentId', message: 'not a component of this dossier', messages: { vi: 'không phải thành phần của hồ sơ này', en: 'not a component of this dossier' } }]);
  }
  return db.transaction(async (trx) => {
    const [row] = await trx('digitizations')
      .insert({
        dossier_id: dossier.id,
        component_name: body.componentName,
        component_id: body.componentId ?? null,
        document_kind: body.documentKind,
        status: exclusion ? 'excluded' : 'queued',
        exclusion: exclusion ? JSON.stringify(exclusion) : null,
        paper_pages: exclusion ? null : body.paperPages,
        created_by: principal.actor,
        copier_name: principal.displayName,
      })
      .returning<Array<{ id: string }>>('id');
    const id = row!.id;
    if (pages.length > 0) await trx('digitization_pages').insert(pages.map((page, index) => ({ digitization_id: id, n: index + 1, media_type: page.mediaType, content: page.content, sha256: page.sha256 })));
    // The history's text travels in the details (server/dossiers/view.ts reads `text`).
    const text = exclusion
      ? { vi: `Không số hóa "${body.componentName}": ${exclusion.reason.vi}`, en: `"${body.componentName}" not digitized: ${exclusion.reason.en}` }
      : { vi: `Số hóa "${body.componentName}": bản quét ${pages.length} trang (Thông tư 01/2023 Điều 8)`, en: `Digitizing "${body.componentName}": a ${pages.length}-page scan (Circular 01/2023 Art. 8)` };
    await recordDossierEvent(trx, dossier.id, exclusion ? 'digitization-excluded' : 'digitization-started', principal.actor, { digitizationId: id, component: body.componentName, pages: pages.length, ...(exclusion ? { article: exclusion.article } : {}), text });
    if (!exclusion) await queueDigitizationOcr(trx, id);
    return id;
  });
}

interface PageProgressRow {
  n: number;
  media_type: string;
  progress: number;
  confidence: number | null;
  text: string | null;
  recognized_at: Date | null;
}

/**
 * The signed confirmation (Art. 9.3) verified now against the stored row and copy: the signer,
 * the signing time, the trusted root, valid or not with the problems; null before confirmation.
 */
async function confirmationSignatureView(db: Database | Knex.Transaction, row: DigitizationRow) {
  const stored = await db('digitizations').where({ id: row.id }).first<{ confirmation_signature: Buffer | null }>('confirmation_signature');
  if (!stored.confirmation_signature || row.metadata === null || row.code === null) return null;
  const verification = await verifyConfirmation(db, { id: row.id, code: row.code, metadata: row.metadata }, stored.confirmation_signature);
  return { ...verification, verifiedAt: new Date().toISOString() };
}

/** What the API shows of a digitization (docs/digitization.md, "The API"). */
export async function digitizationView(db: Database | Knex.Transaction, row: DigitizationRow) {
  const pages = await db('digitization_pages').where({ digitization_id: row.id }).orderBy('n').select<PageProgressRow[]>('n', 'media_type', 'progress', 'confidence', 'text', 'recognized_at');
  const confirmationSignature = await confirmationSignatureView(db, row);
  const done = pages.filter((page) => page.recognized_at !== null).length;
  return {
    id: row.id,
    dossierId: row.dossier_id,
    componentName: row.component_name,
    componentId: row.component_id,
    documentKind: row.document_kind,
    documentKindName: DOCUMENT_KIND_NAMES[row.document_kind],
    status: row.status,
    exclusion: row.exclusion,
    paperPages: row.paper_pages,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    copierName: row.copier_name,
    signedAt: row.signed_at?.toISOString() ?? null,
    progress: {
      pagesDone: done,
      pagesTotal: pages.length,
      /** 0–1 over the whole scan, the running page's share included. */
      fraction: pages.length === 0 ? 0 : Math.round((pages.reduce((sum, page) => sum + (page.recognized_at ? 1 : Math.min(page.progress, 0.99)), 0) / pages.length) * 1000) / 1000,
      pages: pages.map((page) => ({ n: page.n, mediaType: page.media_type, progress: page.recognized_at ? 1 : page.progress, confidence: page.confidence, text: page.text, recognizedAt: page.recognized_at?.toISOString() ?? null })),
    },
    ocrProblem: row.ocr_problem,
    ocrFinishedAt: row.ocr_finished_at?.toISOString() ?? null,
    suggestions: row.suggestions,
    metadata: row.metadata,
    confirmation: row.confirmation,
    code: row.code,
    confirmedBy: row.confirmed_by,
    confirmedByName: row.confirmed_by_name,
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
    confirmationSignature,
  };
}

export async function digitizationOf(db: Database, dossierId: string, id: string): Promise<DigitizationRow> {
  const row = await db('digitizations').where({ id, dossier_id: dossierId }).first<DigitizationRow | undefined>(ROW_COLUMNS);
  if (!row) throw new QuyTrinhError('not-found', 'digitization.not-found', { vi: `Không có bản số hóa ${id} trong hồ sơ này`, en: `No digitization ${id} in this dossier` });
  return row;
}

/**
 * The official confirms or corrects each field of Art. 9.2 (Art. 9.1); the code of Art. 10 is
 * given from the confirmed fields, and who confirmed and when are recorded (also in the dossier's
 * history). The confirmation is signed (Art. 9.3, confirmation-signature.ts) by the confirmer's
 * personal certificate — the agency's when the confirmer is not one of its officials — in the
 * same transaction. A correction later (Art. 9.4: incorrect information found) confirms and
 * signs again.
 */
export async function confirmDigitization(db: Database, principal: Principal, dossierId: string, id: string, input: unknown): Promise<DigitizationRow> {
  return db.transaction(async (trx) => {
    const row = await trx('digitizations').where({ id, dossier_id: dossierId }).forUpdate().first<DigitizationRow | undefined>(ROW_COLUMNS);
    if (!row) throw new QuyTrinhError('not-found', 'digitization.not-found', { vi: `Không có bản số hóa ${id} trong hồ sơ này`, en: `No digitization ${id} in this dossier` });
    if (row.status !== 'awaiting-confirmation' && row.status !== 'confirmed') {
      const excluded = row.status === 'excluded';
      throw new QuyTrinhError('conflict', excluded ? 'digitization.excluded' : 'digitization.not-ready', excluded
        ? { vi: `Giấy tờ này không được số hóa (Thông tư 01/2023 ${row.exclusion?.article ?? 'Điều 4.4'})`, en: `This document is not digitized (Circular 01/2023 ${row.exclusion?.article.replace('Điều', 'Art.') ?? 'Art. 4.4'})` }
        : { vi: 'Bản số hóa đang được ký và nhận dạng (OCR); xác nhận khi trạng thái là awaiting-confirmation', en: 'The copy is still being signed and recognised (OCR); confirm once its status is awaiting-confirmation' });
    }
    const metadata = validateMetadata(input);
    const code = codeOf(metadata);
    const confirmation = Object.fromEntries(
      METADATA_FIELDS.map((field) => {
        // Nothing suggested and nothing entered (no validity on the document) is confirmed too.
        const suggested = row.suggestions?.[field]?.value ?? null;
        return [field, suggested === metadata[field] ? 'confirmed' : suggested === null ? 'entered' : 'corrected'];
      }),
    );
    const confirmedAt = new Date();
    const { agency_code: agencyCode } = await trx('dossiers').where({ id: dossierId }).first<{ agency_code: string }>('agency_code');
    const signer = (await officialSigner(trx, principal.actor, agencyCode)) ?? { kind: 'agency' as const, agencyCode };
    const confirmationSignature = await signConfirmation(trx, signer, { digitizationId: id, code, metadata, copySha256: (await copySha256(trx, id)) ?? '' }, confirmedAt);
    await trx('digitizations').where({ id }).update({ status: 'confirmed', metadata: JSON.stringify(metadata), confirmation: JSON.stringify(confirmation), code, confirmed_by: principal.actor, confirmed_by_name: principal.displayName, confirmed_at: confirmedAt, confirmation_signature: confirmationSignature });
    await recordDossierEvent(trx, dossierId, 'digitization-confirmed', principal.actor, {
      digitizationId: id,
      code,
      text: { vi: `Đã xác nhận siêu dữ liệu số hóa "${row.component_name}", mã ${code} (Thông tư 01/2023 Điều 9–10)`, en: `Digitized metadata of "${row.component_name}" confirmed, code ${code} (Circular 01/2023 Art. 9–10)` },
    });
    return (await trx('digitizations').where({ id }).first<DigitizationRow>(ROW_COLUMNS));
  });
}
