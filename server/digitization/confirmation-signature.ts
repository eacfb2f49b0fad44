/**
 * The signed confirmation of a digitization's metadata (Circular 01 Art. 9.1–9.3; docs/digitization.md,
 * "The signed confirmation"): when the official confirms or corrects the fields of Art. 9.2, they
 * sign — with their personal certificate, or the agency's when the confirmer is not one of its
 * officials (an administrator) — a detached CMS signature (node-forge, SHA-256 with RSA, in the PDF
 * pool) over the canonical JSON of what they vouch for: the digitization, its Art. 10 code, the
 * confirmed metadata and the SHA-256 of the signed copy those were read from. The signature is
 * stored with the digitization; each reading of it recomputes that JSON from the stored row and
 * the stored copy, so a row or a copy changed afterwards no longer verifies.
 */
import type { Knex } from 'knex';
import { METADATA_FIELDS, type DocumentMetadata } from '../../engine/digitization/metadata.ts';
import { canonical } from '../audit/chain.ts';
import type { Database } from '../db/connect.ts';
import { sealedCredential, trustedRootPems, type CredentialHolder } from '../signatures/credentials.ts';
import { revocations } from '../signatures/revocation.ts';
import type { DetachedVerification } from '../signatures/verify-pdf.ts';
import { sharedPdfPool, type PdfPool } from '../workers/pdf-pool.ts';

/** What the confirmer signs: names the article, so the bytes cannot be mistaken for another signed statement. */
export interface ConfirmedContent {
  statement: typeof STATEMENT;
  digitizationId: string;
  code: string;
  metadata: DocumentMetadata;
  copySha256: string;
}

const STATEMENT = 'Xác nhận siêu dữ liệu bản số hóa, Thông tư 01/2023/TT-VPCP Điều 9.1–9.3';

/** The signed bytes: JSON with sorted keys, no spaces, UTF-8 (server/audit/chain.ts canonical). */
export function confirmationBytes(content: Omit<ConfirmedContent, 'statement'>): Buffer {
  // Every field of Art. 9.2, an empty one as null, whether it was read back from the row or not.
  const metadata = Object.fromEntries(METADATA_FIELDS.map((field) => [field, content.metadata[field] ?? null]));
  return Buffer.from(canonical({ statement: STATEMENT, ...content, metadata }), 'utf8');
}

/** The SHA-256 (hex) of the digitization's signed copy, as stored; null before it is signed. */
export async function copySha256(db: Database | Knex.Transaction, digitizationId: string): Promise<string | null> {
  // Hashed where it is stored: the copy (up to tens of MB) does not cross to the event loop.
  const row = await db('digitizations').where({ id: digitizationId }).first<{ sha256: string | null } | undefined>(db.raw(`encode(sha256(signed_pdf), 'hex') as sha256`));
  return row?.sha256 ?? null;
}

/** The confirmer's detached CMS signature (DER) of the content, made in the PDF pool. */
export async function signConfirmation(db: Database | Knex.Transaction, signer: CredentialHolder, content: Omit<ConfirmedContent, 'statement'>, signedAt: Date, pool: PdfPool = sharedPdfPool()): Promise<Buffer> {
  return pool.signData(confirmationBytes(content), await sealedCredential(db, signer), signedAt);
}

/**
 * The stored signature checked against the stored row and copy, in the PDF pool, with the trusted
 * roots and the revocation list: `signature.altered` when the metadata, the code or the copy is
 * not what was signed.
 */
export async function verifyConfirmation(db: Database | Knex.Transaction, row: { id: string; code: string; metadata: DocumentMetadata }, cms: Buffer, pool: PdfPool = sharedPdfPool()): Promise<DetachedVerification> {
  const content = confirmationBytes({ digitizationId: row.id, code: row.code, metadata: row.metadata, copySha256: (await copySha256(db, row.id)) ?? '' });
  const [rootPems, revoked] = await Promise.all([trustedRootPems(db), revocations(db)]);
  return pool.verifyData(content, cms, rootPems, revoked);
}
