import { QuyTrinhError } from '../../engine/errors.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/connect.ts';
import type { DossierDocument, PrintedDossier } from '../printing/dossier-document.ts';
import { sealedAgencyCredential, sealedCredential, type CredentialHolder } from '../signatures/credentials.ts';
import { ANNULMENT_SIGNING_REASON, RESULT_SIGNING_REASON, SIGNING_LOCATION } from '../signatures/sign-pdf.ts';
import { sharedPdfPool, type PdfPool } from '../workers/pdf-pool.ts';
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

/** A notice printed in the PDF pool (server/workers/pdf-pool.ts), each time it is asked for: notices are not signed. */
export async function printNotice(db: Database, dossier: DossierRow, kind: NoticeKind, lookupBaseUrl: string, pool: PdfPool = sharedPdfPool()): Promise<Buffer> {
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
  return pool.print(document);
}

export type ResultState = 'issued' | 'annulled';

/**
 * Where the QR of a result signed by a worker leads, with no request to take an address from: the
 * configured public address (PUBLIC_URL), else this machine's own port (a development setup).
 */
export function configuredLookupBase(): string {
  const config = loadConfig();
  return config.publicUrl ?? `http://localhost:${config.port}`;
}

/**
 * Prints the result as it stands (annulled or not) with its visible signature, has the dossier's
 * agency sign it at `signedAt` (Decree 45 Art. 14.3.b), both in the PDF pool, and stores it
 * (result_documents) in `db` (the caller's transaction). With an `approver` (the official who
 * approved the result, server/workers/result-issue.ts), the approver signs first with their
 * personal certificate and the agency's signature then seals it (docs/signatures.md). The first
 * document stored for a result and state is the one kept: one made at the same moment by another
 * request is answered instead.
 */
export async function signResultDocument(db: Database, dossier: DossierRow, result: ResultRow, lookupBaseUrl: string, signedAt: Date, pool: PdfPool = sharedPdfPool(), approver?: CredentialHolder): Promise<Buffer> {
  const state: ResultState = result.annulled_at ? 'annulled' : 'issued';
  const printed = await printedDossier(db, dossier);
  const document: DossierDocument = {
    kind: 'result',
    dossier: printed,
    lookupBaseUrl,
    result: {
      code: result.code,
      title: result.title,
      issuedAt: result.issued_at,
      ...(result.annulled_at ? { annulment: { at: result.annulled_at, reason: result.annulment_reason ?? '' } } : {}),
    },
  };
  const pdf = await pool.printSigned(document, {
    credential: await sealedAgencyCredential(db, dossier.agency_code),
    reason: state === 'annulled' ? ANNULMENT_SIGNING_REASON : RESULT_SIGNING_REASON,
    location: SIGNING_LOCATION,
    signedAt,
    appearance: { agency: printed.agency, signedAt },
    ...(approver ? { approver: await sealedCredential(db, approver) } : {}),
  });
  const inserted = await db('result_documents')
    .insert({ result_id: result.id, state, pdf, signed_at: signedAt, signer_agency_code: dossier.agency_code, lookup_base_url: lookupBaseUrl })
    .onConflict(['result_id', 'state'])
    .ignore()
    .returning('id');
  if (inserted.length > 0) return pdf;
  return (await db('result_documents').where({ result_id: result.id, state }).first<{ pdf: Buffer }>('pdf')).pdf;
}

/**
 * A result's signed PDF as stored: the one signed when it was issued, or, once annulled, the
 * annulled version (Art. 15). A result with no stored document for its state (issued before
 * documents were stored, or annulled other than by annulResult) is printed and signed now, once,
 * and stored; an annulled version keeps the QR address of the issued one.
 */
export async function resultPdf(db: Database, dossier: DossierRow, result: ResultRow, lookupBaseUrl: string, pool: PdfPool = sharedPdfPool()): Promise<Buffer> {
  const state: ResultState = result.annulled_at ? 'annulled' : 'issued';
  const stored = await db('result_documents').where({ result_id: result.id }).select<Array<{ state: ResultState; pdf: Buffer; lookup_base_url: string }>>('state', 'pdf', 'lookup_base_url');
  const current = stored.find((document) => document.state === state);
  if (current) return current.pdf;
  const issued = stored.find((document) => document.state === 'issued');
  return signResultDocument(db, dossier, result, issued?.lookup_base_url ?? lookupBaseUrl, new Date(), pool);
}
