/**
 * Who signs: the product-local certification authority and each agency's signing credential
 * (docs/signatures.md; Decree 45 Art. 14.3.b).
 *
 * The national certification authorities (the Government's specialised CA and the licensed public
 * CAs of the Law on Electronic Transactions 2023) cannot be reached from here, so on first need
 * the product makes its own CA, "Quy Trình CA (thử nghiệm)", and an RSA-2048 key and certificate
 * for each agency issued by it. A production deployment imports instead the agency's real
 * certificate from a licensed CA (`importAgencySigningCredential`, a PKCS#12 file and its
 * password) after trusting that CA's root (`importTrustedRoot`).
 *
 * Keys are kept in PostgreSQL inside PKCS#12 files encrypted with the passphrase of DATA_DIR
 * (key-passphrase.ts). Nothing here logs or returns a private key.
 */
import forge from 'node-forge';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import {
  attributeText,
  certificateFromPem,
  chainProblem,
  distinguishedName,
  fingerprint,
  fromPkcs12,
  ORGANIZATION_IDENTIFIER,
  randomSerial,
  toPkcs12,
  type Certificate,
  type PrivateKey,
} from './certificates.ts';
import { keyPassphrase, PASSPHRASE_FILE } from './key-passphrase.ts';

export const PRODUCT_CA_NAME = 'Quy Trình CA (thử nghiệm)';
const CA_YEARS = 10;
const AGENCY_YEARS = 2;
/** A product-issued agency certificate this close to its end is replaced before signing. */
const RENEW_BEFORE_MS = 24 * 3600_000;
const SYSTEM_ACTOR = 'system:signatures';

const utf8 = (name: string, value: string) => ({ ...(name.includes('.') ? { type: name } : { name }), value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class });

/** What signs a document: the key and the certificate chain (the signer's first), opened in a PDF-pool thread, which keeps it while it lives (server/workers/pdf-tasks.ts). */
export interface SigningCredential {
  agencyCode: string;
  /** The signer's name as its certificate says (its common name). */
  signerName: string;
  key: PrivateKey;
  chain: Certificate[];
}

interface CredentialRow {
  agency_code: string;
  pkcs12: Buffer;
  certificate_pem: string;
  source: 'product-ca' | 'imported';
  not_after: Date;
}

function yearsFrom(start: Date, years: number): Date {
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return end;
}

/** A stored PKCS#12 opened with the passphrase of DATA_DIR; another DATA_DIR's passphrase cannot open it. */
function openStored(pkcs12: Buffer, passphrase: string): { key: PrivateKey; chain: Certificate[] } {
  try {
    return fromPkcs12(pkcs12, passphrase);
  } catch {
    throw new QuyTrinhError('unavailable', 'signature.keys-locked', {
      vi: `Không mở được khoá ký số đã lưu bằng khoá bảo vệ trong DATA_DIR (${PASSPHRASE_FILE}): hãy khôi phục đúng tệp này từ bản sao lưu`,
      en: `The stored signing keys cannot be opened with the passphrase in DATA_DIR (${PASSPHRASE_FILE}): restore that file from the backup`,
    });
  }
}

function newKeyPair(): forge.pki.rsa.KeyPair {
  // forge hands RSA generation to node's crypto when it can: milliseconds, not seconds.
  return forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
}

/**
 * The CA's name as forge writes it. A parsed certificate's attributes hold UTF-8 bytes that forge
 * would encode again, so the issuer of an agency certificate is written from this, not from them.
 */
function productAuthorityName() {
  return [utf8('commonName', PRODUCT_CA_NAME), utf8('organizationName', 'Quy Trình'), { name: 'countryName', value: 'VN' }];
}

/** The product CA's certificate and key, made and stored (with the CA trusted as a root) on first need. */
async function productAuthority(db: Database): Promise<{ certificate: Certificate; key: PrivateKey }> {
  const passphrase = await keyPassphrase();
  let row = await db('signature_authority').where({ id: 1 }).first<{ pkcs12: Buffer } | undefined>('pkcs12');
  if (!row) {
    const keys = newKeyPair();
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = keys.publicKey;
    certificate.serialNumber = randomSerial();
    certificate.validity.notBefore = new Date(Date.now() - 60_000);
    certificate.validity.notAfter = yearsFrom(certificate.validity.notBefore, CA_YEARS);
    certificate.setSubject(productAuthorityName());
    certificate.setIssuer(productAuthorityName());
    certificate.setExtensions([
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    certificate.sign(keys.privateKey, forge.md.sha256.create());
    const pem = forge.pki.certificateToPem(certificate);
    await db.transaction(async (trx) => {
      const inserted = await trx('signature_authority').insert({ id: 1, certificate_pem: pem, pkcs12: toPkcs12(keys.privateKey, [certificate], passphrase, PRODUCT_CA_NAME) }).onConflict('id').ignore().returning('id');
      // Another process made the CA at the same moment: its CA is the one kept.
      if (inserted.length > 0) await trustRoot(trx, certificate, 'product-ca', SYSTEM_ACTOR);
    });
    row = await db('signature_authority').where({ id: 1 }).first<{ pkcs12: Buffer }>('pkcs12');
  }
  const { key, chain } = openStored(row.pkcs12, passphrase);
  return { key, certificate: chain[0]! };
}

async function trustRoot(db: Database, certificate: Certificate, source: 'product-ca' | 'imported', actor: string): Promise<void> {
  await db('signature_trusted_roots')
    .insert({ fingerprint: fingerprint(certificate), subject: distinguishedName(certificate.subject), certificate_pem: forge.pki.certificateToPem(certificate), source, added_by: actor })
    .onConflict('fingerprint')
    .ignore();
}

/** The roots a signature must chain to: the product CA (once made) and the imported ones. */
export async function trustedRoots(db: Database): Promise<Certificate[]> {
  return (await trustedRootPems(db)).map((pem) => certificateFromPem(pem));
}

/** The trusted roots as PEM, as they cross to a PDF-pool thread (pdf-tasks.ts). */
export function trustedRootPems(db: Database): Promise<string[]> {
  return db('signature_trusted_roots').orderBy('added_at').pluck<string[]>('certificate_pem');
}

/**
 * Trusts a root CA certificate (PEM), e.g. the national root of the licensed CAs, so that agency
 * certificates it issued can be imported and their signatures verify. Only a self-signed CA
 * certificate is a root.
 */
export async function importTrustedRoot(db: Database, pem: string, actor: string): Promise<{ fingerprint: string; subject: string }> {
  let certificate: Certificate;
  try {
    certificate = certificateFromPem(pem);
  } catch {
    throw new QuyTrinhError('invalid-input', 'signature.certificate-unreadable', { vi: 'Không đọc được chứng thư số (PEM, RSA)', en: 'The certificate cannot be read (PEM, RSA)' }, [{ field: 'certificate', message: 'not a PEM RSA certificate' }]);
  }
  const basic = certificate.getExtension('basicConstraints') as { cA?: boolean } | null;
  if (!certificate.isIssuer(certificate) || !certificate.verify(certificate) || !basic?.cA) {
    throw new QuyTrinhError('unprocessable', 'signature.not-a-root', { vi: 'Chứng thư số không phải chứng thư gốc tự ký của một CA', en: 'The certificate is not a self-signed CA root' }, [{ field: 'certificate', message: 'not a self-signed CA certificate' }]);
  }
  await trustRoot(db, certificate, 'imported', actor);
  return { fingerprint: fingerprint(certificate), subject: distinguishedName(certificate.subject) };
}

async function storeCredential(db: Database, agencyCode: string, key: PrivateKey, chain: Certificate[], source: CredentialRow['source'], actor: string, replace: boolean): Promise<void> {
  const leaf = chain[0]!;
  const row = {
    agency_code: agencyCode,
    pkcs12: toPkcs12(key, chain, await keyPassphrase(), agencyCode),
    certificate_pem: forge.pki.certificateToPem(leaf),
    subject: distinguishedName(leaf.subject),
    serial_number: leaf.serialNumber,
    not_before: leaf.validity.notBefore,
    not_after: leaf.validity.notAfter,
    source,
    created_at: new Date(),
    created_by: actor,
  };
  const insert = db('agency_signing_credentials').insert(row).onConflict('agency_code');
  await (replace ? insert.merge() : insert.ignore());
}

/** A new key and certificate for the agency, issued by the product CA. */
async function issueAgencyCredential(db: Database, agency: { code: string; name: string }, replace: boolean): Promise<void> {
  const authority = await productAuthority(db);
  const keys = newKeyPair();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = randomSerial();
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Math.min(yearsFrom(certificate.validity.notBefore, AGENCY_YEARS).getTime(), authority.certificate.validity.notAfter.getTime()));
  certificate.setSubject([utf8('commonName', agency.name), utf8(ORGANIZATION_IDENTIFIER, agency.code), { name: 'countryName', value: 'VN' }]);
  certificate.setIssuer(productAuthorityName());
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    // Signing documents that bind the agency: digital signature and non-repudiation (content commitment).
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(authority.key, forge.md.sha256.create());
  await storeCredential(db, agency.code, keys.privateKey, [certificate, authority.certificate], 'product-ca', SYSTEM_ACTOR, replace);
}

/**
 * A stored credential as it travels to the PDF pool's threads (server/workers/pdf-tasks.ts): the
 * encrypted PKCS#12 file and the passphrase of DATA_DIR that opens it, opened in the thread that
 * signs. Never logged nor sent.
 */
export interface SealedCredential {
  agencyCode: string;
  pkcs12: Uint8Array;
  passphrase: string;
}

/**
 * The agency's signing credential, still sealed: the imported one, or the product CA's, issued on
 * first need (and again when it is about to expire). An imported certificate that has expired is
 * not replaced silently: the agency must import its renewed one.
 */
export async function sealedAgencyCredential(db: Database, agencyCode: string): Promise<SealedCredential> {
  let row = await db('agency_signing_credentials').where({ agency_code: agencyCode }).first<CredentialRow | undefined>();
  const expiring = row !== undefined && row.not_after.getTime() - Date.now() < RENEW_BEFORE_MS;
  if (!row || (expiring && row.source === 'product-ca')) {
    const agency = await db('agencies').where({ code: agencyCode }).first<{ code: string; name: string } | undefined>('code', 'name');
    if (!agency) throw new QuyTrinhError('not-found', 'signature.agency-not-found', { vi: `Không có cơ quan ${agencyCode}`, en: `No agency ${agencyCode}` });
    await issueAgencyCredential(db, agency, row !== undefined);
    row = await db('agency_signing_credentials').where({ agency_code: agencyCode }).first<CredentialRow>();
  } else if (expiring) {
    throw new QuyTrinhError('conflict', 'signature.certificate-expired', {
      vi: `Chứng thư số của cơ quan ${agencyCode} đã hoặc sắp hết hạn: cần nhập chứng thư số mới`,
      en: `The certificate of agency ${agencyCode} has expired or is about to: import the renewed one`,
    });
  }
  return { agencyCode, pkcs12: row.pkcs12, passphrase: await keyPassphrase() };
}

/** A sealed credential opened: `signature.keys-locked` when the passphrase is not the one it was stored with. */
export function openSealedCredential({ agencyCode, pkcs12, passphrase }: SealedCredential): SigningCredential {
  const { key, chain } = openStored(Buffer.from(pkcs12.buffer, pkcs12.byteOffset, pkcs12.byteLength), passphrase);
  return { agencyCode, signerName: attributeText(chain[0]!.subject, 'commonName') ?? agencyCode, key, chain };
}

/**
 * Imports the agency's certificate from a licensed CA: a PKCS#12 file (.p12/.pfx) with the
 * private key and the certificate chain, and its password. The certificate must chain to a
 * trusted root (import the CA's root first) and be valid now. It replaces the agency's current
 * credential; documents signed before keep their own certificates inside their signatures.
 */
export async function importAgencySigningCredential(db: Database, agencyCode: string, pkcs12: Buffer, password: string, actor: string): Promise<{ subject: string; serialNumber: string; notAfter: Date }> {
  if (!(await db('agencies').where({ code: agencyCode }).first('code'))) {
    throw new QuyTrinhError('not-found', 'signature.agency-not-found', { vi: `Không có cơ quan ${agencyCode}`, en: `No agency ${agencyCode}` });
  }
  const { key, chain } = fromPkcs12(pkcs12, password);
  const problem = chainProblem(chain, await trustedRoots(db), new Date());
  if (problem) {
    throw new QuyTrinhError('unprocessable', 'signature.untrusted-certificate', {
      vi: `Chứng thư số không dẫn tới chứng thư gốc tin cậy nào hoặc không còn hiệu lực (${problem}); hãy nhập chứng thư gốc của CA trước`,
      en: `The certificate does not chain to a trusted root or is not valid now (${problem}); import the CA's root first`,
    }, [{ field: 'pkcs12', message: problem }]);
  }
  await storeCredential(db, agencyCode, key, chain, 'imported', actor, true);
  return { subject: distinguishedName(chain[0]!.subject), serialNumber: chain[0]!.serialNumber, notAfter: chain[0]!.validity.notAfter };
}
