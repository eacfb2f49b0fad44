import { describe, expect, it } from 'vitest';
import { useApiOverTestDatabase } from '../support/api-server.ts';

const fixture = useApiOverTestDatabase();

async function get(path: string) {
  const response = await fixture.api.fetch(`${path}`);
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, body: type.includes('json') ? ((await response.json())) : await response.text() };
}

describe('the procedure catalogue over HTTP', () => {
  it('lists the procedures, each with its names, level and agencies', async () => {
    const { status, body } = await get('/api/catalogue');
    expect(status).toBe(200);
    expect(body.items.length).toBeGreaterThanOrEqual(4);
    const birth = body.items.find((entry: { id: string }) => entry.id === 'dang-ky-khai-sinh');
    expect(birth).toMatchObject({ procedureCode: '1.001193', level: 'commune', name: { vi: expect.stringContaining('khai sinh') } });
  });

  it('serves a procedure, its models, and the analysis of its restructuring', async () => {
    const procedure = await get('/api/catalogue/dang-ky-khai-sinh');
    expect(procedure.body.legalBasis.length).toBeGreaterThan(0);
    const model = await get('/api/catalogue/dang-ky-khai-sinh/to-be.bpmn');
    expect(model.type).toContain('application/xml');
    expect(model.body).toContain('urn:quytrinh:bpmn:1.0');
    const { status, body } = await get('/api/catalogue/dang-ky-khai-sinh/analysis');
    expect(status).toBe(200);
    expect(body.cost.savings.perYearVnd).toBeGreaterThan(0);
    expect(body.cost.asIs.perDossier.trips).toBeGreaterThan(body.cost.toBe.perDossier.trips);
    expect(['wholly-online', 'partially-online']).toContain(body.onlineService.level);
  });

  it('answers an unknown procedure with 404 and a malformed id or model with 400', async () => {
    const missing = await get('/api/catalogue/khong-co');
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('application/problem+json');
    expect((await get('/api/catalogue/Bad%20Id')).status).toBe(400);
    const model = await get('/api/catalogue/dang-ky-khai-sinh/draft.bpmn');
    expect(model.status).toBe(400);
    expect(model.body.errors[0].field).toBe('params.model');
  });
});
