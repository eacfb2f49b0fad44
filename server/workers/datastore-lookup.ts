import { vietnamDateOf } from '../../engine/calendar/civil-date.ts';
import type { DocumentMetadata } from '../../engine/digitization/metadata.ts';
import { stillValid } from '../datastore/store.ts';
import { addDossierEvent, dossierStep } from './dossier-records.ts';
import type { JobContext } from './job-context.ts';

const JOB_TYPE = 'datastore.lookup';
/** The earlier results carried into the instance's variables, newest first: enough to check against, not a whole history. */
const EARLIER_RESULTS = 20;
/** The digitized documents carried, newest first: a holder's papers, not an archive. */
const STORED_DOCUMENTS = 50;

interface OwnerRow {
  display_name: string;
  holder_kind: 'person' | 'organisation' | null;
  holder_id: string | null;
  assurance_level: number;
  identified_by: string;
  profile: Record<string, unknown>;
}

/** Names compared as people write them: case, spacing and Unicode composition aside. */
const sameName = (a: string, b: string) => a.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi') === b.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');

/**
 * `datastore.lookup`: checks the application against what the product itself holds of the
 * applicant, their electronic data store (Decree 45 Art. 16.2.a, 16.3): the owner account's
 * identity (name, holder kind and ID, the assurance level and how it was established, Art. 8),
 * its profile (phone, date of birth, address) and the results issued to them before on other
 * dossiers and not annulled (Art. 16.2.b, 15), and their digitized documents still valid
 * (Circular 01 Art. 24.2.dd–e), by document-type code. The step's models name national databases (the
 * population database...): their connections are other agencies' systems; until they are
 * connected, this is what backs the check. It returns `doiChieu` for the officials' receipt check:
 * what was read and whether the application's name and ID match the account's. A mismatch is
 * not a business error (a parent applies for a child): the officials judge it. An instance with
 * no dossier has no applicant to look up: nothing is returned.
 */
export async function lookUpDataStore(context: JobContext): Promise<Record<string, unknown>> {
  const found = await dossierStep(context);
  if (!found) return {};
  const { dossier, step } = found;
  const { trx, elementId, now } = context;
  const owner = await trx('accounts').where({ id: dossier.owner_account_id }).first<OwnerRow>('display_name', 'holder_kind', 'holder_id', 'assurance_level', 'identified_by', 'profile');
  const earlier = await trx('dossier_results as r')
    .join('dossiers as d', 'd.id', 'r.dossier_id')
    .where('d.owner_account_id', dossier.owner_account_id)
    .whereNot('d.id', dossier.id)
    .whereNull('r.annulled_at')
    .orderBy([{ column: 'r.issued_at', order: 'desc' }, { column: 'r.code', order: 'desc' }])
    .limit(EARLIER_RESULTS)
    .select<Array<{ code: string; title: string; issued_at: Date; procedure_name: string }>>('r.code', 'r.title', 'r.issued_at', 'd.procedure_name');
  const giayToTrongKho = await storedDocumentsByType(context, dossier.owner_account_id, dossier.applicant_id ?? owner.holder_id);
  const doiChieu = {
    nguon: 'kho-du-lieu-quy-trinh',
    thoiDiem: now.toISOString(),
    taiKhoan: {
      hoTen: owner.display_name,
      loaiChuThe: owner.holder_kind,
      soDinhDanh: owner.holder_id,
      mucDinhDanh: owner.assurance_level,
      dinhDanhQua: owner.identified_by,
    },
    thongTinCaNhan: owner.profile,
    hoTenKhop: sameName(dossier.applicant_name, owner.display_name),
    soDinhDanhKhop: dossier.applicant_id === null || owner.holder_id === null ? null : dossier.applicant_id === owner.holder_id,
    ketQuaDaCap: earlier.map((result) => ({ ma: result.code, tieuDe: result.title, thuTuc: result.procedure_name, ngayCap: result.issued_at.toISOString() })),
    giayToTrongKho,
  };
  await addDossierEvent(trx, dossier.id, JOB_TYPE, 'data-verified', {
    elementId,
    nameMatches: doiChieu.hoTenKhop,
    idMatches: doiChieu.soDinhDanhKhop,
    earlierResults: doiChieu.ketQuaDaCap.length,
    storedDocuments: Object.values(giayToTrongKho).flat().length,
    text: { vi: `${step}: đã đối chiếu với kho dữ liệu của người nộp`, en: `${step}: checked against the applicant's data store` },
  }, now);
  return { doiChieu };
}

interface StoredDocumentRow {
  code: string;
  document_kind: string;
  metadata: DocumentMetadata;
  confirmed_at: Date;
}

/**
 * The applicant's digitized documents the store holds (Circular 01 Art. 24.2.dd–e; docs/datastore.md):
 * confirmed (Art. 9.1), issued to the applicant's holder ID (Art. 9.2.b; a parent's dossier may
 * hold a child's papers: those are the child's), still valid on today's Vietnamese date (Art.
 * 9.2.h), grouped by document-type code (Art. 9.2.a), newest first. No holder ID: none.
 */
async function storedDocumentsByType({ trx, now }: JobContext, ownerAccountId: string, holderId: string | null) {
  const byType: Record<string, Array<{ ma: string; ten: string; loaiBan: string; soKyHieu: string; ngayBanHanh: string; coQuanBanHanh: string; hieuLucDen: string | null; ngayXacNhan: string }>> = {};
  if (holderId === null) return byType;
  const today = vietnamDateOf(now);
  const rows = await trx('digitizations as g')
    .join('dossiers as d', 'd.id', 'g.dossier_id')
    .where({ 'g.status': 'confirmed', 'd.owner_account_id': ownerAccountId })
    .whereRaw("g.metadata->>'holderId' = ?", [holderId])
    .orderBy([{ column: 'g.confirmed_at', order: 'desc' }, { column: 'g.id', order: 'desc' }])
    .select<StoredDocumentRow[]>('g.code', 'g.document_kind', 'g.metadata', 'g.confirmed_at');
  for (const row of rows.filter((candidate) => stillValid(candidate.metadata, today)).slice(0, STORED_DOCUMENTS)) {
    const { metadata } = row;
    (byType[metadata.documentTypeCode] ??= []).push({
      ma: row.code,
      ten: metadata.documentName,
      loaiBan: row.document_kind,
      soKyHieu: metadata.numberSymbol,
      ngayBanHanh: metadata.issuedOn,
      coQuanBanHanh: metadata.issuingAgency,
      hieuLucDen: metadata.validUntil,
      ngayXacNhan: row.confirmed_at.toISOString(),
    });
  }
  return byType;
}
