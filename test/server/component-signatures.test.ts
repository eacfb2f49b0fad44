import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgency } from '../../server/identity/agencies.ts';
import { createDemoData, DEMO_PASSWORD } from '../../server/identity/demo.ts';
import { onePagePdf } from '../support/signed-pdf.ts';
import { revokeCertificate } from '../../server/signatures/revocation.ts';
import { signAsAgency } from '../../server/signatures/sign-pdf.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { BIRTH_CHILD } from '../support/birth-application.ts';
import { callAs, type Credentials } from '../support/identities.ts';

// Keys are encrypted with the passphrase of DATA_DIR: this test's own (server/signatures/key-passphrase.ts).
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'quytrinh-component-signatures-'));

/**
 * Decree 45 Art. 11.2.b over the HTTP API (docs/dossiers.md "Signed components"): a component
 * signed by an agency's key is verified on submission and its verification stored and shown; a
 * byte flipped after signing refuses the submission naming the component, storing nothing; a
 * revoked signer's component is accepted and flagged to the one-stop desk; an amendment is
 * checked the same way. Real keys, real PDF
 * signatures, the PDF pool's threads.
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const PROCEDURE = 'Process_dang_ky_khai_sinh';
const BIRTH_CERTIFICATE = 'Giấy chứng sinh (dữ liệu điện tử từ cơ sở khám chữa bệnh hoặc bản chụp)';
const HOSPITAL = { code: '000.00.77.H26', name: 'Bệnh viện Đa khoa huyện Tân Lập' };
const CLINIC = { code: '000.00.78.H26', name: 'Trạm y tế xã Tân Lập' };

let citizen: Credentials;


const upload = (content: Buffer) => ({ name: BIRTH_CERTIFICATE, fileName: 'giay-chung-sinh.pdf', mediaType: 'application/pdf', contentBase64: content.toString('base64') });

async function submit(content: Buffer) {
  const form = await callAs(fixture.api, citizen, 'GET', `/api/portal/procedures/${PROCEDURE}/form`);
  expect(form.status).toBe(200);
  return callAs(fixture.api, citizen, 'POST', '/api/dossiers', { procedureKey: PROCEDURE, formVersion: form.body.form.version, data: { ...form.body.prefill.values, ...BIRTH_CHILD }, components: [upload(content)] });
}

const count = async (table: string) => Number((await fixture.database.db(table).count<Array<{ count: string }>>('* as count'))[0]!.count);

beforeAll(async () => {
  const { db } = fixture.database;
  await createDemoData(db, pino({ level: 'silent' }));
  await createAgency(db, HOSPITAL);
  await createAgency(db, CLINIC);
  const response = await fetch(`${fixture.api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: '001099054321', password: DEMO_PASSWORD }) });
  const body = (await response.json()) as { csrfToken: string };
  citizen = { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
});

describe('the signatures of dossier components (Decree 45 Art. 11.2.b)', () => {
  it('verifies a component signed by an agency and stores and shows its verification', async () => {
    const signed = await signAsAgency(fixture.database.db, HOSPITAL.code, await onePagePdf('Giấy chứng sinh số 77/2026'), { reason: 'Cấp giấy chứng sinh' });
    const submitted = await submit(signed);
    expect(submitted.status).toBe(201);
    const [component] = submitted.body.dossier.components;
    expect(component.signature).toMatchObject({ valid: true, problems: [], signer: { agencyCode: HOSPITAL.code } });
    expect(component.signature.trustedRoot.subject).toContain('CN=');
    expect(Date.parse(component.signature.signedAt)).toBeGreaterThan(Date.now() - 120_000);
    // Stored with the component, and shown again when the dossier is read.
    const stored = await fixture.database.db('dossier_components').where({ id: component.id }).first<{ signature: { valid: boolean } }>('signature');
    expect(stored.signature.valid).toBe(true);
    const read = await callAs(fixture.api, citizen, 'GET', `/api/dossiers/${submitted.body.dossier.id}`);
    expect(read.body.components[0].signature).toEqual(component.signature);
    expect((read.body.history as Array<{ kind: string }>).map((event) => event.kind)).not.toContain('signature-flagged');
  });

  it('refuses a component altered after signing with 422 naming it, and stores nothing', async () => {
    const signed = await signAsAgency(fixture.database.db, HOSPITAL.code, await onePagePdf('Giấy chứng sinh số 78/2026'));
    const flipped = Buffer.from(signed);
    // A byte of the signed range (the page's content stream), not of the signature itself.
    const at = flipped.indexOf('stream') + 20;
    flipped[at] = flipped[at]! ^ 0x01;
    const [dossiers, components] = [await count('dossiers'), await count('dossier_components')];
    const refused = await submit(flipped);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('dossier.component-signature-invalid');
    expect(refused.body.errors).toEqual([{ field: 'body.components[0]', message: expect.stringContaining('signature.altered'), messages: { vi: expect.stringContaining('giá trị băm không khớp'), en: expect.stringContaining('signature.altered') } }]);
    expect(refused.body.detail ?? refused.body.title).toBeTruthy();
    expect(JSON.stringify(refused.body)).toContain('Điều 11.2.b');
    expect([await count('dossiers'), await count('dossier_components')]).toEqual([dossiers, components]);
  });

  it('accepts a revoked signer’s component, records why and flags it to the one-stop desk', async () => {
    const { db } = fixture.database;
    const signed = await signAsAgency(db, CLINIC.code, await onePagePdf('Giấy chứng sinh số 79/2026'));
    const credential = await db('agency_signing_credentials').where({ agency_code: CLINIC.code }).first<{ certificate_pem: string }>('certificate_pem');
    await revokeCertificate(db, credential.certificate_pem, 'key-compromise', 'test');
    const submitted = await submit(signed);
    expect(submitted.status).toBe(201);
    const { dossier } = submitted.body;
    expect(dossier.components[0].signature).toMatchObject({ valid: false, signer: { agencyCode: CLINIC.code } });
    expect(dossier.components[0].signature.problems.map((problem: { code: string }) => problem.code)).toEqual(['signature.revoked']);
    const flag = (dossier.history as Array<{ kind: string; actor: string; text: { vi: string; en: string }; details: { components: string[] } }>).find((event) => event.kind === 'signature-flagged');
    expect(flag).toMatchObject({ actor: 'system', details: { components: [BIRTH_CERTIFICATE] } });
    expect(flag!.text.vi).toContain('cán bộ một cửa xem xét');
    expect(flag!.text.en).toContain('key compromise');
  });

  it('checks the components of an amendment the same way (Art. 12 with Art. 11.2.b)', async () => {
    const { db } = fixture.database;
    const first = await submit(await onePagePdf('Bản chụp không ký'));
    expect(first.status).toBe(201);
    const { dossier } = first.body;
    expect(dossier.components[0].signature).toBeNull();
    const response = await fetch(`${fixture.api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'motcua.xa', password: DEMO_PASSWORD }) });
    const oneStop = { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
    await expect.poll(async () => (await callAs(fixture.api, oneStop, 'POST', `/api/dossiers/${dossier.id}/request-amendment`, { items: ['Tải lại giấy chứng sinh có chữ ký số của bệnh viện'] })).status, { timeout: 30_000, interval: 300 }).toBe(200);

    const signed = await signAsAgency(db, HOSPITAL.code, await onePagePdf('Giấy chứng sinh số 80/2026'));
    const flipped = Buffer.from(signed);
    const at = flipped.indexOf('stream') + 20;
    flipped[at] = flipped[at]! ^ 0x01;
    const amend = (content: Buffer) => callAs(fixture.api, citizen, 'POST', `/api/dossiers/${dossier.id}/amend`, { data: dossier.data, components: [upload(content)] });
    const components = await count('dossier_components');
    // The applicant's amendment step opens once the workers have told them (409 until then).
    let refused: Awaited<ReturnType<typeof amend>> | undefined;
    await expect.poll(async () => (refused = await amend(flipped)).status, { timeout: 30_000, interval: 300 }).toBe(422);
    expect(refused!.body.errors).toMatchObject([{ field: 'body.components[0]', message: expect.stringContaining('signature.altered') }]);
    expect(await count('dossier_components')).toBe(components);
    expect((await db('dossiers').where({ id: dossier.id }).first<{ status: string }>('status')).status).toBe('amendment-requested');

    const amended = await amend(signed);
    expect(amended.status).toBe(200);
    expect(amended.body.components[0].signature).toMatchObject({ valid: true, signer: { agencyCode: HOSPITAL.code } });
  });
});
