import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { addNotice } from './notices.ts';
import { configuredLookupBase, signResultDocument } from './printing.ts';
import { recordDossierEvent, type DossierRow } from './records.ts';

export interface ResultRow {
  id: string;
  dossier_id: string;
  n: number;
  code: string;
  title: string;
  issued_at: Date;
  issued_by: string;
  annulled_at: Date | null;
  annulment_reason: string | null;
  annulled_by: string | null;
}

export const annulmentBody = z.object({ reason: z.string().trim().min(1, 'required').max(2000, 'at most 2,000 characters') }).strict();

export async function resultByCode(db: Database, code: string): Promise<{ result: ResultRow; dossier: DossierRow } | undefined> {
  const result = await db<ResultRow>('dossier_results').where({ code }).first();
  if (!result) return undefined;
  const dossier = await db<DossierRow>('dossiers').where({ id: result.dossier_id }).first();
  return dossier ? { result, dossier } : undefined;
}

/**
 * Annulment (Decree 45 Art. 15): the competent authority marks the result and records when it
 * ceased to be valid; it stays browsable for officials (15.2), the applicant is told, and every
 * printed copy becomes invalid (15.3): the public lookup its QR leads to says so. The signed
 * document issued stays as it was; the annulled version, stamped and signed by the agency at the
 * annulment, is stored beside it in the same transaction (server/dossiers/printing.ts), and served
 * from then on. Only an approver (lãnh đạo) of the issuing agency, or an administrator, may annul.
 */
export async function annulResult(db: Database, principal: Principal, code: string, reason: string): Promise<ResultRow> {
  const found = await resultByCode(db, code);
  if (!found) throw new QuyTrinhError('not-found', 'result.not-found', { vi: `Không có kết quả ${code}`, en: `No result ${code}` });
  const { dossier } = found;
  const approver = principal.memberships.some((m) => m.agencyCode === dossier.agency_code && (m.function === 'lanh-dao' || m.function === null));
  if (!hasRole(principal, 'admin') && !(hasRole(principal, 'official') && approver)) {
    throw new QuyTrinhError('forbidden', 'result.annul-forbidden', {
      vi: `Chỉ lãnh đạo của cơ quan ${dossier.agency_code} mới được huỷ kết quả (Nghị định 45/2020 Điều 15)`,
      en: `Only an approver of agency ${dossier.agency_code} may annul a result (Decree 45/2020 Art. 15)`,
    });
  }
  return db.transaction(async (trx) => {
    const now = new Date();
    const [annulled] = await trx<ResultRow>('dossier_results').where({ code }).whereNull('annulled_at').update({ annulled_at: now, annulment_reason: reason, annulled_by: principal.actor }).returning('*');
    if (!annulled) {
      throw new QuyTrinhError('conflict', 'result.already-annulled', { vi: `Kết quả ${code} đã bị huỷ trước đó`, en: `Result ${code} was already annulled` });
    }
    await recordDossierEvent(trx, dossier.id, 'result-annulled', principal.actor, { code, reason }, now);
    const issued = await trx('result_documents').where({ result_id: annulled.id, state: 'issued' }).first<{ lookup_base_url: string } | undefined>('lookup_base_url');
    await signResultDocument(trx, dossier, annulled, issued?.lookup_base_url ?? configuredLookupBase(), now);
    await addNotice(trx, {
      accountId: dossier.owner_account_id,
      dossierId: dossier.id,
      kind: 'annulment',
      subject: { vi: `Kết quả ${code} đã bị huỷ`, en: `Result ${code} was annulled` },
      body: { vi: `Lý do: ${reason}. Bản giấy in từ kết quả này không còn giá trị (Nghị định 45/2020 Điều 15.3).`, en: `Reason: ${reason}. Paper copies printed from this result are no longer valid (Decree 45/2020 Art. 15.3).` },
    }, now);
    return annulled;
  });
}
