import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../engine/calendar/index.ts';
import { testRunDueAt } from '../../engine/publication/service-test-run.ts';
import { openProcedureOf } from '../../server/dossiers/procedures.ts';
import { createDemoData } from '../../server/identity/demo.ts';
import { listPublications, publishedProcedures, republish } from '../../server/publications/service-publications.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { callAs, type Credentials } from '../support/identities.ts';

/**
 * Issue 14, the test run of an online public service (Circular 01/2023 Art. 20;
 * docs/service-test-runs.md): every procedure the demo deploys is published with its 05-working-day
 * period; a test is recorded against a real dossier; a service with no test is stopped on the 6th
 * working day (fixed clock) and the portal neither offers nor accepts it until published again.
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

let staff: Credentials;
let citizen: Credentials;
let official: Credentials;
let analyst: Credentials;

beforeAll(async () => {
  await createDemoData(fixture.database.db, pino({ level: 'silent' }));
  [staff, citizen, official, analyst] = await Promise.all([signInDemo(fixture.api, 'kiemsoat'), signInDemo(fixture.api, '001099054321'), signInDemo(fixture.api, 'motcua.xa'), signInDemo(fixture.api, 'phantich')]);
}, 120_000);

const ITEMS = { sso: 'passed', 'online-submission': 'passed', 'online-payment': 'passed', 'processing-and-signature': 'failed', consolidation: 'passed' };
const testRunOf = (key: string) => fixture.database.db('service_publications').whereNull('superseded_at').where({ definition_key: key }).first();

describe('publications (Art. 20.2)', () => {
  it('opens one publication per procedure open online, dated by its deployment, due at the close of the 5th working day', async () => {
    const portal = await callAs(fixture.api, citizen, 'GET', '/api/portal/procedures?limit=500');
    const list = await callAs(fixture.api, staff, 'GET', '/api/service-publications?limit=500');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(portal.body.total);
    expect(list.body.items.map((item: { key: string }) => item.key).sort()).toEqual(portal.body.items.map((item: { key: string }) => item.key).sort());
    const birth = list.body.items.find((item: { key: string }) => item.key === BIRTH_PROCEDURE);
    const deployed = await fixture.database.db('process_definitions').where({ key: BIRTH_PROCEDURE }).orderBy('version', 'desc').first<{ deployed_at: Date }>('deployed_at');
    expect(birth).toMatchObject({ status: 'testing', publishedBy: 'deployment', publishedAt: deployed.deployed_at.toISOString(), testedAt: null, record: null });
    expect(birth.dueAt).toBe(testRunDueAt(createWorkingCalendar(), deployed.deployed_at).toISOString());
    // Listing again opens nothing new.
    expect((await callAs(fixture.api, staff, 'GET', '/api/service-publications?limit=1')).body.total).toBe(list.body.total);
  });

  it('lets procedure-control staff only read and act', async () => {
    for (const who of [null, citizen, official, analyst]) {
      const expected = who === null ? 401 : 403;
      expect((await callAs(fixture.api, who, 'GET', '/api/service-publications')).status).toBe(expected);
      expect((await callAs(fixture.api, who, 'GET', `/api/service-publications/${BIRTH_PROCEDURE}`)).status).toBe(expected);
      expect((await callAs(fixture.api, who, 'POST', `/api/service-publications/${BIRTH_PROCEDURE}/test-run`, { dossierCode: 'X', serviceCode: '1.001193', items: ITEMS })).status).toBe(expected);
      expect((await callAs(fixture.api, who, 'POST', `/api/service-publications/${BIRTH_PROCEDURE}/republish`)).status).toBe(expected);
    }
    expect((await testRunOf(BIRTH_PROCEDURE)).tested_at).toBeNull();
  });

  it('refuses a bad record with the field named, and stores nothing', async () => {
    const post = (body: unknown) => callAs(fixture.api, staff, 'POST', `/api/service-publications/${BIRTH_PROCEDURE}/test-run`, body);
    const missing = await post({ dossierCode: 'X', serviceCode: '1.001193', items: { sso: 'passed' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((error: { field: string }) => error.field)).toContain('body.items.online-submission');
    const unknownDossier = await post({ dossierCode: 'KHONG-CO', serviceCode: '1.001193.000.00.00.H12', items: ITEMS });
    expect(unknownDossier.status).toBe(422);
    expect(unknownDossier.body).toMatchObject({ code: 'publication.not-a-test-dossier', errors: [{ field: 'body.dossierCode' }] });
    const ssoNotApplicable = await post({ dossierCode: 'KHONG-CO', serviceCode: '1.001193.000.00.00.H12', items: { ...ITEMS, sso: 'not-applicable' } });
    expect(ssoNotApplicable.status).toBe(422);
    expect(ssoNotApplicable.body.errors[0].field).toBe('body.items.sso');
    // Birth registration collects its fee online (the catalogue's payment step): payment must be tested.
    const paymentNotApplicable = await post({ dossierCode: 'KHONG-CO', serviceCode: '1.001193.000.00.00.H12', items: { ...ITEMS, 'online-payment': 'not-applicable' } });
    expect(paymentNotApplicable.body).toMatchObject({ code: 'publication.item-not-applicable', errors: [{ field: 'body.items.online-payment' }] });
    expect((await post({ dossierCode: 'X', serviceCode: 'sai mã', items: ITEMS })).body.errors[0].field).toBe('body.serviceCode');
    expect((await callAs(fixture.api, staff, 'POST', '/api/service-publications/Process_khong_co/test-run', { dossierCode: 'X', serviceCode: '1.001193', items: ITEMS })).status).toBe(404);
    expect((await testRunOf(BIRTH_PROCEDURE)).tested_at).toBeNull();
  });

  it('records the test run on a real dossier with what the dossier shows, once', async () => {
    const dossier = await submitBirthDossier(fixture.api, citizen);
    const recorded = await callAs(fixture.api, staff, 'POST', `/api/service-publications/${BIRTH_PROCEDURE}/test-run`, { dossierCode: dossier.code, serviceCode: '1.001193.000.00.00.H12', items: ITEMS, notes: 'Bước ký số chưa hiển thị chữ ký' });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    expect(recorded.body).toMatchObject({ status: 'tested', testedBy: 'account:kiemsoat', record: { dossierCode: dossier.code, serviceCode: '1.001193.000.00.00.H12', items: ITEMS }, evidence: { dossierCode: dossier.code, status: 'submitted', paidOnline: false, signedResultCodes: [] } });
    const again = await callAs(fixture.api, staff, 'POST', `/api/service-publications/${BIRTH_PROCEDURE}/test-run`, { dossierCode: dossier.code, serviceCode: '1.001193.000.00.00.H12', items: ITEMS });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('publication.already-tested');
    expect((await callAs(fixture.api, staff, 'GET', `/api/service-publications/${BIRTH_PROCEDURE}`)).body).toMatchObject({ status: 'tested', evidence: { dossierCode: dossier.code } });
    expect((await callAs(fixture.api, staff, 'GET', '/api/service-publications?status=tested')).body.items.map((item: { key: string }) => item.key)).toEqual([BIRTH_PROCEDURE]);
  });

  it('refuses a dossier of another procedure, or one submitted before the publication', async () => {
    const other = (await callAs(fixture.api, staff, 'GET', '/api/service-publications?status=testing&limit=1')).body.items[0].key as string;
    const birthDossier = await fixture.database.db('dossiers').where({ procedure_key: BIRTH_PROCEDURE }).first<{ code: string }>('code');
    const refused = await callAs(fixture.api, staff, 'POST', `/api/service-publications/${other}/test-run`, { dossierCode: birthDossier.code, serviceCode: '1.001193', items: ITEMS });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('body.dossierCode');
    expect((await testRunOf(other)).tested_at).toBeNull();
  });
});

describe('the stop of Art. 20.3', () => {
  it('stops a service with no test on the 6th working day (fixed clock), for the portal, its form and its submissions', async () => {
    const db = fixture.database.db;
    const key = 'Process_dang_ky_thuong_tru';
    const procedure = await openProcedureOf(db, key);
    // Published again on Monday 7 December 2026 at 10:00, Vietnam time.
    const published = await republish(db, procedure, 'account:kiemsoat', new Date('2026-12-07T03:00:00Z'));
    expect(published.dueAt).toBe('2026-12-14T10:00:00.000Z');
    const offered = async (at: Date) => (await publishedProcedures(db, at)).map((open) => open.key).includes(key);
    expect(await offered(new Date('2026-12-14T09:59:00Z'))).toBe(true);
    expect(await offered(new Date('2026-12-15T01:00:00Z'))).toBe(false);
    expect((await listPublications(db, { limit: 500, status: 'stopped' }, new Date('2026-12-15T01:00:00Z'))).items.map((item) => item.key)).toContain(key);
    // The real clock past the due time: the same stop through the API.
    await db('service_publications').whereNull('superseded_at').where({ definition_key: key }).update({ due_at: new Date(Date.now() - 60_000) });
    const portal = await callAs(fixture.api, citizen, 'GET', '/api/portal/procedures?limit=500');
    expect(portal.body.items.map((item: { key: string }) => item.key)).not.toContain(key);
    const form = await callAs(fixture.api, citizen, 'GET', `/api/portal/procedures/${key}/form`);
    expect(form.status).toBe(409);
    expect(form.body).toMatchObject({ code: 'procedure.service-stopped', errors: [{ field: 'body.procedureKey' }] });
    expect(form.body.detail ?? form.body.title).toMatch(/Điều 20\.3|Art\. 20\.3/);
    const dossiersBefore = await db('dossiers').where({ procedure_key: key }).count<Array<{ count: string }>>({ count: '*' });
    const submitted = await callAs(fixture.api, citizen, 'POST', '/api/dossiers', { procedureKey: key, formVersion: 1, data: {}, components: [] });
    expect(submitted.status).toBe(409);
    expect(await db('dossiers').where({ procedure_key: key }).count<Array<{ count: string }>>({ count: '*' })).toEqual(dossiersBefore);
    const late = await callAs(fixture.api, staff, 'POST', `/api/service-publications/${key}/test-run`, { dossierCode: 'X', serviceCode: '1.001193', items: ITEMS });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('procedure.service-stopped');
    // Published again: a new period, offered again.
    const again = await callAs(fixture.api, staff, 'POST', `/api/service-publications/${key}/republish`);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'testing', publishedBy: 'account:kiemsoat' });
    expect((await callAs(fixture.api, citizen, 'GET', `/api/portal/procedures/${key}/form`)).status).toBe(200);
    expect(await db('service_publications').where({ definition_key: key }).whereNotNull('superseded_at').count<Array<{ count: string }>>({ count: '*' })).toEqual([{ count: '2' }]);
  });
});
