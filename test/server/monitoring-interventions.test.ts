import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { callAs, type Credentials } from '../support/identities.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * Issue 14's operator interventions over the HTTP API (docs/monitoring.md): moving a stuck token
 * of a real birth registration to another step, and migrating it to a newer version of its
 * process; who may, bad input changing nothing, the records kept (history, audit, dossier).
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

let staff: Credentials;
let admin: Credentials;
let leader: Credentials;
let analyst: Credentials;
let citizen: Credentials;
let real: { id: string; code: string; instanceId: string };

beforeAll(async () => {
  const db = fixture.database.db;
  await createDemoData(db, pino({ level: 'silent' }));
  [staff, admin, leader, analyst, citizen] = await Promise.all([signInDemo(fixture.api, 'kiemsoat'), signInDemo(fixture.api, 'quantri'), signInDemo(fixture.api, 'lanhdao.xa'), signInDemo(fixture.api, 'phantich'), signInDemo(fixture.api, '001099054321')]);
  real = await submitBirthDossier(fixture.api, citizen);
  // The engine's workers bring it to the receipt check.
  await vi.waitFor(async () => expect((await db('process_instances').where({ id: real.instanceId }).first<{ active_element_ids: string[] }>('active_element_ids')).active_element_ids).toEqual(['Task_tiep_nhan']), { timeout: 20_000, interval: 100 });
}, 120_000);

/** What a refused request must leave as it was: the instance, its tasks, jobs, incidents, history, dossier events, audit records of interventions. */
async function stored(instanceId: string) {
  const db = fixture.database.db;
  return {
    instance: await db('process_instances').where({ id: instanceId }).first('definition_id', 'status', 'snapshot', 'active_element_ids', 'revision'),
    tasks: await db('user_tasks').where({ instance_id: instanceId }).orderBy('id').select('element_id', 'status'),
    jobs: await db('service_jobs').where({ instance_id: instanceId }).orderBy('id').select('element_id', 'status'),
    incidents: await db('incidents').where({ instance_id: instanceId }).orderBy('id').select('id', 'resolved_at'),
    history: await db('instance_history').where({ instance_id: instanceId }).count<Array<{ count: string }>>('* as count'),
    events: await db('dossier_events').where({ dossier_id: real.id }).count<Array<{ count: string }>>('* as count'),
    audit: await db('audit_log').whereIn('action', ['instance.move', 'instance.migrate']).count<Array<{ count: string }>>('* as count'),
  };
}

const movePath = (id: string) => `/api/monitoring/instances/${id}/move`;
const migratePath = (id: string) => `/api/monitoring/instances/${id}/migrate`;
const REASON = 'Kết nối CSDL hộ tịch bị treo, cán bộ đã đối chiếu thủ công';

describe('who may move a token or migrate an instance (issue 14)', () => {
  it('refuses anonymous callers, citizens, analysts and agency leaders; an unknown instance is 404', async () => {
    const move = { from: 'Task_tiep_nhan', to: 'Task_xac_minh', reason: REASON };
    const migrate = { targetDefinitionId: randomUUID(), reason: REASON };
    const before = await stored(real.instanceId);
    for (const [path, body] of [[movePath(real.instanceId), move], [migratePath(real.instanceId), migrate]] as const) {
      expect((await callAs(fixture.api, null, 'POST', path, body)).status, path).toBe(401);
      for (const who of [citizen, analyst, leader]) expect((await callAs(fixture.api, who, 'POST', path, body)).status, path).toBe(403);
    }
    const unknown = await callAs(fixture.api, staff, 'POST', movePath(randomUUID()), move);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('instance.not-found');
    expect((await callAs(fixture.api, staff, 'POST', migratePath(randomUUID()), migrate)).status).toBe(404);
    expect(await stored(real.instanceId)).toEqual(before);
  });
});

describe('moving a stuck token (issue 14)', () => {
  it('answers each bad field with 400 naming it, each impossible move with 422 naming the elements, and changes nothing', async () => {
    const before = await stored(real.instanceId);
    const path = movePath(real.instanceId);
    const fields: Array<[Record<string, unknown>, string]> = [
      [{ to: 'Task_xac_minh', reason: REASON }, 'body.from'],
      [{ from: 'Task_tiep_nhan', to: 7, reason: REASON }, 'body.to'],
      [{ from: 'x'.repeat(300), to: 'Task_xac_minh', reason: REASON }, 'body.from'],
      [{ from: 'Task_tiep_nhan', to: 'Task_xac_minh' }, 'body.reason'],
      [{ from: 'Task_tiep_nhan', to: 'Task_xac_minh', reason: 'abc ' }, 'body.reason'],
    ];
    for (const [body, field] of fields) {
      const refused = await callAs(fixture.api, staff, 'POST', path, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors[0].field).toBe(field);
    }
    expect((await callAs(fixture.api, staff, 'POST', movePath('not-a-uuid'), { from: 'Task_tiep_nhan', to: 'Task_xac_minh', reason: REASON })).status).toBe(400);
    const impossible: Array<[Record<string, string>, string, string[]]> = [
      [{ from: 'Task_tiep_nhan', to: 'Gateway_hop_le' }, 'move.not-a-step', ['Gateway_hop_le']],
      [{ from: 'Task_tiep_nhan', to: 'End_tu_choi' }, 'move.not-a-step', ['End_tu_choi']],
      [{ from: 'Task_xac_minh', to: 'Task_phe_duyet' }, 'move.not-active', ['Task_xac_minh']],
      [{ from: 'Task_tiep_nhan', to: 'Task_khong_co' }, 'move.unknown-element', ['Task_khong_co']],
    ];
    for (const [move, code, elements] of impossible) {
      const refused = await callAs(fixture.api, staff, 'POST', path, { ...move, reason: REASON });
      expect(refused.status, JSON.stringify(move)).toBe(422);
      expect(refused.body.code).toBe(code);
      expect(refused.body.errors.map((error: { elementId: string }) => error.elementId)).toEqual(elements);
      expect(refused.body.messages.vi).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữđ]/);
    }
    // The English text on request.
    const english = await fetch(`${fixture.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en', cookie: (staff as { cookie: string }).cookie, 'x-csrf-token': (staff as { csrf: string }).csrf }, body: JSON.stringify({ from: 'Task_tiep_nhan', to: 'Gateway_hop_le', reason: REASON }) });
    expect(((await english.json()) as { messages: { en: string } }).messages.en).toContain('Gateway_hop_le');
    expect(await stored(real.instanceId)).toEqual(before);
  });

  it('moves the real dossier from the receipt check to verification: task closed and opened, incident resolved, recorded in the history, the audit trail and the dossier', async () => {
    const db = fixture.database.db;
    const [incident] = await db('incidents').insert({ instance_id: real.instanceId, element_id: 'Task_tiep_nhan', message: 'Treo khi tiếp nhận (thử nghiệm)' }).returning<Array<{ id: string }>>('id');
    const moved = await callAs(fixture.api, staff, 'POST', movePath(real.instanceId), { from: 'Task_tiep_nhan', to: 'Task_xac_minh', reason: `  ${REASON} ` });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ id: real.instanceId, activeElementIds: ['Task_xac_minh'] });
    expect(await db('process_instances').where({ id: real.instanceId }).first('status', 'active_element_ids')).toEqual({ status: 'active', active_element_ids: ['Task_xac_minh'] });
    expect(await db('user_tasks').where({ instance_id: real.instanceId }).whereIn('element_id', ['Task_tiep_nhan', 'Task_xac_minh']).orderBy('created_at').select('element_id', 'status')).toEqual([
      { element_id: 'Task_tiep_nhan', status: 'cancelled' },
      { element_id: 'Task_xac_minh', status: 'open' },
    ]);
    expect((await db('incidents').where({ id: incident!.id }).first<{ resolved_at: Date | null }>('resolved_at')).resolved_at).not.toBeNull();
    const step = await db('instance_history').where({ instance_id: real.instanceId, event_type: 'move' }).first();
    expect(step).toMatchObject({ element_id: 'Task_xac_minh', actor: 'account:kiemsoat', status_after: 'active', active_after: ['Task_xac_minh'] });
    const audit = await db('audit_log').where({ action: 'instance.move', target: real.instanceId }).select('actor', 'detail');
    expect(audit).toEqual([{ actor: 'account:kiemsoat', detail: { kind: 'move', reason: REASON, from: 'Task_tiep_nhan', to: 'Task_xac_minh' } }]);
    expect(await db('dossier_events').where({ dossier_id: real.id, kind: 'step-moved' }).first()).toMatchObject({ actor: 'account:kiemsoat', details: { reason: REASON, from: 'Task_tiep_nhan', to: 'Task_xac_minh' } });
    await expect.poll(async () => db('audit_log').where({ action: `POST /api/monitoring/instances/${real.instanceId}/move`, status: 200 }).pluck('actor'), { timeout: 5000 }).toEqual(['account:kiemsoat']);
    // Who, when, from, to and why, in the instance's history as the monitoring screen reads it.
    const history = await callAs(fixture.api, staff, 'GET', `/api/monitoring/instances/${real.instanceId}/history?limit=100`);
    const shown = history.body.items.find((item: { eventType: string }) => item.eventType === 'move');
    expect(shown).toMatchObject({ elementId: 'Task_xac_minh', actor: 'account:kiemsoat', intervention: { kind: 'move', reason: REASON, from: 'Task_tiep_nhan', to: 'Task_xac_minh' } });
    expect(Date.parse(shown.at)).not.toBeNaN();
    // The open task is the official's to complete as any other.
    expect((await callApi(fixture.api, 'GET', `/api/tasks?instanceId=${real.instanceId}`)).body.items.map((task: { elementId: string }) => task.elementId)).toEqual(['Task_xac_minh']);
  });

  it('lets an administrator restart the step the token stands at', async () => {
    const restarted = await callAs(fixture.api, admin, 'POST', movePath(real.instanceId), { from: 'Task_xac_minh', to: 'Task_xac_minh', reason: 'Mở lại bước xác minh' });
    expect(restarted.status).toBe(200);
    expect(await fixture.database.db('user_tasks').where({ instance_id: real.instanceId, element_id: 'Task_xac_minh' }).orderBy('created_at').pluck('status')).toEqual(['cancelled', 'open']);
  });
});

describe('migrating to a newer version (issue 14)', () => {
  let v2: string;
  let v3: string;
  let otherProcess: string;

  beforeAll(async () => {
    const db = fixture.database.db;
    const v1 = await db('process_definitions').where({ key: BIRTH_PROCEDURE }).orderBy('version', 'desc').first<{ id: string; xml: string; version: number }>('id', 'xml', 'version');
    // Version 2 renames a later step; version 3 gives the step the dossier stands at another id.
    const deploy = async (xml: string) => (await callApi(fixture.api, 'POST', '/api/definitions', xml, 'application/xml')).body as { id: string; version: number };
    v2 = (await deploy(v1.xml.replace('name="Phê duyệt, ký số Giấy khai sinh"', 'name="Phê duyệt và ký số Giấy khai sinh"'))).id;
    v3 = (await deploy(v1.xml.replaceAll('"Task_xac_minh"', '"Task_xac_minh_moi"'))).id;
    otherProcess = (await db('process_definitions').whereNot({ key: BIRTH_PROCEDURE }).first<{ id: string }>('id')).id;
    expect((await db('process_definitions').where({ id: v3 }).first<{ version: number }>('version')).version).toBe(v1.version + 2);
  });

  it('refuses bad input and versions with no proven mapping, naming the field or the elements, and changes nothing', async () => {
    const before = await stored(real.instanceId);
    const path = migratePath(real.instanceId);
    for (const [body, field] of [[{ reason: REASON }, 'body.targetDefinitionId'], [{ targetDefinitionId: 'v2', reason: REASON }, 'body.targetDefinitionId'], [{ targetDefinitionId: v2 }, 'body.reason'], [{ targetDefinitionId: v2, reason: 'ab' }, 'body.reason']] as const) {
      const refused = await callAs(fixture.api, staff, 'POST', path, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors[0].field).toBe(field);
    }
    for (const target of [randomUUID(), otherProcess, before.instance.definition_id as string]) {
      const refused = await callAs(fixture.api, staff, 'POST', path, { targetDefinitionId: target, reason: REASON });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'migration.bad-target', errors: [{ field: 'body.targetDefinitionId' }] });
    }
    const unmapped = await callAs(fixture.api, staff, 'POST', path, { targetDefinitionId: v3, reason: REASON });
    expect(unmapped.status).toBe(422);
    expect(unmapped.body.code).toBe('migration.no-counterpart');
    expect(unmapped.body.errors.map((error: { elementId: string }) => error.elementId)).toEqual(['Task_xac_minh']);
    expect(unmapped.body.messages.vi).toContain('Task_xac_minh');
    expect(await stored(real.instanceId)).toEqual(before);
  });

  it('migrates the dossier to the version where its step is unchanged, recorded, and it runs on the new version', async () => {
    const db = fixture.database.db;
    const before = await db('process_instances').where({ id: real.instanceId }).first<{ definition_id: string; revision: number }>('definition_id', 'revision');
    const migrated = await callAs(fixture.api, staff, 'POST', migratePath(real.instanceId), { targetDefinitionId: v2, reason: 'Áp dụng quy trình đã sửa tên bước phê duyệt' });
    expect(migrated.status).toBe(200);
    const after = await db('process_instances').where({ id: real.instanceId }).first<{ definition_id: string; revision: number; active_element_ids: string[] }>('definition_id', 'revision', 'active_element_ids');
    expect(after).toMatchObject({ definition_id: v2, revision: before.revision + 1, active_element_ids: ['Task_xac_minh'] });
    expect(migrated.body.version).toBe((await db('process_definitions').where({ id: v2 }).first<{ version: number }>('version')).version);
    const audit = await db('audit_log').where({ action: 'instance.migrate', target: real.instanceId }).first<{ detail: { from: { definitionId: string }; to: { definitionId: string }; reason: string } }>('detail');
    expect(audit.detail).toMatchObject({ from: { definitionId: before.definition_id }, to: { definitionId: v2 }, reason: 'Áp dụng quy trình đã sửa tên bước phê duyệt' });
    expect(await db('instance_history').where({ instance_id: real.instanceId, event_type: 'migrate' }).first()).toMatchObject({ actor: 'account:kiemsoat', active_after: ['Task_xac_minh'] });
    expect(await db('dossier_events').where({ dossier_id: real.id, kind: 'version-migrated' }).first()).toMatchObject({ actor: 'account:kiemsoat' });
    const view = await callAs(fixture.api, staff, 'GET', `/api/monitoring/instances/${real.instanceId}`);
    expect(view.body.procedure.version).toBe(migrated.body.version);
    // The next step runs on version 2: the approval task opens with its new name.
    const [task] = (await callApi(fixture.api, 'GET', `/api/tasks?instanceId=${real.instanceId}`)).body.items as Array<{ id: string }>;
    const done = await callApi(fixture.api, 'POST', `/api/tasks/${task!.id}/complete`, { variables: { duDieuKien: true, soDinhDanhCaNhan: '001226012345' } });
    expect(done.status).toBe(200);
    await expect.poll(async () => db('user_tasks').where({ instance_id: real.instanceId, status: 'open' }).pluck('name'), { timeout: 10_000 }).toEqual(['Phê duyệt và ký số Giấy khai sinh']);
  });

  it('refuses an instance that has ended', async () => {
    const path = `/api/monitoring/instances/${real.instanceId}/cancel`;
    expect((await callAs(fixture.api, staff, 'POST', path, { reason: 'Dừng để thử chuyển bước' })).status).toBe(200);
    const moved = await callAs(fixture.api, staff, 'POST', movePath(real.instanceId), { from: 'Task_phe_duyet', to: 'Task_xac_minh', reason: REASON });
    expect(moved.status).toBe(409);
    expect(moved.body.code).toBe('instance.not-active');
    expect((await callAs(fixture.api, staff, 'POST', migratePath(real.instanceId), { targetDefinitionId: v3, reason: REASON })).status).toBe(409);
  });
});

describe("migrating a version's running instances in batches (issue 14)", () => {
  const model = (b: string) => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="a" name="Bước A"/>
    ${b}
    <bpmn:endEvent id="end"/>
    ${flows('start>a', 'a>b', 'b>end')}`, { id: 'Process_bulk' });

  it('migrates those with a proven mapping, lists the others with their elements, a limited batch at a time; refuses bad input and other roles', async () => {
    const db = fixture.database.db;
    const deploy = async (xml: string) => (await callApi(fixture.api, 'POST', '/api/definitions', xml, 'application/xml')).body as { id: string; version: number };
    await deploy(model('<bpmn:userTask id="b"/>'));
    const started: string[] = [];
    for (let i = 0; i < 3; i++) started.push((await callApi(fixture.api, 'POST', '/api/definitions/Process_bulk/instances', { businessKey: `HS-bulk-${i}` })).body.id as string);
    // One of them goes on to step b, which version 2 makes an automated step.
    const [task] = (await callApi(fixture.api, 'GET', `/api/tasks?instanceId=${started[0]}`)).body.items as Array<{ id: string }>;
    expect((await callApi(fixture.api, 'POST', `/api/tasks/${task!.id}/complete`, {})).status).toBe(200);
    const v2 = await deploy(model('<bpmn:serviceTask id="b" qt:jobType="bulk.job"/>'));
    const path = '/api/monitoring/procedures/Process_bulk/migrate';
    const body = { fromVersion: 1, targetDefinitionId: v2.id, reason: 'Bước B nay tự động' };

    expect((await callAs(fixture.api, leader, 'POST', path, body)).status).toBe(403);
    for (const [bad, field] of [[{ ...body, fromVersion: undefined }, 'body.fromVersion'], [{ ...body, limit: 101 }, 'body.limit'], [{ ...body, reason: 'x' }, 'body.reason'], [{ ...body, after: 'x' }, 'body.after']] as const) {
      const refused = await callAs(fixture.api, staff, 'POST', path, bad);
      expect(refused.status, field).toBe(400);
      expect(refused.body.errors[0].field).toBe(field);
    }
    expect((await callAs(fixture.api, staff, 'POST', path, { ...body, fromVersion: 9 })).body).toMatchObject({ status: 422, errors: [{ field: 'body.fromVersion' }] });
    expect((await callAs(fixture.api, staff, 'POST', `/api/monitoring/procedures/${BIRTH_PROCEDURE}/migrate`, body)).body).toMatchObject({ status: 422, errors: [{ field: 'body.targetDefinitionId' }] });
    expect(await db('process_instances').whereIn('id', started).where({ definition_id: v2.id }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);

    const first = await callAs(fixture.api, staff, 'POST', path, { ...body, limit: 2 });
    expect(first.status).toBe(200);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await callAs(fixture.api, staff, 'POST', path, { ...body, limit: 2, after: first.body.next });
    expect(second.body.next).toBeNull();
    const migrated = [...first.body.migrated, ...second.body.migrated].sort();
    expect(migrated).toEqual([started[1], started[2]].sort());
    expect([...first.body.refused, ...second.body.refused]).toEqual([{ instanceId: started[0], code: 'migration.no-counterpart', elementIds: ['b'] }]);
    const versions = await db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').whereIn('i.id', started).orderBy('i.business_key').pluck('d.version');
    expect(versions).toEqual([1, v2.version, v2.version]);
    expect(await db('audit_log').where({ action: 'instance.migrate' }).whereIn('target', started).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '2' }]);
  });
});

describe('moving several tokens at once (issue 14: a parallel instance with a stuck branch)', () => {
  const parallelModel = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="split"/>
    <bpmn:userTask id="police" name="Xác minh công an"/>
    <bpmn:userTask id="police2" name="Công an trả lời"/>
    <bpmn:serviceTask id="tax" qt:jobType="tax.check"/>
    <bpmn:parallelGateway id="join"/>
    <bpmn:userTask id="decide" name="Quyết định"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>split', 'split>police', 'police>police2', 'split>tax', 'police2>join', 'tax>join', 'join>decide', 'decide>end')}`, { id: 'Process_several' });

  it('moves both branches out of the block in one audited step; refuses other roles, bad input and what the engine cannot derive, changing nothing', async () => {
    const db = fixture.database.db;
    expect((await callApi(fixture.api, 'POST', '/api/definitions', parallelModel, 'application/xml')).status).toBe(201);
    const instanceId = (await callApi(fixture.api, 'POST', '/api/definitions/Process_several/instances', { businessKey: 'HS-song-song' })).body.id as string;
    const path = movePath(instanceId);
    const body = { moves: [{ from: 'police', to: 'decide' }, { from: 'tax', to: 'decide' }], reason: 'Liên thông thuế treo, đã xác minh trực tiếp' };
    const before = await stored(instanceId);
    expect(before.instance.active_element_ids.sort()).toEqual(['police', 'tax']);

    expect((await callAs(fixture.api, null, 'POST', path, body)).status).toBe(401);
    for (const who of [citizen, analyst, leader]) expect((await callAs(fixture.api, who, 'POST', path, body)).status).toBe(403);
    const fields: Array<[Record<string, unknown>, string]> = [
      [{ ...body, moves: [] }, 'body.moves'],
      [{ ...body, moves: 'police>decide' }, 'body.moves'],
      [{ ...body, moves: Array.from({ length: 21 }, (_, i) => ({ from: `e${i}`, to: 'decide' })) }, 'body.moves'],
      [{ ...body, moves: [{ from: 'police', to: 7 }] }, 'body.moves.0.to'],
      [{ ...body, moves: [{ from: 'police', to: 'decide' }, { from: 'police', to: 'police2' }] }, 'body.moves.1.from'],
      [{ ...body, from: 'police' }, 'body.from'],
      [{ moves: body.moves }, 'body.reason'],
    ];
    for (const [bad, field] of fields) {
      const refused = await callAs(fixture.api, staff, 'POST', path, bad);
      expect(refused.status, field).toBe(400);
      expect(refused.body.errors[0].field, JSON.stringify(bad).slice(0, 80)).toBe(field);
    }
    // The stuck branch alone out of the block would drop the other: refused naming it.
    const alone = await callAs(fixture.api, staff, 'POST', path, { ...body, moves: [{ from: 'tax', to: 'decide' }] });
    expect(alone.status).toBe(422);
    expect(alone.body).toMatchObject({ code: 'move.branches-left', errors: [{ elementId: 'police', field: 'body.moves' }] });
    expect(alone.body.errors[0].messages.vi).toContain('police');
    // Into the other branch's step: another scope, naming both sources and the target.
    const across = await callAs(fixture.api, staff, 'POST', path, { ...body, moves: [{ from: 'police', to: 'police2' }, { from: 'tax', to: 'police2' }] });
    expect(across.status).toBe(422);
    expect(across.body).toMatchObject({ code: 'move.other-scope', errors: [{ elementId: 'police', field: 'body.moves.0.from' }, { elementId: 'tax', field: 'body.moves.1.from' }, { elementId: 'police2', field: 'body.moves.0.to' }] });
    const notThere = await callAs(fixture.api, staff, 'POST', path, { ...body, moves: [{ from: 'police2', to: 'decide' }] });
    expect(notThere.body).toMatchObject({ status: 422, code: 'move.not-active', errors: [{ elementId: 'police2', field: 'body.moves.0.from' }] });
    expect(await stored(instanceId)).toEqual(before);

    // The service job of the stuck branch fails into an incident; the administrator moves both tokens.
    const [job] = (await callApi(fixture.api, 'GET', '/api/jobs?type=tax.check')).body.items as Array<{ id: string }>;
    let incidentId: string | null = null;
    while (!incidentId) incidentId = (await callApi(fixture.api, 'POST', `/api/jobs/${job!.id}/fail`, { message: 'Cổng thuế không trả lời' })).body.incidentId;
    const moved = await callAs(fixture.api, admin, 'POST', path, body);
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ id: instanceId, activeElementIds: ['decide'] });
    expect(await db('user_tasks').where({ instance_id: instanceId }).orderBy('created_at').select('element_id', 'status')).toEqual([{ element_id: 'police', status: 'cancelled' }, { element_id: 'decide', status: 'open' }]);
    expect(await db('service_jobs').where({ instance_id: instanceId }).pluck('status')).toEqual(['cancelled']);
    expect((await db('incidents').where({ id: incidentId }).first<{ resolved_at: Date | null }>('resolved_at')).resolved_at).not.toBeNull();
    expect(await db('audit_log').where({ action: 'instance.move', target: instanceId }).select('actor', 'detail')).toEqual([{ actor: 'account:quantri', detail: { kind: 'move', reason: body.reason, moves: body.moves } }]);
    const history = await callAs(fixture.api, staff, 'GET', `/api/monitoring/instances/${instanceId}/history?limit=100`);
    const steps = (history.body.items as Array<{ eventType: string }>).filter((item) => item.eventType === 'move');
    expect(steps).toEqual([expect.objectContaining({ elementId: 'decide', actor: 'account:quantri', intervention: { kind: 'move', reason: body.reason, moves: body.moves } })]);
    // It goes on from there.
    const [task] = (await callApi(fixture.api, 'GET', `/api/tasks?instanceId=${instanceId}`)).body.items as Array<{ id: string }>;
    expect((await callApi(fixture.api, 'POST', `/api/tasks/${task!.id}/complete`, {})).status).toBe(200);
    expect((await db('process_instances').where({ id: instanceId }).first<{ status: string }>('status')).status).toBe('completed');
  });
});

describe('previewing a bulk migration (issue 14)', () => {
  const model = (b: string) => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="a" name="Bước A"/>
    ${b}
    <bpmn:endEvent id="end"/>
    ${flows('start>a', 'a>b', 'b>end')}`, { id: 'Process_preview' });
  // Named as version 1 names it.
  const named = '<bpmn:userTask id="b" name="Ký duyệt"/>';

  it('counts the running instances that would migrate and groups the others by the elements without a counterpart; refuses other roles and bad input', async () => {
    const db = fixture.database.db;
    const deploy = async (xml: string) => (await callApi(fixture.api, 'POST', '/api/definitions', xml, 'application/xml')).body as { id: string; version: number };
    await deploy(model(named));
    const started: string[] = [];
    for (let i = 0; i < 4; i++) started.push((await callApi(fixture.api, 'POST', '/api/definitions/Process_preview/instances', { businessKey: `HS-xem-${i}` })).body.id as string);
    const [task] = (await callApi(fixture.api, 'GET', `/api/tasks?instanceId=${started[0]}`)).body.items as Array<{ id: string }>;
    expect((await callApi(fixture.api, 'POST', `/api/tasks/${task!.id}/complete`, {})).status).toBe(200);
    const v2 = await deploy(model('<bpmn:serviceTask id="b" qt:jobType="preview.job"/>'));
    const path = (query: string) => `/api/monitoring/procedures/Process_preview/migration-preview?${query}`;
    const good = `fromVersion=1&targetDefinitionId=${v2.id}`;

    const preview = await callAs(fixture.api, staff, 'GET', path(good));
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ running: 4, migratable: 3, refused: [{ elementIds: ['b'], names: ['Ký duyệt'], instances: 1 }] });
    expect((await callAs(fixture.api, admin, 'GET', path(good))).body.migratable).toBe(3);

    expect((await callAs(fixture.api, null, 'GET', path(good))).status).toBe(401);
    for (const who of [citizen, analyst, leader]) expect((await callAs(fixture.api, who, 'GET', path(good))).status).toBe(403);
    for (const [query, status, field] of [
      [`fromVersion=x&targetDefinitionId=${v2.id}`, 400, 'query.fromVersion'],
      [`targetDefinitionId=${v2.id}`, 400, 'query.fromVersion'],
      ['fromVersion=1&targetDefinitionId=nope', 400, 'query.targetDefinitionId'],
      [`fromVersion=9&targetDefinitionId=${v2.id}`, 422, 'query.fromVersion'],
      [`fromVersion=2&targetDefinitionId=${v2.id}`, 422, 'query.targetDefinitionId'],
      [`fromVersion=1&targetDefinitionId=${randomUUID()}`, 422, 'query.targetDefinitionId'],
    ] as const) {
      const refused = await callAs(fixture.api, staff, 'GET', path(query));
      expect(refused.status, query).toBe(status);
      expect(refused.body.errors[0].field, query).toBe(field);
    }
    // A preview changes nothing.
    expect(await db('process_instances').whereIn('id', started).where({ definition_id: v2.id }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
  });
});
