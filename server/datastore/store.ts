/**
 * The e-data store of a person or organisation as a read model (Circular 01 Art. 24.2 a–g;
 * Decree 45 Art. 16.3; docs/datastore.md): their identity, dossiers and history, results,
 * digitized documents with their metadata and validity, and the files they uploaded. Each list is
 * paged by keyset; what a reader other than the owner sees is cut down by access.ts.
 */
import type { Knex } from 'knex';
import { vietnamDateOf } from '../../engine/calendar/civil-date.ts';
import type { DocumentKind } from '../../engine/digitization/document-kinds.ts';
import type { DocumentMetadata } from '../../engine/digitization/metadata.ts';
import type { Database } from '../db/connect.ts';
import type { ComponentSignature } from '../dossiers/component-signatures.ts';
import type { DossierRow } from '../dossiers/records.ts';
import { componentSignature, dossierListItem, historyItem, type DossierEventRow } from '../dossiers/view.ts';
import { pageOf, type Keyset, type Page, type PageRequest } from '../http/pagination.ts';
import { isOwner, neededComponents, visibleDossiers, type StoreAccess } from './access.ts';

export const STORE_SECTIONS = ['dossiers', 'results', 'copies', 'documents', 'uploads'] as const;
export type StoreSection = (typeof STORE_SECTIONS)[number];

const newestFirst = (name: string, at: string, id: string): Keyset => ({
  name,
  keys: [
    { sql: at, kind: 'timestamp', descending: true },
    { sql: id, kind: 'uuid', descending: true },
  ],
});
const ORDERS: Record<StoreSection, Keyset> = {
  dossiers: newestFirst('datastore.dossiers', 'd.submitted_at', 'd.id'),
  results: newestFirst('datastore.results', 'r.issued_at', 'r.id'),
  copies: newestFirst('datastore.copies', 'g.confirmed_at', 'g.id'),
  documents: newestFirst('datastore.documents', 'g.confirmed_at', 'g.id'),
  uploads: newestFirst('datastore.uploads', 'c.uploaded_at', 'c.id'),
};

interface HolderRow {
  display_name: string;
  holder_kind: 'person' | 'organisation' | null;
  holder_id: string | null;
  email: string | null;
  assurance_level: number;
  identified_by: string;
  profile: { fullName?: string; dateOfBirth?: string; phone?: string; address?: string };
}

/**
 * Art. 24.2.a: who the holder is, from the owner account. An official reads what identifies the
 * holder of the dossiers they handle (name, ID, date of birth); contact details stay the owner's.
 */
export async function storeHolder(db: Database, access: StoreAccess) {
  const account = await db('accounts').whereIn('id', access.ownerIds).orderBy('created_at').first<HolderRow>('display_name', 'holder_kind', 'holder_id', 'email', 'assurance_level', 'identified_by', 'profile');
  const identity = {
    holderKind: account.holder_kind,
    holderId: account.holder_id,
    fullName: account.profile.fullName ?? account.display_name,
    dateOfBirth: account.profile.dateOfBirth ?? null,
  };
  if (!isOwner(access)) return { reader: 'official' as const, identity };
  return {
    reader: 'owner' as const,
    identity: { ...identity, email: account.email, phone: account.profile.phone ?? null, address: account.profile.address ?? null, assuranceLevel: account.assurance_level, identifiedBy: account.identified_by },
  };
}

/** One section of the store, paged. */
export async function storeSection(db: Database, access: StoreAccess, section: StoreSection, page: PageRequest, now = new Date()): Promise<Page<unknown>> {
  const dossierIds = visibleDossiers(db, access).clone().select('id');
  switch (section) {
    // Art. 24.2.b–c: the dossiers with their history; contents and files at GET /dossiers/:id.
    case 'dossiers': {
      const dossiers = await pageOf(db, db('dossiers as d').whereIn('d.id', dossierIds).select('d.*'), ORDERS.dossiers, page, (row: DossierRow) => dossierListItem(row, now));
      const events = await db('dossier_events').whereIn('dossier_id', dossiers.items.map((dossier) => dossier.id)).orderBy('id').select<Array<DossierEventRow & { dossier_id: string }>>('dossier_id', 'at', 'kind', 'details');
      const history = new Map<string, DossierEventRow[]>();
      for (const event of events) {
        const lines = history.get(event.dossier_id);
        if (lines) lines.push(event);
        else history.set(event.dossier_id, [event]);
      }
      return { ...dossiers, items: dossiers.items.map((dossier) => ({ ...dossier, history: (history.get(dossier.id) ?? []).map(historyItem) })) };
    }
    // Art. 24.2.d: results (an annulled one marked, Decree 45 Art. 15.1).
    case 'results':
      return pageOf(
        db,
        db('dossier_results as r').join('dossiers as d', 'd.id', 'r.dossier_id').whereIn('d.id', dossierIds).select('r.code', 'r.title', 'r.issued_at', 'r.annulled_at', 'r.annulment_reason', 'd.id as dossier_id', 'd.code as dossier_code', 'd.procedure_name'),
        ORDERS.results,
        page,
        (row: { code: string; title: string; issued_at: Date; annulled_at: Date | null; annulment_reason: string | null; dossier_id: string; dossier_code: string; procedure_name: string }) => ({
          code: row.code,
          title: row.title,
          issuedAt: row.issued_at.toISOString(),
          annulledAt: row.annulled_at?.toISOString() ?? null,
          annulmentReason: row.annulment_reason,
          dossier: { id: row.dossier_id, code: row.dossier_code, procedureName: row.procedure_name },
        }),
      );
    // Art. 24.2.dd: certified e-copies (from the original, or from the master register); Art. 24.2.e: the other
    // digitized documents; both with their confirmed metadata (Art. 9.2), code (Art. 10) and validity.
    case 'copies':
    case 'documents': {
      const { documents } = await storedDocuments(db, access);
      const today = vietnamDateOf(now);
      void (section === 'copies' ? documents.whereIn('g.document_kind', CERTIFIED_COPY_KINDS) : documents.whereNotIn('g.document_kind', CERTIFIED_COPY_KINDS));
      return pageOf(db, documents.select('g.id', 'g.dossier_id', 'g.component_name', 'g.document_kind', 'g.metadata', 'g.code', 'g.confirmed_at', 'g.confirmed_by_name', 'd.code as dossier_code', 'd.procedure_name'), ORDERS[section], page, (row: StoredDocumentRow) => storedDocumentItem(row, today));
    }
    // Art. 24.2.g: the files the holder uploaded with their dossiers, each with its digital signature as verified on
    // receipt (Decree 45 Art. 11.2.b; null: unsigned), and the document of the store one was given from.
    case 'uploads':
      return pageOf(
        db,
        db('dossier_components as c').join('dossiers as d', 'd.id', 'c.dossier_id').whereIn('d.id', dossierIds).whereIn('c.uploaded_by', access.ownerActors).select('c.id', 'c.name', 'c.file_name', 'c.media_type', 'c.size', 'c.sha256', 'c.uploaded_at', 'c.superseded_at', 'c.stored_from', 'c.signature', 'd.id as dossier_id', 'd.code as dossier_code'),
        ORDERS.uploads,
        page,
        (row: { id: string; name: string; file_name: string; media_type: string; size: number; sha256: string; uploaded_at: Date; superseded_at: Date | null; stored_from: string | null; signature: ComponentSignature | null; dossier_id: string; dossier_code: string }) => ({
          id: row.id,
          name: row.name,
          fileName: row.file_name,
          mediaType: row.media_type,
          size: row.size,
          sha256: row.sha256,
          uploadedAt: row.uploaded_at.toISOString(),
          supersededAt: row.superseded_at?.toISOString() ?? null,
          storedFrom: row.stored_from,
          signature: componentSignature(row.signature),
          dossier: { id: row.dossier_id, code: row.dossier_code },
          href: `/api/dossiers/${row.dossier_id}/components/${row.id}`,
        }),
      );
  }
}

/**
 * Art. 24.2.dd "results of certification of electronic copies from the original": the digitized
 * documents given as certified true e-copies, of the original or from the master register
 * (Art. 25.1.a names both; Circular 01 Art. 6). The product does not certify copies itself.
 */
export const CERTIFIED_COPY_KINDS: readonly DocumentKind[] = ['certified-electronic-copy', 'register-copy'];

export interface StoredDocumentRow {
  id: string;
  dossier_id: string;
  component_name: string;
  document_kind: string;
  metadata: DocumentMetadata;
  code: string;
  confirmed_at: Date;
  confirmed_by_name: string | null;
  dossier_code: string;
  procedure_name: string;
}

/** Still valid on `today` (YYYY-MM-DD, Vietnam): no end of validity, or not past it (Art. 9.2.h). */
export const stillValid = (metadata: DocumentMetadata, today: string) => metadata.validUntil === null || metadata.validUntil >= today;

function storedDocumentItem(row: StoredDocumentRow, today: string) {
  return {
    id: row.id,
    name: row.metadata.documentName,
    componentName: row.component_name,
    documentKind: row.document_kind,
    code: row.code,
    metadata: row.metadata,
    validUntil: row.metadata.validUntil,
    valid: stillValid(row.metadata, today),
    confirmedAt: row.confirmed_at.toISOString(),
    confirmedByName: row.confirmed_by_name,
    dossier: { id: row.dossier_id, code: row.dossier_code, procedureName: row.procedure_name },
    href: `/api/dossiers/${row.dossier_id}/digitizations/${row.id}/copy.pdf`,
  };
}

/**
 * The holder's digitized documents whose metadata an official confirmed (Circular 01 Art. 9–10):
 * for the owner all of them; for an official those of the dossiers they see and those the
 * procedures of these dossiers need (access.ts).
 */
async function storedDocuments(db: Database, access: StoreAccess): Promise<{ documents: Knex.QueryBuilder }> {
  const documents = db('digitizations as g').join('dossiers as d', 'd.id', 'g.dossier_id').where('g.status', 'confirmed').whereIn('d.owner_account_id', access.ownerIds);
  if (access.agencies !== null) {
    const agencies = access.agencies;
    const needed = await neededComponents(db, access);
    void documents.where((visible) => void visible.whereIn('d.agency_code', agencies).orWhereIn('g.component_name', needed).orWhereRaw("g.metadata->>'documentName' = any(?)", [needed]));
  }
  // Wrapped: a query builder is a thenable, and a promise resolving to one would run it.
  return { documents };
}
