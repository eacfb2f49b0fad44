import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_REQUEST_BYTES, MAX_VARIABLES_BYTES } from '../../server/http/input-limits.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { storedRows } from '../support/stored-rows.ts';

/**
 * Issue 10, items 5 and 6: each attack found against the running product, one by one. Every
 * refusal is a typed 4xx problem+json naming the field or element, and stores nothing.
 */
const fixture = useApiOverTestDatabase();
const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);

/** A user task and an external job open at once, so every path that takes variables can be tried. */
const model = (id = 'Process_limits', name = 'Thẩm định hồ sơ') => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:parallelGateway id="split"/>
  <bpmn:userTask id="review" name="${name}"/>
  <bpmn:serviceTask id="sync" qt:jobType="limits.external"/>
  <bpmn:parallelGateway id="join"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>split', 'split>review', 'split>sync', 'review>join', 'sync>join', 'join>end')}`, { id });

/** Sub-processes nested `depth` deep, each with its own start and end. */
function nestedSubProcesses(depth: number): string {
  let inside = '<bpmn:startEvent id="innerStart"/><bpmn:endEvent id="innerEnd"/>' + flows('innerStart>innerEnd');
  for (let level = depth; level >= 1; level -= 1) {
    inside = `<bpmn:startEvent id="s${level}"/><bpmn:subProcess id="sub${level}">${inside}</bpmn:subProcess><bpmn:endEvent id="e${level}"/>${flows(`s${level}>sub${level}`, `sub${level}>e${level}`)}`;
  }
  return bpmnProcess(inside);
}

/** `{"variables":{"x":[[[…]]]}}` with `depth` arrays, written as text: no JSON.stringify recursion. */
const deepVariables = (depth: number) => `{"variables":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;

const ids = { taskId: '', jobId: '', modelId: '' };

beforeAll(async () => {
  expect((await call('POST', '/api/definitions', model(), 'application/xml')).status).toBe(201);
  const started = await call('POST', '/api/definitions/Process_limits/instances', {});
  const [task] = (await call('GET', `/api/tasks?instanceId=${started.body.id}`)).body.items;
  const [job] = (await call('GET', '/api/jobs?type=limits.external')).body.items;
  const saved = await call('POST', '/api/models', { name: 'Mô hình', stage: 'as-is', xml: model() });
  Object.assign(ids, { taskId: task.id, jobId: job.id, modelId: saved.body.id });
});

/** Sends a request that must be refused: its status and code, the field or element it names, and nothing stored. */
async function expectRefused(request: () => ReturnType<typeof call>, status: number, code: string, where: { field?: string; elementId?: string }) {
  const before = await storedRows(fixture.database.db);
  const response = await request();
  expect(response.status).toBe(status);
  expect(response.type).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, code });
  expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining(where)]));
  expect(await storedRows(fixture.database.db)).toEqual(before);
  return response;
}

describe('NUL and lone surrogates: 400 naming the field (422 naming the element in BPMN XML)', () => {
  it.each<[string, () => [string, string, unknown?, string?], number, string, { field?: string; elementId?: string }]>([
    ['deployed XML', () => ['POST', '/api/definitions', model('Process_limits', 'Thẩm\u0000định'), 'application/xml'], 422, 'bpmn.invalid-character', { elementId: 'review' }],
    ['a model name', () => ['POST', '/api/models', { name: 'Mô\u0000hình', stage: 'as-is', xml: model() }], 400, 'request.invalid-character', { field: 'body.name' }],
    ['saved model XML', () => ['POST', `/api/models/${ids.modelId}/versions`, { xml: model('Process_limits', 'a\u0000') }], 400, 'request.invalid-character', { field: 'body.xml' }],
    ['analysed model XML', () => ['POST', '/api/analysis/procedure', { model: model('Process_limits', 'a\u0000') }], 400, 'request.invalid-character', { field: 'body.model' }],
    ['a business key', () => ['POST', '/api/definitions/Process_limits/instances', { businessKey: 'HS-\u0000' }], 400, 'request.invalid-character', { field: 'body.businessKey' }],
    ['a variable name', () => ['POST', '/api/definitions/Process_limits/instances', { variables: { 'x\u0000': 1 } }], 400, 'request.invalid-character', { field: 'body.variables.x\u0000' }],
    ['a nested variable value', () => ['POST', `/api/tasks/${ids.taskId}/complete`, { variables: { a: { b: ['ok', 'x\u0000'] } } }], 400, 'request.invalid-character', { field: 'body.variables.a.b.1' }],
    ['a task actor', () => ['POST', `/api/tasks/${ids.taskId}/complete`, { actor: 'cán bộ\u0000' }], 400, 'request.invalid-character', { field: 'body.actor' }],
    ['a job variable', () => ['POST', `/api/jobs/${ids.jobId}/complete`, { variables: { n: '\u0000' } }], 400, 'request.invalid-character', { field: 'body.variables.n' }],
    ['a job failure message', () => ['POST', `/api/jobs/${ids.jobId}/fail`, { message: 'boom\u0000' }], 400, 'request.invalid-character', { field: 'body.message' }],
    ['a message name', () => ['POST', '/api/messages', { name: 'ketQua\u0000' }], 400, 'request.invalid-character', { field: 'body.name' }],
    ['a correlation key', () => ['POST', '/api/messages', { name: 'ketQua', correlationKey: 'H01\u0000' }], 400, 'request.invalid-character', { field: 'body.correlationKey' }],
    ['a query parameter', () => ['GET', '/api/tasks?candidateGroup=M%E1%BB%99t%00c%E1%BB%ADa'], 400, 'request.invalid-character', { field: 'query.candidateGroup' }],
    ['a path parameter', () => ['PUT', '/api/calendars/S%E1%BB%9F%00', { officeHours: [{ start: '08:00', end: '17:00' }], workingWeekdays: [1, 2, 3, 4, 5] }], 400, 'request.invalid', { field: 'params.agency' }],
    ['a lone high surrogate in a variable', () => ['POST', '/api/definitions/Process_limits/instances', { variables: { x: 'a\uD800b' } }], 400, 'request.invalid-character', { field: 'body.variables.x' }],
    ['a lone low surrogate in a message name', () => ['POST', '/api/messages', { name: '\uDC00' }], 400, 'request.invalid-character', { field: 'body.name' }],
    // UTF-8 on the wire cannot carry a lone surrogate, XML's character references can (and NUL too).
    ['a reference to NUL in deployed XML', () => ['POST', '/api/definitions', model('Process_limits', 'x&#0;'), 'application/xml'], 422, 'bpmn.invalid-character', { elementId: 'review' }],
    ['a reference to a lone surrogate in deployed XML', () => ['POST', '/api/definitions', model('Process_limits', 'x&#xD800;'), 'application/xml'], 422, 'bpmn.invalid-character', { elementId: 'review' }],
  ])('in %s', async (_name, request, status, code, where) => {
    await expectRefused(() => call(...request()), status, code, where);
  });

  it('keeps paired surrogates (an emoji) and Vietnamese text', async () => {
    const started = await call('POST', '/api/definitions/Process_limits/instances', { businessKey: 'HS-📄-Hồ sơ', variables: { note: 'Đã nhận 📄' } });
    expect(started.status).toBe(201);
    expect((await call('GET', `/api/instances/${started.body.id}`)).body).toMatchObject({ businessKey: 'HS-📄-Hồ sơ', variables: { note: 'Đã nhận 📄' } });
  });
});

describe('depth', () => {
  it('refuses JSON nested 5,000 deep before parsing it, on instance start and task completion', async () => {
    await expectRefused(() => call('POST', '/api/definitions/Process_limits/instances', deepVariables(5000)), 400, 'request.too-deep', { field: 'body' });
    await expectRefused(() => call('POST', `/api/tasks/${ids.taskId}/complete`, deepVariables(5000)), 400, 'request.too-deep', { field: 'body' });
  });

  it('accepts variables 32 levels deep and refuses 33, naming the path', async () => {
    expect((await call('POST', '/api/definitions/Process_limits/instances', deepVariables(32))).status).toBe(201);
    const refused = await expectRefused(() => call('POST', '/api/messages', `{"name":"m",${deepVariables(33).slice(1)}`), 400, 'request.invalid', {});
    expect(refused.body.errors[0].field).toBe(`body.variables.x${'.0'.repeat(32)}`);
  });

  it.each([
    ['deployment', (xml: string) => call('POST', '/api/definitions', xml, 'application/xml')],
    ['a model save', (xml: string) => call('POST', '/api/models', { name: 'Sâu', stage: 'to-be', xml })],
    ['analysis', (xml: string) => call('POST', '/api/analysis/procedure', { model: xml })],
  ])('refuses a BPMN with 3,000 nested sub-processes in %s, naming the element', async (_path, send) => {
    const refused = await expectRefused(() => send(nestedSubProcesses(3000)), 422, 'bpmn.too-deep', { field: 'xml' });
    // The first element past the limit is named: a start event or a sub-process of the nesting.
    expect(refused.body.errors[0].elementId).toMatch(/^s(ub)?\d+$/);
  });

  it('deploys a model with sub-processes ten deep', async () => {
    expect((await call('POST', '/api/definitions', nestedSubProcesses(10), 'application/xml')).status).toBe(201);
  });
});

describe('lengths', () => {
  it('refuses a 100,000-character process id without echoing it, and sends no Location header', async () => {
    const response = await fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: model('P'.repeat(100_000)) });
    expect(response.status).toBe(422);
    expect(response.headers.get('location')).toBeNull();
    const text = await response.text();
    expect(text.length).toBeLessThan(2000);
    expect(JSON.parse(text)).toMatchObject({ code: 'bpmn.too-long', errors: [{ elementId: expect.stringMatching(/^P{80}…$/) }] });
  });

  it('deploys a 200-character process id (a short Location) and refuses 201', async () => {
    const key = `Process_${'k'.repeat(192)}`;
    const response = await fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: model(key) });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/definitions/${key}/1`);
    expect((await call('POST', `/api/definitions/${key}/instances`, {})).status).toBe(201);
    await expectRefused(() => call('POST', '/api/definitions', model(`${key}x`), 'application/xml'), 422, 'bpmn.too-long', {});
  });

  it.each([
    ['a business key', '/api/definitions/Process_limits/instances', { businessKey: 'H'.repeat(201) }, 'body.businessKey'],
    ['a message name', '/api/messages', { name: 'm'.repeat(201) }, 'body.name'],
    ['a correlation key', '/api/messages', { name: 'm', correlationKey: 'k'.repeat(501) }, 'body.correlationKey'],
    ['a variable name', '/api/definitions/Process_limits/instances', { variables: { ['v'.repeat(201)]: 1 } }, `body.variables.${'v'.repeat(201)}`],
  ])('refuses %s over its limit', async (_name, path, body, field) => {
    await expectRefused(() => call('POST', path, body), 400, 'request.invalid', { field });
  });
});

describe('sizes', () => {
  it('answers a 25 MB task completion with 413 and leaves the task open', async () => {
    await expectRefused(() => call('POST', `/api/tasks/${ids.taskId}/complete`, { variables: { blob: 'x'.repeat(25 * 1024 * 1024) } }), 413, 'request.too-large', { field: 'body' });
    const open = (await call('GET', '/api/tasks')).body.items.map((task: { id: string }) => task.id);
    expect(open).toContain(ids.taskId);
  });

  // Over the variables limit, under the body limit: the same 413 on every path that takes variables.
  const overLimit = { blob: 'x'.repeat(MAX_VARIABLES_BYTES) };
  it.each([
    ['instance start', () => `/api/definitions/Process_limits/instances`, {}],
    ['task completion', () => `/api/tasks/${ids.taskId}/complete`, {}],
    ['job completion', () => `/api/jobs/${ids.jobId}/complete`, {}],
    ['a message', () => '/api/messages', { name: 'ketQua' }],
  ])('refuses more than 100 kB of variables on %s', async (_path, path, rest) => {
    expect(JSON.stringify({ variables: overLimit }).length).toBeLessThan(MAX_JSON_REQUEST_BYTES);
    await expectRefused(() => call('POST', path(), { ...rest, variables: overLimit }), 413, 'request.too-large', { field: 'body.variables' });
  });

  it('accepts 90 kB of variables at start', async () => {
    expect((await call('POST', '/api/definitions/Process_limits/instances', { variables: { blob: 'x'.repeat(90 * 1024) } })).status).toBe(201);
  });
});

describe('Content-Encoding', () => {
  const post = (path: string, headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>) => async () => {
    const response = await fixture.api.fetch(path, { method: 'POST', headers, body });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
  };

  it('refuses an unknown encoding with 415, on JSON and on XML', async () => {
    await expectRefused(post('/api/messages', { 'Content-Type': 'application/json', 'Content-Encoding': 'x-garbage' }, '{"name":"m"}'), 415, 'request.unsupported-encoding', { field: 'headers.content-encoding' });
    await expectRefused(post('/api/definitions', { 'Content-Type': 'application/xml', 'Content-Encoding': 'compress' }, model('Process_other')), 415, 'request.unsupported-encoding', { field: 'headers.content-encoding' });
  });

  it('refuses a gzip body that is not gzip with 400', async () => {
    await expectRefused(post('/api/definitions/Process_limits/instances', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, '{"variables":{}}'), 400, 'request.unreadable', { field: 'body' });
  });

  it('reads a real gzip body, with the same limits after inflating it', async () => {
    const started = await post('/api/definitions/Process_limits/instances', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, new Uint8Array(gzipSync('{"businessKey":"HS-gzip"}')))();
    expect(started.status).toBe(201);
    // A gzip bomb: 25 MB of variables in about 25 kB on the wire.
    await expectRefused(post(`/api/tasks/${ids.taskId}/complete`, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, new Uint8Array(gzipSync(JSON.stringify({ variables: { x: 'x'.repeat(25 * 1024 * 1024) } })))), 413, 'request.too-large', { field: 'body' });
  });
});
