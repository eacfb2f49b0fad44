/**
 * X.509 helpers on node-forge shared by the signing credentials and the verification: names read
 * in Unicode, PKCS#12 files in and out, fingerprints, and the chain check against trusted roots.
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { QuyTrinhError } from '../../engine/errors.ts';

export type Certificate = forge.pki.Certificate;
export type PrivateKey = forge.pki.rsa.PrivateKey;

/** X.520 organizationIdentifier: carries the agency's national code in the certificates the product CA issues. */
export const ORGANIZATION_IDENTIFIER = '2.5.4.97';

/**
 * forge writes a UTF8String name attribute from Unicode text but parses it back as its UTF-8
 * bytes, so a parsed certificate written again (into a CMS signature, a PKCS#12 file, a PEM)
 * would carry its Vietnamese names encoded twice: a different name, which breaks the issuer
 * match of every signature. Every certificate parsed here goes through this first, which turns
 * those attributes back into text.
 */
export function withTextNames(certificate: Certificate): Certificate {
  for (const name of [certificate.subject, certificate.issuer]) {
    for (const attribute of name.attributes) {
      if ((attribute.valueTagClass as number | undefined) === (forge.asn1.Type.UTF8 as number) && typeof attribute.value === 'string') {
        attribute.value = forge.util.decodeUtf8(attribute.value);
      }
    }
  }
  return certificate;
}

export function certificateFromPem(pem: string): Certificate {
  return withTextNames(forge.pki.certificateFromPem(pem));
}

/** A name attribute's text (`commonName`, `CN` or an OID). */
export function attributeText(name: forge.pki.Certificate['subject'], field: string): string | null {
  const attribute = name.attributes.find((candidate) => candidate.type === field || candidate.name === field || candidate.shortName === field);
  return attribute && typeof attribute.value === 'string' ? attribute.value : null;
}

/** The name as one line, `CN=…, O=…`, in Unicode. */
export function distinguishedName(name: forge.pki.Certificate['subject']): string {
  return name.attributes
    .map((attribute) => `${attribute.shortName ?? attribute.name ?? attribute.type}=${attributeText(name, attribute.type!) ?? ''}`)
    .join(', ');
}

export function fingerprint(certificate: Certificate): string {
  return createHash('sha256').update(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary')).digest('hex');
}

/** A fresh positive serial number of 16 random bytes (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
export function randomSerial(): string {
  return `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
}

/** Key and certificates (leaf first) as a PKCS#12 file encrypted with `passphrase` (AES-256). */
export function toPkcs12(key: PrivateKey, chain: Certificate[], passphrase: string, friendlyName: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, passphrase, { algorithm: 'aes256', friendlyName });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** The private key of a PKCS#12 file and its certificates, the key's own first and then its issuers in order. */
export function fromPkcs12(bytes: Buffer, passphrase: string): { key: PrivateKey; chain: Certificate[] } {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))), false, passphrase);
  } catch {
    throw new QuyTrinhError('invalid-input', 'signature.pkcs12-unreadable', {
      vi: 'Không đọc được tệp PKCS#12: sai mật khẩu hoặc tệp hỏng',
      en: 'The PKCS#12 file cannot be read: wrong password or damaged file',
    }, [{ field: 'pkcs12', message: 'wrong password or not a PKCS#12 file' }]);
  }
  const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const key = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bags(forge.pki.oids.keyBag!)].map((bag) => bag.key).find((candidate): candidate is PrivateKey => candidate !== undefined);
  const certificates = bags(forge.pki.oids.certBag!).map((bag) => bag.cert).filter((cert): cert is Certificate => cert !== undefined).map(withTextNames);
  const leaf = key && certificates.find((cert) => {
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n?.equals(key.n) && publicKey.e?.equals(key.e);
  });
  if (!key || !leaf) {
    throw new QuyTrinhError('invalid-input', 'signature.pkcs12-incomplete', {
      vi: 'Tệp PKCS#12 phải chứa khoá bí mật RSA và chứng thư số của chính khoá đó',
      en: 'The PKCS#12 file must hold an RSA private key and the certificate of that key',
    }, [{ field: 'pkcs12', message: 'no RSA private key with its certificate' }]);
  }
  return { key, chain: issuerChain(leaf, certificates) };
}

/** `leaf` followed by its issuers found among `pool`, up to a self-signed one or the last found. */
export function issuerChain(leaf: Certificate, pool: Certificate[]): Certificate[] {
  const chain = [leaf];
  for (let current = leaf; !current.isIssuer(current) && chain.length <= pool.length;) {
    const issuer = pool.find((candidate) => !chain.includes(candidate) && candidate.issued(current) && verifies(candidate, current));
    if (!issuer) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}

function verifies(issuer: Certificate, child: Certificate): boolean {
  try {
    return issuer.verify(child);
  } catch {
    return false;
  }
}

/**
 * Why `chain` (leaf first) does not lead to one of `roots` at moment `at`, or null when it does:
 * every signature in it checks, every certificate was valid then, and the last is issued by (or
 * is) a trusted root.
 */
export function chainProblem(chain: Certificate[], roots: Certificate[], at: Date): string | null {
  const store = forge.pki.createCaStore(roots);
  // A root carried in the signature itself proves nothing: drop it, so the store's copy is used.
  const path = chain.length > 1 && chain.at(-1)!.isIssuer(chain.at(-1)!) ? chain.slice(0, -1) : chain;
  try {
    forge.pki.verifyCertificateChain(store, path, { validityCheckDate: at });
    return null;
  } catch (error) {
    const failure = error as { message?: string; error?: string };
    return failure.message ?? failure.error ?? String(error);
  }
}
