import { once } from 'node:events';
import { mkdtempSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import forge from 'node-forge';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app.ts';
import { problemHandler } from '../../server/http/problem.ts';
import { MAX_SIGNATURE_REQUEST_BYTES, signaturesRouter } from '../../server/http/signatures.ts';
import { createAccount } from '../../server/identity/accounts.ts';
import { createAgency } from '../../server/identity/agencies.ts';
import { createToken } from '../../server/identity/tokens.ts';
import { toPkcs12 } from '../../server/signatures/certificates.ts';
import { importAgencySigningCredential, importTrustedRoot, PRODUCT_CA_NAME } from '../../server/signatures/credentials.ts';
import { PASSPHRASE_FILE } from '../../server/signatures/key-passphrase.ts';
import { RESULT_SIGNING_REASON, signPdf } from '../../server/signatures/sign-pdf.ts';
import { verifyStoredTrust } from '../../server/signatures/verify-pdf.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { pdfText } from '../support/restructuring.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { opensslVerifiesPdf, signedParts } from '../support/signed-pdf.ts';

// Keys are encrypted with the passphrase of DATA_DIR: this test's own (server/signatures/key-passphrase.ts).
const dataDir = mkdtempSync(path.join(tmpdir(), 'quytrinh-signatures-'));
process.env.DATA_DIR = dataDir;

const AGENCY = { code: '000.00.31.H26', name: 'Ủy ban nhân dân xã Hòa An' };
const IMPORTING = { code: '000.00.32.H26', name: 'Ủy ban nhân dân phường Tây Hồ' };
const CONCURRENT = { code: '000.00.33.H26', name: 'Ủy ban nhân dân xã Yên Thế' };
const procedure = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="decide" name="Xem xét, quyết định"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>decide', 'decide>end')}
`, { id: 'Process_signed_result', attributes: 'name="Đăng ký khai sinh (thử)"' });

let database: TestDatabase;
let url: string;
let token: string;
let close: () => Promise<void>;
const logLines: string[] = [];
const answers: string[] = [];

/** GET or POST on the product, as the administrator; every answer kept for the key check. */
async function call(method: string, route: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  answers.push(Buffer.from(await response.clone().arrayBuffer()).toString('latin1'));
  return response;
}

let verifyUrl: string;
let closeVerify: () => Promise<void>;
async function verifyOverHttp(pdf: Buffer): Promise<{ status: number; body: any }> {
  const response = await fetch(verifyUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ contentBase64: pdf.toString('base64') }) });
  const text = await response.text();
  answers.push(text);
  return { status: response.status, body: JSON.parse(text) };
}

let sequence = 0;
/** A dossier of `agency` with one result, as the dossier layer stores them. */
async function resultOf(agency: { code: string }): Promise<string> {
  const { db } = database;
  const owner = (await db('accounts').where({ username: '001090012345' }).first<{ id: string }>('id')).id;
  const started = await call('POST', '/api/definitions/Process_signed_result/instances', { variables: {} });
  expect(started.status).toBe(201);
  const instance = (await started.json()) as { id: string };
  const definition = await db('process_definitions').where({ key: 'Process_signed_result' }).first<{ id: string; name: string }>('id', 'name');
  const code = `${agency.code}-261206-${String(++sequence).padStart(4, '0')}`;
  const [dossier] = await db('dossiers').insert({
    instance_id: instance.id, definition_id: definition.id, procedure_key: 'Process_signed_result', procedure_name: definition.name,
    owner_account_id: owner, applicant_name: 'Nguyễn Thị An', applicant_id: '001090012345', agency_code: agency.code, code,
    status: 'result-issued', submitted_at: new Date(), receipt_due_at: new Date(Date.now() + 8 * 3600_000), received_at: new Date(),
  }).returning<Array<{ id: string }>>('id');
  await db('dossier_results').insert({ dossier_id: dossier!.id, n: 1, code: `${code}-KQ1`, title: 'Giấy khai sinh', issued_by: 'worker:result.sign' });
  return `${code}-KQ1`;
}

async function servedPdf(resultCode: string): Promise<Buffer> {
  const response = await call('GET', `/api/results/${resultCode}.pdf`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  return Buffer.from(await response.arrayBuffer());
}

/** A self-made certificate authority and a certificate it issues, with names we choose. */
function selfMade(caName: string, subjectName: string): { caPem: string; leafKey: forge.pki.rsa.PrivateKey; chain: forge.pki.Certificate[] } {
  const text = (name: string, value: string) => ({ name, value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class });
  const make = (subject: string, issuer: string, publicKey: forge.pki.PublicKey, signer: forge.pki.PrivateKey, ca: boolean) => {
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = publicKey;
    certificate.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
    certificate.validity.notBefore = new Date(Date.now() - 3600_000);
    certificate.validity.notAfter = new Date(Date.now() + 365 * 86400_000);
    certificate.setSubject([text('commonName', subject), { name: 'countryName', value: 'VN' }]);
    certificate.setIssuer([text('commonName', issuer), { name: 'countryName', value: 'VN' }]);
    certificate.setExtensions(ca ? [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, critical: true }] : [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
    certificate.sign(signer as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    return certificate;
  };
  const caKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const leafKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const ca = make(caName, caName, caKeys.publicKey, caKeys.privateKey, true);
  const leaf = make(subjectName, caName, leafKeys.publicKey, caKeys.privateKey, false);
  return { caPem: forge.pki.certificateToPem(ca), leafKey: leafKeys.privateKey, chain: [leaf, ca] };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const logger = pino({ level: 'trace' }, new Writable({ write(chunk: Buffer, _encoding, done) { logLines.push(chunk.toString('utf8')); done(); } }));
  const server = createApp({ db, logger, version: 'test', embeddedDatabase: true }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
  token = (await createToken(db, { name: 'signatures-admin', role: 'admin' }, 'test')).token;
  // The verification route as the lead mounts it (docs/signatures.md): its JSON body limit, the router, problems.
  const verifier = express().use(express.json({ limit: MAX_SIGNATURE_REQUEST_BYTES })).use('/api', signaturesRouter(db)).use(problemHandler(logger));
  const verifyServer = verifier.listen(0, '127.0.0.1');
  await once(verifyServer, 'listening');
  verifyUrl = `http://127.0.0.1:${(verifyServer.address() as AddressInfo).port}/api/signatures/verify`;
  closeVerify = () => new Promise((resolve) => verifyServer.close(() => resolve()));

  await createAgency(db, AGENCY);
  await createAgency(db, IMPORTING);
  await createAgency(db, CONCURRENT);
  await createAccount(db, { username: '001090012345', displayName: 'Nguyễn Thị An', roles: ['citizen'], holder: { kind: 'person', id: '001090012345' }, assuranceLevel: 2, identifiedBy: 'test' });
  const deployed = await fetch(`${url}/api/definitions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'Content-Type': 'application/xml' }, body: procedure });
  expect(deployed.status, await deployed.clone().text()).toBe(201);
});
afterAll(async () => {
  await close?.();
  await closeVerify?.();
  await database?.drop();
});

describe('digital signatures of results (Decree 45 Art. 14.3.b)', () => {
  let signed: Buffer;
  let productCaPem: string;

  it('serves a result PDF signed by its agency, which verifies and names the agency, the reason, the place and the time', async () => {
    const before = Date.now();
    const code = await resultOf(AGENCY);
    signed = await servedPdf(code);
    // Still the printed result, as a PDF reader shows it.
    expect(await pdfText(new Uint8Array(signed))).toContain(code);
    const report = await verifyStoredTrust(database.db, signed);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.signatureCount).toBe(1);
    expect(report.signer).toMatchObject({ name: AGENCY.name, agencyCode: AGENCY.code, issuer: expect.stringContaining(`CN=${PRODUCT_CA_NAME}`) });
    expect(report.reason).toBe(RESULT_SIGNING_REASON);
    expect(report.location).toBe('Việt Nam');
    expect(Date.parse(report.signedAt!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Date.parse(report.signedAt!)).toBeLessThanOrEqual(Date.now());
    expect(report.trustedRoot?.subject).toContain(PRODUCT_CA_NAME);

    // The CA and the agency's key were made on first need and kept: one CA, trusted, one credential.
    const roots = await database.db('signature_trusted_roots').select('source', 'certificate_pem');
    expect(roots.map((root) => root.source)).toEqual(['product-ca']);
    productCaPem = roots[0]!.certificate_pem as string;
    expect(await database.db('agency_signing_credentials').where({ agency_code: AGENCY.code }).pluck('source')).toEqual(['product-ca']);
    // OpenSSL agrees: the CMS holds over the signed bytes and the chain leads to the product CA (names in UTF-8, once).
    expect(opensslVerifiesPdf(signed, productCaPem)).toBe(true);
    // The route answers the same.
    const overHttp = await verifyOverHttp(signed);
    expect(overHttp.status).toBe(200);
    expect(overHttp.body).toMatchObject({ valid: true, signer: { name: AGENCY.name, agencyCode: AGENCY.code }, reason: RESULT_SIGNING_REASON });
  });

  it('signs again with the same key: a second result and an annulled one verify, one CA and one key', async () => {
    const code = await resultOf(AGENCY);
    await database.db('dossier_results').where({ code }).update({ annulled_at: new Date(), annulment_reason: 'Sai ngày sinh', annulled_by: 'test' });
    const annulled = await servedPdf(code);
    const report = await verifyStoredTrust(database.db, annulled);
    expect(report).toMatchObject({ valid: true, signer: { name: AGENCY.name } });
    expect(report.signer!.serialNumber).toBe((await verifyStoredTrust(database.db, signed)).signer!.serialNumber);
    expect(await database.db('signature_authority').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
  });

  it('gives an agency one key when its first results are printed at the same moment', async () => {
    const codes = await Promise.all([1, 2, 3].map(() => resultOf(CONCURRENT)));
    const pdfs = await Promise.all(codes.map((code) => servedPdf(code)));
    const reports = await Promise.all(pdfs.map((pdf) => verifyStoredTrust(database.db, pdf)));
    expect(reports.map((report) => report.valid)).toEqual([true, true, true]);
    const stored = await database.db('agency_signing_credentials').where({ agency_code: CONCURRENT.code }).select('serial_number');
    expect(stored).toHaveLength(1);
    expect(new Set(reports.map((report) => report.signer!.serialNumber))).toEqual(new Set([stored[0]!.serial_number]));
  });

  it('fails when one byte of the signed range is changed, in either range, when the signature is changed, or when bytes are added after signing', async () => {
    const { ranges, cms } = signedParts(signed);
    for (const at of [Math.floor(ranges[1] / 2), ranges[2] + Math.floor(ranges[3] / 2)]) {
      const altered = Buffer.from(signed);
      altered[at] = altered[at]! ^ 0x01;
      const report = await verifyStoredTrust(database.db, altered);
      expect(report.valid).toBe(false);
      expect(report.problems.map((problem) => problem.code)).toEqual(['signature.altered']);
      expect(report.problems[0]!.text.vi).toContain('bị thay đổi');
      expect(opensslVerifiesPdf(altered, productCaPem)).toBe(false);
    }
    // The signature value itself (the last bytes of the CMS) changed: the RSA check fails.
    const forgedValue = Buffer.from(signed);
    const lastHex = ranges[1] + 1 + cms.length * 2 - 2;
    forgedValue.write(forgedValue.toString('latin1', lastHex, lastHex + 2) === '00' ? '01' : '00', lastHex, 'latin1');
    expect((await verifyStoredTrust(database.db, forgedValue)).problems.map((problem) => problem.code)).toEqual(['signature.invalid']);
    // Any other byte of the CMS changed: an answer (never an exception), and never valid. The
    // product CA's certificate carried in the CMS is the exception: it counts for nothing, the
    // stored root is used (a change there leaves the signature sound, as in any CMS).
    const carriedRoot = cms.indexOf(Buffer.from(forge.pem.decode(productCaPem)[0]!.body, 'binary'));
    expect(carriedRoot).toBeGreaterThan(0);
    const hexStart = ranges[1] + 1;
    for (let at = hexStart; at < hexStart + cms.length * 2; at += 97) {
      const byte = Math.floor((at - hexStart) / 2);
      const damaged = Buffer.from(signed);
      damaged.write(damaged.toString('latin1', at, at + 1) === 'f' ? '0' : 'f', at, 'latin1');
      const report = await verifyStoredTrust(database.db, damaged);
      if (byte < carriedRoot || byte >= carriedRoot + Buffer.from(forge.pem.decode(productCaPem)[0]!.body, 'binary').length) expect(report.valid, `CMS byte ${byte}`).toBe(false);
    }
    const extended = Buffer.concat([signed, Buffer.from('\n% thêm sau khi ký\n', 'utf8')]);
    expect((await verifyStoredTrust(database.db, extended)).problems.map((problem) => problem.code)).toEqual(['signature.incomplete-coverage']);
    const overHttp = await verifyOverHttp(extended);
    expect(overHttp.body.valid).toBe(false);
  });

  it('fails as untrusted a PDF signed with a self-made certificate, even one named like the agency and its CA', async () => {
    // The served result as pdfkit printed it, before the product's signature was appended to it.
    const printed = signed.subarray(0, signed.indexOf('%%EOF') + '%%EOF'.length);
    for (const caName of ['Tổ chức tự lập', PRODUCT_CA_NAME]) {
      const forged = selfMade(caName, AGENCY.name);
      const forgedPdf = await signPdf(printed, { agencyCode: AGENCY.code, signerName: AGENCY.name, key: forged.leafKey, chain: forged.chain }, { reason: RESULT_SIGNING_REASON, location: 'Việt Nam', signedAt: new Date() });
      // The signature itself is sound (OpenSSL checks it against the forger's own CA) ...
      expect(opensslVerifiesPdf(forgedPdf, forged.caPem)).toBe(true);
      // ... but the product does not trust its root.
      const report = await verifyStoredTrust(database.db, forgedPdf);
      expect(report.valid).toBe(false);
      expect(report.signer?.name).toBe(AGENCY.name);
      expect(report.problems.map((problem) => problem.code)).toEqual(['signature.untrusted']);
      expect(report.trustedRoot).toBeNull();
      expect((await verifyOverHttp(forgedPdf)).body.problems[0].code).toBe('signature.untrusted');
    }
  });

  it('imports an agency certificate from another CA only once its root is trusted, then signs with it', async () => {
    const licensed = selfMade('CA được cấp phép (thử)', IMPORTING.name);
    const p12 = toPkcs12(licensed.leafKey, licensed.chain, 'mật khẩu 123', 'agency');
    await expect(importAgencySigningCredential(database.db, IMPORTING.code, p12, 'sai', 'test')).rejects.toMatchObject({ code: 'signature.pkcs12-unreadable' });
    await expect(importAgencySigningCredential(database.db, IMPORTING.code, p12, 'mật khẩu 123', 'test')).rejects.toMatchObject({ code: 'signature.untrusted-certificate' });
    await expect(importTrustedRoot(database.db, forge.pki.certificateToPem(licensed.chain[0]!), 'test')).rejects.toMatchObject({ code: 'signature.not-a-root' });
    await importTrustedRoot(database.db, licensed.caPem, 'test');
    const imported = await importAgencySigningCredential(database.db, IMPORTING.code, p12, 'mật khẩu 123', 'test');
    expect(imported.subject).toContain(IMPORTING.name);

    const pdf = await servedPdf(await resultOf(IMPORTING));
    const report = await verifyStoredTrust(database.db, pdf);
    expect(report).toMatchObject({ valid: true, signer: { name: IMPORTING.name, serialNumber: licensed.chain[0]!.serialNumber }, trustedRoot: { subject: expect.stringContaining('CA được cấp phép (thử)') } });
    expect(opensslVerifiesPdf(pdf, licensed.caPem)).toBe(true);
  });

  it('answers an unsigned PDF as unsigned and refuses what is not a PDF, naming the field', async () => {
    const unsigned = signed.subarray(0, signed.indexOf('%%EOF') + '%%EOF'.length);
    expect((await verifyOverHttp(unsigned)).body).toMatchObject({ valid: false, signatureCount: 0, problems: [{ code: 'signature.none' }] });
    const notPdf = await verifyOverHttp(Buffer.from('Giấy khai sinh, bản chụp'));
    expect(notPdf.status).toBe(422);
    expect(notPdf.body).toMatchObject({ code: 'signature.not-a-pdf', errors: [{ field: 'body.contentBase64' }] });
    const response = await fetch(verifyUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ contentBase64: 'không phải base64' }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe('body.contentBase64');
  });

  it('never shows a private key or the passphrase in logs or API answers, and keeps keys encrypted at rest', async () => {
    const passphrase = (await import('node:fs')).readFileSync(path.join(dataDir, PASSPHRASE_FILE), 'utf8').trim();
    expect(statSync(path.join(dataDir, PASSPHRASE_FILE)).mode & 0o077).toBe(0);
    const rows = await database.db('agency_signing_credentials').select('agency_code', 'pkcs12');
    const ca = await database.db('signature_authority').first<{ pkcs12: Buffer }>('pkcs12');
    expect(rows.length).toBe(3);
    const secrets: string[] = [passphrase];
    for (const stored of [...rows.map((row) => row.pkcs12 as Buffer), ca.pkcs12]) {
      const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(stored.toString('binary')), false, passphrase);
      const key = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]![0]!.key as forge.pki.rsa.PrivateKey;
      const der = Buffer.from(forge.asn1.toDer(forge.pki.privateKeyToAsn1(key)).getBytes(), 'binary');
      // At rest the key is only in encrypted form: its DER is nowhere in the stored file.
      expect(stored.includes(der)).toBe(false);
      const pem = forge.pki.privateKeyToPem(key);
      secrets.push(pem.split('\n')[1]!, der.toString('base64').slice(0, 64), der.toString('hex').slice(0, 64), key.d.toString(16).slice(0, 64), stored.toString('base64').slice(0, 64));
    }
    const everything = [...logLines, ...answers].join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    expect(answers.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(everything.toLowerCase()).not.toContain(secret.toLowerCase());
  });

  it('refuses to sign, saying why, when DATA_DIR holds another passphrase than the one the keys were stored with', async () => {
    const code = await resultOf(AGENCY);
    process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'quytrinh-other-data-'));
    try {
      const response = await call('GET', `/api/results/${code}.pdf`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: 'signature.keys-locked' });
    } finally {
      process.env.DATA_DIR = dataDir;
    }
    expect((await verifyStoredTrust(database.db, await servedPdf(code))).valid).toBe(true);
  });
});
