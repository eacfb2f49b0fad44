/**
 * What the PDF pool's threads do (pdf-pool.ts; `pdf-worker.js` loads this module through tsx):
 * print a dossier document, print a result with its visible signature and sign it, sign any
 * PDF or any bytes (a detached CMS), or verify a PDF's signatures or a detached one (roots as PEM, since a forge certificate does not cross a thread). Plain data in and out (only structured-cloneable values cross a thread): the signing key
 * comes as the stored PKCS#12 file with the passphrase that opens it, and is opened here, so that
 * this cost (about 35 ms) is off the event loop too; a typed error comes back as data.
 */
import { createHash } from 'node:crypto';
import { isQuyTrinhError } from '../../engine/errors.ts';
import type { DossierDocument } from '../printing/dossier-document.ts';
import { APPROVER_WIDGET_RECT, printDossierDocument, SIGNATURE_WIDGET_RECT, type SignatureAppearance } from '../printing/notice-pdf.ts';
import { openSealedCredential, type SealedCredential, type SigningCredential } from '../signatures/credentials.ts';
import { certificateFromPem } from '../signatures/certificates.ts';
import type { Revocation } from '../signatures/revocation.ts';
import { cmsSignature, signPdf } from '../signatures/sign-pdf.ts';
import { verifyDetachedSignature, verifyPdfSignature, type DetachedVerification, type SignatureVerification } from '../signatures/verify-pdf.ts';
import type { TypedErrorData } from './analysis-tasks.ts';

/** [x1, y1, x2, y2] in PDF user space (points, origin bottom left) on page one: a signature widget's /Rect. */
export type WidgetRect = [number, number, number, number];

/** Who signs, why, where and when. */
export interface SignatureRequest {
  credential: SealedCredential;
  reason: string;
  location: string;
  signedAt: Date;
}

/**
 * A document's signature as printed: the signer (the agency) and, for a result approved by an
 * official, the approver, who signs first with their personal certificate (same reason, place
 * and time); the agency's signature then seals it as an incremental update (docs/signatures.md).
 */
export type PrintedSignature = SignatureRequest & { appearance: Omit<SignatureAppearance, 'signerName' | 'approverName'>; approver?: SealedCredential };

export type PdfTask =
  | { kind: 'print'; document: DossierDocument }
  | { kind: 'print-signed'; document: DossierDocument; signature: PrintedSignature }
  | { kind: 'sign'; pdf: Uint8Array; signature: SignatureRequest; widgetRect?: WidgetRect }
  /** A detached CMS signature of any bytes (a signed confirmation of digitized metadata, Circular 01 Art. 9.3). */
  | { kind: 'sign-data'; content: Uint8Array; credential: SealedCredential; signedAt: Date }
  | VerifyTask
  | VerifyDataTask;

/** A detached CMS signature over `content` verified against the trusted roots (PEM) and the revocation list. */
export interface VerifyDataTask {
  kind: 'verify-data';
  content: Uint8Array;
  cms: Uint8Array;
  rootPems: string[];
  revoked: Revocation[];
}

/** A PDF's signature verified (Decree 45 Art. 11.2.b) against the trusted roots (PEM) and the revocation list, read by the caller. */
export interface VerifyTask {
  kind: 'verify';
  pdf: Uint8Array;
  rootPems: string[];
  revoked: Revocation[];
}

export type PdfTaskOutcome = { ok: true; value: Uint8Array } | { ok: true; verification: SignatureVerification } | { ok: true; detached: DetachedVerification } | { ok: false; error: TypedErrorData };

/**
 * Opened credentials by the digest of their PKCS#12 file and passphrase, so that a thread signing
 * one agency's results opens its key once. Bounded; a replaced credential (a new file) is a new entry.
 */
const opened = new Map<string, SigningCredential>();
const OPENED_KEPT = 16;

function credentialOf(sealed: SealedCredential): SigningCredential {
  const digest = createHash('sha256').update(sealed.passphrase).update(sealed.pkcs12).digest('hex');
  let credential = opened.get(digest);
  if (!credential) {
    credential = openSealedCredential(sealed);
    if (opened.size >= OPENED_KEPT) opened.delete(opened.keys().next().value!);
    opened.set(digest, credential);
  }
  return credential;
}

const bufferOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

async function run(task: Exclude<PdfTask, VerifyTask | VerifyDataTask>): Promise<Buffer> {
  switch (task.kind) {
    case 'print':
      return printDossierDocument(task.document);
    case 'print-signed': {
      const { appearance, approver, ...signature } = task.signature;
      const credential = credentialOf(signature.credential);
      const approving = approver && credentialOf(approver);
      const printed = await printDossierDocument(task.document, { ...appearance, signerName: credential.signerName, ...(approving ? { approverName: approving.signerName } : {}) });
      const approved = approving ? await signPdf(printed, approving, { ...signature, widgetRect: APPROVER_WIDGET_RECT }) : printed;
      return signPdf(approved, credential, { ...signature, widgetRect: SIGNATURE_WIDGET_RECT });
    }
    case 'sign':
      return signPdf(bufferOf(task.pdf), credentialOf(task.signature.credential), { ...task.signature, ...(task.widgetRect ? { widgetRect: task.widgetRect } : {}) });
    case 'sign-data':
      return cmsSignature(bufferOf(task.content), credentialOf(task.credential), task.signedAt);
  }
}

export default async function runPdfTask(task: PdfTask): Promise<PdfTaskOutcome> {
  if (task.kind === 'verify') return { ok: true, verification: verifyPdfSignature(bufferOf(task.pdf), task.rootPems.map(certificateFromPem), task.revoked) };
  if (task.kind === 'verify-data') return { ok: true, detached: verifyDetachedSignature(bufferOf(task.cms), bufferOf(task.content), task.rootPems.map(certificateFromPem), task.revoked) };
  try {
    const bytes = await run(task);
    return { ok: true, value: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  } catch (error) {
    if (!isQuyTrinhError(error)) throw error;
    return { ok: false, error: { kind: error.kind, code: error.code, text: error.text, details: error.details } };
  }
}
