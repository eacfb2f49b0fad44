import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency } from '../../server/identity/agencies.ts';
import { verificationText } from '../../server/cli/signature-commands.ts';
import { onePagePdf } from '../support/signed-pdf.ts';
import { revocations, revokeAgencyCertificate, revokeCertificate } from '../../server/signatures/revocation.ts';
import { signAsAgency } from '../../server/signatures/sign-pdf.ts';
import { verifyStoredTrust } from '../../server/signatures/verify-pdf.ts';
import { createPdfPool, type PdfPool } from '../../server/workers/pdf-pool.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Keys are encrypted with the passphrase of DATA_DIR: this test's own (server/signatures/key-passphrase.ts).
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'quytrinh-revocation-'));

/**
 * Revocation (issue 12; docs/signatures.md "Revocation"): a revoked certificate's signatures are
 * rejected as of the revocation, or all of them after a key compromise, with the reason in both
 * languages; the agency signs again with a new certificate. Real keys, real PDF signatures.
 */
const AGENCY = { code: '000.00.41.H26', name: 'Ủy ban nhân dân xã Tân Lập' };
let database: TestDatabase;
let pool: PdfPool;


beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPdfPool();
  await createAgency(database.db, AGENCY);
});
afterAll(async () => {
  await pool?.destroy();
  await database?.drop();
});

describe('revoking a signing certificate', () => {
  let before: Buffer;
  let after: Buffer;

  it('keeps what was signed before a routine revocation valid, and signs on with a new certificate', async () => {
    const { db } = database;
    before = await signAsAgency(db, AGENCY.code, await onePagePdf('Giấy khai sinh số 12/2026'), {}, pool);
    expect(await verifyStoredTrust(db, before)).toMatchObject({ valid: true, problems: [] });
    const first = await db('agency_signing_credentials').where({ agency_code: AGENCY.code }).first<{ serial_number: string }>('serial_number');

    // A moment later (signing times are to the second): the certificate is replaced.
    const revoked = await revokeAgencyCertificate(db, AGENCY.code, 'superseded', 'test', new Date(Date.now() + 1000));
    expect(revoked.reason).toBe('superseded');
    // Signed before the revocation, by a certificate revoked only as superseded: still valid.
    expect(await verifyStoredTrust(db, before)).toMatchObject({ valid: true, problems: [] });

    after = await signAsAgency(db, AGENCY.code, await onePagePdf('Giấy khai sinh số 13/2026'), {}, pool);
    const second = await db('agency_signing_credentials').where({ agency_code: AGENCY.code }).first<{ serial_number: string; certificate_pem: string }>('serial_number', 'certificate_pem');
    expect(second.serial_number).not.toBe(first.serial_number);
    expect((await verifyStoredTrust(db, after)).valid).toBe(true);
  });

  it('rejects everything a compromised key signed, naming the revocation in both languages', async () => {
    const { db } = database;
    const current = await db('agency_signing_credentials').where({ agency_code: AGENCY.code }).first<{ certificate_pem: string }>('certificate_pem');
    await revokeCertificate(db, current.certificate_pem, 'key-compromise', 'test');
    const report = await verifyStoredTrust(db, after);
    expect(report.valid).toBe(false);
    expect(report.problems.map((problem) => problem.code)).toEqual(['signature.revoked']);
    expect(report.problems[0]!.text.vi).toContain('lộ khoá bí mật');
    expect(report.problems[0]!.text.en).toContain('key compromise');
    expect(verificationText('ket-qua.pdf', report)).toContain('✘ Chữ ký số KHÔNG hợp lệ / INVALID signature: ket-qua.pdf');
    // The other certificate's signature is untouched; revoking again changes nothing.
    expect((await verifyStoredTrust(db, before)).valid).toBe(true);
    await revokeCertificate(db, current.certificate_pem, 'superseded', 'test');
    expect((await revocations(db)).map((revocation) => revocation.reason).sort()).toEqual(['key-compromise', 'superseded']);
  });

  it('refuses what it cannot revoke with a typed error', async () => {
    await expect(revokeCertificate(database.db, 'not a certificate', 'unspecified', 'test')).rejects.toMatchObject({ code: 'signature.certificate-unreadable' });
    await expect(revokeAgencyCertificate(database.db, '000.00.99.H26', 'unspecified', 'test')).rejects.toMatchObject({ code: 'signature.no-credential' });
  });
});
