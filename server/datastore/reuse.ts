/**
 * Reuse of what the e-data store holds (Decree 45 Art. 4.4: not asked again for what the system
 * already has; Art. 16.4: the store assists the applicant; docs/datastore.md "Reuse"): a
 * component of a new application that the applicant's store already holds as a confirmed,
 * digitized document still valid is offered instead of an upload, and given by its id.
 */
import { z } from 'zod';
import { vietnamDateOf } from '../../engine/calendar/civil-date.ts';
import type { DocumentMetadata } from '../../engine/digitization/metadata.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import type { ComponentSlot, Upload } from '../dossiers/components.ts';
import { stillValid } from './store.ts';

/** A component given from the store instead of an upload. */
export const storedComponentSchema = z.strictObject({
  name: z.string().trim().min(1, 'required').max(500),
  storedDocumentId: z.uuid('not a stored document id (UUID)'),
});
export type StoredComponent = z.infer<typeof storedComponentSchema>;

export interface StoredOffer {
  id: string;
  name: string;
  code: string;
  validUntil: string | null;
  issuedOn: string;
  issuingAgency: string;
}

interface OfferRow {
  id: string;
  component_name: string;
  metadata: DocumentMetadata;
  code: string;
}

/** The applicant's confirmed documents with a signed copy (Circular 01 Art. 8.1, 9.1). */
const ownConfirmed = (db: Database, ownerAccountId: string) =>
  db('digitizations as g').join('dossiers as d', 'd.id', 'g.dossier_id').where({ 'g.status': 'confirmed', 'd.owner_account_id': ownerAccountId }).whereNotNull('g.signed_pdf');

/** The applicant's confirmed documents matching a component by the procedure's name or the document's, newest first. */
function matching(db: Database, ownerAccountId: string, names: readonly string[]) {
  return ownConfirmed(db, ownerAccountId)
    .where((match) => void match.whereIn('g.component_name', names).orWhereRaw("g.metadata->>'documentName' = any(?)", [[...names]]))
    .orderBy([{ column: 'g.confirmed_at', order: 'desc' }, { column: 'g.id', order: 'desc' }]);
}

const slotNames = (row: OfferRow) => [row.component_name, row.metadata.documentName];

/** Each component of the form with what the store holds for it, still valid (`stored`, newest first). */
export async function withStoredOffers(db: Database, ownerAccountId: string, slots: readonly ComponentSlot[], now = new Date()): Promise<Array<ComponentSlot & { stored: StoredOffer[] }>> {
  const today = vietnamDateOf(now);
  const rows = slots.length === 0 ? [] : await matching(db, ownerAccountId, slots.map((slot) => slot.name)).select<OfferRow[]>('g.id', 'g.component_name', 'g.metadata', 'g.code');
  return slots.map((slot) => ({
    ...slot,
    stored: rows
      .filter((row) => slotNames(row).includes(slot.name) && stillValid(row.metadata, today))
      .map((row) => ({ id: row.id, name: row.metadata.documentName, code: row.code, validUntil: row.metadata.validUntil, issuedOn: row.metadata.issuedOn, issuingAgency: row.metadata.issuingAgency })),
  }));
}

/** A component the applicant sent: a file, or a document of their store. */
export type GivenComponent = Upload | StoredComponent;

/**
 * Turns the components given from the store into uploads of their signed copy (Circular 01 Art.
 * 8.1), so the technical check of Decree 45 Art. 11.1 runs on them as on any file; `storedFrom`
 * is the document each came from (undefined for an upload). Another's document, or one not
 * confirmed, is not found (404); one of the applicant's for another component (422), or no longer
 * valid (422): each naming the field. Used by submissions and amendments alike.
 */
export async function resolveStoredComponents(db: Database, ownerAccountId: string, given: readonly GivenComponent[], now = new Date()): Promise<{ uploads: Upload[]; storedFrom: Array<string | undefined> }> {
  const today = vietnamDateOf(now);
  const uploads: Upload[] = [];
  const storedFrom: Array<string | undefined> = [];
  for (const [index, component] of given.entries()) {
    if (!('storedDocumentId' in component)) {
      uploads.push(component);
      storedFrom.push(undefined);
      continue;
    }
    const field = `body.components[${index}].storedDocumentId`;
    const row = await matching(db, ownerAccountId, [component.name]).where('g.id', component.storedDocumentId).first<(OfferRow & { signed_pdf: Buffer }) | undefined>('g.id', 'g.component_name', 'g.metadata', 'g.code', 'g.signed_pdf');
    if (!row) {
      // The applicant's own document, but of another kind than the component asks for: said so, since it is theirs to know.
      const other = await ownConfirmed(db, ownerAccountId).where('g.id', component.storedDocumentId).first<Pick<OfferRow, 'metadata' | 'code'> | undefined>('g.metadata', 'g.code');
      if (other) {
        throw new QuyTrinhError('unprocessable', 'datastore.document-wrong-type', {
          vi: `Giấy tờ ${other.code} là "${other.metadata.documentName}", không phải "${component.name}"`,
          en: `Document ${other.code} is a "${other.metadata.documentName}", not a "${component.name}"`,
        }, [{ field, message: `a ${other.metadata.documentTypeCode} document, not one for this component` }]);
      }
      throw new QuyTrinhError('not-found', 'datastore.document-not-found', {
        vi: `Kho dữ liệu của bạn không có giấy tờ ${component.storedDocumentId} dùng được cho "${component.name}"`,
        en: `Your e-data store holds no document ${component.storedDocumentId} usable for "${component.name}"`,
      }, [{ field, message: 'not a confirmed document of your store for this component' }]);
    }
    if (!stillValid(row.metadata, today)) {
      throw new QuyTrinhError('unprocessable', 'datastore.document-expired', {
        vi: `Giấy tờ ${row.code} đã hết hiệu lực từ ${row.metadata.validUntil!.split('-').reverse().join('/')}; hãy tải lên bản còn hiệu lực`,
        en: `Document ${row.code} expired on ${row.metadata.validUntil}; upload one still valid`,
      }, [{ field, message: `expired on ${row.metadata.validUntil}` }]);
    }
    uploads.push({ name: component.name, fileName: `${row.code.replace(/[/\\]/g, '-')}.pdf`, mediaType: 'application/pdf', contentBase64: row.signed_pdf.toString('base64') });
    storedFrom.push(row.id);
  }
  return { uploads, storedFrom };
}
