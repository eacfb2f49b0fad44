/**
 * What the server prints about a dossier (Decree 45 Art. 18: converting an electronic dossier or
 * result into a paper document): the notices of the receipt stage and the results. One typed
 * input per kind; the QR payload (qr-payload.ts) and the PDF (notice-pdf.ts) are both functions
 * of it, so the paper and its QR can never disagree.
 */
import { applicationNumberSchema } from '../../engine/codes/application-number.ts';
import { QuyTrinhError } from '../../engine/errors.ts';

/** The dossier as every printed document names it. */
export interface PrintedDossier {
  /** The dossier code (mã hồ sơ), `<agency>-<yymmdd>-<nnnn>` (engine/codes/application-number.ts). */
  code: string;
  /** The procedure: its code in the national database of procedures and its name. */
  procedure: { code: string; name: string };
  /** The agency handling the dossier and issuing the document. */
  agency: { code: string; name: string };
  /** The organisation or person following the procedure; `idNumber` is their identification code (Circular 01 Art. 26.2.c). */
  applicant: { name: string; idNumber: string };
}

interface DocumentBase {
  dossier: PrintedDossier;
  /** The public address of the product, e.g. `https://dichvucong.example.gov.vn`; the QR leads to `<lookupBaseUrl>/tra-cuu/<code>`. */
  lookupBaseUrl: string;
}

/** Decree 45 Art. 11.1 and 11.4: the system received the application; the agency answers within 08 working hours. */
export interface ReceiptNotice extends DocumentBase {
  kind: 'receipt';
  /** The time of official receipt on the system (Art. 11.1). */
  receivedAt: Date;
  /** 08 working hours after `receivedAt` on the agency's calendar (Art. 11.4). */
  receiptDueAt: Date;
  /** The components received, by name. */
  components?: string[];
  /** The date appointed for returning the result, when the procedure fixes one (Circular 01 Art. 26.2.g). */
  resultDueAt?: Date;
}

/** Decree 45 Art. 11.3: the guidance to amend the application, every item at once, given once. */
export interface AmendmentGuidance extends DocumentBase {
  kind: 'amendment';
  requestedAt: Date;
  items: string[];
  note?: string;
}

/** The refusal of the application, with its reasons. */
export interface RefusalNotice extends DocumentBase {
  kind: 'refusal';
  refusedAt: Date;
  reasons: string[];
}

/** A result of the dossier (Decree 45 Art. 14), annulled when `annulment` is set (Art. 15). */
export interface ResultDocument extends DocumentBase {
  kind: 'result';
  result: {
    /** `<dossier code>-KQ<n>` (Art. 14.3.d). */
    code: string;
    /** The name of the result, e.g. "Giấy chứng nhận đăng ký hộ kinh doanh". */
    title: string;
    issuedAt: Date;
    /** Who signed the result for the agency. */
    issuer?: string;
    /** What the result decides, as labelled lines. */
    details?: Array<{ label: string; value: string }>;
    /** The time limit of its effect, if any (Circular 01 Art. 26.2.h). */
    validUntil?: Date;
    /** The scope of its effect, if any (Circular 01 Art. 26.2.h). */
    scope?: string;
    annulment?: { at: Date; reason: string };
  };
}

/**
 * The electronic receipt of fees and charges paid online (Decree 45 Art. 13.4: sent to the payer to
 * proceed with the procedure; Circular 01 Art. 27: the transaction's code, content and revenue data).
 */
export interface PaymentReceipt extends DocumentBase {
  kind: 'payment-receipt';
  payment: {
    /** The transaction code (Circular 01 Art. 27.4–27.5). */
    transactionCode: string;
    /** The payment order's content (Art. 27.3). */
    content: string;
    amountVnd: number;
    serviceFeeVnd: number | null;
    paidAt: Date;
    collectingAccount: { number: string; name: string; citadCode: string };
    feeCode: string | null;
    provider: string;
    providerReference: string | null;
  };
}

export type DossierDocument = ReceiptNotice | AmendmentGuidance | RefusalNotice | ResultDocument | PaymentReceipt;
export type DossierDocumentKind = DossierDocument['kind'];

/**
 * The names of the documents (Circular 01 Art. 26.2.d), those of the forms officials know from
 * the one-stop-shop practice (Decree 61/2018): the result is named by its own title.
 */
const DOCUMENT_NAMES: Record<Exclude<DossierDocumentKind, 'result'>, string> = {
  receipt: 'Thông báo tiếp nhận hồ sơ',
  amendment: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
  refusal: 'Phiếu từ chối giải quyết hồ sơ',
  'payment-receipt': 'Biên lai thu phí, lệ phí điện tử',
};

export function documentName(document: DossierDocument): string {
  return document.kind === 'result' ? tidy(document.result.title) : DOCUMENT_NAMES[document.kind];
}

/** The time the document was published (Circular 01 Art. 26.2.e). */
export function publishedAt(document: DossierDocument): Date {
  switch (document.kind) {
    case 'receipt':
      return document.receivedAt;
    case 'amendment':
      return document.requestedAt;
    case 'refusal':
      return document.refusedAt;
    case 'result':
      return document.result.issuedAt;
    case 'payment-receipt':
      return document.payment.paidAt;
  }
}

/** The state of the dossier the document records; an annulled result says so (Decree 45 Art. 15). */
export function documentStatus(document: DossierDocument): string {
  switch (document.kind) {
    case 'receipt':
      return 'Đã nộp thành công';
    case 'amendment':
      return 'Yêu cầu bổ sung';
    case 'refusal':
      return 'Từ chối';
    case 'result':
      return document.result.annulment ? 'Đã huỷ' : 'Đã cấp';
    case 'payment-receipt':
      return 'Đã nộp phí, lệ phí';
  }
}

/** The code the document is looked up by: the result code for a result, the dossier code otherwise. */
export function documentCode(document: DossierDocument): string {
  return document.kind === 'result' ? document.result.code : document.dossier.code;
}

/** The public lookup page of the document, which the QR opens on a phone. */
export function lookupUrl(document: DossierDocument): string {
  return `${document.lookupBaseUrl.replace(/\/+$/, '')}/tra-cuu/${encodeURIComponent(documentCode(document))}`;
}

/**
 * Text as printed and encoded: precomposed letters (NFC: a name typed as "Unicode tổ hợp" prints
 * and encodes the same as one typed precomposed, and takes fewer QR bytes) on one line.
 */
export function tidy(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function invalid(code: string, vi: string, en: string, field: string): QuyTrinhError {
  return new QuyTrinhError('invalid-input', `printing.${code}`, { vi, en }, [{ field, message: en, messages: { vi, en } }]);
}

/**
 * What a document must hold before it is printed: a dossier code, a result code of that dossier
 * (Decree 45 Art. 14.3.d), at least one item to amend (Art. 11.3) or reason to refuse, and a
 * lookup address a phone can open.
 */
export function checkDossierDocument(document: DossierDocument): void {
  if (!applicationNumberSchema.safeParse(document.dossier.code).success) {
    throw invalid('dossier-code', `Mã hồ sơ không hợp lệ: ${document.dossier.code}`, `Not a dossier code: ${document.dossier.code}`, 'dossier.code');
  }
  if (!URL.canParse(document.lookupBaseUrl) || !/^https?:$/.test(new URL(document.lookupBaseUrl).protocol)) {
    throw invalid('lookup-base-url', 'Địa chỉ tra cứu phải là URL http(s)', 'The lookup address must be an http(s) URL', 'lookupBaseUrl');
  }
  for (const [field, text] of [['dossier.procedure.code', document.dossier.procedure.code], ['dossier.applicant.idNumber', document.dossier.applicant.idNumber]] as const) {
    if (tidy(text) === '') throw invalid('missing-field', `Thiếu ${field} (Thông tư 01/2023 Điều 26.2)`, `${field} is missing (Circular 01 Art. 26.2)`, field);
  }
  if (document.kind === 'result' && !isResultCodeOf(document.result.code, document.dossier.code)) {
    throw invalid('result-code', `Mã kết quả ${document.result.code} không thuộc hồ sơ ${document.dossier.code}`, `Result code ${document.result.code} is not <dossier code>-KQ<n> of ${document.dossier.code}`, 'result.code');
  }
  if (document.kind === 'amendment' && !document.items.some((item) => tidy(item) !== '')) {
    throw invalid('amendment-items', 'Hướng dẫn bổ sung phải nêu ít nhất một nội dung', 'Amendment guidance must list at least one item', 'items');
  }
  if (document.kind === 'refusal' && !document.reasons.some((reason) => tidy(reason) !== '')) {
    throw invalid('refusal-reasons', 'Từ chối phải nêu lý do', 'A refusal must state its reasons', 'reasons');
  }
}

/** `<dossier code>-KQ<n>`, n from 1 (Decree 45 Art. 14.3.d, engine/codes makeResultCode). */
function isResultCodeOf(resultCode: string, dossierCode: string): boolean {
  const prefix = `${dossierCode}-KQ`;
  return resultCode.startsWith(prefix) && /^[1-9]\d*$/.test(resultCode.slice(prefix.length));
}
