import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDemoData, DEMO_PASSWORD } from '../../server/identity/demo.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { BIRTH_CHILD } from '../support/birth-application.ts';
import { callAs } from '../support/identities.ts';

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

async function signIn(username: string) {
  const response = await fetch(`${fixture.api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(response.status, username).toBe(200);
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
}

describe('the demo (npm run demo)', () => {
  it('makes agencies, accounts of every role and the deployed catalogue, all marked demo, once', async () => {
    const { db } = fixture.database;
    expect((await createDemoData(db, pino({ level: 'silent' }))).created).toBe(true);
    expect((await createDemoData(db, pino({ level: 'silent' }))).created).toBe(false);
    const accounts = await db('accounts').where({ demo: true }).select<Array<{ roles: string[] }>>('roles');
    expect(new Set(accounts.flatMap((account) => account.roles))).toEqual(new Set(['admin', 'staff', 'analyst', 'official', 'citizen']));
    expect(await db('agencies').where({ demo: false }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    const definitions = await callAs(fixture.api, await signIn('kiemsoat'), 'GET', '/api/definitions?limit=100');
    expect(definitions.body.items.map((definition: { key: string }) => definition.key)).toContain('Process_dang_ky_khai_sinh');
  });

  it("lets a demo citizen file a birth registration that only the commune's one-stop official is offered", async () => {
    const citizen = await signIn('001099054321');
    // The application, as the portal sends it: the form filled from the account, the child's part typed.
    const form = await callAs(fixture.api, citizen, 'GET', '/api/portal/procedures/Process_dang_ky_khai_sinh/form');
    const data = { ...form.body.prefill.values, ...BIRTH_CHILD };
    const certificate = { name: form.body.components[0].name, fileName: 'giay-chung-sinh.pdf', mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') };
    const submitted = await callAs(fixture.api, citizen, 'POST', '/api/dossiers', { procedureKey: 'Process_dang_ky_khai_sinh', data, components: [certificate] });
    expect(submitted.status).toBe(201);
    const instanceId = submitted.body.dossier.instanceId as string;
    const offered = async (username: string) => ((await callAs(fixture.api, await signIn(username), 'GET', `/api/tasks?instanceId=${instanceId}`)).body.items as Array<{ elementId: string }>).map((task) => task.elementId);
    // The applicant's own step (the applicant's lane) was completed by the submission itself.
    // The check against the data store is the product's own worker (datastore.lookup); then the
    // receipt, in the lane "Bộ phận Một cửa UBND xã": the commune's one-stop official only.
    await expect.poll(() => offered('motcua.xa'), { timeout: 15_000, interval: 250 }).toEqual(['Task_tiep_nhan']);
    for (const other of ['chuyenvien.xa', 'lanhdao.xa', 'motcua.tinh', 'motcua.bo']) expect(await offered(other), other).toEqual([]);
    // Another citizen does not see it.
    expect((await callAs(fixture.api, await signIn('001099012345'), 'GET', `/api/instances/${instanceId}`)).status).toBe(404);
  });
});
