import { pino } from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { callAs, type Credentials } from '../support/identities.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * Issue 14, the heat map's step counters (migration 0044, docs/monitoring.md): after real runs
 * (instances started, task completions batched together, a service job failing into an incident,
 * retried and done, a BPMN error nobody catches), a move, a bulk migration and a cancellation, the
 * counters equal a recount of where the running instances stand, and each position is dated by the
 * history step that entered it.
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

let staff: Credentials;

const model = (dName: string) => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:userTask id="a" name="Thẩm định"/>
    <bpmn:userTask id="b" name="Xác minh"/>
    <bpmn:parallelGateway id="join"/>
    <bpmn:serviceTask id="c" qt:jobType="counts.job"/>
    <bpmn:userTask id="d" name="${dName}"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>fork', 'fork>a', 'fork>b', 'a>join', 'b>join', 'join>c', 'c>d', 'd>end')}`, { id: 'Process_counts' });

const deploy = async (xml: string) => (await callApi(fixture.api, 'POST', '/api/definitions', xml, 'application/xml')).body as { id: string; version: number };
const tasksOf = async (instanceId: string) => (await callApi(fixture.api, 'GET', `/api/tasks?instanceId=${instanceId}`)).body.items as Array<{ id: string; elementId: string }>;
const jobOf = async (instanceId: string) => ((await callApi(fixture.api, 'GET', '/api/jobs?type=counts.job&limit=500')).body.items as Array<{ id: string; instanceId: string }>).find((job) => job.instanceId === instanceId)!;

/** Where the running instances stand, counted from the instances themselves, against the counters (totals and deltas not yet folded). */
async function recount() {
  const db = fixture.database.db;
  const { rows: counted } = await db.raw<{ rows: unknown[] }>(`
    select i.definition_id, coalesce(d.agency_code, '') as agency_code, e.element_id, count(*)::int as dossiers
      from process_instances i cross join unnest(i.active_element_ids) as e(element_id) left join dossiers d on d.instance_id = i.id
     where i.status = 'active' group by 1, 2, 3 order by 1, 2, 3`);
  const { rows: counters } = await db.raw<{ rows: Array<Record<string, unknown>> }>(`
    select definition_id, agency_code, element_id, sum(dossiers)::int as dossiers, sum(since_seconds)::text as since_seconds
      from (select * from procedure_step_counts union all select * from procedure_step_count_deltas) c
     group by 1, 2, 3 having sum(dossiers) <> 0 order by 1, 2, 3`);
  // Each position dated by the last history step that entered its element (whose active set held it when the step before did not).
  const { rows: dated } = await db.raw<{ rows: Array<{ instance_id: string; element_id: string; since: Date; entered: Date | null }> }>(`
    with steps as (
      select h.instance_id, h.at, h.active_after, lag(h.active_after) over (partition by h.instance_id order by h.id) as before from instance_history h)
    select p.instance_id, p.element_id, p.since,
           (select max(s.at) from steps s where s.instance_id = p.instance_id and p.element_id = any (s.active_after) and not (p.element_id = any (coalesce(s.before, '{}')))) as entered
      from instance_positions p`);
  const { rows: summed } = await db.raw<{ rows: Array<Record<string, unknown>> }>(`
    select definition_id, agency_code, element_id, sum(floor(extract(epoch from since))::bigint)::text as since_seconds
      from instance_positions group by 1, 2, 3 order by 1, 2, 3`);
  return { counted, counters, dated, summed };
}

async function expectCountersExact(): Promise<void> {
  const { counted, counters, dated, summed } = await recount();
  expect(counters.map(({ since_seconds: _, ...count }) => count)).toEqual(counted);
  expect(counters.map(({ definition_id, agency_code, element_id, since_seconds }) => ({ definition_id, agency_code, element_id, since_seconds }))).toEqual(summed);
  for (const position of dated) expect(position.since, `${position.instance_id} ${position.element_id}`).toEqual(position.entered);
}

beforeAll(async () => {
  await createDemoData(fixture.database.db, pino({ level: 'silent' }));
  staff = await signInDemo(fixture.api, 'kiemsoat');
}, 60_000);

describe('the step counters of the heat map (issue 14)', () => {
  it('equal a recount after real runs, an incident, an uncaught error, a move, a cancellation, a bulk migration and a dossier moved to another agency or removed', async () => {
    const db = fixture.database.db;
    // A dossier: its positions count for its agency.
    const citizen = await signInDemo(fixture.api, '001099054321');
    const dossier = await submitBirthDossier(fixture.api, citizen);
    await vi.waitFor(async () => expect((await db('process_instances').where({ id: dossier.instanceId }).first<{ active_element_ids: string[] }>('active_element_ids')).active_element_ids).toEqual(['Task_tiep_nhan']), { timeout: 20_000, interval: 100 });

    const v1 = await deploy(model('Trả kết quả'));
    const started: string[] = [];
    for (let i = 0; i < 10; i++) started.push((await callApi(fixture.api, 'POST', '/api/definitions/Process_counts/instances', { businessKey: `HS-dem-${i}` })).body.id as string);
    await expectCountersExact();

    // Completions arriving together take the batched single statement.
    const firstTasks = await Promise.all(started.slice(0, 8).map(async (id) => (await tasksOf(id)).find((task) => task.elementId === 'a')!));
    for (const response of await Promise.all(firstTasks.map((task) => callApi(fixture.api, 'POST', `/api/tasks/${task.id}/complete`, {})))) expect(response.status).toBe(200);
    const secondTasks = await Promise.all(started.slice(0, 5).map(async (id) => (await tasksOf(id)).find((task) => task.elementId === 'b')!));
    for (const response of await Promise.all(secondTasks.map((task) => callApi(fixture.api, 'POST', `/api/tasks/${task.id}/complete`, {})))) expect(response.status).toBe(200);
    await expectCountersExact();

    // An incident (the job fails until its retries are used), retried, then done: on to d.
    const failing = await jobOf(started[0]!);
    let incidentId: string | null = null;
    while (!incidentId) incidentId = (await callApi(fixture.api, 'POST', `/api/jobs/${failing.id}/fail`, { message: 'Hệ thống liên thông không trả lời' })).body.incidentId;
    await expectCountersExact();
    expect((await callApi(fixture.api, 'POST', `/api/incidents/${incidentId}/retry`, {})).status).toBe(200);
    expect((await callApi(fixture.api, 'POST', `/api/jobs/${failing.id}/complete`, {})).status).toBe(200);
    // A BPMN error nobody catches ends the instance.
    expect((await callApi(fixture.api, 'POST', `/api/jobs/${(await jobOf(started[1]!)).id}/fail`, { errorCode: 'KHONG_XU_LY', message: 'Không xử lý được' })).status).toBe(200);
    expect((await db('process_instances').where({ id: started[1] }).first<{ status: string }>('status')).status).not.toBe('active');
    await expectCountersExact();

    // An operator moves one on from c to d, restarts another's step a, cancels a third.
    expect((await callAs(fixture.api, staff, 'POST', `/api/monitoring/instances/${started[2]}/move`, { from: 'c', to: 'd', reason: 'Hệ thống liên thông treo, đã xử lý thủ công' })).status).toBe(200);
    expect((await callAs(fixture.api, staff, 'POST', `/api/monitoring/instances/${started[9]}/move`, { from: 'a', to: 'a', reason: 'Mở lại bước thẩm định' })).status).toBe(200);
    expect((await callAs(fixture.api, staff, 'POST', `/api/monitoring/instances/${started[8]}/cancel`, { reason: 'Người nộp rút hồ sơ' })).status).toBe(200);
    await expectCountersExact();

    // A newer version where only d's name changed: every running instance of version 1 migrates.
    const v2 = await deploy(model('Trả kết quả giải quyết'));
    const migrated = await callAs(fixture.api, staff, 'POST', '/api/monitoring/procedures/Process_counts/migrate', { fromVersion: v1.version, targetDefinitionId: v2.id, reason: 'Đổi tên bước trả kết quả' });
    expect(migrated.status).toBe(200);
    expect(migrated.body.migrated.length).toBe(8);
    await expectCountersExact();
    // A dossier moved to another agency, then one removed (its instance running on): counted for the agency, then for none.
    const spare = await submitBirthDossier(fixture.api, citizen);
    await vi.waitFor(async () => expect((await db('process_instances').where({ id: spare.instanceId }).first<{ active_element_ids: string[] }>('active_element_ids')).active_element_ids).toEqual(['Task_tiep_nhan']), { timeout: 20_000, interval: 100 });
    await db('dossiers').where({ id: spare.id }).update({ agency_code: 'DEMO.02.H01' });
    await expectCountersExact();
    await db('dossiers').where({ id: spare.id }).delete();
    await expectCountersExact();
    // Folded, the same.
    await db.raw('select fold_procedure_step_counts()');
    expect(await db('procedure_step_count_deltas').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    await expectCountersExact();

    // The heat map reads them: over both versions, as the recount says.
    const heat = await callAs(fixture.api, staff, 'GET', '/api/monitoring/procedures/Process_counts');
    expect(Object.fromEntries((heat.body.steps as Array<{ elementId: string; dossiers: number }>).map((step) => [step.elementId, step.dossiers]))).toEqual({ a: 1, b: 4, c: 2, d: 2 });
    const birth = await callAs(fixture.api, staff, 'GET', `/api/monitoring/procedures/${BIRTH_PROCEDURE}`);
    expect(birth.body.steps).toEqual([expect.objectContaining({ elementId: 'Task_tiep_nhan', dossiers: 2 })]);
    const leaderXa = await signInDemo(fixture.api, 'lanhdao.xa');
    // The dossier's agency leader sees it (not the instance whose dossier was removed, an operator's matter).
    expect((await callAs(fixture.api, leaderXa, 'GET', `/api/monitoring/procedures/${BIRTH_PROCEDURE}`)).body.steps).toEqual([expect.objectContaining({ dossiers: 1 })]);
    expect((await callAs(fixture.api, leaderXa, 'GET', '/api/monitoring/procedures/Process_counts')).body.steps).toEqual([]);
  }, 120_000);
});
