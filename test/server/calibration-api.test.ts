import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { analyseProcedureCost } from '../../engine/cost/procedure-cost.ts';
import { projectRoot } from '../../server/paths.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { birthHistories, skippedStep } from '../support/calibration-history.ts';
import { seedExecutedHistories } from '../support/calibration-seed.ts';
import { AGENCY_X, callAs, createPerson, sessionOf, tokenFor, type Credentials } from '../support/identities.ts';
import { runCli } from '../support/product-process.ts';

/**
 * Issue 14, calibration and conformance over the HTTP API and the CLI (docs/calibration.md): the
 * catalogue's birth registration deployed, a fixture history of four dossiers that followed it and
 * one whose verification was skipped and one an operator stopped, and the figures worked out by
 * hand in test/engine/calibration/calibration.test.ts.
 */
const fixture = useApiOverTestDatabase();
const KEY = 'Process_dang_ky_khai_sinh';
const toBeXml = await readFile(path.join(projectRoot, 'processes/dang-ky-khai-sinh/to-be.bpmn'), 'utf8');
const stopped = {
  instanceId: 'd6',
  dossierCode: 'UBND-260305-0002',
  steps: [
    ...birthHistories[0]!.steps.slice(0, 3).map((step) => ({ ...step, at: new Date('2026-03-05T08:30:00+07:00') })),
    { at: new Date('2026-03-05T15:00:00+07:00'), eventType: 'terminate', elementId: null, actor: 'account:van-hanh', activeAfter: [] },
  ],
};

let analyst: Credentials;
let instanceIds: Map<string, string>;
const counts = async () => ({
  calibrations: Number((await fixture.database.db('model_calibrations').count<Array<{ count: string }>>({ count: '*' }))[0]!.count),
  models: Number((await fixture.database.db('procedure_models').count<Array<{ count: string }>>({ count: '*' }))[0]!.count),
});

beforeAll(async () => {
  const deployed = await callApi(fixture.api, 'POST', '/api/definitions', toBeXml, 'application/xml');
  expect(deployed.status).toBe(201);
  const definition = await fixture.database.db('process_definitions').where({ key: KEY }).first<{ id: string }>('id');
  instanceIds = await seedExecutedHistories(fixture.database.db, definition.id, [...birthHistories, skippedStep, stopped]);
  analyst = await sessionOf(fixture.database.db, await createPerson(fixture.database.db, 'phan-tich', ['analyst']));
  await seedDocumentsAndTrips();
});

/**
 * The dossiers' records of documents and trips (engine/calibration/burden.ts): two uploads each;
 * the second dossier's second replaced at amendment (3 supplied) and a third given from the e-data
 * store; the third dossier's paper digitized at the desk on two days (and once by its owner, no
 * trip). The dossier that left the model has ten uploads, which must not count.
 */
async function seedDocumentsAndTrips(): Promise<void> {
  const { db } = fixture.database;
  const dossier = (code: string) => db('dossiers as d').join('accounts as a', 'a.id', 'd.owner_account_id').where('d.code', code).first<{ id: string; username: string }>('d.id', 'a.username');
  const upload = (dossierId: string, name: string, extra: Record<string, unknown> = {}) => ({ dossier_id: dossierId, name, file_name: `${name}.pdf`, media_type: 'application/pdf', size: 4, sha256: '0'.repeat(64), content: Buffer.from('%PDF'), uploaded_by: 'account:cong-dan', ...extra });
  const digitized = (dossierId: string, createdBy: string, at: string) => ({ dossier_id: dossierId, component_name: 'Giấy chứng sinh', document_kind: 'original', status: 'confirmed', created_by: createdBy, copier_name: 'Cán bộ một cửa', created_at: at });
  const [first, second, third, fourth, left] = await Promise.all(['UBND-260302-0001', 'UBND-260302-0002', 'UBND-260303-0001', 'UBND-260306-0001', 'UBND-260305-0001'].map(dossier));
  for (const each of [first!, second!, third!, fourth!]) await db('dossier_components').insert([upload(each.id, 'to-khai'), upload(each.id, 'giay-chung-sinh')]);
  await db('dossier_components').insert(upload(second!.id, 'giay-chung-sinh', { superseded_at: new Date('2026-03-02T10:00:00+07:00') }));
  const [stored] = await db('digitizations').insert(digitized(first!.id, `account:${first!.username}`, '2026-03-02T09:00:00+07:00')).returning<Array<{ id: string }>>('id');
  await db('dossier_components').insert(upload(second!.id, 'cccd', { stored_from: stored!.id }));
  await db('digitizations').insert([
    digitized(third!.id, 'account:motcua', '2026-03-03T09:00:00+07:00'),
    digitized(third!.id, 'account:motcua', '2026-03-03T16:00:00+07:00'),
    digitized(third!.id, 'account:motcua', '2026-03-04T09:00:00+07:00'),
    digitized(third!.id, `account:${third!.username}`, '2026-03-05T09:00:00+07:00'),
  ]);
  await db('dossier_components').insert(Array.from({ length: 10 }, (_, index) => upload(left!.id, `phu-luc-${index}`)));
}

describe('calibrating the birth registration from its history', () => {
  let calibrationId: string;
  let modelId: string;

  it('measures the figures, stores the calibrated copy as a new to-be model and lists the dossiers that left the model', async () => {
    const { status, body } = await callAs(fixture.api, analyst, 'POST', `/api/procedures/${KEY}/calibrate`, { from: '2026-03-01', to: '2026-03-31' });
    expect(status, JSON.stringify(body)).toBe(201);
    calibrationId = body.id;
    modelId = body.model.id;
    expect(body).toMatchObject({ procedure: { key: KEY, version: 1 }, period: { from: '2026-03-01', to: '2026-03-31' }, dossiers: 4, excluded: 2, model: { version: 1 } });
    const step = (id: string) => body.steps.find((each: { elementId: string }) => each.elementId === id);
    expect(step('Task_tiep_nhan')).toMatchObject({ sampleSize: 5, meanElapsedHours: 1.3, modelDurationHours: 1, modelOfficialHours: 0.2 });
    expect(step('Task_tiep_nhan').meanWorkingHours).toBeCloseTo(1.2, 10);
    expect(step('Task_xac_minh').meanWaitingHours).toBeCloseTo(0.25, 10);
    const hopLe = body.branches.find((branch: { gatewayId: string }) => branch.gatewayId === 'Gateway_hop_le');
    expect(hopLe.flows.map((flow: { probability: number; modelProbability: number }) => [flow.probability, flow.modelProbability])).toEqual([[0.2, 0.1], [0.8, 0.9]]);
    expect(body.loops).toEqual([expect.objectContaining({ flowId: 'Flow_Gateway_hop_le_Task_huong_dan', rate: 0.2, decisions: 5, dossiers: 1 })]);

    // The copy is a saved to-be model, marked with its period and sample sizes, that the cost model reads.
    const saved = await callAs(fixture.api, analyst, 'GET', `/api/models/${modelId}`);
    expect(saved.body).toMatchObject({ stage: 'to-be', latestVersion: 1 });
    const versions = await callAs(fixture.api, analyst, 'GET', `/api/models/${modelId}/versions`);
    expect(versions.body.items[0].comment).toContain('4 hồ sơ từ 2026-03-01 đến 2026-03-31');
    const xml = saved.body.xml as string;
    expect(xml).toContain('qt:calibratedDossiers="4"');
    expect(xml).toMatch(/id="Flow_Gateway_hop_le_Task_huong_dan"[^>]*qt:probability="0.2"/);
    const predicted = analyseProcedureCost(await readProcess(toBeXml)).perDossier;
    const asExecuted = analyseProcedureCost(await readProcess(xml)).perDossier;
    expect(body.comparison.predicted).toMatchObject({ totalVnd: predicted.totalVnd, leadTimeWorkingHours: predicted.leadTimeWorkingHours });
    expect(body.comparison.asExecuted).toMatchObject({ totalVnd: asExecuted.totalVnd, leadTimeWorkingHours: asExecuted.leadTimeWorkingHours });
    // A quarter refused against the 2 % modelled: fewer results posted (25.000 đ each), a cheaper dossier on average.
    expect(asExecuted.totalVnd).toBeLessThan(predicted.totalVnd);
    // Documents and trips from the four conforming dossiers' records, beside the model's: 9 uploads, 1 from the store, 2 desk days.
    expect(body.burden).toEqual({
      sampleSize: 4,
      documents: { model: Math.round(predicted.documents * 100) / 100, measured: 2.25 },
      reusedDocuments: 0.25,
      trips: { model: Math.round(predicted.trips * 100) / 100, measured: 0.5 },
    });
  });

  it('lists the non-conforming dossiers a page at a time', async () => {
    const first = await callAs(fixture.api, analyst, 'GET', `/api/calibrations/${calibrationId}/nonconforming?limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(2);
    expect(first.body.items).toEqual([
      { instanceId: instanceIds.get('d5'), dossierCode: 'UBND-260305-0001', deviations: [expect.objectContaining({ kind: 'unreachable-step', elementId: 'Task_phe_duyet', fromElementId: 'Task_tiep_nhan' })] },
    ]);
    const second = await callAs(fixture.api, analyst, 'GET', `/api/calibrations/${calibrationId}/nonconforming?limit=1&cursor=${first.body.next}`);
    expect(second.body.items).toEqual([{ instanceId: instanceIds.get('d6'), dossierCode: 'UBND-260305-0002', deviations: [expect.objectContaining({ kind: 'stopped', actor: 'account:van-hanh' })] }]);
    expect(second.body.next).toBeNull();
  });

  it('measures only the days asked, and adds to a saved model as its next version', async () => {
    // From 6 March: only d3, filed on Friday 6 March (d5 and d6 started on the 5th).
    const { status, body } = await callAs(fixture.api, analyst, 'POST', `/api/procedures/${KEY}/calibrate`, { from: '2026-03-06', modelId });
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ dossiers: 1, excluded: 0, period: { from: '2026-03-06', to: '2026-03-06' }, model: { id: modelId, version: 2 } });
    expect(body.steps.find((step: { elementId: string }) => step.elementId === 'Task_tiep_nhan')).toMatchObject({ sampleSize: 1, meanElapsedHours: 2 });
  });

  it('answers the CLI the same figures', async () => {
    const result = await runCli(['calibrate', KEY, '--from', '2026-03-01', '--to', '2026-03-31', '--json'], { DATABASE_URL: fixture.database.url, LOG_LEVEL: 'silent' });
    expect(result.code, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout);
    // March calibrated again: the next version of March's calibrated model (the API made versions 1 and 2), not a second model of that name.
    expect(outcome).toMatchObject({ dossiers: 4, excluded: 2, model: { version: 3 } });
    expect(outcome.branches.find((branch: { gatewayId: string }) => branch.gatewayId === 'Gateway_qua_han').flows.map((flow: { probability: number }) => flow.probability)).toEqual([0.25, 0.75]);
    const text = await runCli(['calibrate', KEY, '--from', '2026-03-03', '--to', '2026-03-04'], { DATABASE_URL: fixture.database.url, LOG_LEVEL: 'silent' });
    expect(text.code, text.stderr).toBe(0);
    // d2 alone: received twice, an hour each, no wait.
    expect(text.stdout).toContain('Tiếp nhận, kiểm tra hồ sơ điện tử: 1, 0, 1, n = 2');
    const refused = await runCli(['calibrate', KEY, '--from', '03/2026'], { DATABASE_URL: fixture.database.url, LOG_LEVEL: 'silent' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--from');
  });
});

describe('refusals', () => {
  it.each([
    [{ from: '2026-13-01' }, 'body.from'],
    [{ from: '2026-03-10', to: '2026-03-01' }, 'body.to'],
    [{ version: 0 }, 'body.version'],
    [{ modelId: 'not-a-uuid' }, 'body.modelId'],
    [{ period: 'march' }, 'body'],
  ])('refuses %j with 400 naming %s, storing nothing', async (input, field) => {
    const before = await counts();
    const { status, type, body } = await callAs(fixture.api, analyst, 'POST', `/api/procedures/${KEY}/calibrate`, input);
    expect(status).toBe(400);
    expect(type).toContain('application/problem+json');
    expect(body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(body.messages.vi).toBeTruthy();
    expect(await counts()).toEqual(before);
  });

  it('answers 422 for a period without ended dossiers and 404 for an unknown procedure, model or calibration, storing nothing', async () => {
    const before = await counts();
    const empty = await callAs(fixture.api, analyst, 'POST', `/api/procedures/${KEY}/calibrate`, { from: '2025-01-01', to: '2025-12-31' });
    expect([empty.status, empty.body.code, empty.body.errors[0].field]).toEqual([422, 'calibration.no-history', 'body.from']);
    expect((await callAs(fixture.api, analyst, 'POST', '/api/procedures/Process_khong_co/calibrate', {})).status).toBe(404);
    expect((await callAs(fixture.api, analyst, 'POST', `/api/procedures/${KEY}/calibrate`, { version: 9 })).status).toBe(404);
    expect((await callAs(fixture.api, analyst, 'POST', `/api/procedures/${KEY}/calibrate`, { modelId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await callAs(fixture.api, analyst, 'GET', '/api/calibrations/00000000-0000-4000-8000-000000000000/nonconforming')).status).toBe(404);
    expect((await callAs(fixture.api, analyst, 'GET', '/api/calibrations/x/nonconforming')).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('lets only procedure-control staff, analysts and administrators calibrate or read conformance', async () => {
    const db = fixture.database.db;
    const callers: Array<[string, Credentials, number]> = [
      ['anonymous', null, 401],
      ['citizen', await tokenFor(db, 'citizen'), 403],
      ['official', await tokenFor(db, 'official', { agency: AGENCY_X.code }), 403],
      ['worker', await tokenFor(db, 'worker'), 403],
    ];
    const before = await counts();
    for (const [who, credentials, expected] of callers) {
      expect([who, (await callAs(fixture.api, credentials, 'POST', `/api/procedures/${KEY}/calibrate`, {})).status]).toEqual([who, expected]);
      expect([who, (await callAs(fixture.api, credentials, 'GET', '/api/calibrations/00000000-0000-4000-8000-000000000000/nonconforming')).status]).toEqual([who, expected]);
    }
    expect(await counts()).toEqual(before);
    expect((await callAs(fixture.api, await tokenFor(db, 'staff'), 'POST', `/api/procedures/${KEY}/calibrate`, {})).status).toBe(201);
  });
});
