import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, type OidcSettings } from '../../server/config.ts';
import { createAccount } from '../../server/identity/accounts.ts';
import { SESSION_COOKIE } from '../../server/identity/sessions.ts';
import { startApiServer, type ApiServer } from '../support/api-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * Single sign-on against a real OpenID provider (oidc-provider, with its development login and
 * consent pages) on a loopback port: a browser is played with fetch, manual redirects and a
 * cookie jar, from our /api/session/sso through the provider's forms back to our callback.
 */

const CLIENT = { id: 'quytrinh-test', secret: 'a-client-secret-of-the-test-provider-0123456789' };
/** The provider's people, by the login typed on its form. */
const PEOPLE: Record<string, Record<string, string>> = {
  an: { name: 'Nguyễn Văn An', personal_id: '001090012345', identity_level: '2' },
  binh: { name: 'Trần Thị Bình' },
  /** Her personal ID is already the username of a password account (registered before SSO). */
  chi: { name: 'Lê Thị Chi', personal_id: '001090099999', identity_level: '2' },
};

/** One browser's cookies, per origin (enough for two loopback servers). */
class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string): Promise<Response> {
    return this.request(url, { method: 'GET' });
  }

  async request(url: string, init: RequestInit): Promise<Response> {
    const { origin } = new URL(url);
    const cookies = [...(this.jar.get(origin) ?? new Map<string, string>())].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), ...(cookies ? { cookie: cookies } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair!.slice(0, pair!.indexOf('='));
      const value = pair!.slice(pair!.indexOf('=') + 1);
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute) || (/^\s*expires=/i.test(attribute) && Date.parse(attribute.split('=')[1]!) < Date.now()));
      const cookiesOfOrigin = this.jar.get(origin) ?? new Map<string, string>();
      if (expired || value === '') cookiesOfOrigin.delete(name);
      else cookiesOfOrigin.set(name, value);
      this.jar.set(origin, cookiesOfOrigin);
    }
    return response;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name);
  }
}

function location(response: Response, base: string): string {
  const target = response.headers.get('location');
  if (!target) throw new Error(`expected a redirect from ${base}, got ${response.status}: ${response.statusText}`);
  return new URL(target, base).href;
}

function formOf(html: string): { action: string; prompt: string } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !prompt) throw new Error(`no interaction form in ${html.slice(0, 500)}`);
  return { action: action.replaceAll('&amp;', '&'), prompt };
}

/**
 * From our sign-in link through the provider (login with `login`, consent; or `abort` at the
 * login page) to the provider's redirect to our callback, which is returned unfollowed.
 */
async function throughProvider(browser: Browser, api: ApiServer, start: string, login: string, options: { abort?: boolean } = {}): Promise<string> {
  let url = location(await browser.get(`${api.url}${start}`), api.url);
  for (let step = 0; step < 20; step += 1) {
    if (url.startsWith(`${api.url}/`)) return url;
    const response = await browser.get(url);
    if (response.status >= 300 && response.status < 400) {
      url = location(response, url);
      continue;
    }
    expect(response.status, await response.clone().text()).toBe(200);
    const form = formOf(await response.text());
    if (options.abort) {
      // The development pages' cancel link: /interaction/<uid>/abort.
      url = location(await browser.get(`${url}/abort`), url);
      continue;
    }
    const body = new URLSearchParams(form.prompt === 'login' ? { prompt: 'login', login, password: 'any' } : { prompt: form.prompt });
    url = location(await browser.request(new URL(form.action, url).href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() }), url);
  }
  throw new Error('the provider never sent the browser back');
}

async function session(api: ApiServer, browser: Browser): Promise<any> {
  const response = await browser.get(`${api.url}/api/session`);
  expect(response.status).toBe(200);
  return response.json();
}

describe('single sign-on with an OpenID provider', () => {
  let database: TestDatabase;
  let api: ApiServer;
  let unconfigured: ApiServer;
  let issuer: string;
  const providerServer = createServer();

  beforeAll(async () => {
    database = await createTestDatabase();
    providerServer.listen(0, '127.0.0.1');
    await once(providerServer, 'listening');
    issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
    // Our API first (its provider is discovered on first use), then the provider, which must know our callback.
    const settings: OidcSettings = loadConfig({
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT.id,
      OIDC_CLIENT_SECRET: CLIENT.secret,
      OIDC_NAME: 'VNeID',
      OIDC_LEVEL2_CLAIM: 'identity_level',
      OIDC_LEVEL2_VALUES: '2',
    }).oidc!;
    api = await startApiServer(database.db, undefined, { oidc: settings });
    unconfigured = await startApiServer(database.db);
    const configuration: Configuration = {
      clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [`${api.url}/api/session/sso/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
      claims: { openid: ['sub'], profile: ['name', 'personal_id', 'identity_level'] },
      findAccount: (_context, id) => (PEOPLE[id] ? { accountId: id, claims: () => ({ sub: id, ...PEOPLE[id] }) } : undefined),
      cookies: { keys: ['cookie-key-of-the-test-provider'] },
      features: { devInteractions: { enabled: true } },
      // Set so that the provider does not print a notice for each default it uses.
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    };
    const provider = new Provider(issuer, configuration);
    const handle = provider.callback();
    providerServer.on('request', (request: IncomingMessage, response: ServerResponse) => void handle(request, response));
  });

  afterAll(async () => {
    await api?.close();
    await unconfigured?.close();
    providerServer.closeAllConnections();
    await new Promise((resolve) => providerServer.close(resolve));
    await database?.drop();
  });

  it('says on GET /api/session that single sign-on is offered, and by whom', async () => {
    expect((await session(api, new Browser())).sso).toEqual({ enabled: true, name: 'VNeID' });
    expect((await session(unconfigured, new Browser())).sso).toEqual({ enabled: false });
  });

  it('signs a citizen in through the provider and maps the claims to an account (level 2 when asserted)', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, api, '/api/session/sso', 'an');
    expect(new URL(callback).pathname).toBe('/api/session/sso/callback');
    const landed = await browser.get(callback);
    expect(landed.status).toBe(302);
    expect(landed.headers.get('location')).toBe('/');
    expect(browser.cookie(api.url, SESSION_COOKIE)).toMatch(/^[\w-]{43}$/);
    expect(browser.cookie(api.url, 'qt_sso')).toBeUndefined();

    const signedIn = await session(api, browser);
    expect(signedIn.signedIn).toBe(true);
    expect(signedIn.account).toMatchObject({ displayName: 'Nguyễn Văn An', roles: ['citizen'], assuranceLevel: 2, actor: 'account:001090012345' });
    const rows = await database.db('accounts').where({ oidc_issuer: issuer, oidc_subject: 'an' }).select('username', 'holder_kind', 'holder_id', 'identified_by', 'password_hash');
    expect(rows).toEqual([{ username: '001090012345', holder_kind: 'person', holder_id: '001090012345', identified_by: `oidc:${issuer}`, password_hash: null }]);
    await vi.waitFor(async () => {
      expect(await database.db('audit_log').where({ actor: 'account:001090012345', action: 'GET /api/session/sso/callback' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
    });

    // The same person again, from another browser: the same account, no second one.
    const again = new Browser();
    const secondCallback = await throughProvider(again, api, '/api/session/sso?returnTo=%2Fdossiers%3Ftab%3Dopen', 'an');
    const secondLanding = await again.get(secondCallback);
    expect(secondLanding.headers.get('location')).toBe('/dossiers?tab=open');
    expect((await session(api, again)).account.id).toBe(signedIn.account.id);
    expect(await database.db('accounts').where({ oidc_subject: 'an' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
  });

  it('gives a person without a personal ID claim an oidc- username at level 1', async () => {
    const browser = new Browser();
    await browser.get(await throughProvider(browser, api, '/api/session/sso', 'binh'));
    const signedIn = await session(api, browser);
    expect(signedIn.account).toMatchObject({ displayName: 'Trần Thị Bình', roles: ['citizen'], assuranceLevel: 1 });
    expect(signedIn.account.actor).toMatch(/^account:oidc-[0-9a-f]{24}$/);

    // Once disabled, the account cannot sign in by the provider either.
    await database.db('accounts').where({ oidc_subject: 'binh' }).update({ disabled_at: new Date() });
    const later = new Browser();
    const landed = await later.get(await throughProvider(later, api, '/api/session/sso', 'binh'));
    expect(landed.headers.get('location')).toBe('/?sso_error=account-disabled');
    expect(later.cookie(api.url, SESSION_COOKIE)).toBeUndefined();
  });

  it('does not take over an unlinked account whose username is the asserted personal ID', async () => {
    await createAccount(database.db, { username: '001090099999', displayName: 'Lê Thị Chi', roles: ['citizen'], password: 'a-password-of-chi', identifiedBy: 'self-registered' });
    const browser = new Browser();
    const landed = await browser.get(await throughProvider(browser, api, '/api/session/sso', 'chi'));
    expect(landed.headers.get('location')).toBe('/?sso_error=account-exists');
    expect(browser.cookie(api.url, SESSION_COOKIE)).toBeUndefined();
    expect(await database.db('accounts').where({ username: '001090099999' }).select('oidc_subject')).toEqual([{ oidc_subject: null }]);
  });

  it('refuses a callback whose state was tampered with, and opens no session', async () => {
    const browser = new Browser();
    const callback = new URL(await throughProvider(browser, api, '/api/session/sso', 'an'));
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const landed = await browser.get(callback.href);
    expect(landed.status).toBe(302);
    expect(landed.headers.get('location')).toBe('/?sso_error=state');
    expect(browser.cookie(api.url, SESSION_COOKIE)).toBeUndefined();
    expect((await session(api, browser)).signedIn).toBe(false);
  });

  it('refuses a callback without a pending sign-in in this browser (the code replayed elsewhere)', async () => {
    const callback = await throughProvider(new Browser(), api, '/api/session/sso', 'an');
    const other = new Browser();
    const landed = await other.get(callback);
    expect(landed.headers.get('location')).toBe('/?sso_error=state');
    expect(other.cookie(api.url, SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a pending sign-in older than ten minutes', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, api, '/api/session/sso', 'an');
    // The server runs in this process: its clock moves eleven minutes on for the callback only.
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 11 * 60 * 1000);
    try {
      const landed = await browser.get(callback);
      expect(landed.headers.get('location')).toBe('/?sso_error=expired');
    } finally {
      clock.mockRestore();
    }
    expect(browser.cookie(api.url, SESSION_COOKIE)).toBeUndefined();
  });

  it('sends a person who cancels at the provider back with sso_error=denied', async () => {
    const browser = new Browser();
    const landed = await browser.get(await throughProvider(browser, api, '/api/session/sso', 'an', { abort: true }));
    expect(landed.headers.get('location')).toBe('/?sso_error=denied');
    expect(browser.cookie(api.url, SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a returnTo that leaves the site', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const response = await fetch(`${api.url}/api/session/sso?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
      expect(response.status, returnTo).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await response.json()).errors).toEqual([expect.objectContaining({ field: 'query.returnTo' })]);
    }
  });

  it('answers 404 problem+json naming the missing settings when single sign-on is not configured', async () => {
    const response = await fetch(`${unconfigured.url}/api/session/sso`, { redirect: 'manual' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await response.json();
    expect(problem.code).toBe('sso.not-configured');
    expect(problem.errors.map((error: { field: string }) => error.field)).toEqual(['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']);
  });

  it('answers 503 problem+json when the provider cannot be reached', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await startApiServer(database.db, undefined, { oidc: loadConfig({ OIDC_ISSUER: `http://127.0.0.1:${port}`, OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' }).oidc! });
    try {
      const response = await fetch(`${unreachable.url}/api/session/sso`, { redirect: 'manual' });
      expect(response.status).toBe(503);
      expect((await response.json()).code).toBe('sso.provider-unavailable');
    } finally {
      await unreachable.close();
    }
  });

  it('refuses a partial configuration with a bilingual message', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://sso.dichvucong.gov.vn', OIDC_CLIENT_ID: 'quytrinh' })).toThrow(
      expect.objectContaining({ code: 'config.invalid', text: { vi: expect.stringContaining('OIDC_CLIENT_SECRET: cần đặt cùng'), en: expect.stringContaining('OIDC_CLIENT_SECRET: required with') } }),
    );
    expect(() => loadConfig({ OIDC_ISSUER: 'http://sso.example.vn', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' })).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field: 'OIDC_ISSUER' })] }));
  });
});
