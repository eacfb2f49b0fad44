/**
 * Signs a PDF with an agency's credential (Decree 45 Art. 14.3.b; Circular 01 Art. 8–9 for signed
 * electronic copies): a detached CMS signature (SHA-256, RSA) in a signature dictionary with the
 * ETSI.CAdES.detached sub-filter, over every byte of the file but the signature itself, naming
 * the signer, the reason, the place and the time. The placeholder is added to the finished bytes
 * as an incremental update (@signpdf/placeholder-plain: pdfkit writes a classic xref table).
 *
 * placeholder-plain writes a text string's UTF-16 code units as UTF-8 bytes, which mangles every
 * Vietnamese letter: it is given ASCII stand-ins of the right length instead, which are then
 * overwritten, byte for byte (the xref offsets stay true), by the UTF-16BE hex strings of the
 * real texts before the bytes are signed.
 */
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf, Signer } from '@signpdf/signpdf';
import forge from 'node-forge';
import { SYSTEM_NAME } from '../printing/qr-payload.ts';
import type { Database } from '../db/connect.ts';
import { sharedPdfPool, type PdfPool } from '../workers/pdf-pool.ts';
import { sealedCredential, type CredentialHolder, type SigningCredential } from './credentials.ts';

/**
 * The CMS signer: forge's PKCS#7 in detached mode with the signed attributes content type,
 * signing time and message digest (SHA-256), and the whole chain. It signs with the credential's
 * certificates as parsed by certificates.ts (names as text), where @signpdf/signer-p12 would
 * parse the PKCS#12 itself and write the Vietnamese names encoded twice.
 */
class CredentialSigner extends Signer {
  readonly #credential: SigningCredential;

  constructor(credential: SigningCredential) {
    super();
    this.#credential = credential;
  }

  override async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const { key, chain } = this.#credential;
    const cms = forge.pkcs7.createSignedData();
    cms.content = forge.util.createBuffer(pdf.toString('binary'));
    for (const certificate of chain) cms.addCertificate(certificate);
    cms.addSigner({
      key,
      certificate: chain[0]!,
      digestAlgorithm: forge.pki.oids.sha256!,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
        { type: forge.pki.oids.signingTime!, value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids.messageDigest! },
      ],
    });
    cms.sign({ detached: true });
    return Promise.resolve(Buffer.from(forge.asn1.toDer(cms.toAsn1()).getBytes(), 'binary'));
  }
}

/**
 * A detached CMS signature (DER) of `content` with the credential, as a PDF's signature is made:
 * the signed confirmation of digitized metadata (Circular 01 Art. 9.3) is one.
 */
export function cmsSignature(content: Buffer, credential: SigningCredential, signingTime: Date): Promise<Buffer> {
  return new CredentialSigner(credential).sign(content, signingTime);
}

/** The reason every result carries. */
export const RESULT_SIGNING_REASON = 'Ký số kết quả giải quyết TTHC, Nghị định 45/2020 Điều 14.3.b';
/** The reason of a result's annulled version (Decree 45 Art. 15): signed at the annulment. */
export const ANNULMENT_SIGNING_REASON = 'Ký số bản kết quả đã huỷ, Nghị định 45/2020 Điều 15';
export const SIGNING_LOCATION = 'Việt Nam';
/** Room for the CMS: a chain of up to four RSA-4096 certificates with room to spare. */
const SIGNATURE_BYTES = 12_288;
/** PAdES baseline (ETSI EN 319 142-1): the CMS is a CAdES detached signature. */
const SUBFILTER = 'ETSI.CAdES.detached';

export interface SigningDetails {
  reason: string;
  location: string;
  signedAt: Date;
  /**
   * Where the signature shows on page one, [x1, y1, x2, y2] in PDF user space (points, origin
   * bottom left): the widget a PDF reader opens the signature from, over the stamp drawn there.
   * Without it the signature field is invisible (a zero rectangle).
   */
  widgetRect?: [number, number, number, number];
}

/** A PDF text string as hex, UTF-16BE with its byte order mark (ISO 32000-1 §7.9.2.2). */
function hexTextString(text: string): string {
  const bytes = Buffer.from(text, 'utf16le').swap16();
  return `<FEFF${bytes.toString('hex').toUpperCase()}>`;
}

/** An ASCII literal `(QT…___)` exactly as long as the hex string of `text`. */
function standIn(tag: string, text: string): { literal: string; token: string; hex: string } {
  const hex = hexTextString(text);
  const token = `QT${tag}`.padEnd(hex.length - 2, '_');
  return { literal: `(${token})`, token, hex };
}

/** PDF names are bytes, `#xx` escaped (ISO 32000-1 §7.3.5): the product's name in UTF-8. */
const APP_NAME = [...Buffer.from(SYSTEM_NAME, 'utf8')].map((byte) => (byte > 0x20 && byte < 0x7f && byte !== 0x23 ? String.fromCharCode(byte) : `#${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

export async function signPdf(pdf: Buffer, credential: SigningCredential, details: SigningDetails): Promise<Buffer> {
  const texts = { reason: standIn('R', details.reason), name: standIn('N', credential.signerName), location: standIn('L', details.location) };
  const prepared = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: texts.reason.token,
    contactInfo: '',
    name: texts.name.token,
    location: texts.location.token,
    signingTime: details.signedAt,
    signatureLength: SIGNATURE_BYTES,
    subFilter: SUBFILTER,
    appName: APP_NAME,
    ...(details.widgetRect ? { widgetRect: details.widgetRect } : {}),
  });
  for (const { literal, hex } of Object.values(texts)) {
    // Only the appended update holds the stand-ins; pdfkit's own bytes come before `pdf.length`.
    const at = prepared.indexOf(literal, pdf.length, 'latin1');
    if (at < 0) throw new Error(`signature placeholder text ${literal} not found`);
    prepared.write(hex, at, 'latin1');
  }
  return new SignPdf().sign(prepared, new CredentialSigner(credential), details.signedAt);
}

export interface AgencySigning {
  /** The signature dictionary's /Reason; the reason of results by default. */
  reason?: string;
  location?: string;
  /** The signing time (/M and the CMS signing-time attribute); now by default. */
  signedAt?: Date;
  /** A visible widget on page one over a stamp the caller drew (SigningDetails.widgetRect). */
  widgetRect?: [number, number, number, number];
}

/**
 * Signs any PDF as `holder` — an agency (Decree 45 Art. 14.3.b) or an official with their
 * personal certificate (Circular 01 Art. 8.1: the copier of a digitized copy) — with its
 * credential (credentials.ts: made on first need by the product CA, or imported from a licensed
 * CA), in the PDF pool's threads (server/workers/pdf-pool.ts): the event loop only reads the
 * stored credential. A full pool answers `pdf.busy` (503).
 */
export async function signAs(db: Database, holder: CredentialHolder, pdf: Buffer, options: AgencySigning = {}, pool: PdfPool = sharedPdfPool()): Promise<Buffer> {
  const signature = { credential: await sealedCredential(db, holder), reason: options.reason ?? RESULT_SIGNING_REASON, location: options.location ?? SIGNING_LOCATION, signedAt: options.signedAt ?? new Date() };
  return pool.sign(pdf, signature, options.widgetRect);
}

/** Signs any PDF as the agency (signAs). */
export function signAsAgency(db: Database, agencyCode: string, pdf: Buffer, options: AgencySigning = {}, pool: PdfPool = sharedPdfPool()): Promise<Buffer> {
  return signAs(db, { kind: 'agency', agencyCode }, pdf, options, pool);
}
