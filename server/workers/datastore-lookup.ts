import { addDossierEvent, dossierStep } from './dossier-records.ts';
import type { JobContext } from './job-context.ts';

const JOB_TYPE = 'datastore.lookup';
/** The earlier results carried into the instance's variables, newest first: enough to check against, not a whole history. */
const EARLIER_RESULTS = 20;

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
 * dossiers and not annulled (Art. 16.2.b, 15). The step's models name national databases (the
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
  };
  await addDossierEvent(trx, dossier.id, JOB_TYPE, 'data-verified', {
    elementId,
    nameMatches: doiChieu.hoTenKhop,
    idMatches: doiChieu.soDinhDanhKhop,
    earlierResults: doiChieu.ketQuaDaCap.length,
    text: { vi: `${step}: đã đối chiếu với kho dữ liệu của người nộp`, en: `${step}: checked against the applicant's data store` },
  }, now);
  return { doiChieu };
}
