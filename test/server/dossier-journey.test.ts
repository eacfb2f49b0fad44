import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoData, DEMO_PASSWORD } from '../../server/identity/demo.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { BIRTH_CHILD } from '../support/birth-application.ts';
import { callAs, type Credentials } from '../support/identities.ts';

/**
 * Issue 11 over the HTTP API, on the catalogue's birth registration as `npm run demo` deploys it:
 * submission with the technical check and receipt notice, amendment requested once and answered
 * with the code unchanged, the specialist's decision form, the approval, the result KQ1 issued by
 * the product's own worker, the public lookup, annulment. The browser journey is
 * test/designer/dossier-journey.test.ts.
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const PROCEDURE = 'Process_dang_ky_khai_sinh';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const BIRTH_CERTIFICATE = 'Giấy chứng sinh (dữ liệu điện tử từ cơ sở khám chữa bệnh hoặc bản chụp)';

async function signIn(username: string): Promise<Credentials> {
  const response = await fetch(`${fixture.api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(response.status, username).toBe(200);
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
}

/** The child's part of the tờ khai; the requester's part comes from the account (autofill). */
const CHILD = BIRTH_CHILD;

const upload = (name = BIRTH_CERTIFICATE, content = PDF, mediaType = 'application/pdf') => ({ name, fileName: 'giay-chung-sinh.pdf', mediaType, contentBase64: content.toString('base64') });

let citizen: Credentials;
let otherCitizen: Credentials;
let oneStop: Credentials;

beforeAll(async () => {
  await createDemoData(fixture.database.db, pino({ level: 'silent' }));
  [citizen, otherCitizen, oneStop] = await Promise.all([signIn('001099054321'), signIn('001099012345'), signIn('motcua.xa')]);
});

async function openTask(who: Credentials, instanceId: string, elementId: string): Promise<{ id: string; dossier: { code: string } | null }> {
  let found: { id: string; elementId: string; dossier: { code: string } | null } | undefined;
  await expect
    .poll(async () => {
      const tasks = (await callAs(fixture.api, who, 'GET', `/api/tasks?instanceId=${instanceId}`)).body.items as Array<{ id: string; elementId: string; dossier: { code: string } | null }>;
      found = tasks.find((task) => task.elementId === elementId);
      return found?.elementId;
    }, { timeout: 20_000, interval: 200 })
    .toBe(elementId);
  return found!;
}

async function submit(data: Record<string, unknown>, components = [upload()]) {
  const form = await callAs(fixture.api, citizen, 'GET', `/api/portal/procedures/${PROCEDURE}/form`);
  expect(form.status).toBe(200);
  return callAs(fixture.api, citizen, 'POST', '/api/dossiers', { procedureKey: PROCEDURE, formVersion: form.body.form.version, data: { ...form.body.prefill.values, ...data }, components });
}

const dossierCount = async () => Number((await fixture.database.db('dossiers').count<Array<{ count: string }>>('* as count'))[0]!.count);

describe('a dossier from submission to an annulled result (Decree 45 Art. 11–15)', () => {
  it('offers the deployed procedure with its form filled from the account', async () => {
    const procedures = await callAs(fixture.api, null, 'GET', '/api/portal/procedures');
    const birth = (procedures.body.items as Array<{ key: string; formCode: string; agencies: Array<{ code: string }> }>).find((p) => p.key === PROCEDURE)!;
    expect(birth.formCode).toBe('1.001193.to-khai');
    expect(birth.agencies.map((agency) => agency.code)).toEqual(['DEMO.01.H01']);
    const form = await callAs(fixture.api, citizen, 'GET', `/api/portal/procedures/${PROCEDURE}/form`);
    expect(form.body.prefill.values).toMatchObject({ hoTen: 'Trần Thị Bình', soDinhDanh: '001099054321', tinh: '01', soDienThoai: '0987654321' });
    expect(form.body.prefill.fields).toEqual(expect.arrayContaining(['hoTen', 'soDinhDanh', 'tinh', 'xa', 'diaChi', 'soDienThoai']));
    expect(form.body.components).toEqual([{ name: BIRTH_CERTIFICATE, required: true, accept: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 10 * 1024 * 1024, stored: [] }]);
  });

  it('refuses bad applications with every fault named, storing nothing', async () => {
    const before = await dossierCount();
    const missing = await submit({ ...CHILD, hoTenTre: '', ngaySinh: '31/02/2026' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.data.hoTenTre', 'body.data.ngaySinh']));
    const wrongType = await submit(CHILD, [upload(BIRTH_CERTIFICATE, Buffer.from('MZ executable'), 'application/pdf')]);
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.errors[0].field).toBe('body.components[0].mediaType');
    const noComponent = await submit(CHILD, []);
    expect(noComponent.status).toBe(422);
    expect(noComponent.body.code).toBe('dossier.components-invalid');
    const oversized = await submit(CHILD, [upload(BIRTH_CERTIFICATE, Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]))]);
    expect(oversized.status).toBe(422);
    expect(oversized.body.errors[0].field).toBe('body.components[0].contentBase64');
    // Another procedure's form: its fields are not this form's.
    const otherForm = await submit({ ...CHILD, hoTenChuHo: 'Nguyễn Văn Chủ' });
    expect(otherForm.status).toBe(422);
    expect(otherForm.body.errors.map((e: { field: string }) => e.field)).toContain('body.data.hoTenChuHo');
    const unknownProcedure = await callAs(fixture.api, citizen, 'POST', '/api/dossiers', { procedureKey: 'Process_khong_co', data: {}, components: [] });
    expect(unknownProcedure.status).toBe(404);
    // Only citizens apply.
    expect((await callAs(fixture.api, oneStop, 'POST', '/api/dossiers', { procedureKey: PROCEDURE, data: CHILD })).status).toBe(403);
    expect(await dossierCount()).toBe(before);
  });

  it('runs the whole lifecycle', async () => {
    const submitted = await submit(CHILD);
    expect(submitted.status).toBe(201);
    const { dossier, receipt } = submitted.body;
    expect(receipt.code).toMatch(/^DEMO\.01\.H01-\d{6}-\d{4}$/);
    // The official receipt time, and 08 working hours later on the agency's calendar (Art. 11.1, 11.4).
    expect(Date.parse(receipt.receiptDueAt)).toBeGreaterThan(Date.parse(receipt.receivedAt));
    expect(dossier).toMatchObject({ code: receipt.code, status: 'submitted', data: { hoTenTre: 'Nguyễn Minh An', ngaySinh: '2026-11-02' } });
    expect(dossier.components.map((c: { name: string }) => c.name)).toEqual([BIRTH_CERTIFICATE]);

    // Nobody else sees it; the public lookup shows the code and level only.
    expect((await callAs(fixture.api, otherCitizen, 'GET', `/api/dossiers/${dossier.id}`)).status).toBe(404);
    expect((await callAs(fixture.api, await signIn('motcua.tinh'), 'GET', `/api/dossiers/${dossier.id}`)).status).toBe(404);
    const looked = await callAs(fixture.api, null, 'GET', `/api/lookup/${receipt.code}`);
    expect(Object.keys(looked.body).sort()).toEqual(['code', 'kind', 'level', 'procedure']);

    // The receipt check: the commune's one-stop official only.
    const receiptTask = await openTask(oneStop, dossier.instanceId, 'Task_tiep_nhan');
    expect(receiptTask.dossier?.code).toBe(receipt.code);
    expect((await callAs(fixture.api, await signIn('chuyenvien.xa'), 'POST', `/api/dossiers/${dossier.id}/request-amendment`, { items: ['x'] })).status).toBe(403);
    expect((await callAs(fixture.api, oneStop, 'POST', `/api/dossiers/${dossier.id}/request-amendment`, { items: [] })).status).toBe(400);
    const asked = await callAs(fixture.api, oneStop, 'POST', `/api/dossiers/${dossier.id}/request-amendment`, { items: ['Bản chụp Giấy chứng sinh bị mờ, đề nghị tải lại', 'Bổ sung quê quán của trẻ'] });
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe('amendment-requested');
    // Once (Art. 11.3): the second request is refused.
    const again = await callAs(fixture.api, oneStop, 'POST', `/api/dossiers/${dossier.id}/request-amendment`, { items: ['Thêm nữa'] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('dossier.amendment-already-requested');

    // The model's own step tells the applicant (notify.applicant); the guidance prints with its QR.
    await expect.poll(async () => ((await callAs(fixture.api, citizen, 'GET', '/api/notices')).body.items as Array<{ kind: string }>).map((n) => n.kind), { timeout: 20_000 }).toContain('amendment');
    const guidance = await fetch(`${fixture.api.url}/api/dossiers/${dossier.id}/notices/amendment.pdf`, { headers: { cookie: (citizen as { cookie: string }).cookie } });
    expect(guidance.status).toBe(200);
    expect(guidance.headers.get('content-type')).toBe('application/pdf');

    // The applicant amends; the code never changes (Art. 12.2.c) and what changed is recorded.
    await openTask(oneStop, dossier.instanceId, 'Task_tiep_nhan').catch(() => undefined);
    const amended = await callAs(fixture.api, citizen, 'POST', `/api/dossiers/${dossier.id}/amend`, { data: { ...dossier.data, queQuan: 'Hà Nội', ngaySinh: '02/11/2026', camKet: true }, components: [upload()] });
    expect(amended.status).toBe(200);
    expect(amended.body.code).toBe(receipt.code);
    expect(amended.body.history.find((h: { kind: string }) => h.kind === 'amended').details.changedFields).toEqual(['queQuan']);
    expect((await callAs(fixture.api, citizen, 'POST', `/api/dossiers/${dossier.id}/amend`, { data: dossier.data })).status).toBe(409);

    await openTask(oneStop, dossier.instanceId, 'Task_tiep_nhan');
    expect((await callAs(fixture.api, oneStop, 'POST', `/api/dossiers/${dossier.id}/receive`)).body.status).toBe('received');

    // The specialist's decision form is checked on the server.
    const specialist = await signIn('chuyenvien.xa');
    const verification = await openTask(specialist, dossier.instanceId, 'Task_xac_minh');
    const detail = await callAs(fixture.api, specialist, 'GET', `/api/tasks/${verification.id}`);
    expect(detail.body.form.code).toBe('1.001193.ket-qua-xac-minh');
    expect((await callAs(fixture.api, specialist, 'POST', `/api/tasks/${verification.id}/complete`, { variables: { duDieuKien: 'có' } })).status).toBe(422);
    expect((await callAs(fixture.api, specialist, 'POST', `/api/tasks/${verification.id}/complete`, { variables: { duDieuKien: true, soDinhDanhCaNhan: '001226012345' } })).status).toBe(200);

    const approver = await signIn('lanhdao.xa');
    const approval = await openTask(approver, dossier.instanceId, 'Task_phe_duyet');
    expect((await callAs(fixture.api, approver, 'POST', `/api/tasks/${approval.id}/complete`, {})).status).toBe(200);

    // result.sign issues KQ1 into the applicant's dossier (Art. 14.3.d).
    const resultCode = `${receipt.code}-KQ1`;
    await expect.poll(async () => ((await callAs(fixture.api, citizen, 'GET', `/api/dossiers/${dossier.id}`)).body.results as Array<{ code: string }>).map((r) => r.code), { timeout: 20_000 }).toEqual([resultCode]);
    expect((await callAs(fixture.api, null, 'GET', `/api/lookup/${resultCode}`)).body.level.code).toBe('con-hieu-luc');
    // Delivered into the applicant's e-data store (Art. 14.1), and nobody else's.
    const stored = await callAs(fixture.api, citizen, 'GET', '/api/datastore/results');
    expect(stored.body.items.map((r: { code: string; dossier: { code: string } }) => [r.code, r.dossier.code])).toEqual([[resultCode, receipt.code]]);
    expect((await callAs(fixture.api, otherCitizen, 'GET', '/api/datastore/results')).body.items).toEqual([]);

    // Annulment (Art. 15): an approver of the agency only; the lookup and the print then say so.
    expect((await callAs(fixture.api, oneStop, 'POST', `/api/results/${resultCode}/annul`, { reason: 'Sai thông tin' })).status).toBe(403);
    expect((await callAs(fixture.api, approver, 'POST', `/api/results/${resultCode}/annul`, {})).status).toBe(400);
    const annulled = await callAs(fixture.api, approver, 'POST', `/api/results/${resultCode}/annul`, { reason: 'Phát hiện sai sót về ngày sinh' });
    expect(annulled.status).toBe(200);
    expect((await callAs(fixture.api, approver, 'POST', `/api/results/${resultCode}/annul`, { reason: 'Lần hai' })).status).toBe(409);
    expect((await callAs(fixture.api, null, 'GET', `/api/lookup/${resultCode}`)).body.level.code).toBe('da-huy');
    expect((await callAs(fixture.api, citizen, 'GET', '/api/datastore/results')).body.items[0].annulmentReason).toBe('Phát hiện sai sót về ngày sinh');
    const printed = await fetch(`${fixture.api.url}/api/results/${resultCode}.pdf`, { headers: { cookie: (citizen as { cookie: string }).cookie } });
    expect(printed.status).toBe(200);
    expect((await fetch(`${fixture.api.url}/api/results/${resultCode}.pdf`, { headers: { cookie: (otherCitizen as { cookie: string }).cookie } })).status).toBe(404);
  });
});
