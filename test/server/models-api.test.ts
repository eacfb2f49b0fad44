import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiOverTestDatabase } from '../support/api-server.ts';

const diagram = await readFile(new URL('../fixtures/receipt.bpmn', import.meta.url), 'utf8');
const revised = diagram.replace('Tiếp nhận, kiểm tra hồ sơ', 'Tiếp nhận hồ sơ trực tuyến');

const fixture = useApiOverTestDatabase();

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fixture.api.fetch(`${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, any> };
}

/** Everything stored, to prove a refused request changed nothing. */
async function storedRows() {
  return {
    models: await fixture.database.db('procedure_models').select().orderBy('id'),
    versions: await fixture.database.db('procedure_model_versions').select().orderBy(['model_id', 'version']),
  };
}

describe('procedure models API', () => {
  it('stores a model, appends versions and reads each back', async () => {
    const created = await send('POST', '/api/models', { name: 'Đăng ký khai sinh', stage: 'as-is', xml: diagram, author: 'cán bộ A' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, warnings: [] });
    const id = created.body.id as string;

    const second = await send('POST', `/api/models/${id}/versions`, { xml: revised, comment: 'bỏ bước giấy', baseVersion: 1 });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ id, version: 2 });

    const latest = await send('GET', `/api/models/${id}`);
    expect(latest.body).toMatchObject({ id, name: 'Đăng ký khai sinh', stage: 'as-is', latestVersion: 2, version: 2, xml: revised, comment: 'bỏ bước giấy' });
    const first = await send('GET', `/api/models/${id}/versions/1`);
    expect(first.body).toMatchObject({ version: 1, xml: diagram, author: 'cán bộ A' });
    const history = await send('GET', `/api/models/${id}/versions`);
    expect((history.body as unknown as { items: Array<{ version: number }> }).items.map((v) => v.version)).toEqual([2, 1]);
    const list = await send('GET', '/api/models');
    expect((list.body as unknown as { items: unknown[] }).items).toContainEqual(expect.objectContaining({ id, latestVersion: 2 }));
  });

  it('reports recoverable BPMN problems as warnings with the element id', async () => {
    const dangling = diagram.replace('targetRef="End_received"', 'targetRef="End_missing"');
    const created = await send('POST', '/api/models', { name: 'Có lỗi tham chiếu', stage: 'to-be', xml: dangling });
    expect(created.status).toBe(201);
    expect(created.body.warnings).toContainEqual({ elementId: 'Flow_2', message: 'unresolved reference <End_missing>' });
  });

  describe('refuses bad input with problem+json and stores nothing', () => {
    let id: string;
    beforeAll(async () => {
      id = (await send('POST', '/api/models', { name: 'Mẫu', stage: 'to-be', xml: diagram })).body.id as string;
    });

    const cases: Array<[string, () => [string, string, unknown], number, string, Array<Record<string, string>>]> = [
      ['a missing name and an unknown stage', () => ['POST', '/api/models', { stage: 'draft', xml: diagram }], 400, 'request.invalid', [{ field: 'body.name' }, { field: 'body.stage' }]],
      ['XML that is not BPMN', () => ['POST', '/api/models', { name: 'x', stage: 'to-be', xml: '<html><body/></html>' }], 422, 'bpmn.unreadable', [{ field: 'xml' }]],
      ['text that is not XML', () => ['POST', '/api/models', { name: 'x', stage: 'to-be', xml: 'hồ sơ' }], 422, 'bpmn.unreadable', [{ field: 'xml' }]],
      ['a body that is not JSON', () => ['POST', '/api/models', '{"name": '], 400, 'request.malformed-json', [{ field: 'body' }]],
      ['a new version that is not BPMN', () => ['POST', `/api/models/${id}/versions`, { xml: '<a/>' }], 422, 'bpmn.unreadable', [{ field: 'xml' }]],
      ['a new version over a stale base', () => ['POST', `/api/models/${id}/versions`, { xml: revised, baseVersion: 7 }], 409, 'model.version-conflict', [{ field: 'body.baseVersion' }]],
      ['a new version without XML', () => ['POST', `/api/models/${id}/versions`, { comment: 'x' }], 400, 'request.invalid', [{ field: 'body.xml' }]],
      ['a version of an unknown model', () => ['POST', '/api/models/00000000-0000-4000-8000-000000000000/versions', { xml: diagram }], 404, 'model.not-found', []],
      ['a comment longer than 2000 characters', () => ['POST', `/api/models/${id}/versions`, { xml: revised, comment: 'x'.repeat(2001), baseVersion: 1 }], 400, 'request.invalid', [{ field: 'body.comment' }]],
      ['an author that is not text', () => ['POST', '/api/models', { name: 'x', stage: 'to-be', xml: diagram, author: 42 }], 400, 'request.invalid', [{ field: 'body.author' }]],
      ['version 0 of a model', () => ['GET', `/api/models/${id}/versions/0`, undefined], 400, 'request.invalid', [{ field: 'params.version' }]],
      ['a model id that is not a UUID', () => ['POST', '/api/models/abc/versions', { xml: diagram }], 400, 'request.invalid', [{ field: 'params.id' }]],
    ];

    it.each(cases)('%s', async (_name, request, status, code, errors) => {
      const before = await storedRows();
      const [method, path, body] = request();
      const response = await send(method, path, body);
      expect(response.status).toBe(status);
      expect(response.type).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status, code, type: `urn:quytrinh:problem:${code}`, instance: path });
      expect(response.body.messages.vi).not.toBe(response.body.messages.en);
      for (const error of errors) expect(response.body.errors).toContainEqual(expect.objectContaining(error));
      expect(await storedRows()).toEqual(before);
    });
  });

  it('answers in Vietnamese by default and in English when asked', async () => {
    const vi = await send('GET', '/api/models/00000000-0000-4000-8000-000000000000');
    expect(vi.status).toBe(404);
    expect(vi.body.title).toBe('Không có mô hình 00000000-0000-4000-8000-000000000000');
    const en = await send('GET', '/api/models/00000000-0000-4000-8000-000000000000', undefined, { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect(en.body.title).toBe('No model 00000000-0000-4000-8000-000000000000');
  });

  it('answers an unknown API path with a 404 problem', async () => {
    const response = await send('GET', '/api/khong-co');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('route.not-found');
  });
});
