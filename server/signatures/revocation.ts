import forge from 'node-forge';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { certificateFromPem, distinguishedName, type Certificate } from './certificates.ts';

/**
 * Certificate revocation (issue 12; docs/signatures.md "Revocation"). The product CA has no OCSP
 * responder or published CRL: its revocation list is the table `signature_revocations`, which
 * verification reads. An administrator revokes an agency's current certificate (its key lost, the
 * agency merged), an official's (a lost token, the official gone) or any certificate given as PEM (a licensed CA's revocation copied in).
 *
 * The reasons are RFC 5280 §5.3.1's. A signature made before its certificate was revoked stays
 * valid unless the reason says the key or the CA was compromised: then nothing it ever signed can
 * be told from a forgery. The signing time is the one the signer asserted (CMS signingTime): no
 * timestamp authority is in the loop yet, which is why compromise revokes everything.
 */
export const REVOCATION_REASONS = ['key-compromise', 'ca-compromise', 'affiliation-changed', 'superseded', 'cessation-of-operation', 'unspecified'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];
export const revocationReasonSchema = z.enum(REVOCATION_REASONS, { error: `one of ${REVOCATION_REASONS.join(', ')}` });

/** Reasons after which no signature of the certificate is believed, whenever it claims to have been made. */
const COMPROMISE: readonly RevocationReason[] = ['key-compromise', 'ca-compromise'];

export const REVOCATION_REASON_TEXT: Record<RevocationReason, { vi: string; en: string }> = {
  'key-compromise': { vi: 'lộ khoá bí mật', en: 'key compromise' },
  'ca-compromise': { vi: 'tổ chức chứng thực bị xâm phạm', en: 'CA compromise' },
  'affiliation-changed': { vi: 'thay đổi cơ quan, chức vụ', en: 'affiliation changed' },
  superseded: { vi: 'đã được thay thế', en: 'superseded' },
  'cessation-of-operation': { vi: 'ngừng hoạt động', en: 'cessation of operation' },
  unspecified: { vi: 'không nêu lý do', en: 'unspecified' },
};

export interface Revocation {
  issuer: string;
  serialNumber: string;
  subject: string;
  reason: RevocationReason;
  revokedAt: Date;
}

/** A serial number as verification compares it: hex, lower case, without leading zero bytes. */
export const serialKey = (serialNumber: string) => serialNumber.toLowerCase().replace(/^(00)+(?=.)/, '');

/** The revocation of `certificate` that makes a signature made at `signedAt` untrustworthy, if any. */
export function revocationOf(certificate: Certificate, signedAt: Date | null, revocations: readonly Revocation[]): Revocation | undefined {
  const issuer = distinguishedName(certificate.issuer);
  const serial = serialKey(certificate.serialNumber);
  return revocations.find((revocation) => revocation.issuer === issuer && revocation.serialNumber === serial
    && (COMPROMISE.includes(revocation.reason) || signedAt === null || signedAt.getTime() >= revocation.revokedAt.getTime()));
}

export async function revocations(db: Database): Promise<Revocation[]> {
  const rows = await db('signature_revocations').orderBy('revoked_at').select<Array<{ issuer: string; serial_number: string; subject: string; reason: RevocationReason; revoked_at: Date }>>('issuer', 'serial_number', 'subject', 'reason', 'revoked_at');
  return rows.map((row) => ({ issuer: row.issuer, serialNumber: row.serial_number, subject: row.subject, reason: row.reason, revokedAt: row.revoked_at }));
}

/** Revokes a certificate given as PEM; revoking it again changes nothing (the first revocation stands). */
export async function revokeCertificate(db: Database, pem: string, reason: RevocationReason, actor: string, at = new Date()): Promise<Revocation> {
  let certificate: Certificate;
  try {
    certificate = certificateFromPem(pem);
  } catch (error) {
    throw new QuyTrinhError('invalid-input', 'signature.certificate-unreadable', { vi: 'Không đọc được chứng thư số (cần tệp PEM)', en: 'The certificate cannot be read (a PEM file is needed)' }, [{ field: 'certificate', message: error instanceof Error ? error.message : String(error) }]);
  }
  const revocation: Revocation = { issuer: distinguishedName(certificate.issuer), serialNumber: serialKey(certificate.serialNumber), subject: distinguishedName(certificate.subject), reason, revokedAt: at };
  await db('signature_revocations')
    .insert({ issuer: revocation.issuer, serial_number: revocation.serialNumber, subject: revocation.subject, reason, revoked_at: at, revoked_by: actor })
    .onConflict(['issuer', 'serial_number'])
    .ignore();
  const stored = await db('signature_revocations').where({ issuer: revocation.issuer, serial_number: revocation.serialNumber }).first<{ reason: RevocationReason; revoked_at: Date }>('reason', 'revoked_at');
  return { ...revocation, reason: stored.reason, revokedAt: stored.revoked_at };
}

/** Revokes the stored current certificates of `table` matching `where` and drops their credentials. */
async function revokeStored(db: Database, table: 'agency_signing_credentials' | 'official_signing_credentials', where: Record<string, string>, reason: RevocationReason, actor: string, at: Date): Promise<Revocation[]> {
  const credentials = await db(table).where(where).select<Array<{ certificate_pem: string }>>('certificate_pem');
  const revoked: Revocation[] = [];
  for (const credential of credentials) {
    revoked.push(await revokeCertificate(db, credential.certificate_pem, reason, actor, at));
    await db(table).where({ ...where, certificate_pem: credential.certificate_pem }).delete();
  }
  return revoked;
}

/**
 * Revokes an agency's current signing certificate and drops its credential: the next document it
 * signs gets a new certificate from the product CA (credentials.ts), or the agency imports one.
 */
export async function revokeAgencyCertificate(db: Database, agencyCode: string, reason: RevocationReason, actor: string, at = new Date()): Promise<Revocation> {
  const [revocation] = await revokeStored(db, 'agency_signing_credentials', { agency_code: agencyCode }, reason, actor, at);
  if (!revocation) {
    throw new QuyTrinhError('not-found', 'signature.no-credential', { vi: `Cơ quan ${agencyCode} chưa có chứng thư số để thu hồi`, en: `Agency ${agencyCode} has no certificate to revoke` });
  }
  return revocation;
}

/**
 * Revokes an official's current personal certificates (the one for `agencyCode`, or those for
 * every agency they sign for) and drops the credentials: their next signature gets a new
 * certificate from the product CA, or the official's renewed one is imported.
 */
export async function revokeOfficialCertificates(db: Database, username: string, agencyCode: string | undefined, reason: RevocationReason, actor: string, at = new Date()): Promise<Revocation[]> {
  const account = await db('accounts').where({ username: username.toLowerCase() }).first<{ id: string } | undefined>('id');
  const revoked = account ? await revokeStored(db, 'official_signing_credentials', { account_id: account.id, ...(agencyCode ? { agency_code: agencyCode } : {}) }, reason, actor, at) : [];
  if (revoked.length === 0) {
    throw new QuyTrinhError('not-found', 'signature.no-credential', {
      vi: `Cán bộ ${username}${agencyCode ? ` (cơ quan ${agencyCode})` : ''} chưa có chứng thư số cá nhân để thu hồi`,
      en: `Official ${username}${agencyCode ? ` (agency ${agencyCode})` : ''} has no personal certificate to revoke`,
    });
  }
  return revoked;
}

/** A certificate's PEM from a file's text (PEM) or bytes (DER). */
export function pemOf(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) return text;
  return forge.pki.certificateToPem(forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(text))));
}
