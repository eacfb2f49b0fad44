import type { Database } from '../../server/db/connect.ts';
import { createAccount } from '../../server/identity/accounts.ts';
import { createAgency, mapLane } from '../../server/identity/agencies.ts';
import type { AgencyFunction, Role } from '../../server/identity/roles.ts';
import { SESSION_COOKIE, openSession } from '../../server/identity/sessions.ts';
import { createToken } from '../../server/identity/tokens.ts';
import type { ApiServer } from './api-server.ts';
import { bpmnProcess, flows } from './process.ts';

/** How a test calls as someone: a session (cookie and its CSRF token), a bearer token, or nobody. */
export type Credentials = { cookie: string; csrf: string } | { token: string } | null;

export const AGENCY_X = { code: '000.00.01.H01', name: 'UBND xã X', lane: 'Bộ phận Một cửa xã X' };
export const AGENCY_Y = { code: '000.00.02.H01', name: 'UBND xã Y', lane: 'Bộ phận Một cửa xã Y' };

/** Two agencies, each with a lane that names it for its one-stop officials. */
export async function createTwoAgencies(db: Database): Promise<void> {
  for (const agency of [AGENCY_X, AGENCY_Y]) {
    await createAgency(db, { code: agency.code, name: agency.name });
    await mapLane(db, agency.lane, agency.code, 'tiep-nhan');
  }
}

export async function createPerson(db: Database, username: string, roles: Role[], options: { memberships?: Array<{ agencyCode: string; function: AgencyFunction }>; assuranceLevel?: 1 | 2; password?: string } = {}): Promise<string> {
  const row = await createAccount(db, { username, displayName: `Test ${username}`, roles, password: options.password, memberships: options.memberships, assuranceLevel: options.assuranceLevel ?? 2, identifiedBy: 'test' });
  return row.id;
}

/** A fresh signed-in session of an account, without the cost of a password hash. */
export async function sessionOf(db: Database, accountId: string): Promise<{ cookie: string; csrf: string }> {
  const { secret, csrfToken } = await openSession(db, accountId, '127.0.0.1');
  return { cookie: `${SESSION_COOKIE}=${secret}`, csrf: csrfToken };
}

export async function tokenFor(db: Database, role: Role, options: { agency?: string; jobTypes?: string[] } = {}): Promise<{ token: string }> {
  return { token: (await createToken(db, { name: `test-${role}-${Math.random().toString(36).slice(2)}`, role, agency: options.agency, jobTypes: options.jobTypes }, 'test')).token };
}

/** A request as `who`: status, content type and parsed body. Writes carry the session's CSRF token. */
export async function callAs(api: ApiServer, who: Credentials, method: string, path: string, body?: unknown): Promise<{ status: number; type: string | null; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = typeof body === 'string' ? 'application/xml' : 'application/json';
  if (who && 'token' in who) headers.authorization = `Bearer ${who.token}`;
  if (who && 'cookie' in who) {
    headers.cookie = who.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = who.csrf;
  }
  const response = await fetch(`${api.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (a BPMN file, a report): the text itself
  }
  return { status: response.status, type: response.headers.get('content-type'), body: parsed, headers: response.headers };
}

/** A dossier that goes through agency X's one-stop desk, then agency Y's: a lane per agency. */
export const twoAgencyProcess = bpmnProcess(`
  <bpmn:laneSet id="lanes">
    <bpmn:lane id="laneX" name="${AGENCY_X.lane}"><bpmn:flowNodeRef>receiveX</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="laneY" name="${AGENCY_Y.lane}"><bpmn:flowNodeRef>receiveY</bpmn:flowNodeRef></bpmn:lane>
  </bpmn:laneSet>
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="receiveX" name="Tiếp nhận tại X" qt:dueWorkingHours="8"/>
  <bpmn:userTask id="receiveY" name="Tiếp nhận tại Y" qt:dueWorkingHours="8"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>receiveX', 'receiveX>receiveY', 'receiveY>end')}`, { id: 'Process_two_agencies' });
