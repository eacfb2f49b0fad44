import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_POLICIES, type RoutePolicy } from '../../server/access/route-policies.ts';
import type { Role } from '../../server/identity/roles.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';
import {
  AGENCY_X, AGENCY_Y, callAs, createPerson, createTwoAgencies, sessionOf, tokenFor, twoAgencyProcess, type Credentials,
} from '../support/identities.ts';

const fixture = useApiOverTestDatabase();

/** Who calls, and the roles they hold: the people of issue 9's matrix. */
const PEOPLE = ['anonymous', 'citizen A', 'citizen B', 'official X', 'official Y', 'staff', 'analyst', 'admin', 'worker token'] as const;
type Person = (typeof PEOPLE)[number];
const ROLES_OF: Record<Person, Role[]> = {
  anonymous: [],
  'citizen A': ['citizen'],
  'citizen B': ['citizen'],
  'official X': ['official'],
  'official Y': ['official'],
  staff: ['staff'],
  analyst: ['analyst'],
  admin: ['admin'],
  'worker token': ['worker'],
};

const accounts = new Map<Person, string>();
let worker: Credentials = null;

/** A fresh session each call: a matrix call to sign-out must not sign out the next one. */
async function credentials(person: Person): Promise<Credentials> {
  if (person === 'anonymous') return null;
  if (person === 'worker token') return worker;
  return sessionOf(fixture.database.db, accounts.get(person)!);
}

function concretePath(policy: RoutePolicy): string {
  const values: Record<string, string> = { id: randomUUID(), key: 'Process_missing', username: 'nobody-here', code: '000.00.09.H01', lane: 'no lane', agency: 'no agency', version: '1', model: 'to-be' };
  return '/api' + policy.path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

function expected(policy: RoutePolicy, person: Person): 'allowed' | 401 | 403 {
  if (policy.allow === 'public') return 'allowed';
  if (person === 'anonymous') return 401;
  if (policy.allow === 'signed-in') return 'allowed';
  return ROLES_OF[person].some((role) => (policy.allow as readonly Role[]).includes(role)) ? 'allowed' : 403;
}

beforeAll(async () => {
  const { db } = fixture.database;
  await createTwoAgencies(db);
  accounts.set('citizen A', await createPerson(db, '001099000001', ['citizen']));
  accounts.set('citizen B', await createPerson(db, '001099000002', ['citizen']));
  accounts.set('official X', await createPerson(db, 'official.x', ['official'], { memberships: [{ agencyCode: AGENCY_X.code, function: 'tiep-nhan' }] }));
  accounts.set('official Y', await createPerson(db, 'official.y', ['official'], { memberships: [{ agencyCode: AGENCY_Y.code, function: 'tiep-nhan' }] }));
  accounts.set('staff', await createPerson(db, 'staff', ['staff']));
  accounts.set('analyst', await createPerson(db, 'analyst', ['analyst']));
  accounts.set('admin', await createPerson(db, 'admin', ['admin']));
  worker = await tokenFor(db, 'worker', { jobTypes: ['portal.sync'] });
});

describe('every route as every kind of caller (issue 9 role matrix)', () => {
  it.each(ROUTE_POLICIES.map((policy) => [`${policy.method.toUpperCase()} ${policy.path}`, policy] as const))('%s', async (_name, policy) => {
    for (const person of PEOPLE) {
      const body = policy.method === 'get' || policy.method === 'delete' ? undefined : policy.path === '/definitions' ? '<not-bpmn/>' : {};
      const response = await callAs(fixture.api, await credentials(person), policy.method.toUpperCase(), concretePath(policy), body);
      const want = expected(policy, person);
      const context = `${person} → ${response.status} ${JSON.stringify(response.body)?.slice(0, 200)}`;
      expect(response.status, context).toBeLessThan(500);
      if (want === 'allowed') expect([401, 403], context).not.toContain(response.status);
      else expect(response.status, context).toBe(want);
      if (response.status >= 400) expect(response.type, context).toContain('application/problem+json');
    }
  });
});

describe('what the matrix must say, written out (so a wrong table cannot pass)', () => {
  const cases: Array<[Person, string, string, number]> = [
    ['anonymous', 'GET', '/api/models', 401],
    ['anonymous', 'POST', '/api/definitions/Process_two_agencies/instances', 401],
    ['citizen A', 'POST', '/api/definitions', 403],
    ['citizen A', 'GET', '/api/tasks', 403],
    ['official X', 'GET', '/api/models', 403],
    ['official X', 'POST', '/api/analysis/lint', 403],
    ['analyst', 'POST', '/api/definitions', 403],
    ['analyst', 'POST', '/api/models', 403],
    ['staff', 'PUT', '/api/calendars/x', 403],
    ['staff', 'GET', '/api/accounts', 403],
    ['worker token', 'GET', '/api/models', 403],
    ['worker token', 'POST', '/api/tokens', 403],
  ];
  it.each(cases)('%s: %s %s → %i', async (person, method, path, status) => {
    const body = method === 'POST' && path === '/api/definitions' ? twoAgencyProcess : method === 'GET' ? undefined : {};
    expect((await callAs(fixture.api, await credentials(person), method, path, body)).status).toBe(status);
  });
});

describe('dossiers, tasks and jobs are scoped to their owner, agency and job types', () => {
  let dossierA = '';
  let taskX = '';

  beforeAll(async () => {
    expect((await callAs(fixture.api, await credentials('staff'), 'POST', '/api/definitions', twoAgencyProcess)).status).toBe(201);
    const started = await callAs(fixture.api, await credentials('citizen A'), 'POST', '/api/definitions/Process_two_agencies/instances', { businessKey: '000.00.01.H01-261206-0001' });
    expect(started.status).toBe(201);
    dossierA = started.body.id;
    const tasks = await callAs(fixture.api, await credentials('official X'), 'GET', '/api/tasks');
    taskX = (tasks.body.items as Array<{ id: string; instanceId: string }>).find((task) => task.instanceId === dossierA)!.id;
  });

  it('shows a dossier to its owner and its agency, and to nobody else, as if it did not exist', async () => {
    const path = `/api/instances/${dossierA}`;
    for (const person of ['citizen A', 'official X', 'staff', 'admin'] as const) expect((await callAs(fixture.api, await credentials(person), 'GET', path)).status, person).toBe(200);
    const missing = await callAs(fixture.api, await credentials('citizen B'), 'GET', `/api/instances/${randomUUID()}`);
    for (const person of ['citizen B', 'official Y'] as const) {
      const response = await callAs(fixture.api, await credentials(person), 'GET', path);
      expect(response.status, person).toBe(404);
      expect(response.body.code).toBe(missing.body.code);
      expect(JSON.stringify(response.body)).not.toContain('owner');
      expect((await callAs(fixture.api, await credentials(person), 'GET', `${path}/history`)).status, person).toBe(404);
    }
    expect((await callAs(fixture.api, await credentials('analyst'), 'GET', path)).status).toBe(403);
    // Listing instances shows each their own: the owner and agency X see it, citizen B and agency Y do not.
    const listed = async (person: Person) => ((await callAs(fixture.api, await credentials(person), 'GET', '/api/instances?definitionKey=Process_two_agencies')).body.items as Array<{ id: string }>).map((item) => item.id);
    expect(await listed('citizen A')).toEqual([dossierA]);
    expect(await listed('official X')).toEqual([dossierA]);
    expect(await listed('citizen B')).toEqual([]);
    expect(await listed('official Y')).toEqual([]);
    expect((await callAs(fixture.api, null, 'GET', path)).status).toBe(401);
  });

  it("offers a task to exactly its agency's officials, and records who completed it", async () => {
    const seenByY = await callAs(fixture.api, await credentials('official Y'), 'GET', '/api/tasks');
    expect((seenByY.body.items as Array<{ instanceId: string }>).filter((task) => task.instanceId === dossierA)).toEqual([]);
    expect((await callAs(fixture.api, await credentials('official Y'), 'POST', `/api/tasks/${taskX}/complete`, {})).status).toBe(404);
    expect((await callAs(fixture.api, await credentials('citizen A'), 'POST', `/api/tasks/${taskX}/complete`, {})).status).toBe(403);
    // The body can no longer name the actor.
    expect((await callAs(fixture.api, await credentials('official X'), 'POST', `/api/tasks/${taskX}/complete`, { actor: 'someone else' })).status).toBe(400);
    expect((await callAs(fixture.api, await credentials('official X'), 'POST', `/api/tasks/${taskX}/complete`, {})).status).toBe(200);
    const history = await callAs(fixture.api, await credentials('citizen A'), 'GET', `/api/instances/${dossierA}/history`);
    expect(history.body.items.at(-1)).toMatchObject({ eventType: 'task.complete', elementId: 'receiveX', actor: 'account:official.x' });
    // Now at Y: offered to Y, and X (who had a task in it) still sees the dossier.
    const seenNowByY = await callAs(fixture.api, await credentials('official Y'), 'GET', '/api/tasks');
    expect((seenNowByY.body.items as Array<{ instanceId: string; elementId: string }>).filter((task) => task.instanceId === dossierA).map((task) => task.elementId)).toEqual(['receiveY']);
    expect((await callAs(fixture.api, await credentials('official Y'), 'GET', `/api/instances/${dossierA}`)).status).toBe(200);
  });

  it('lets a cookie session write only with its CSRF token', async () => {
    const session = await credentials('staff') as { cookie: string; csrf: string };
    const response = await fetch(`${fixture.api.url}/api/models`, { method: 'POST', headers: { cookie: session.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', stage: 'to-be', xml: twoAgencyProcess }) });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('auth.csrf');
    expect(await fixture.database.db('procedure_models').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
  });

  it('refuses a text/plain or form write before anything runs (no CORS-free cross-site writes)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await fetch(`${fixture.api.url}/api/tasks/${randomUUID()}/complete`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${fixture.api.token}` }, body: '{"variables":{}}' });
      expect(response.status, type).toBe(415);
    }
  });

  it('keeps a worker token to its job types', async () => {
    const { db } = fixture.database;
    const [other] = await db('service_jobs').insert({ instance_id: dossierA, element_id: 'receiveY', job_type: 'other.type', handler: 'external', status: 'open' }).returning<Array<{ id: string }>>('id');
    expect((await callAs(fixture.api, worker, 'POST', `/api/jobs/${other!.id}/complete`, {})).status).toBe(404);
    const listed = await callAs(fixture.api, worker, 'GET', '/api/jobs');
    expect((listed.body.items as Array<{ type: string }>).map((job) => job.type)).not.toContain('other.type');
  });

  it('files a dossier only from a citizen account, never with a citizen token', async () => {
    const citizenToken = await tokenFor(fixture.database.db, 'citizen');
    const before = await fixture.database.db('process_instances').count<Array<{ count: string }>>('* as count');
    const refused = await callAs(fixture.api, citizenToken, 'POST', '/api/definitions/Process_two_agencies/instances', {});
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('instance.applicant-account-required');
    expect(await fixture.database.db('process_instances').count<Array<{ count: string }>>('* as count')).toEqual(before);
  });

  it('refuses a revoked or made-up token with 401, never as anonymous', async () => {
    const admin = await tokenFor(fixture.database.db, 'admin');
    expect((await callAs(fixture.api, admin, 'GET', '/api/accounts')).status).toBe(200);
    const listed = await callAs(fixture.api, admin, 'GET', '/api/tokens');
    const id = (listed.body.items as Array<{ id: string; role: string }>).filter((token) => token.role === 'admin').at(-1)!.id;
    expect((await callAs(fixture.api, admin, 'DELETE', `/api/tokens/${id}`)).status).toBe(200);
    expect((await callAs(fixture.api, admin, 'GET', '/api/accounts')).status).toBe(401);
    expect((await callAs(fixture.api, { token: 'qt_made-up' }, 'GET', '/api/health')).status).toBe(200);
    expect((await callAs(fixture.api, { token: 'qt_made-up' }, 'GET', '/api/models')).status).toBe(401);
  });

  it('shows anyone a dossier code, procedure and completion level, and nothing else (Circular 01 Art. 23.5.a)', async () => {
    const response = await callAs(fixture.api, null, 'GET', '/api/lookup/000.00.01.H01-261206-0001');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ code: '000.00.01.H01-261206-0001', kind: 'dossier', procedure: 'Process_two_agencies', level: { code: 'dang-xu-ly', vi: 'Đang giải quyết', en: 'Being processed' } });
    expect((await callAs(fixture.api, null, 'GET', '/api/lookup/000.00.01.H01-261206-9999')).status).toBe(404);
  });
});
