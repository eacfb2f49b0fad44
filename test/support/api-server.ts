import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect } from 'vitest';
import type { OidcSettings } from '../../server/config.ts';
import type { Database } from '../../server/db/connect.ts';
import { startJobRunner, type JobRunner, type JobRunnerOptions } from '../../server/execution/worker.ts';
import { createApp } from '../../server/http/app.ts';
import { createToken } from '../../server/identity/tokens.ts';
import type { AnalysisPool } from '../../server/workers/analysis-pool.ts';
import type { PdfPool } from '../../server/workers/pdf-pool.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface ApiServer {
  url: string;
  /** An administrator's API token: the identity test calls use unless they say otherwise. */
  token: string;
  /** fetch() on this server as the administrator (`headers` given are kept; an Authorization given wins). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** The product's express app on an ephemeral loopback port, over a test database (analyses on `analysisPool`, PDFs on `pdfPool`, single sign-on with `oidc`, when given). */
export async function startApiServer(db: Database, designerDir?: string, options: { analysisPool?: AnalysisPool; pdfPool?: PdfPool; oidc?: OidcSettings } = {}): Promise<ApiServer> {
  const app = createApp({ db, logger: pino({ level: 'silent' }), version: 'test', embeddedDatabase: true, designerDir, ...options });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const { token } = await createToken(db, { name: `test-admin-${randomUUID()}`, role: 'admin' }, 'test');
  return {
    url,
    token,
    fetch: (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) } }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One request to the API with an optional JSON body: its status, content type and parsed body. As the administrator unless `token` says who (null: anonymous). */
export async function callApi(api: ApiServer, method: string, path: string, body?: unknown, contentType = 'application/json', token: string | null = api.token): Promise<{ status: number; type: string | null; body: any }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': contentType }), ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    // A string goes as it is (BPMN XML to /api/definitions); anything else as JSON.
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
}

/** Deploys a BPMN model through `POST /api/definitions`, expecting a new version (201; the problem shown otherwise). */
export async function deployThroughApi(api: ApiServer, xml: string): Promise<void> {
  const response = await callApi(api, 'POST', '/api/definitions', xml, 'application/xml');
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

/** Starts an instance of a deployed key through the API; its id. */
export async function startThroughApi(api: ApiServer, key: string, variables: Record<string, unknown> = {}): Promise<string> {
  const response = await callApi(api, 'POST', `/api/definitions/${key}/instances`, { variables });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id as string;
}

/** A fresh migrated database and the API over it, for the test file or block that calls this. */
export function useApiOverTestDatabase(): { readonly database: TestDatabase; readonly api: ApiServer } {
  const fixture = {} as { database: TestDatabase; api: ApiServer };
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    fixture.api = await startApiServer(fixture.database.db);
  });
  afterAll(async () => {
    await fixture.api?.close();
    await fixture.database?.drop();
  });
  return fixture;
}

/**
 * The job runner (timers, built-in jobs, call outcomes, timer starts) over the fixture's database,
 * for the test file or block that calls this; compose with `useApiOverTestDatabase`, after it.
 * Started in a `beforeAll` registered where this is called, so earlier hooks (a deployment) run first.
 */
export function useJobRunner(fixture: { readonly database: TestDatabase }, options?: JobRunnerOptions): void {
  let runner: JobRunner | undefined;
  beforeAll(async () => {
    runner = await startJobRunner(fixture.database.db, fixture.database.url, pino({ level: 'silent' }), options);
  });
  afterAll(async () => {
    await runner?.stop();
  });
}
