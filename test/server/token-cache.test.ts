import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createToken, TOKEN_CACHE_MS } from '../../server/identity/tokens.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';
import { AGENCY_X, AGENCY_Y, callAs, createTwoAgencies, twoAgencyProcess, type Credentials } from '../support/identities.ts';

/**
 * An official token's principal is cached for TOKEN_CACHE_MS and the lanes it reaches are kept
 * with it (server/access/scopes.ts); the task-scope checks of concurrent completions are read
 * together. None of that may let a completion through that the token no longer holds.
 */
const fixture = useApiOverTestDatabase();
const admin = (): Credentials => ({ token: fixture.api.token });

async function official(agency: string): Promise<{ id: string; credentials: Credentials }> {
  const { id, token } = await createToken(fixture.database.db, { name: `official-${agency}-${Math.random().toString(36).slice(2)}`, role: 'official', agency }, 'test');
  return { id, credentials: { token } };
}

/** A new dossier, at agency X's one-stop desk: its open task's id. */
async function taskAtX(): Promise<string> {
  const started = await callAs(fixture.api, admin(), 'POST', '/api/definitions/Process_two_agencies/instances', {});
  expect(started.status).toBe(201);
  const tasks = await callAs(fixture.api, admin(), 'GET', `/api/tasks?instanceId=${started.body.id}`);
  return (tasks.body.items as Array<{ id: string }>)[0]!.id;
}

const complete = async (who: Credentials, task: string) => (await callAs(fixture.api, who, 'POST', `/api/tasks/${task}/complete`, {})).status;

beforeAll(async () => {
  await createTwoAgencies(fixture.database.db);
  expect((await callAs(fixture.api, admin(), 'POST', '/api/definitions', twoAgencyProcess)).status).toBe(201);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("an official token's cached principal and lanes", () => {
  it('authorises each of many concurrent completions for its own task and caller', async () => {
    const x = await official(AGENCY_X.code);
    const y = await official(AGENCY_Y.code);
    const tasks = await Promise.all(Array.from({ length: 8 }, taskAtX));
    // Both officials try every task at once: the checks share reads, and only X's succeed.
    const attempts = await Promise.all(tasks.flatMap((task) => [complete(x.credentials, task), complete(y.credentials, task)]));
    expect(attempts.filter((_, index) => index % 2 === 0)).toEqual(tasks.map(() => 200));
    expect(attempts.filter((_, index) => index % 2 === 1)).toEqual(tasks.map(() => 404));
  });

  it("stops completing a lane's tasks as soon as the lane is mapped to another agency", async () => {
    const x = await official(AGENCY_X.code);
    const y = await official(AGENCY_Y.code);
    expect(await complete(x.credentials, await taskAtX())).toBe(200);
    const task = await taskAtX();
    const moved = await callAs(fixture.api, admin(), 'PUT', `/api/agencies/${AGENCY_Y.code}/lanes/${encodeURIComponent(AGENCY_X.lane)}`, { function: 'tiep-nhan' });
    expect(moved.status).toBe(200);
    try {
      expect(await complete(x.credentials, task)).toBe(404);
      expect(await complete(y.credentials, task)).toBe(200);
    } finally {
      await callAs(fixture.api, admin(), 'PUT', `/api/agencies/${AGENCY_X.code}/lanes/${encodeURIComponent(AGENCY_X.lane)}`, { function: 'tiep-nhan' });
    }
  });

  it('refuses a token revoked by another process once TOKEN_CACHE_MS has passed, and at once when revoked here', async () => {
    const x = await official(AGENCY_X.code);
    expect((await callAs(fixture.api, x.credentials, 'GET', '/api/tasks')).status).toBe(200);
    // Another process revokes it: the row changes and this process's cache is not told.
    await fixture.database.db('api_tokens').where({ id: x.id }).update({ revoked_at: new Date() });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + TOKEN_CACHE_MS + 1);
    expect(await complete(x.credentials, await taskAtX())).toBe(401);
    vi.useRealTimers();

    const other = await official(AGENCY_X.code);
    expect(await complete(other.credentials, await taskAtX())).toBe(200);
    expect((await callAs(fixture.api, admin(), 'DELETE', `/api/tokens/${other.id}`)).status).toBe(200);
    expect(await complete(other.credentials, await taskAtX())).toBe(401);
  });
});
