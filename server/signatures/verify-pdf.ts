/**
 * Verifies the digital signature of a PDF (Decree 45 Art. 14.3.b; Circular 01 Art. 9: whoever
 * receives a signed electronic document can check it) with node-forge: the CMS signature of the
 * last signature dictionary
 *
 * 1. covers the whole file but its own /Contents, so nothing was added after signing;
 * 2. carries the digest of exactly the signed byte ranges, so no signed byte was altered;
 * 3. is the signer's, over its signed attributes (RSA PKCS#1 v1.5, SHA-1/256/384/512);
 * 4. comes from a certificate that chains to a trusted root and was valid when it signed.
 *
 * It answers who signed, when and why (the reason, name and place of the signature dictionary),
 * and, when it fails, which check failed in both languages.
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import type { Bilingual } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { attributeText, chainProblem, withTextNames, distinguishedName, fingerprint, issuerChain, ORGANIZATION_IDENTIFIER, type Certificate } from './certificates.ts';
import { trustedRoots } from './credentials.ts';
import { laterRevisionsProblem } from './pdf-revisions.ts';
import { REVOCATION_REASON_TEXT, revocationOf, revocations, type Revocation } from './revocation.ts';
import { vietnamMoment } from '../printing/vietnam-time.ts';

export type SignatureProblemCode = 'signature.none' | 'signature.malformed' | 'signature.incomplete-coverage' | 'signature.altered' | 'signature.invalid' | 'signature.untrusted' | 'signature.revoked';

/** One signature of the file checked. */
export interface SignatureCheck {
  valid: boolean;
  /** Where its signed range ends: the whole file for the last one, the end of an earlier revision for the others. */
  signedBytes: number;
  coversWholeFile: boolean;
  signer: { name: string | null; agencyCode: string | null; subject: string; serialNumber: string; issuer: string } | null;
  /** The signing time the signer signed (CMS signingTime), ISO 8601. */
  signedAt: string | null;
  reason: string | null;
  location: string | null;
  /** The trusted root the signer's certificate chains to. */
  trustedRoot: { subject: string; fingerprint: string } | null;
  problems: Array<{ code: SignatureProblemCode; text: Bilingual }>;
}

/**
 * The file's verification: the fields of the last signature (the one that covers the whole file),
 * except `valid`, which holds only when every signature is valid, and `problems`, which are the
 * last one's followed by the earlier ones' (named "Chữ ký n/m" / "Signature n of m"); and
 * `signatures`, each signature checked, in the order they were added.
 */
export interface SignatureVerification extends Omit<SignatureCheck, 'signedBytes' | 'coversWholeFile'> {
  /** Signature dictionaries in the file. */
  signatureCount: number;
  signatures: SignatureCheck[];
}

const OIDS = { messageDigest: '1.2.840.113549.1.9.4', signingTime: '1.2.840.113549.1.9.5' };
const DIGESTS: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

const PROBLEMS: Record<SignatureProblemCode, (detail: string) => Bilingual> = {
  'signature.none': () => ({ vi: 'Tệp không có chữ ký số PDF nào', en: 'The file has no PDF digital signature' }),
  'signature.malformed': (detail) => ({ vi: `Chữ ký số không đúng cấu trúc (${detail})`, en: `The signature is malformed (${detail})` }),
  'signature.incomplete-coverage': (detail) => ({ vi: `Tài liệu đã bị thêm hoặc đổi nội dung sau khi ký (${detail})`, en: `The document was changed or extended after signing (${detail})` }),
  'signature.altered': () => ({ vi: 'Nội dung đã ký bị thay đổi: giá trị băm không khớp', en: 'The signed content was altered: the digest does not match' }),
  'signature.invalid': (detail) => ({ vi: `Chữ ký không khớp với chứng thư số của người ký (${detail})`, en: `The signature does not match the signer's certificate (${detail})` }),
  'signature.revoked': (detail) => ({ vi: `Chứng thư số đã bị thu hồi (${detail})`, en: `The certificate was revoked (${detail})` }),
  'signature.untrusted': (detail) => ({ vi: `Chứng thư số của người ký không dẫn tới chứng thư gốc tin cậy hoặc không còn hiệu lực khi ký (${detail})`, en: `The signer's certificate does not chain to a trusted root or was not valid when signing (${detail})` }),
};

/** Decodes a PDF text string, literal `(…)` or hex `<…>`, PDFDocEncoding or UTF-16BE (ISO 32000-1 §7.9.2.2). */
function pdfText(raw: string): string {
  let bytes: Buffer;
  if (raw.startsWith('<')) {
    bytes = Buffer.from(raw.slice(1, -1).replace(/\s+/g, ''), 'hex');
  } else {
    const body = raw.slice(1, -1).replace(/\\(\r\n|[\r\n]|[0-7]{1,3}|.)/g, (_all, escaped: string) => {
      if (/^[\r\n]/.test(escaped)) return '';
      if (/^[0-7]/.test(escaped)) return String.fromCharCode(parseInt(escaped, 8) & 0xff);
      return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[escaped] ?? escaped;
    });
    bytes = Buffer.from(body, 'latin1');
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('latin1');
}

/** A text entry of the signature dictionary that begins at `from`. */
function dictionaryText(pdf: string, from: number, to: number, key: string): string | null {
  const match = new RegExp(`/${key}\\s*(\\((?:\\\\.|[^\\\\)])*\\)|<[0-9A-Fa-f\\s]*>)`).exec(pdf.slice(from, to));
  return match ? pdfText(match[1]!) : null;
}

interface SignerInfo {
  serialHex: string;
  issuerDer: string;
  digestAlgorithm: string;
  signedAttributes: forge.asn1.Asn1[];
  signature: string;
}

function readSignerInfo(node: forge.asn1.Asn1): SignerInfo {
  const fields = node.value as forge.asn1.Asn1[];
  const [, sid, digestAlgorithm, maybeAttributes] = fields;
  const hasAttributes = maybeAttributes?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && (maybeAttributes.type as number) === 0;
  if (!hasAttributes) throw new Error('no signed attributes');
  const signature = fields[5];
  const sidParts = sid!.value as forge.asn1.Asn1[];
  return {
    issuerDer: forge.asn1.toDer(sidParts[0]!).getBytes(),
    serialHex: forge.util.bytesToHex(sidParts[1]!.value as string).replace(/^(00)+(?=.)/, ''),
    digestAlgorithm: forge.asn1.derToOid(((digestAlgorithm!.value as forge.asn1.Asn1[])[0]!).value as string),
    signedAttributes: maybeAttributes.value as forge.asn1.Asn1[],
    signature: signature!.value as string,
  };
}

function attributeValue(attributes: forge.asn1.Asn1[], oid: string): forge.asn1.Asn1 | undefined {
  for (const attribute of attributes) {
    const [type, values] = attribute.value as forge.asn1.Asn1[];
    if (forge.asn1.derToOid(type!.value as string) === oid) return (values!.value as forge.asn1.Asn1[])[0];
  }
  return undefined;
}

function timeOf(node: forge.asn1.Asn1 | undefined): Date | null {
  if (!node) return null;
  if (node.type === forge.asn1.Type.UTCTIME) return forge.asn1.utcTimeToDate(node.value as string);
  if (node.type === forge.asn1.Type.GENERALIZEDTIME) return forge.asn1.generalizedTimeToDate(node.value as string);
  return null;
}

/** Parses the DER at the start of `bytes`, ignoring what follows (forge 1.3 takes the option; its types do not yet say so). */
const fromDerPrefix = (bytes: Buffer) => (forge.asn1.fromDer as unknown as (input: forge.util.ByteStringBuffer, options: { parseAllBytes: boolean }) => forge.asn1.Asn1)(forge.util.createBuffer(bytes.toString('binary')), { parseAllBytes: false });

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

/** Verifies every signature of `bytes` against `roots`. Whatever the bytes hold, it answers: a structure it cannot read is `signature.malformed`. */
export function verifyPdfSignature(bytes: Buffer, roots: Certificate[], revoked: readonly Revocation[] = []): SignatureVerification {
  const pdf = bytes.toString('latin1');
  const ranges = [...pdf.matchAll(BYTE_RANGE)];
  const signatures = ranges.map((range, index) => checkSignature(bytes, pdf, range, index === ranges.length - 1, roots, revoked));
  const last = signatures.at(-1);
  if (!last) {
    return { valid: false, signatureCount: 0, signer: null, signedAt: null, reason: null, location: null, trustedRoot: null, problems: [{ code: 'signature.none', text: PROBLEMS['signature.none']('') }], signatures: [] };
  }
  const earlier = signatures.slice(0, -1).flatMap((check, index) => check.problems.map((problem) => {
    const who = check.signer?.name ?? '?';
    return { code: problem.code, text: { vi: `Chữ ký ${index + 1}/${signatures.length} (${who}): ${problem.text.vi}`, en: `Signature ${index + 1} of ${signatures.length} (${who}): ${problem.text.en}` } };
  }));
  const { signer, signedAt, reason, location, trustedRoot } = last;
  return { valid: signatures.every((check) => check.valid), signatureCount: signatures.length, signer, signedAt, reason, location, trustedRoot, problems: [...last.problems, ...earlier], signatures };
}

function checkSignature(bytes: Buffer, pdf: string, range: RegExpMatchArray, isLast: boolean, roots: Certificate[], revoked: readonly Revocation[]): SignatureCheck {
  const report: SignatureCheck = { valid: false, signedBytes: 0, coversWholeFile: false, signer: null, signedAt: null, reason: null, location: null, trustedRoot: null, problems: [] };
  const fail = (code: SignatureProblemCode, detail = '') => {
    report.problems.push({ code, text: PROBLEMS[code](detail) });
    return report;
  };
  try {
    return checkOneSignature(bytes, pdf, range, isLast, roots, revoked, report, fail);
  } catch (error) {
    report.valid = false;
    return fail('signature.malformed', error instanceof Error ? error.message : String(error));
  }
}

function checkOneSignature(bytes: Buffer, pdf: string, range: RegExpMatchArray, isLast: boolean, roots: Certificate[], revoked: readonly Revocation[], report: SignatureCheck, fail: (code: SignatureProblemCode, detail?: string) => SignatureCheck): SignatureCheck {
  const [start, firstLength, secondStart, secondLength] = range.slice(1, 5).map(Number) as [number, number, number, number];
  // The dictionary around the /ByteRange: from its `obj` to its `endobj`.
  const dictionaryStart = pdf.lastIndexOf(' obj', range.index);
  const dictionaryEnd = pdf.indexOf('endobj', range.index);
  report.reason = dictionaryText(pdf, dictionaryStart, dictionaryEnd, 'Reason');
  report.location = dictionaryText(pdf, dictionaryStart, dictionaryEnd, 'Location');

  // The hole is this dictionary's own /Contents: inside the dictionary.
  if (start !== 0 || secondStart < firstLength + 2 || secondStart + secondLength > bytes.length || pdf[firstLength] !== '<' || pdf[secondStart - 1] !== '>'
    || firstLength < dictionaryStart || (dictionaryEnd >= 0 && secondStart > dictionaryEnd)) {
    return fail('signature.malformed', 'byte range');
  }
  report.signedBytes = secondStart + secondLength;
  report.coversWholeFile = report.signedBytes === bytes.length;
  const opened = openSignedData(Buffer.from(pdf.slice(firstLength + 1, secondStart - 1), 'hex'), report, fail);
  if (!opened) return report;

  // 1. Coverage: everything but the /Contents hex, up to the end of the file; for an earlier
  // signature, up to the end of its revision, the later ones only adding signatures.
  if (isLast && !report.coversWholeFile) {
    fail('signature.incomplete-coverage', `${bytes.length - report.signedBytes} bytes after the signed range`);
  } else if (!isLast) {
    const problem = laterRevisionsProblem(bytes, report.signedBytes);
    if (problem) fail('signature.incomplete-coverage', `${bytes.length - report.signedBytes} bytes after the signed range: ${problem}`);
  }
  return checkSignedData(opened, [bytes.subarray(start, firstLength), bytes.subarray(secondStart, secondStart + secondLength)], roots, revoked, report, fail);
}

interface OpenedSignedData {
  info: SignerInfo;
  certificates: Certificate[];
  signerCertificate: Certificate;
  signedAt: Date | null;
}

/** A detached signature verified: the signer, the signing time, the root, and the problems. */
export type DetachedVerification = Pick<SignatureCheck, 'valid' | 'signer' | 'signedAt' | 'trustedRoot' | 'problems'>;
type Report = DetachedVerification;

/** A CMS SignedData (DER, maybe followed by padding) read: its one signer, their certificate and the signing time, also written into `report`; null after `signature.malformed`. */
function openSignedData(der: Buffer, report: Report, fail: (code: SignatureProblemCode, detail?: string) => unknown): OpenedSignedData | null {
  let info: SignerInfo;
  let certificates: Certificate[];
  try {
    // A PDF's placeholder is padded with zeros after the DER.
    const message = forge.pkcs7.messageFromAsn1(fromDerPrefix(der)) as forge.pkcs7.PkcsSignedData & { rawCapture: { signerInfos?: forge.asn1.Asn1[] } };
    const signerInfos = message.rawCapture.signerInfos ?? [];
    if (signerInfos.length !== 1) throw new Error(`${signerInfos.length} signer infos`);
    info = readSignerInfo(signerInfos[0]!);
    certificates = message.certificates.map(withTextNames);
  } catch (error) {
    fail('signature.malformed', error instanceof Error ? error.message : String(error));
    return null;
  }
  const signerCertificate = certificates.find((certificate) => certificate.serialNumber.toLowerCase().replace(/^(00)+(?=.)/, '') === info.serialHex.toLowerCase()
    && forge.asn1.toDer(forge.pki.distinguishedNameToAsn1(certificate.issuer)).getBytes() === info.issuerDer);
  if (!signerCertificate) {
    fail('signature.malformed', "the signer's certificate is not in the signature");
    return null;
  }
  const signedAt = timeOf(attributeValue(info.signedAttributes, OIDS.signingTime));
  report.signedAt = signedAt?.toISOString() ?? null;
  report.signer = {
    name: attributeText(signerCertificate.subject, 'commonName'),
    agencyCode: attributeText(signerCertificate.subject, ORGANIZATION_IDENTIFIER),
    subject: distinguishedName(signerCertificate.subject),
    serialNumber: signerCertificate.serialNumber,
    issuer: distinguishedName(signerCertificate.issuer),
  };
  return { info, certificates, signerCertificate, signedAt };
}

/** Checks 2–5 of a detached CMS signature over `content` (its parts in order): digest, RSA signature, chain at the signing time, revocation. */
function checkSignedData<R extends Report>({ info, certificates, signerCertificate, signedAt }: OpenedSignedData, content: Buffer[], roots: Certificate[], revoked: readonly Revocation[], report: R, fail: (code: SignatureProblemCode, detail?: string) => R): R {
  // 2. The digest of the signed content (a PDF's byte ranges).
  const digestName = DIGESTS[forge.pki.oids[info.digestAlgorithm] as string];
  if (!digestName) return fail('signature.malformed', `digest algorithm ${info.digestAlgorithm}`);
  const digest = content.reduce((hash, part) => hash.update(part), createHash(digestName)).digest('binary');
  const messageDigest = attributeValue(info.signedAttributes, OIDS.messageDigest);
  if (!messageDigest || messageDigest.value !== digest) fail('signature.altered');
  // 3. The signature over the signed attributes, DER-encoded as a SET (RFC 5652 §5.4).
  const signedAttributes = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, info.signedAttributes);
  const hash = (forge.md as unknown as Record<string, { create(): forge.md.MessageDigest }>)[digestName]!.create();
  hash.update(forge.asn1.toDer(signedAttributes).getBytes());
  let signatureHolds = false;
  try {
    signatureHolds = (signerCertificate.publicKey as forge.pki.rsa.PublicKey).verify(hash.digest().getBytes(), info.signature);
  } catch (error) {
    fail('signature.invalid', error instanceof Error ? error.message : String(error));
  }
  if (!signatureHolds && !report.problems.some((problem) => problem.code === 'signature.invalid')) fail('signature.invalid', 'RSA verification failed');
  // 4. The chain, at the time of signing.
  const chain = issuerChain(signerCertificate, certificates.filter((certificate) => certificate !== signerCertificate));
  const problem = chainProblem(chain, roots, signedAt ?? new Date());
  if (problem) {
    fail('signature.untrusted', problem);
  } else {
    const top = chain.at(-1)!;
    const root = roots.find((candidate) => fingerprint(candidate) === fingerprint(top)) ?? roots.find((candidate) => candidate.issued(top) && candidate.verify(top));
    if (root) report.trustedRoot = { subject: distinguishedName(root.subject), fingerprint: fingerprint(root) };
  }
  // 5. No certificate of the chain revoked as of the signing time (revocation.ts).
  for (const certificate of chain) {
    const revocation = revocationOf(certificate, signedAt, revoked);
    if (revocation) {
      const why = REVOCATION_REASON_TEXT[revocation.reason];
      fail('signature.revoked', `${distinguishedName(certificate.subject)}, ${vietnamMoment(revocation.revokedAt)}: ${why.vi} / ${why.en}`);
    }
  }
  report.valid = report.problems.length === 0;
  return report;
}

/**
 * Verifies a detached CMS signature (DER) over `content` — a signed confirmation of digitized
 * metadata (server/digitization/confirmation-signature.ts) — with the checks of a PDF's signature
 * but the coverage: digest, RSA signature, chain to `roots` at the signing time, revocation.
 */
export function verifyDetachedSignature(der: Buffer, content: Buffer, roots: Certificate[], revoked: readonly Revocation[] = []): DetachedVerification {
  const report: Report = { valid: false, signer: null, signedAt: null, trustedRoot: null, problems: [] };
  const fail = (code: SignatureProblemCode, detail = '') => {
    report.problems.push({ code, text: PROBLEMS[code](detail) });
    return report;
  };
  try {
    const opened = openSignedData(der, report, fail);
    return opened ? checkSignedData(opened, [content], roots, revoked, report, fail) : report;
  } catch (error) {
    report.valid = false;
    return fail('signature.malformed', error instanceof Error ? error.message : String(error));
  }
}

/** Verifies against the roots the product trusts (its CA and the imported roots) and its revocation list. */
export async function verifyStoredTrust(db: Database, bytes: Buffer): Promise<SignatureVerification> {
  const [roots, revoked] = await Promise.all([trustedRoots(db), revocations(db)]);
  return verifyPdfSignature(bytes, roots, revoked);
}
