import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchKey as nameKey } from '../../engine/text/search-key.ts';
import { projectRoot } from '../../server/paths.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { callAs, createPerson, sessionOf } from '../support/identities.ts';

const fixture = useApiOverTestDatabase();
const call = (method: string, url: string, body?: unknown) => callApi(fixture.api, method, url, body);

const toBe = await readFile(path.join(projectRoot, 'processes/dang-ky-khai-sinh/to-be.bpmn'), 'utf8');
const asIs = await readFile(path.join(projectRoot, 'processes/dang-ky-khai-sinh/as-is.bpmn'), 'utf8');
// Version 2 names a step differently; version 3 no longer has the approver sign (the approval is not
// marked). Removing result.sign itself is refused by the result-signed rule (engine/rules), whatever is confirmed.
const renamedStep = toBe.replace('name="Gán mã kết quả, lưu bản điện tử vào kho dữ liệu"', 'name="Gán mã kết quả và lưu bản điện tử"');
const unsigned = renamedStep.replace('qt:dossierStep="approval" ', '');

/** Everything a refused write must leave as it was. */
async function storedRows() {
  const { db } = fixture.database;
  return {
    models: await db('procedure_models').select().orderBy('id'),
    versions: await db('procedure_model_versions').select('model_id', 'version').orderBy(['model_id', 'version']),
    deployments: await db('model_deployments').select().orderBy('id'),
    definitions: await db('process_definitions').select('id').orderBy('id'),
  };
}

describe('models as staff manage them', () => {
  let birth: string;
  let birthAsIs: string;

  it('refuses a second model of a stage with the same name, naming the first, diacritics and case aside', async () => {
    const created = await call('POST', '/api/models', { name: 'Đăng ký khai sinh', stage: 'to-be', xml: toBe, author: 'Hoa' });
    expect(created.status).toBe(201);
    birth = created.body.id as string;
    expect(created.body.projectId).toBe(birth);
    const before = await storedRows();
    for (const name of ['Đăng ký khai sinh', ' ĐĂNG KÝ  KHAI SINH', 'Dang ky khai sinh']) {
      const again = await call('POST', '/api/models', { name, stage: 'to-be', xml: toBe });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'model.name-taken', errors: [{ field: 'body.name', message: `taken by model ${birth}` }] });
      expect(again.body.messages.vi).toContain('“Đăng ký khai sinh” (phiên bản 1)');
      expect(again.body.messages.en).toContain('already a to-be model named “Đăng ký khai sinh”');
    }
    expect(await storedRows()).toEqual(before);
  });

  it('keeps the as-is model of the procedure in the same project, one model a stage', async () => {
    const created = await call('POST', '/api/models', { name: 'Đăng ký khai sinh', stage: 'as-is', xml: asIs, projectOf: birth });
    expect(created.status).toBe(201);
    birthAsIs = created.body.id as string;
    expect(created.body.projectId).toBe(birth);
    const second = await call('POST', '/api/models', { name: 'Khai sinh cũ', stage: 'as-is', xml: asIs, projectOf: birth });
    expect(second).toMatchObject({ status: 409, body: { code: 'model.project-stage-taken', errors: [{ field: 'body.projectOf' }] } });
    const project = await call('GET', `/api/models?projectId=${birth}`);
    expect(project.body.items.map((model: { stage: string }) => model.stage).sort()).toEqual(['as-is', 'to-be']);
  });

  it('finds models by name without diacritics, page by page', async () => {
    for (const name of ['Đăng ký kết hôn', 'Cấp phiếu lý lịch tư pháp', 'Đăng ký thường trú']) expect((await call('POST', '/api/models', { name, stage: 'as-is', xml: asIs })).status).toBe(201);
    expect(nameKey('  Đăng KÝ   Khai sinh ')).toBe('dang ky khai sinh');
    const first = await call('GET', '/api/models?search=dang%20ky&limit=2');
    expect(first.body.total).toBe(4);
    expect(first.body.items).toHaveLength(2);
    const second = await call('GET', `/api/models?search=dang%20ky&limit=2&cursor=${first.body.next as string}`);
    const names = [...first.body.items, ...second.body.items].map((model: { name: string }) => model.name);
    expect(names.sort()).toEqual(['Đăng ký khai sinh', 'Đăng ký khai sinh', 'Đăng ký kết hôn', 'Đăng ký thường trú']);
    expect((await call('GET', `/api/models?search=${encodeURIComponent('LÝ LỊCH')}`)).body.items.map((model: { name: string }) => model.name)).toEqual(['Cấp phiếu lý lịch tư pháp']);
  });

  it('renames, refusing a name taken', async () => {
    const renamed = await call('PATCH', `/api/models/${birthAsIs}`, { name: 'Đăng ký khai sinh (hiện trạng)' });
    expect(renamed).toMatchObject({ status: 200, body: { id: birthAsIs, name: 'Đăng ký khai sinh (hiện trạng)' } });
    const taken = await call('PATCH', `/api/models/${birthAsIs}`, { name: 'dang ky ket hon' });
    expect(taken).toMatchObject({ status: 409, body: { code: 'model.name-taken' } });
    expect(taken.body.messages.vi).toContain('“Đăng ký kết hôn”');
  });

  it('moves a model to the bin and back: out of the list and the name check meanwhile', async () => {
    const [marriage] = (await call('GET', '/api/models?search=ket%20hon')).body.items as Array<{ id: string }>;
    const binned = await call('DELETE', `/api/models/${marriage!.id}`);
    expect(binned.status).toBe(200);
    expect(binned.body.deletedAt).not.toBeNull();
    expect((await call('GET', '/api/models?search=ket%20hon')).body.items).toEqual([]);
    expect((await call('GET', '/api/models?bin=true')).body.items.map((model: { id: string }) => model.id)).toEqual([marriage!.id]);
    const row = await fixture.database.db('procedure_models').where({ id: marriage!.id }).first();
    expect(row.deleted_by).toMatch(/^token:test-admin-/);
    // In the bin, it is not saved onto.
    expect((await call('POST', `/api/models/${marriage!.id}/versions`, { xml: asIs })).body.code).toBe('model.in-bin');
    // Its name is free meanwhile; taken, the model cannot come back under it.
    const other = await call('POST', '/api/models', { name: 'Đăng ký kết hôn', stage: 'as-is', xml: asIs });
    expect(other.status).toBe(201);
    expect((await call('POST', `/api/models/${marriage!.id}/restore`)).body.code).toBe('model.name-taken');
    await call('DELETE', `/api/models/${other.body.id as string}`);
    const restored = await call('POST', `/api/models/${marriage!.id}/restore`);
    expect(restored).toMatchObject({ status: 200, body: { id: marriage!.id, deletedAt: null } });
  });

  it('duplicates the latest version, into the procedure when of its missing stage', async () => {
    const [registration] = (await call('GET', '/api/models?search=thuong%20tru')).body.items as Array<{ id: string }>;
    const copy = await call('POST', `/api/models/${registration!.id}/duplicates`, { name: 'Đăng ký thường trú', stage: 'to-be', author: 'Hoa' });
    expect(copy).toMatchObject({ status: 201, body: { version: 1, projectId: registration!.id } });
    const copied = await call('GET', `/api/models/${copy.body.id as string}`);
    expect(copied.body).toMatchObject({ name: 'Đăng ký thường trú', stage: 'to-be', xml: asIs, author: 'Hoa' });
    expect(copied.body.comment).toContain('Nhân bản từ “Đăng ký thường trú” phiên bản 1');
    const same = await call('POST', `/api/models/${registration!.id}/duplicates`, { name: 'Đăng ký thường trú' });
    expect(same).toMatchObject({ status: 409, body: { code: 'model.name-taken' } });
    const other = await call('POST', `/api/models/${registration!.id}/duplicates`, { name: 'Đăng ký thường trú (bản 2)' });
    expect(other.status).toBe(201);
    expect(other.body.projectId).toBe(other.body.id);
  });
});

describe('deployments of saved versions, and rollback', () => {
  let model: string;
  let first: string;

  beforeAll(async () => {
    model = (await call('POST', '/api/models', { name: 'Khai sinh trực tuyến', stage: 'to-be', xml: toBe })).body.id as string;
    expect((await call('POST', `/api/models/${model}/versions`, { xml: renamedStep, baseVersion: 1 })).status).toBe(201);
    expect((await call('POST', `/api/models/${model}/versions`, { xml: unsigned, baseVersion: 2 })).status).toBe(201);
  });

  it('deploys version 1 and records who and when', async () => {
    const deployed = await call('POST', `/api/models/${model}/deployments`, { version: 1 });
    expect(deployed.status).toBe(201);
    expect(deployed.body).toMatchObject({ modelId: model, modelVersion: 1, definitionVersion: 1, restores: null, removedSigningSteps: [], created: true });
    expect(deployed.body.deployedBy).toMatch(/^token:test-admin-/);
    first = deployed.body.id as string;
    const definition = await fixture.database.db('process_definitions').where({ key: deployed.body.definitionKey, version: 1 }).first();
    expect(definition.xml).toBe(toBe);
  });

  it('deploys version 2, then refuses version 3 that drops the signing step until confirmed', async () => {
    expect((await call('POST', `/api/models/${model}/deployments`, { version: 2 })).body).toMatchObject({ modelVersion: 2, definitionVersion: 2 });
    const before = await storedRows();
    const refused = await call('POST', `/api/models/${model}/deployments`, { version: 3 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'deployment.signing-step-removed', errors: [{ field: 'body.confirmRemovedSigning', elementId: 'Task_phe_duyet' }] });
    expect(refused.body.messages.vi).toContain('“Phê duyệt, ký số Giấy khai sinh”');
    expect(await storedRows()).toEqual(before);
  });

  it('rolls back to version 1: a new deployment naming the one it restores', async () => {
    const rollback = await call('POST', `/api/models/${model}/deployments/${first}/rollback`, {});
    expect(rollback.status).toBe(201);
    expect(rollback.body).toMatchObject({ modelVersion: 1, definitionVersion: 3, restores: { id: first, modelVersion: 1 }, created: true });
    const definition = await fixture.database.db('process_definitions').where({ key: rollback.body.definitionKey, version: 3 }).first();
    expect(definition.xml).toBe(toBe);
  });

  it('lists the deployments newest first, page by page', async () => {
    const page = await call('GET', `/api/models/${model}/deployments?limit=2`);
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((item: { modelVersion: number }) => item.modelVersion)).toEqual([1, 2]);
    expect(page.body.items[0].restores).toEqual({ id: first, modelVersion: 1 });
    const rest = await call('GET', `/api/models/${model}/deployments?limit=2&cursor=${page.body.next as string}`);
    expect(rest.body).toMatchObject({ items: [{ id: first, modelVersion: 1, restores: null }], next: null });
  });

  describe('refuses bad input with problem+json and stores nothing', () => {
    const cases: Array<[string, () => [string, string, unknown], number, string, string | undefined]> = [
      ['a version that is not saved', () => ['POST', `/api/models/${model}/deployments`, { version: 9 }], 404, 'model.not-found', undefined],
      ['a version that is not a number', () => ['POST', `/api/models/${model}/deployments`, { version: 'mới nhất' }], 400, 'request.invalid', 'body.version'],
      ['no version', () => ['POST', `/api/models/${model}/deployments`, {}], 400, 'request.invalid', 'body.version'],
      ['a confirmation that is not true or false', () => ['POST', `/api/models/${model}/deployments`, { version: 3, confirmRemovedSigning: 'yes' }], 400, 'request.invalid', 'body.confirmRemovedSigning'],
      ['a rollback to another model’s deployment', () => ['POST', `/api/models/${model}/deployments/00000000-0000-4000-8000-000000000000/rollback`, {}], 404, 'deployment.not-found', undefined],
      ['a rollback to a deployment id that is not a UUID', () => ['POST', `/api/models/${model}/deployments/abc/rollback`, {}], 400, 'request.invalid', 'params.deploymentId'],
      ['a deployment of an unknown model', () => ['POST', '/api/models/00000000-0000-4000-8000-000000000000/deployments', { version: 1 }], 404, 'model.not-found', undefined],
      ['an empty name', () => ['PATCH', `/api/models/${model}`, { name: '  ' }], 400, 'request.invalid', 'body.name'],
      ['a rename of an unknown model', () => ['PATCH', '/api/models/00000000-0000-4000-8000-000000000000', { name: 'x' }], 404, 'model.not-found', undefined],
      ['a duplicate of an unknown stage', () => ['POST', `/api/models/${model}/duplicates`, { name: 'Bản sao', stage: 'draft' }], 400, 'request.invalid', 'body.stage'],
      ['a duplicate without a name', () => ['POST', `/api/models/${model}/duplicates`, {}], 400, 'request.invalid', 'body.name'],
      ['a project that is not a model id', () => ['POST', '/api/models', { name: 'Mới', stage: 'to-be', xml: toBe, projectOf: 'khai-sinh' }], 400, 'request.invalid', 'body.projectOf'],
      ['a bin flag that is not true or false', () => ['GET', '/api/models?bin=yes', undefined], 400, 'request.invalid', 'query.bin'],
      ['a restore of an unknown model', () => ['POST', '/api/models/00000000-0000-4000-8000-000000000000/restore', undefined], 404, 'model.not-found', undefined],
    ];
    it.each(cases)('%s', async (_name, request, status, code, field) => {
      const before = await storedRows();
      const [method, url, body] = request();
      const response = await call(method, url, body);
      expect(response.status).toBe(status);
      expect(response.type).toContain('application/problem+json');
      expect(response.body.code).toBe(code);
      expect(response.body.messages.vi).not.toBe(response.body.messages.en);
      if (field) expect(response.body.errors).toContainEqual(expect.objectContaining({ field }));
      expect(await storedRows()).toEqual(before);
    });
  });

  it('deploys version 3 once the removal is confirmed, recording the step removed', async () => {
    const deployed = await call('POST', `/api/models/${model}/deployments`, { version: 3, confirmRemovedSigning: true });
    expect(deployed.status).toBe(201);
    // Compared with the version running, the rollback's version 1.
    expect(deployed.body.removedSigningSteps).toEqual([{ id: 'Task_phe_duyet', name: 'Phê duyệt, ký số Giấy khai sinh', type: 'bpmn:UserTask' }]);
    expect((await fixture.database.db('model_deployments').where({ id: deployed.body.id }).first()).removed_signing_steps).toEqual(deployed.body.removedSigningSteps);
  });
});

describe('who may manage and deploy models', () => {
  it('lets an analyst read the deployments but not rename, bin, duplicate, deploy or roll back', async () => {
    const { db } = fixture.database;
    const analyst = await sessionOf(db, await createPerson(db, 'analyst.models', ['analyst']));
    const citizen = await sessionOf(db, await createPerson(db, '001099000777', ['citizen']));
    const [model] = (await call('GET', '/api/models?search=khai%20sinh%20truc%20tuyen')).body.items as Array<{ id: string }>;
    const [deployment] = (await call('GET', `/api/models/${model!.id}/deployments`)).body.items as Array<{ id: string }>;
    const before = await storedRows();
    expect((await callAs(fixture.api, analyst, 'GET', `/api/models/${model!.id}/deployments`)).status).toBe(200);
    for (const [method, url, body] of [
      ['PATCH', `/api/models/${model!.id}`, { name: 'Đổi tên' }],
      ['DELETE', `/api/models/${model!.id}`, undefined],
      ['POST', `/api/models/${model!.id}/restore`, {}],
      ['POST', `/api/models/${model!.id}/duplicates`, { name: 'Bản sao' }],
      ['POST', `/api/models/${model!.id}/deployments`, { version: 1 }],
      ['POST', `/api/models/${model!.id}/deployments/${deployment!.id}/rollback`, {}],
    ] as const) {
      expect((await callAs(fixture.api, analyst, method, url, body)).status, `${method} ${url}`).toBe(403);
      expect((await callAs(fixture.api, citizen, method, url, body)).status, `${method} ${url}`).toBe(403);
      expect((await callAs(fixture.api, null, method, url, body)).status, `${method} ${url}`).toBe(401);
    }
    expect((await callAs(fixture.api, citizen, 'GET', `/api/models/${model!.id}/deployments`)).status).toBe(403);
    expect(await storedRows()).toEqual(before);
  });
});
