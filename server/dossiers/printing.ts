import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import type { DossierDocument, PrintedDossier } from '../printing/dossier-document.ts';
import { printDossierDocument } from '../printing/notice-pdf.ts';
import { signAsAgency } from '../signatures/sign-pdf.ts';
import type { DossierRow } from './records.ts';
import type { ResultRow } from './results.ts';

/**
 * A dossier's notices and results as printed documents (Decree 45 Art. 18; Circular 01 Art. 26),
 * from what the dossier layer stores. `lookupBaseUrl` is where the QR leads (`/tra-cuu/<code>`).
 */
export type NoticeKind = 'receipt' | 'amendment' | 'refusal';

export async function printedDossier(db: Database, dossier: DossierRow): Promise<PrintedDossier> {
  const agency = await db('agencies').where({ code: dossier.agency_code }).first<{ name: string } | undefined>('name');
  return {
    code: dossier.code,
    procedure: { code: dossier.procedure_code ?? dossier.procedure_key, name: dossier.procedure_name },
    agency: { code: dossier.agency_code, name: agency?.name ?? dossier.agency_code },
    // Circular 01 Art. 26.2.c: the applicant's identification code; an account without one is named by its dossier.
    applicant: { name: dossier.applicant_name, idNumber: dossier.applicant_id ?? dossier.code },
  };
}

function noSuchNotice(dossier: DossierRow, kind: NoticeKind): QuyTrinhError {
  return new QuyTrinhError('not-found', 'dossier.notice-not-found', {
    vi: `Hồ sơ ${dossier.code} không có ${kind === 'amendment' ? 'phiếu yêu cầu bổ sung' : 'phiếu từ chối'}`,
    en: `Dossier ${dossier.code} has no ${kind === 'amendment' ? 'amendment request' : 'refusal'}`,
  });
}

export async function printNotice(db: Database, dossier: DossierRow, kind: NoticeKind, lookupBaseUrl: string): Promise<Buffer> {
  const base = { dossier: await printedDossier(db, dossier), lookupBaseUrl };
  let document: DossierDocument;
  if (kind === 'receipt') {
    const components = await db('dossier_components').where({ dossier_id: dossier.id }).whereNull('superseded_at').orderBy('uploaded_at').pluck('name') as string[];
    document = { ...base, kind, receivedAt: dossier.submitted_at, receiptDueAt: dossier.receipt_due_at, components };
  } else if (kind === 'amendment') {
    if (!dossier.amendment_request || !dossier.amendment_requested_at) throw noSuchNotice(dossier, kind);
    document = { ...base, kind, requestedAt: dossier.amendment_requested_at, items: dossier.amendment_request.items, ...(dossier.amendment_request.note ? { note: dossier.amendment_request.note } : {}) };
  } else {
    if (!dossier.refusal || !dossier.ended_at) throw noSuchNotice(dossier, kind);
    document = { ...base, kind, refusedAt: dossier.ended_at, reasons: dossier.refusal.reasons };
  }
  return printDossierDocument(document);
}

/**
 * A result printed and signed by the dossier's agency (Decree 45 Art. 14.3.b; docs/signatures.md),
 * an annulled one too: the signature dates the copy, the stamp and the lookup say it is annulled.
 */
export async function printResult(db: Database, dossier: DossierRow, result: ResultRow, lookupBaseUrl: string): Promise<Buffer> {
  const printed = await printDossierDocument({
    kind: 'result',
    dossier: await printedDossier(db, dossier),
    lookupBaseUrl,
    result: {
      code: result.code,
      title: result.title,
      issuedAt: result.issued_at,
      ...(result.annulled_at ? { annulment: { at: result.annulled_at, reason: result.annulment_reason ?? '' } } : {}),
    },
  });
  return signAsAgency(db, dossier.agency_code, printed);
}
