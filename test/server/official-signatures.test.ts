import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verificationText } from '../../server/cli/signature-commands.ts';
import { confirmDigitization, createDigitization, digitizationOf, digitizationView } from '../../server/digitization/digitizations.ts';
import { runDigitizationOcr } from '../../server/digitization/ocr-job.ts';
import { DIGITIZATION_SIGNING_REASON } from '../../server/digitization/stamped-copy.ts';
import { completeUserTask } from '../../server/execution/tasks.ts';
import { createAccount } from '../../server/identity/accounts.ts';
import { createAgency } from '../../server/identity/agencies.ts';
import type { Principal } from '../../server/identity/roles.ts';
import { APPROVER_WIDGET_RECT, SIGNATURE_WIDGET_RECT } from '../../server/printing/notice-pdf.ts';
import { toPkcs12 } from '../../server/signatures/certificates.ts';
import { importOfficialSigningCredential, importTrustedRoot } from '../../server/signatures/credentials.ts';
import { revokeOfficialCertificates } from '../../server/signatures/revocation.ts';
import { RESULT_SIGNING_REASON, signAsAgency } from '../../server/signatures/sign-pdf.ts';
import { verifyStoredTrust } from '../../server/signatures/verify-pdf.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { runCli } from '../support/product-process.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { opensslVerifiesCms, opensslVerifiesPdf, signedParts } from '../support/signed-pdf.ts';

/**
 * Officials' personal signatures (issue 12, docs/signatures.md): the approver signs the result with
 * their personal certificate and the agency seals it as a second, incremental signature (Decree 45
 * Art. 14.3.b; Decree 30/2020); every signature is verified, by us and by OpenSSL; the copier signs
 * the digitized copy (Circular 01 Art. 8.1) and the confirmation of its metadata is signed (Art.
 * 9.3). Real PostgreSQL, real job runner, real keys and signatures.
 */
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'quytrinh-official-signatures-'));

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const AGENCY = { code: '000.00.51.H26', name: 'Ủy ban nhân dân xã Đông Hưng' };
const APPROVER = { username: 'lanhdao.donghung', displayName: 'Lê Văn Duyệt' };
const COPIER = { username: 'motcua.donghung', displayName: 'Phạm Thị Sao' };
const procedure = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="approve" name="Phê duyệt, ký số kết quả" qt:dossierStep="approval"/>
  <bpmn:serviceTask id="sign" name="Cấp kết quả" qt:jobType="result.sign"/>
  <bpmn:userTask id="hand" name="Trả kết quả"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>approve', 'approve>sign', 'sign>hand', 'hand>end')}
`, { id: 'Process_approved_result', attributes: 'name="Đăng ký khai sinh (phê duyệt)"' });

let owner: string;
let approverId: string;
let copierId: string;
let sequence = 0;
/** The copier's certificate from a licensed CA (made with the approver's), for the command line's import. */
let copierP12: Buffer;

/** A dossier of AGENCY on a started instance, as the dossier layer stores it. */
async function dossier(): Promise<{ id: string; instanceId: string; code: string }> {
  const started = await fixture.api.fetch('/api/definitions/Process_approved_result/instances', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ variables: {} }) });
  expect(started.status).toBe(201);
  const instance = (await started.json()) as { id: string };
  const definition = await fixture.database.db('process_definitions').where({ key: 'Process_approved_result' }).first<{ id: string; name: string }>('id', 'name');
  const code = `${AGENCY.code}-261206-${String(++sequence).padStart(4, '0')}`;
  const [row] = await fixture.database.db('dossiers').insert({
    instance_id: instance.id, definition_id: definition.id, procedure_key: 'Process_approved_result', procedure_name: definition.name,
    owner_account_id: owner, applicant_name: 'Trần Văn Bình', applicant_id: '001090067891', agency_code: AGENCY.code, code,
    status: 'received', submitted_at: new Date(), receipt_due_at: new Date(Date.now() + 8 * 3600_000), received_at: new Date(),
  }).returning<Array<{ id: string }>>('id');
  return { id: row!.id, instanceId: instance.id, code };
}

/** A result issued after `actor` completed the approval task: its stored signed PDF. */
async function issuedAfterApprovalBy(actor: string): Promise<Buffer> {
  const { db } = fixture.database;
  const made = await dossier();
  const open = (elementId: string) => db('user_tasks').where({ instance_id: made.instanceId, element_id: elementId, status: 'open' }).first<{ id: string } | undefined>('id');
  await expect.poll(async () => (await open('approve'))?.id, { timeout: 30_000, interval: 100 }).toBeDefined();
  // As POST /api/tasks/:id/complete records it: the actor of the principal who completed it.
  await completeUserTask(db, (await open('approve'))!.id, {}, actor);
  await expect.poll(async () => (await open('hand')) !== undefined, { timeout: 30_000, interval: 100 }).toBe(true);
  const result = await db('dossier_results').where({ dossier_id: made.id }).first<{ id: string }>('id');
  return (await db('result_documents').where({ result_id: result.id, state: 'issued' }).first<{ pdf: Buffer }>('pdf')).pdf;
}

const opensslVerifies = (pdf: Buffer, n: number, caPem: string) => opensslVerifiesPdf(pdf, caPem, n);

async function productCaPem(): Promise<string> {
  return (await fixture.database.db('signature_trusted_roots').where({ source: 'product-ca' }).first<{ certificate_pem: string }>('certificate_pem')).certificate_pem;
}

const official = (id: string, who: { username: string; displayName: string }): Principal => ({ kind: 'account', id, actor: `account:${who.username}`, displayName: who.displayName, roles: ['official'], memberships: [{ agencyCode: AGENCY.code, function: 'tiep-nhan' }], assuranceLevel: 2, jobTypes: null });

beforeAll(async () => {
  const { db } = fixture.database;
  await createAgency(db, AGENCY);
  owner = (await createAccount(db, { username: '001090067891', displayName: 'Trần Văn Bình', roles: ['citizen'], holder: { kind: 'person', id: '001090067891' }, assuranceLevel: 2, identifiedBy: 'test' })).id;
  approverId = (await createAccount(db, { ...APPROVER, roles: ['official'], memberships: [{ agencyCode: AGENCY.code, function: 'lanh-dao' }], assuranceLevel: 2, identifiedBy: 'test' })).id;
  copierId = (await createAccount(db, { ...COPIER, roles: ['official'], memberships: [{ agencyCode: AGENCY.code, function: 'tiep-nhan' }], assuranceLevel: 2, identifiedBy: 'test' })).id;
  const deployed = await fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: procedure });
  expect(deployed.status, await deployed.clone().text()).toBe(201);
});

describe('the approver signs the result, then the agency seals it (Decree 45 Art. 14.3.b)', () => {
  let approved: Buffer;
  let caPem: string;

  it('carries two valid signatures, the approver’s personal one then the agency’s, each verified by OpenSSL', async () => {
    const { db } = fixture.database;
    approved = await issuedAfterApprovalBy(`account:${APPROVER.username}`);
    caPem = await productCaPem();
    const report = await verifyStoredTrust(db, approved);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.signatureCount).toBe(2);
    const [first, second] = report.signatures;
    // The approver's certificate: their name, the agency (O= and its code), their account, VN.
    expect(first).toMatchObject({ valid: true, coversWholeFile: false, reason: RESULT_SIGNING_REASON, signer: { name: APPROVER.displayName, agencyCode: AGENCY.code } });
    expect(first!.signer!.subject).toBe(`CN=${APPROVER.displayName}, O=${AGENCY.name}, 2.5.4.97=${AGENCY.code}, 0.9.2342.19200300.100.1.1=${approverId}, C=VN`);
    expect(second).toMatchObject({ valid: true, coversWholeFile: true, signer: { name: AGENCY.name, agencyCode: AGENCY.code } });
    // The answer's own fields describe the last signature: the agency's.
    expect(report.signer!.name).toBe(AGENCY.name);
    // The earlier signature covers a prefix of the file that ends a revision.
    expect(approved.subarray(0, first!.signedBytes).toString('latin1').endsWith('%%EOF')).toBe(true);
    // OpenSSL agrees on each, chaining to the product CA.
    expect(opensslVerifies(approved, 0, caPem)).toBe(true);
    expect(opensslVerifies(approved, 1, caPem)).toBe(true);
    // The approver's credential was made on first need, in the same table layout as agencies', encrypted.
    const stored = await db('official_signing_credentials').where({ account_id: approverId }).select<Array<{ agency_code: string; source: string; serial_number: string }>>('agency_code', 'source', 'serial_number');
    expect(stored).toEqual([{ agency_code: AGENCY.code, source: 'product-ca', serial_number: first!.signer!.serialNumber }]);
    // The route and the command line report both signatures.
    const overHttp = await fixture.api.fetch('/api/signatures/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ contentBase64: approved.toString('base64') }) });
    const body = (await overHttp.json()) as { valid: boolean; signatures: Array<{ signer: { name: string } }> };
    expect(body.valid).toBe(true);
    expect(body.signatures.map((signature) => signature.signer.name)).toEqual([APPROVER.displayName, AGENCY.name]);
    const text = verificationText('ket-qua.pdf', report);
    expect(text).toContain(`Chữ ký / signature 1/2: ✔ hợp lệ / valid`);
    expect(text).toContain(`Người ký / signer: ${APPROVER.displayName} (${AGENCY.code})`);
  });

  it('shows the approver’s name in their box and the agency’s below, each under its own signature widget', async () => {
    const document = await getDocument({ data: new Uint8Array(approved) }).promise;
    const page = await document.getPage(1);
    const widgets = ((await page.getAnnotations()) as Array<{ subtype: string; fieldType?: string; rect: number[] }>).filter((annotation) => annotation.subtype === 'Widget');
    expect(widgets.map((widget) => widget.fieldType)).toEqual(['Sig', 'Sig']);
    const rects = widgets.map((widget) => widget.rect);
    const texts = (await page.getTextContent()).items.flatMap((item) => ('str' in item ? [{ text: item.str, x: item.transform[4] as number, y: item.transform[5] as number }] : []));
    const inside = (rect: number[], text: string) => {
      const drawn = texts.find((item) => item.text === text);
      return drawn !== undefined && drawn.x >= rect[0]! && drawn.x <= rect[2]! && drawn.y >= rect[1]! && drawn.y <= rect[3]!;
    };
    APPROVER_WIDGET_RECT.forEach((value, index) => expect(rects[0]![index]).toBeCloseTo(value, 1));
    SIGNATURE_WIDGET_RECT.forEach((value, index) => expect(rects[1]![index]).toBeCloseTo(value, 1));
    expect(inside(rects[0]!, `Người ký: ${APPROVER.displayName}`)).toBe(true);
    expect(inside(rects[1]!, `Người ký: ${AGENCY.name}`)).toBe(true);
  });

  it('rejects the file when one byte is changed, before or after the approver’s signature', async () => {
    const { db } = fixture.database;
    const { ranges: firstRanges } = signedParts(approved, 0);
    const { ranges: lastRanges } = signedParts(approved, 1);
    const firstEnd = firstRanges[2] + firstRanges[3];
    // In the first revision (the printed result), in the approver's own signature, in the agency's revision.
    for (const at of [Math.floor(firstRanges[1] / 2), firstRanges[1] + 41, firstEnd + Math.floor((lastRanges[1] - firstEnd) / 2), approved.length - 30]) {
      const altered = Buffer.from(approved);
      altered[at] = altered[at]! ^ 0x01;
      const report = await verifyStoredTrust(db, altered);
      expect(report.valid, `byte ${at}`).toBe(false);
      expect(report.signatures.some((signature) => signature.problems.length > 0)).toBe(true);
    }
    // A byte of the printed result: neither signature holds, and OpenSSL says so of both.
    const altered = Buffer.from(approved);
    altered[100] = altered[100]! ^ 0x01;
    const report = await verifyStoredTrust(db, altered);
    expect(report.signatures.map((signature) => signature.problems.map((problem) => problem.code))).toEqual([['signature.altered'], ['signature.altered']]);
    expect(opensslVerifies(altered, 0, caPem)).toBe(false);
    expect(opensslVerifies(altered, 1, caPem)).toBe(false);
  });

  it('rejects the approver’s signature when a later revision changes content, even one the agency then signs', async () => {
    const { db } = fixture.database;
    const approverOnly = approved.subarray(0, signedParts(approved, 0).ranges[2] + signedParts(approved, 0).ranges[3]);
    // An incremental update that replaces the page's content stream (object 5) with other text.
    const text = approverOnly.toString('latin1');
    const previousXref = Number(/startxref\s+(\d+)\s+%%EOF$/.exec(text)![1]);
    const root = /\/Root (\d+ \d+ R)/.exec(text.slice(text.lastIndexOf('trailer')))![1];
    const size = Number(/\/Size (\d+)/.exec(text.slice(text.lastIndexOf('trailer')))![1]);
    const content = 'BT /F1 12 Tf 72 700 Td (Ket qua da bi sua) Tj ET';
    const object = `\n5 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`;
    const offset = approverOnly.length + 1;
    const xrefAt = approverOnly.length + object.length;
    const update = `${object}xref\n0 1\n0000000000 65535 f \n5 1\n${String(offset).padStart(10, '0')} 00000 n \ntrailer\n<<\n/Size ${size}\n/Root ${root}\n/Prev ${previousXref}\n>>\nstartxref\n${xrefAt}\n%%EOF`;
    const tampered = await signAsAgency(db, AGENCY.code, Buffer.concat([approverOnly, Buffer.from(update, 'latin1')]));
    const report = await verifyStoredTrust(db, tampered);
    expect(report.valid).toBe(false);
    expect(report.signatures[1]!.valid).toBe(true);
    expect(report.signatures[0]!.problems.map((problem) => problem.code)).toEqual(['signature.incomplete-coverage']);
    expect(report.signatures[0]!.problems[0]!.text.en).toContain('object 5 is a stream');
    expect(report.problems[0]!.text.vi).toContain(`Chữ ký 1/2 (${APPROVER.displayName})`);
  });

  it('without an approval completed by one of the agency’s officials, the agency signs alone', async () => {
    const report = await verifyStoredTrust(fixture.database.db, await issuedAfterApprovalBy('token:test-admin'));
    expect(report).toMatchObject({ valid: true, signatureCount: 1, signer: { name: AGENCY.name } });
  });

  it('rejects the approver’s signatures once their key is revoked as compromised, and signs the next result with a new certificate', async () => {
    const { db } = fixture.database;
    const [revoked] = await revokeOfficialCertificates(db, APPROVER.username, undefined, 'key-compromise', 'test');
    expect(revoked!.subject).toContain(APPROVER.displayName);
    expect(await db('official_signing_credentials').where({ account_id: approverId }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    const report = await verifyStoredTrust(db, approved);
    expect(report.valid).toBe(false);
    expect(report.signatures[0]!.problems.map((problem) => problem.code)).toEqual(['signature.revoked']);
    expect(report.signatures[1]!.valid).toBe(true);
    expect(report.problems.map((problem) => problem.code)).toEqual(['signature.revoked']);
    expect(report.problems[0]!.text.en).toContain('key compromise');

    const next = await verifyStoredTrust(db, await issuedAfterApprovalBy(`account:${APPROVER.username}`));
    expect(next.valid).toBe(true);
    expect(next.signatures[0]!.signer!.serialNumber).not.toBe(revoked!.serialNumber);
    await expect(revokeOfficialCertificates(db, 'khong.co.ai', undefined, 'superseded', 'test')).rejects.toMatchObject({ code: 'signature.no-credential' });
  });

  it('imports an official’s certificate from a licensed CA, only for an official of the agency, and signs with it', async () => {
    const { db } = fixture.database;
    const text = (name: string, value: string) => ({ name, value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class });
    const caKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    const leafKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    const make = (subject: string, publicKey: forge.pki.PublicKey, ca: boolean) => {
      const certificate = forge.pki.createCertificate();
      certificate.publicKey = publicKey;
      certificate.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
      certificate.validity.notBefore = new Date(Date.now() - 3600_000);
      certificate.validity.notAfter = new Date(Date.now() + 365 * 86400_000);
      certificate.setSubject([text('commonName', subject), { name: 'countryName', value: 'VN' }]);
      certificate.setIssuer([text('commonName', 'CA cá nhân được cấp phép (thử)'), { name: 'countryName', value: 'VN' }]);
      certificate.setExtensions(ca ? [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, critical: true }] : [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
      certificate.sign(caKeys.privateKey, forge.md.sha256.create());
      return certificate;
    };
    const ca = make('CA cá nhân được cấp phép (thử)', caKeys.publicKey, true);
    const leaf = make(APPROVER.displayName, leafKeys.publicKey, false);
    const p12 = toPkcs12(leafKeys.privateKey, [leaf, ca], 'mật khẩu', 'token');
    const copierKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    copierP12 = toPkcs12(copierKeys.privateKey, [make(COPIER.displayName, copierKeys.publicKey, false), ca], 'mật khẩu 2', 'token');
    await expect(importOfficialSigningCredential(db, APPROVER.username, undefined, p12, 'mật khẩu', 'test')).rejects.toMatchObject({ code: 'signature.untrusted-certificate' });
    await importTrustedRoot(db, forge.pki.certificateToPem(ca), 'test');
    await expect(importOfficialSigningCredential(db, '001090067891', AGENCY.code, p12, 'mật khẩu', 'test')).rejects.toMatchObject({ code: 'signature.not-an-official' });
    await expect(importOfficialSigningCredential(db, APPROVER.username, undefined, p12, 'sai', 'test')).rejects.toMatchObject({ code: 'signature.pkcs12-unreadable' });
    const imported = await importOfficialSigningCredential(db, APPROVER.username, undefined, p12, 'mật khẩu', 'test');
    expect(imported).toMatchObject({ agencyCode: AGENCY.code, serialNumber: leaf.serialNumber });

    const pdf = await issuedAfterApprovalBy(`account:${APPROVER.username}`);
    const report = await verifyStoredTrust(db, pdf);
    expect(report.valid).toBe(true);
    expect(report.signatures[0]!.signer!.serialNumber).toBe(leaf.serialNumber);
    expect(opensslVerifies(pdf, 0, forge.pki.certificateToPem(ca))).toBe(true);
  });
});

describe('quytrinh ca: officials\' certificates from the command line', () => {
  it('imports an official\'s .p12, lists officials\' certificates with their expiry, revokes them, and refuses an ambiguous target', async () => {
    const env = { DATABASE_URL: fixture.database.url, DATA_DIR: process.env.DATA_DIR, LOG_LEVEL: 'silent' };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'quytrinh-p12-')), 'can-bo.p12');
    writeFileSync(file, copierP12);
    const imported = await runCli(['ca', 'import-official', COPIER.username, file, '--password', 'mật khẩu 2'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`Đã nhập / imported: CN=${COPIER.displayName}`);
    expect(imported.stdout).toContain(`cơ quan / agency ${AGENCY.code}`);
    const listed = await runCli(['ca', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const officials = listed.stdout.slice(listed.stdout.indexOf('officials\' personal certificates'), listed.stdout.indexOf('Chứng thư đã thu hồi'));
    expect(officials).toMatch(new RegExp(`${APPROVER.username.replace('.', '\\.')}\\s+${AGENCY.code.replace(/\./g, '\\.')}.*CN=${APPROVER.displayName}.*hết hạn / expires \\d\\d giờ`));
    expect(officials).toContain(`${COPIER.username}`);
    expect(officials).toContain('[imported]');
    const revoked = await runCli(['ca', 'revoke', '--official', COPIER.username, '--agency', AGENCY.code, '--reason', 'superseded'], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Đã thu hồi / revoked: CN=${COPIER.displayName}`);
    expect(await fixture.database.db('official_signing_credentials').where({ account_id: copierId }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    const ambiguous = await runCli(['ca', 'revoke', '--official', COPIER.username, '--certificate', file, '--reason', 'superseded'], env);
    expect(ambiguous.code).not.toBe(0);
    expect(ambiguous.stderr).toContain('--official');
  });
});

describe('the copier signs the digitized copy, and the confirmation of its metadata is signed (Circular 01 Art. 8.1, 9.3)', () => {
  let digitizationId: string;
  let dossierId: string;

  it('signs the stamped copy with the copier’s personal certificate', async () => {
    const { db } = fixture.database;
    process.env.TESSDATA_PREFIX = mkdtempSync(path.join(tmpdir(), 'quytrinh-no-tessdata-'));
    try {
      const made = await dossier();
      dossierId = made.id;
      const png = readFileSync(path.join(import.meta.dirname, '../fixtures/digitization/birth-certificate-p1.png'));
      digitizationId = await createDigitization(db, official(copierId, COPIER), { id: made.id, owner_account_id: owner, agency_code: AGENCY.code }, {
        componentName: 'Giấy khai sinh', documentKind: 'original', paperPages: 1, files: [{ fileName: 'trang-1.png', mediaType: 'image/png', contentBase64: png.toString('base64') }],
      });
      await runDigitizationOcr(db, digitizationId);
    } finally {
      delete process.env.TESSDATA_PREFIX;
    }
    const { signed_pdf: copy } = await db('digitizations').where({ id: digitizationId }).first<{ signed_pdf: Buffer }>('signed_pdf');
    const report = await verifyStoredTrust(db, copy);
    expect(report).toMatchObject({ valid: true, signatureCount: 1, reason: DIGITIZATION_SIGNING_REASON, signer: { name: COPIER.displayName, agencyCode: AGENCY.code } });
    expect(opensslVerifies(copy, 0, await productCaPem())).toBe(true);
  });

  it('signs the confirmation, shows it verified, and finds a changed stored row invalid', async () => {
    const { db } = fixture.database;
    const metadata = {
      documentTypeCode: 'GKS', holderId: '001324012345', holderName: 'Nguyễn Thị Hồng Nhung', holderBornOn: '2024-03-15', documentName: 'Giấy khai sinh',
      numberSymbol: '125/2024/KS', issuedOn: '2024-03-20', issuingAgency: AGENCY.name, synopsis: 'Giấy khai sinh của Nguyễn Thị Hồng Nhung', validUntil: null, validityScope: null,
    };
    await confirmDigitization(db, official(copierId, COPIER), dossierId, digitizationId, metadata);
    const view = await digitizationView(db, await digitizationOf(db, dossierId, digitizationId));
    expect(view.code).toBe('001324012345.GKS.125/2024/KS');
    expect(view.confirmationSignature).toMatchObject({ valid: true, problems: [], signer: { name: COPIER.displayName, agencyCode: AGENCY.code } });

    // OpenSSL checks the stored CMS over the canonical JSON recomputed from the row.
    const { confirmation_signature: cms } = await db('digitizations').where({ id: digitizationId }).first<{ confirmation_signature: Buffer }>('confirmation_signature');
    const { confirmationBytes, copySha256 } = await import('../../server/digitization/confirmation-signature.ts');
    const content = confirmationBytes({ digitizationId, code: view.code!, metadata: view.metadata!, copySha256: (await copySha256(db, digitizationId))! });
    expect(JSON.parse(content.toString('utf8'))).toMatchObject({ code: view.code, metadata: { holderName: 'Nguyễn Thị Hồng Nhung' } });
    expect(opensslVerifiesCms(content, cms, await productCaPem())).toBe(true);

    // Someone edits the stored metadata afterwards: the signature no longer holds.
    await db('digitizations').where({ id: digitizationId }).update({ metadata: db.raw(`jsonb_set(metadata, '{holderName}', '"Nguyễn Thị Hồng Nhungg"')`) });
    const tampered = await digitizationView(db, await digitizationOf(db, dossierId, digitizationId));
    expect(tampered.confirmationSignature).toMatchObject({ valid: false, problems: [{ code: 'signature.altered' }] });
    // And over HTTP, as the API answers it.
    const response = await fixture.api.fetch(`/api/dossiers/${dossierId}/digitizations/${digitizationId}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { confirmationSignature: { valid: boolean } }).confirmationSignature.valid).toBe(false);
  });
});

afterAll(() => {
  delete process.env.TESSDATA_PREFIX;
});
