import { describe, expect, it } from 'vitest';
import { ensureFirstAdministrator } from '../../server/identity/bootstrap.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { callAs, createPerson } from '../support/identities.ts';
import { runCli } from '../support/product-process.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const fixture = useApiOverTestDatabase();

const count = async (table: string) => Number((await fixture.database.db(table).count<Array<{ count: string }>>('* as count'))[0]!.count);

async function signIn(username: string, password: string) {
  const response = await fetch(`${fixture.api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = response.headers.get('set-cookie') ?? '';
  return { status: response.status, body: (await response.json()), setCookie: cookie, session: { cookie: cookie.split(';')[0]!, csrf: '' } };
}

describe('registration (Decree 45 Art. 7.2, 8)', () => {
  it('registers a citizen at level 1, refuses a taken ID with 409 and bad input with 400, storing nothing', async () => {
    const citizen = { holderKind: 'person', holderId: '001099111111', displayName: 'Lê Văn Cường', password: 'mat-khau-dai-du' };
    const created = await callApi(fixture.api, 'POST', '/api/accounts/register', citizen, 'application/json', null);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: '001099111111', roles: ['citizen'], assuranceLevel: 1, identifiedBy: 'self-registered', holder: { kind: 'person', id: '001099111111' } });
    expect(JSON.stringify(created.body)).not.toContain('password');
    expect((await callApi(fixture.api, 'POST', '/api/accounts/register', citizen, 'application/json', null)).status).toBe(409);

    const accounts = await count('accounts');
    for (const [body, field] of [
      [{ ...citizen, holderId: '12345' }, 'body.holderId'],
      [{ ...citizen, holderId: '001099222222', password: 'short' }, 'body.password'],
      [{ ...citizen, holderKind: 'robot' }, 'body.holderKind'],
      [{ ...citizen, holderKind: 'organisation', holderId: '001099222222' }, 'body.holderId'],
    ] as const) {
      const refused = await callApi(fixture.api, 'POST', '/api/accounts/register', body, 'application/json', null);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.type).toContain('application/problem+json');
      expect(refused.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    expect(await count('accounts')).toBe(accounts);
  });
});

describe('signing in and out', () => {
  it('signs in with an HttpOnly SameSite cookie, gives the CSRF token, and signs out', async () => {
    await createPerson(fixture.database.db, 'can-bo-a', ['staff'], { password: 'mat-khau-can-bo' });
    const signed = await signIn('Can-Bo-A', 'mat-khau-can-bo');
    expect(signed.status).toBe(200);
    expect(signed.setCookie).toMatch(/^qt_session=[\w-]{40,};/);
    expect(signed.setCookie).toContain('HttpOnly');
    expect(signed.setCookie).toContain('SameSite=Lax');
    expect(signed.body).toMatchObject({ signedIn: true, account: { actor: 'account:can-bo-a', roles: ['staff'] }, csrfToken: expect.any(String) });
    const session = { cookie: signed.session.cookie, csrf: signed.body.csrfToken as string };
    expect((await callAs(fixture.api, session, 'GET', '/api/session')).body).toMatchObject({ signedIn: true, csrfToken: session.csrf });
    expect((await callAs(fixture.api, session, 'GET', '/api/models')).status).toBe(200);

    expect((await callAs(fixture.api, session, 'DELETE', '/api/session')).status).toBe(200);
    expect((await callAs(fixture.api, session, 'GET', '/api/session')).body).toEqual({ signedIn: false, sso: { enabled: false } });
    expect((await callAs(fixture.api, session, 'GET', '/api/models')).status).toBe(401);
  });

  it('refuses a wrong password with the same answer as an unknown user, then throttles with 429 and Retry-After', async () => {
    await createPerson(fixture.database.db, 'can-bo-b', ['staff'], { password: 'mat-khau-can-bo' });
    const wrong = await signIn('can-bo-b', 'sai-mat-khau');
    const unknown = await signIn('khong-co-ai', 'sai-mat-khau');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.code).toBe(unknown.body.code);
    expect(wrong.body.messages).toEqual({ vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' });
    for (let attempt = 2; attempt <= 5; attempt++) expect((await signIn('can-bo-b', 'sai-mat-khau')).status).toBe(401);
    const throttled = await fetch(`${fixture.api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'can-bo-b', password: 'mat-khau-can-bo' }) });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('ends every session on logout everywhere and on disabling the account', async () => {
    await createPerson(fixture.database.db, 'can-bo-c', ['staff'], { password: 'mat-khau-can-bo' });
    const sessions = await Promise.all([signIn('can-bo-c', 'mat-khau-can-bo'), signIn('can-bo-c', 'mat-khau-can-bo')]);
    const [one, two] = sessions.map((signed) => ({ cookie: signed.session.cookie, csrf: signed.body.csrfToken as string }));
    expect((await callAs(fixture.api, one!, 'POST', '/api/session/logout-everywhere')).body).toMatchObject({ sessionsEnded: 2 });
    expect((await callAs(fixture.api, two!, 'GET', '/api/models')).status).toBe(401);

    const again = await signIn('can-bo-c', 'mat-khau-can-bo');
    expect((await callApi(fixture.api, 'POST', '/api/accounts/can-bo-c/disable', {})).status).toBe(200);
    expect((await callAs(fixture.api, { cookie: again.session.cookie, csrf: again.body.csrfToken }, 'GET', '/api/models')).status).toBe(401);
    expect((await signIn('can-bo-c', 'mat-khau-can-bo')).status).toBe(401);
  });
});

describe('assurance levels (Decree 45 Art. 8)', () => {
  it("lets only a level-2 citizen start a procedure that requires level 2, and makes it that citizen's own dossier", async () => {
    const strict = bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="check"/><bpmn:endEvent id="end"/>${flows('start>check', 'check>end')}`, { id: 'Process_level_two', attributes: 'qt:assuranceLevel="2"' });
    expect((await callApi(fixture.api, 'POST', '/api/definitions', strict, 'application/xml')).status).toBe(201);
    const levelOne = await createPerson(fixture.database.db, '001099333333', ['citizen'], { assuranceLevel: 1, password: 'mat-khau-cong-dan' });
    const levelTwo = await createPerson(fixture.database.db, '001099444444', ['citizen'], { assuranceLevel: 2, password: 'mat-khau-cong-dan' });
    const asCitizen = async (username: string) => {
      const signed = await signIn(username, 'mat-khau-cong-dan');
      return { cookie: signed.session.cookie, csrf: signed.body.csrfToken as string };
    };
    const before = await count('process_instances');
    const refused = await callAs(fixture.api, await asCitizen('001099333333'), 'POST', '/api/definitions/Process_level_two/instances', {});
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('instance.assurance-too-low');
    expect(await count('process_instances')).toBe(before);
    const started = await callAs(fixture.api, await asCitizen('001099444444'), 'POST', '/api/definitions/Process_level_two/instances', {});
    expect(started.status).toBe(201);
    expect(await fixture.database.db('process_instances').where({ id: started.body.id }).first('owner_account_id')).toEqual({ owner_account_id: levelTwo });
    expect(levelOne).not.toBe(levelTwo);
  });
});

describe('agencies and lanes', () => {
  it('refuses a lane name holding NUL with 400 naming it, and maps a good one', async () => {
    expect((await callApi(fixture.api, 'POST', '/api/agencies', { code: '000.00.07.H01', name: 'UBND xã Bảy' })).status).toBe(201);
    const refused = await callApi(fixture.api, 'PUT', '/api/agencies/000.00.07.H01/lanes/S%E1%BB%9F%00', { function: 'chuyen-vien' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toContain('params.lane');
    expect(await count('agency_lanes')).toBe(0);
    expect((await callApi(fixture.api, 'PUT', `/api/agencies/000.00.07.H01/lanes/${encodeURIComponent('Bộ phận Một cửa xã Bảy')}`, { function: 'tiep-nhan' })).status).toBe(200);
    expect(await fixture.database.db('agency_lanes').select('lane', 'agency_code', 'function')).toEqual([{ lane: 'Bộ phận Một cửa xã Bảy', agency_code: '000.00.07.H01', function: 'tiep-nhan' }]);
  });
});

describe('hardening', () => {
  it('sends security headers and no CORS permission to another origin', async () => {
    const response = await fetch(`${fixture.api.url}/api/health`, { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('creates the first administrator once, with a random password', async () => {
    const first = await ensureFirstAdministrator(fixture.database.db);
    expect(first).toMatchObject({ username: 'admin', password: expect.stringMatching(/^[\w-]{16}$/) });
    expect(await ensureFirstAdministrator(fixture.database.db)).toBeUndefined();
    expect((await signIn('admin', first!.password)).status).toBe(200);
  });
});

describe('quytrinh token', () => {
  it('prints the new token alone on the last line of stdout; it works until revoked', async () => {
    const env = { DATABASE_URL: fixture.database.url, LOG_LEVEL: 'silent' };
    const created = await runCli(['token', 'create', '--name', 'cong-thanh-toan', '--role', 'worker', '--job-type', 'payment.online'], env);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^qt_[\w-]{43}$/);
    expect(await fixture.database.db('api_tokens').where({ name: 'cong-thanh-toan' }).first('role', 'job_types')).toEqual({ role: 'worker', job_types: ['payment.online'] });
    expect(JSON.stringify(await fixture.database.db('api_tokens').select('*'))).not.toContain(token);
    expect((await callAs(fixture.api, { token }, 'GET', '/api/jobs')).status).toBe(200);

    const refused = await runCli(['token', 'create', '--name', 'x', '--role', 'superuser'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--role');

    expect((await runCli(['token', 'revoke', 'cong-thanh-toan'], env)).code).toBe(0);
    // Another process revoked it: this server's 5-second cache may still hold it briefly.
    await expect.poll(async () => (await callAs(fixture.api, { token }, 'GET', '/api/jobs')).status, { timeout: 10_000, interval: 500 }).toBe(401);
  });
});
