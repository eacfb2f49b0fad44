/**
 * Who signs: the product-local certification authority, each agency's signing credential and
 * each official's personal one (docs/signatures.md; Decree 45 Art. 14.3.b; Circular 01 Art. 8.1, 9.3).
 *
 * The national certification authorities (the Government's specialised CA and the licensed public
 * CAs of the Law on Electronic Transactions 2023) cannot be reached from here, so on first need
 * the product makes its own CA, "Quy Trình CA (thử nghiệm)", and an RSA-2048 key and certificate
 * for each agency, and for each official who signs, issued by it. A production deployment imports
 * instead the real certificates from a licensed CA (`importAgencySigningCredential`,
 * `importOfficialSigningCredential`: a PKCS#12 file and its password) after trusting that CA's
 * root (`importTrustedRoot`).
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
/** Agency and official certificates the product CA issues. */
const HOLDER_YEARS = 2;
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

/**
 * Whose credential: an agency's own (the organisation's signature, its digital seal), or an
 * official's personal one, issued in the name of the agency the official signs for (the
 * certificate names both). One current credential per agency, and per official and agency.
 */
export type CredentialHolder = { kind: 'agency'; agencyCode: string } | { kind: 'official'; accountId: string; agencyCode: string };

const TABLES = { agency: 'agency_signing_credentials', official: 'official_signing_credentials' } as const;

function holderTable(holder: CredentialHolder) {
  return TABLES[holder.kind];
}

function holderKey(holder: CredentialHolder): Record<string, string> {
  return holder.kind === 'agency' ? { agency_code: holder.agencyCode } : { account_id: holder.accountId, agency_code: holder.agencyCode };
}

const agencyNotFound = (agencyCode: string) => new QuyTrinhError('not-found', 'signature.agency-not-found', { vi: `Không có cơ quan ${agencyCode}`, en: `No agency ${agencyCode}` });

/** The account id joined to `identifier` in the certificate of an official: stable across renames (the account's UUID). */
const USER_ID = '0.9.2342.19200300.100.1.1';

type NameAttribute = ReturnType<typeof utf8> | { name: string; value: string };

/**
 * The subject a product-issued certificate of `holder` carries, from what the database says now:
 * `CN=<agency name>, organizationIdentifier=<code>, C=VN` for an agency; `CN=<official's full
 * name>, O=<agency name>, organizationIdentifier=<code>, UID=<account id>, C=VN` for an official,
 * who must be an enabled official of that agency (else `signature.not-an-official`).
 */
async function subjectOf(db: Database, holder: CredentialHolder): Promise<NameAttribute[]> {
  const agency = await db('agencies').where({ code: holder.agencyCode }).first<{ code: string; name: string } | undefined>('code', 'name');
  if (!agency) throw agencyNotFound(holder.agencyCode);
  if (holder.kind === 'agency') return [utf8('commonName', agency.name), utf8(ORGANIZATION_IDENTIFIER, agency.code), { name: 'countryName', value: 'VN' }];
  const official = await officialAccount(db, { id: holder.accountId }, holder.agencyCode);
  return [utf8('commonName', official.display_name), utf8('organizationName', agency.name), utf8(ORGANIZATION_IDENTIFIER, agency.code), utf8(USER_ID, official.id), { name: 'countryName', value: 'VN' }];
}

/** An enabled account with the role `official` and a membership of `agencyCode`, else `signature.not-an-official` (422). */
async function officialAccount(db: Database, where: { id: string } | { username: string }, agencyCode: string): Promise<{ id: string; username: string; display_name: string }> {
  const account = await db('accounts as a')
    .where(Object.fromEntries(Object.entries(where).map(([column, value]) => [`a.${column}`, value])))
    .whereNull('a.disabled_at')
    .whereRaw(`'official' = any(a.roles)`)
    .whereExists(db('agency_memberships as m').whereRaw('m.account_id = a.id').where('m.agency_code', agencyCode))
    .first<{ id: string; username: string; display_name: string } | undefined>('a.id', 'a.username', 'a.display_name');
  if (!account) {
    const who = 'username' in where ? where.username : where.id;
    throw new QuyTrinhError('unprocessable', 'signature.not-an-official', {
      vi: `${who} không phải cán bộ đang hoạt động của cơ quan ${agencyCode}: chỉ cán bộ của cơ quan mới có chứng thư số cá nhân của cơ quan đó`,
      en: `${who} is not an enabled official of agency ${agencyCode}: only the agency's officials hold personal certificates in its name`,
    }, [{ field: 'official', message: 'not an enabled official of the agency' }]);
  }
  return account;
}

/**
 * The official behind an audit actor (`account:<username>`, as `user_tasks.completed_by` and the
 * digitizations record it) when that account is an enabled official of `agencyCode`: the holder
 * whose personal certificate signs. Null for anyone else (an administrator, a machine token, the
 * applicant, a system step): the agency then signs alone.
 */
export async function officialSigner(db: Database, actor: string | null | undefined, agencyCode: string): Promise<Extract<CredentialHolder, { kind: 'official' }> | null> {
  if (!actor?.startsWith('account:')) return null;
  try {
    const account = await officialAccount(db, { username: actor.slice('account:'.length) }, agencyCode);
    return { kind: 'official', accountId: account.id, agencyCode };
  } catch (error) {
    if (error instanceof QuyTrinhError && error.code === 'signature.not-an-official') return null;
    throw error;
  }
}

async function storeCredential(db: Database, holder: CredentialHolder, key: PrivateKey, chain: Certificate[], source: CredentialRow['source'], actor: string, replace: boolean): Promise<void> {
  const leaf = chain[0]!;
  const row = {
    ...holderKey(holder),
    pkcs12: toPkcs12(key, chain, await keyPassphrase(), holder.kind === 'agency' ? holder.agencyCode : `${holder.agencyCode} ${holder.accountId}`),
    certificate_pem: forge.pki.certificateToPem(leaf),
    subject: distinguishedName(leaf.subject),
    serial_number: leaf.serialNumber,
    not_before: leaf.validity.notBefore,
    not_after: leaf.validity.notAfter,
    source,
    created_at: new Date(),
    created_by: actor,
  };
  const insert = db(holderTable(holder)).insert(row).onConflict(Object.keys(holderKey(holder)));
  await (replace ? insert.merge() : insert.ignore());
}

/** A certificate for `subject`, not a CA, for signing documents, issued by the product CA. */
function productCertificate(authority: { certificate: Certificate; key: PrivateKey }, publicKey: forge.pki.PublicKey, subject: NameAttribute[]): Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = randomSerial();
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Math.min(yearsFrom(certificate.validity.notBefore, HOLDER_YEARS).getTime(), authority.certificate.validity.notAfter.getTime()));
  certificate.setSubject(subject);
  certificate.setIssuer(productAuthorityName());
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    // Signing documents that bind the signer: digital signature and non-repudiation (content commitment).
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(authority.key, forge.md.sha256.create());
  return certificate;
}

/** A new key and certificate for the holder, issued by the product CA. */
async function issueCredential(db: Database, holder: CredentialHolder, subject: NameAttribute[], replace: boolean): Promise<void> {
  const authority = await productAuthority(db);
  const keys = newKeyPair();
  const certificate = productCertificate(authority, keys.publicKey, subject);
  await storeCredential(db, holder, keys.privateKey, [certificate, authority.certificate], 'product-ca', SYSTEM_ACTOR, replace);
}

/** The subject line `distinguishedName` writes for these attributes, to compare with a stored one. */
function subjectLine(subject: NameAttribute[]): string {
  const certificate = forge.pki.createCertificate();
  certificate.setSubject(subject);
  return distinguishedName(certificate.subject);
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
 * The holder's signing credential, still sealed: the imported one, or the product CA's, issued on
 * first need (and again when it is about to expire, or, for an official, when the name, the
 * agency's name or the membership it states no longer holds). An imported certificate that has
 * expired is not replaced silently: the holder must import the renewed one.
 */
export async function sealedCredential(db: Database, holder: CredentialHolder): Promise<SealedCredential> {
  const read = () => db(holderTable(holder)).where(holderKey(holder)).first<(CredentialRow & { subject: string }) | undefined>();
  let row = await read();
  const expiring = row !== undefined && row.not_after.getTime() - Date.now() < RENEW_BEFORE_MS;
  const subject = !row || row.source === 'product-ca' ? await subjectOf(db, holder) : null;
  if (!row || (row.source === 'product-ca' && (expiring || row.subject !== subjectLine(subject!)))) {
    await issueCredential(db, holder, subject!, row !== undefined);
    row = (await read())!;
  } else if (expiring) {
    const who = holder.kind === 'agency' ? { vi: `cơ quan ${holder.agencyCode}`, en: `agency ${holder.agencyCode}` } : { vi: `cán bộ ${row.subject}`, en: `official ${row.subject}` };
    throw new QuyTrinhError('conflict', 'signature.certificate-expired', {
      vi: `Chứng thư số của ${who.vi} đã hoặc sắp hết hạn: cần nhập chứng thư số mới`,
      en: `The certificate of ${who.en} has expired or is about to: import the renewed one`,
    });
  }
  return { agencyCode: holder.agencyCode, pkcs12: row.pkcs12, passphrase: await keyPassphrase() };
}

/** The agency's own signing credential, still sealed (sealedCredential). */
export function sealedAgencyCredential(db: Database, agencyCode: string): Promise<SealedCredential> {
  return sealedCredential(db, { kind: 'agency', agencyCode });
}

/** A sealed credential opened: `signature.keys-locked` when the passphrase is not the one it was stored with. */
export function openSealedCredential({ agencyCode, pkcs12, passphrase }: SealedCredential): SigningCredential {
  const { key, chain } = openStored(Buffer.from(pkcs12.buffer, pkcs12.byteOffset, pkcs12.byteLength), passphrase);
  return { agencyCode, signerName: attributeText(chain[0]!.subject, 'commonName') ?? agencyCode, key, chain };
}

/**
 * Imports a holder's certificate from a licensed CA: a PKCS#12 file (.p12/.pfx) with the private
 * key and the certificate chain, and its password. The certificate must chain to a trusted root
 * (import the CA's root first) and be valid now. It replaces the holder's current credential;
 * documents signed before keep their own certificates inside their signatures.
 */
async function importSigningCredential(db: Database, holder: CredentialHolder, pkcs12: Buffer, password: string, actor: string): Promise<{ subject: string; serialNumber: string; notAfter: Date }> {
  const { key, chain } = fromPkcs12(pkcs12, password);
  const problem = chainProblem(chain, await trustedRoots(db), new Date());
  if (problem) {
    throw new QuyTrinhError('unprocessable', 'signature.untrusted-certificate', {
      vi: `Chứng thư số không dẫn tới chứng thư gốc tin cậy nào hoặc không còn hiệu lực (${problem}); hãy nhập chứng thư gốc của CA trước`,
      en: `The certificate does not chain to a trusted root or is not valid now (${problem}); import the CA's root first`,
    }, [{ field: 'pkcs12', message: problem }]);
  }
  await storeCredential(db, holder, key, chain, 'imported', actor, true);
  return { subject: distinguishedName(chain[0]!.subject), serialNumber: chain[0]!.serialNumber, notAfter: chain[0]!.validity.notAfter };
}

/** The agency's certificate from a licensed CA (importSigningCredential). */
export async function importAgencySigningCredential(db: Database, agencyCode: string, pkcs12: Buffer, password: string, actor: string): Promise<{ subject: string; serialNumber: string; notAfter: Date }> {
  if (!(await db('agencies').where({ code: agencyCode }).first('code'))) throw agencyNotFound(agencyCode);
  return importSigningCredential(db, { kind: 'agency', agencyCode }, pkcs12, password, actor);
}

/**
 * An official's personal certificate from a licensed CA (a USB token's certificate exported with
 * its key, or one issued for remote signing), for the agency they sign for: `agencyCode`, or
 * their only agency. The account must be an enabled official of it.
 */
export async function importOfficialSigningCredential(db: Database, username: string, agencyCode: string | undefined, pkcs12: Buffer, password: string, actor: string): Promise<{ subject: string; serialNumber: string; notAfter: Date; agencyCode: string }> {
  const account = await db('accounts').where({ username: username.toLowerCase() }).first<{ id: string } | undefined>('id');
  if (!account) throw new QuyTrinhError('not-found', 'signature.official-not-found', { vi: `Không có tài khoản ${username}`, en: `No account ${username}` });
  const agencies = agencyCode ? [agencyCode] : await db('agency_memberships').where({ account_id: account.id }).distinct('agency_code').pluck<string[]>('agency_code');
  if (agencies.length !== 1) {
    throw new QuyTrinhError('invalid-input', 'signature.official-agency-needed', {
      vi: `Cán bộ ${username} thuộc ${agencies.length} cơ quan: cần nêu cơ quan (--agency)`,
      en: `Official ${username} belongs to ${agencies.length} agencies: name the agency (--agency)`,
    }, [{ field: 'agency', message: 'required' }]);
  }
  const official = await officialAccount(db, { id: account.id }, agencies[0]!);
  const imported = await importSigningCredential(db, { kind: 'official', accountId: official.id, agencyCode: agencies[0]! }, pkcs12, password, actor);
  return { ...imported, agencyCode: agencies[0]! };
}
