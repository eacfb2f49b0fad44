import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { printedDossier } from '../dossiers/printing.ts';
import type { DossierRow } from '../dossiers/records.ts';
import type { DossierDocument } from '../printing/dossier-document.ts';
import { sealedAgencyCredential } from '../signatures/credentials.ts';
import { SIGNING_LOCATION } from '../signatures/sign-pdf.ts';
import { sharedPdfPool, type PdfPool } from '../workers/pdf-pool.ts';

/**
 * The electronic receipt of a successful payment (Decree 45 Art. 13.4: the signed document of the
 * contribution is sent to the payer to proceed with the procedure). Art. 13.4 names the document
 * the bank or payment intermediary signs; the sandbox provider signs none, so the receipt the
 * product sends is the collecting agency's, signed with its key like a result (docs/signatures.md),
 * and names the provider's reference. Printed and signed once, on first request after the
 * payment, and kept: every later download is the same signed file.
 */

export const RECEIPT_SIGNING_REASON = 'Ký số biên lai thu phí, lệ phí điện tử, Nghị định 45/2020 Điều 13.4';

interface ReceiptSource {
  id: string;
  code: string;
  content: string;
  amount_vnd: string;
  service_fee_vnd: string | null;
  fee_code: string | null;
  account_number: string;
  account_name: string;
  citad_code: string;
  provider: string;
  provider_reference: string | null;
  paid_at: Date | null;
  status_changed_at: Date;
  status: string;
}

function notPaid(code: string): QuyTrinhError {
  return new QuyTrinhError('not-found', 'payment.receipt-not-found', {
    vi: `Hồ sơ không có giao dịch ${code} đã thanh toán thành công`,
    en: `The application has no successfully paid transaction ${code}`,
  });
}

/** The signed receipt of the dossier's paid transaction `code`; `payment.receipt-not-found` (404) for any other. */
export async function paymentReceipt(db: Database, dossier: DossierRow, code: string, lookupBaseUrl: string, pool: PdfPool = sharedPdfPool()): Promise<Buffer> {
  const transaction = await db('payment_transactions')
    .where({ dossier_id: dossier.id, code })
    .whereIn('status', ['payment-succeeded', 'transaction-succeeded'])
    .first<ReceiptSource | undefined>('id', 'code', 'content', 'amount_vnd', 'service_fee_vnd', 'fee_code', 'account_number', 'account_name', 'citad_code', 'provider', 'provider_reference', 'paid_at', 'status_changed_at', 'status');
  if (!transaction) throw notPaid(code);
  const kept = await db('payment_receipts').where({ transaction_id: transaction.id }).first<{ pdf: Buffer } | undefined>('pdf');
  if (kept) return kept.pdf;

  const printed = await printedDossier(db, dossier);
  const document: DossierDocument = {
    kind: 'payment-receipt',
    dossier: printed,
    lookupBaseUrl,
    payment: {
      transactionCode: transaction.code,
      content: transaction.content,
      amountVnd: Number(transaction.amount_vnd),
      serviceFeeVnd: transaction.service_fee_vnd === null ? null : Number(transaction.service_fee_vnd),
      paidAt: transaction.paid_at ?? transaction.status_changed_at,
      collectingAccount: { number: transaction.account_number, name: transaction.account_name, citadCode: transaction.citad_code },
      feeCode: transaction.fee_code,
      provider: transaction.provider,
      providerReference: transaction.provider_reference,
    },
  };
  // Printed with its visible signature and signed in the PDF pool, off the event loop (docs/signatures.md).
  const signedAt = new Date();
  const credential = await sealedAgencyCredential(db, dossier.agency_code);
  const signed = await pool.printSigned(document, { credential, reason: RECEIPT_SIGNING_REASON, location: SIGNING_LOCATION, signedAt, appearance: { agency: printed.agency, signedAt } });
  // Two first downloads at once: the first stored wins and both answer it.
  await db('payment_receipts').insert({ transaction_id: transaction.id, pdf: signed, signed_at: signedAt, signer_agency_code: dossier.agency_code }).onConflict('transaction_id').ignore();
  const stored = await db('payment_receipts').where({ transaction_id: transaction.id }).first<{ pdf: Buffer }>('pdf');
  return stored.pdf;
}
