import { describe, expect, it } from 'vitest';
import { useApiOverTestDatabase } from '../support/api-server.ts';
import { smallRestructuring } from '../support/restructuring.ts';

const fixture = useApiOverTestDatabase();

const { asIs, toBe } = smallRestructuring();
const PROCEDURE = 'qt:hourlyIncomeVnd="25000" qt:subjectsPerYear="1000"';

async function post(path: string, body: unknown) {
  const response = await fixture.api.fetch(`${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, any> };
}

describe('POST /api/analysis/cost', () => {
  it('returns the figures before and after, the savings and what changed', async () => {
    const { status, body } = await post('/api/analysis/cost', { asIs, toBe });
    expect(status).toBe(200);
    expect(body.asIs.perDossier.totalVnd).toBe(160_000);
    expect(body.toBe.perDossier.totalVnd).toBe(25_000);
    expect(body.savings).toMatchObject({ perDossierVnd: 135_000, perYearVnd: 135_000_000, trips: 2, manualSteps: 0 });
    expect(body.savings.ratePercent).toBeCloseTo(84.375, 9);
    // Two steps done by people become one (issuing is automatic): a figure of its own, not aim (a), which counts
    // administrative procedures (none cut here); two trips none; one document each side, no manual step either side.
    expect(body.savings.peopleSteps).toBe(1);
    expect(body.aims.filter((aim: { met: boolean }) => aim.met).map((aim: { aim: string }) => aim.aim)).toEqual(['b']);
    expect(body.changes.map((change: { change: string; elementId: string }) => `${change.change} ${change.elementId}`)).toEqual(['changed submit', 'removed collect', 'added issue']);
  });

  it('names the missing field, and the model and element of an invalid attribute', async () => {
    const missing = await post('/api/analysis/cost', { asIs });
    expect(missing.status).toBe(400);
    expect(missing.type).toContain('application/problem+json');
    expect(missing.body.errors.map((error: { field: string }) => error.field)).toEqual(['body.toBe']);

    const invalid = await post('/api/analysis/cost', { asIs: asIs.replace('qt:trips="1" qt:channel', 'qt:trips="-1" qt:channel'), toBe: toBe.replace(PROCEDURE, 'qt:subjectsPerYear="1000"') });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((error: { field: string; elementId: string }) => `${error.field} ${error.elementId}`)).toEqual(['asIs submit', 'toBe Process_test']);
    expect(invalid.body.errors[1].messages.vi).toContain('Thu nhập bình quân (VNĐ/giờ)');
  });
});

describe('the other analyses', () => {
  it('classifies the to-be model by Circular 01 Art. 13', async () => {
    const { status, body } = await post('/api/analysis/classify', { model: toBe });
    expect(status).toBe(200);
    expect(body.level).toBe('wholly-online');
    expect((await post('/api/analysis/classify', { model: asIs })).body.level).toBe('not-online');
  });

  it('simulates dossiers reproducibly, and refuses a count it will not run', async () => {
    const first = await post('/api/analysis/simulate', { model: asIs, dossiers: 500, seed: 4 });
    expect(first.status).toBe(200);
    expect(first.body.totalVnd.mean).toBe(160_000);
    expect(first.body.leadTimeWorkingHours.mean).toBe(0);
    const refused = await post('/api/analysis/simulate', { model: asIs, dossiers: 0 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('body.dossiers');
  });

  it('lints a model in both languages, and refuses a body without one', async () => {
    const { status, body } = await post('/api/analysis/lint', { model: asIs });
    expect(status).toBe(200);
    expect(body).toContainEqual({ rule: 'quytrinh/task-in-lane', severity: 'error', elementId: 'Process_test', message: expect.objectContaining({ vi: expect.stringContaining('Điều 16.3.b') }) });
    const refused = await post('/api/analysis/lint', { model: '' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('body.model');
  });

  it('ranks the figures that move the savings, and gives one model its cost per element', async () => {
    const tornado = await post('/api/analysis/sensitivity', { asIs, toBe, limit: 3 });
    expect(tornado.status).toBe(200);
    expect(tornado.body.rows).toHaveLength(3);
    expect(tornado.body.rows[0].attribute).toBe('qt:subjectsPerYear');
    const one = await post('/api/analysis/procedure', { model: asIs });
    expect(one.body.elements.find((element: { elementId: string }) => element.elementId === 'submit').totalVnd).toBe(135_000);
    expect((await post('/api/analysis/procedure', { model: '<not-bpmn/>' })).status).toBe(422);
  });
});
