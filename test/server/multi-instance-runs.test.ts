import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { timerJobKey } from '../../server/execution/job-kinds.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

// A land-use dossier: the department consults each agency in the list at once (each run of the
// sub-process has its own answer task and its own 40-working-hour timer), and may be withdrawn.
const consultAll = bpmnProcess(`
  <bpmn:laneSet id="lanes">
    <bpmn:lane id="department" name="Sở Tài nguyên và Môi trường"><bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>decide</bpmn:flowNodeRef><bpmn:flowNodeRef>explain</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="consulted" name="Cơ quan được lấy ý kiến"><bpmn:flowNodeRef>consult</bpmn:flowNodeRef></bpmn:lane>
  </bpmn:laneSet>
  <bpmn:startEvent id="start"/>
  <bpmn:subProcess id="consult">
    <bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/>
    <bpmn:startEvent id="consult_start"/>
    <bpmn:userTask id="answer" qt:dueWorkingHours="40"/>
    <bpmn:boundaryEvent id="silent" attachedToRef="answer"><bpmn:timerEventDefinition qt:workingHours="40"/></bpmn:boundaryEvent>
    <bpmn:exclusiveGateway id="agrees" default="agrees_record"/>
    <bpmn:userTask id="record"/>
    <bpmn:endEvent id="answered"/>
    <bpmn:endEvent id="deemedAgreed"/>
    <bpmn:endEvent id="refusedEnd"><bpmn:errorEventDefinition errorRef="Error_refused"/></bpmn:endEvent>
    ${flows('consult_start>answer', 'answer>agrees', 'record>answered', 'silent>deemedAgreed')}
    <bpmn:sequenceFlow id="agrees_record" sourceRef="agrees" targetRef="record"/>
    <bpmn:sequenceFlow id="agrees_refused" sourceRef="agrees" targetRef="refusedEnd"><bpmn:conditionExpression>opinion = "không đồng ý"</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:subProcess>
  <bpmn:boundaryEvent id="withdrawn" attachedToRef="consult"><bpmn:messageEventDefinition messageRef="Message_withdrawn" qt:correlationKey="=dossier"/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="refused" attachedToRef="consult"><bpmn:errorEventDefinition errorRef="Error_refused"/></bpmn:boundaryEvent>
  <bpmn:userTask id="decide"/>
  <bpmn:userTask id="explain"/>
  <bpmn:endEvent id="end"/>
  <bpmn:endEvent id="cancelled"/>
  ${flows('start>consult', 'consult>decide', 'decide>end', 'withdrawn>cancelled', 'refused>explain', 'explain>end')}
`, { id: 'Process_consult_all', outside: '<bpmn:message id="Message_withdrawn" name="land.withdrawn"/><bpmn:error id="Error_refused" errorCode="REFUSED"/>' });

// Circular 01 Art. 16.4: a household registration calls the health-insurance card procedure once per child.
const cardFor = (sequential: boolean) => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:callActivity id="insuranceCard" calledElement="Process_card">
    <bpmn:multiInstanceLoopCharacteristics isSequential="${String(sequential)}" qt:collection="children" qt:elementVariable="child"/>
  </bpmn:callActivity>
  <bpmn:userTask id="handOver"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>insuranceCard', 'insuranceCard>handOver', 'handOver>end')}
`, { id: sequential ? 'Process_household_sequential' : 'Process_household' });
const card = bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="issueCard"/><bpmn:endEvent id="end"/>${flows('start>issueCard', 'issueCard>end')}`, { id: 'Process_card' });

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

beforeAll(async () => {
  for (const xml of [consultAll, card, cardFor(false), cardFor(true)]) {
    expect((await fixture.api.fetch(`/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml })).status).toBe(201);
  }
});

const get = async (path: string) => (await fixture.api.fetch(`${path}`)).json();
const post = async (path: string, body: unknown) => fixture.api.fetch(`${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const start = async (key: string, variables: Record<string, unknown>) => ((await (await post(`/api/definitions/${key}/instances`, { variables })).json()) as { id: string }).id;
const until = (read: () => Promise<unknown>) => expect.poll(read, { timeout: 15_000, interval: 100 });

interface InstanceJson { id: string; status: string; variables: Record<string, unknown>; activeElementIds: string[]; callerElementId?: string; callerIndex?: number; runOf?: string; failure: unknown }
interface TaskJson { id: string; elementId: string; candidateGroup: string | null; dueAt: string | null }
const runsOf = async (caller: string) => ((await get(`/api/instances?callerInstanceId=${caller}`)) as { items: InstanceJson[] }).items;
const tasksOf = async (instance: string) => ((await get(`/api/tasks?instanceId=${instance}`)) as { items: TaskJson[] }).items;
const timersOf = async (instance: string) => (await fixture.database.db.raw<{ rows: Array<{ key: string }> }>('select key from graphile_worker.jobs where starts_with(key, ?)', [`timer:${instance}:`])).rows.map((row) => row.key);

const agencies = ['Công an tỉnh', 'Cục Thuế', 'Sở Xây dựng'];

describe('a parallel multi-instance sub-process on the server', () => {
  it('runs one child instance per agency, each with its own item, task and timer, and continues when the last run completes', async () => {
    const caller = await start('Process_consult_all', { agencies, dossier: randomUUID() });
    const runs = await runsOf(caller);
    expect(runs.map((run) => [run.runOf, run.callerElementId, run.callerIndex, run.variables.agency, run.variables.loopCounter, run.activeElementIds])).toEqual(
      agencies.map((agency, index) => ['consult', 'consult', index, agency, index + 1, ['answer']]),
    );
    for (const run of runs) {
      // The instance's variables, but not the whole list: each run holds its own item.
      expect(run.variables).toEqual({ dossier: expect.any(String), agency: run.variables.agency, loopCounter: run.variables.loopCounter });
      expect(await tasksOf(run.id)).toEqual([expect.objectContaining({ elementId: 'answer', candidateGroup: 'Cơ quan được lấy ý kiến', dueAt: expect.any(String) })]);
      expect(await timersOf(run.id)).toEqual([`timer:${run.id}:silent`]);
    }
    expect(await get(`/api/instances/${caller}`)).toMatchObject({ activeElementIds: ['consult'] });

    // The police stay silent: their run's own timer falls due (fired now rather than in 40 working hours), its task closes.
    await fixture.database.db.raw('select graphile_worker.reschedule_jobs(array_agg(id), run_at => now()) from graphile_worker.jobs where key = ?', [timerJobKey(runs[0]!.id, 'silent')]);
    await until(async () => ((await get(`/api/instances/${runs[0]!.id}`)) as InstanceJson).status).toBe('completed');
    expect(await tasksOf(runs[0]!.id)).toEqual([]);
    expect((await get(`/api/instances/${caller}`)).activeElementIds).toEqual(['consult']);
    const answers = ['tax', 'construction'];
    for (const [index, run] of runs.slice(1).entries()) {
      const [task] = await tasksOf(run.id);
      expect((await post(`/api/tasks/${task!.id}/complete`, { variables: { opinion: 'đồng ý', [answers[index]!]: `đồng ý (${String(run.variables.agency)})` } })).status).toBe(200);
      expect((await post(`/api/tasks/${task!.id}/complete`, {})).status).toBe(409);
      expect(await timersOf(run.id)).toEqual([]);
      // The run goes on to its next task, on the sub-process's own machine.
      const [record] = await tasksOf(run.id);
      expect(record).toMatchObject({ elementId: 'record' });
      expect((await post(`/api/tasks/${record!.id}/complete`, {})).status).toBe(200);
    }
    await until(async () => ((await get(`/api/instances/${caller}`)) as InstanceJson).activeElementIds).toEqual(['decide']);
    const after = (await get(`/api/instances/${caller}`)) as InstanceJson;
    // What each run set comes back; its item and loopCounter stay its own.
    expect(after.variables).toEqual({ agencies, dossier: expect.any(String), opinion: 'đồng ý', tax: 'đồng ý (Cục Thuế)', construction: 'đồng ý (Sở Xây dựng)' });
    expect((await runsOf(caller)).map((run) => [run.status, run.activeElementIds])).toEqual([['completed', []], ['completed', []], ['completed', []]]);
    const history = ((await get(`/api/instances/${caller}/history`)) as { items: Array<{ eventType: string; elementId: string | null; activeAfter: string[] }> }).items;
    expect(history.map((row) => [row.eventType, row.elementId])).toEqual([['start', null], ['call.complete', 'consult'], ['call.complete', 'consult'], ['call.complete', 'consult']]);
    expect(history.at(-1)!.activeAfter).toEqual(['decide']);
    expect(((await get(`/api/instances/${runs[0]!.id}/history`)) as { items: Array<{ eventType: string; elementId: string }> }).items.map((row) => [row.eventType, row.elementId])).toEqual([['start', null], ['timer', 'silent']]);
    const [decide] = await tasksOf(caller);
    expect((await post(`/api/tasks/${decide!.id}/complete`, {})).status).toBe(200);
    expect((await get(`/api/instances/${caller}`)).status).toBe('completed');
  });

  it('terminates every run, closing their tasks and timers, when a boundary event on the sub-process interrupts', async () => {
    const dossier = randomUUID();
    const caller = await start('Process_consult_all', { agencies, dossier });
    const [first] = await runsOf(caller);
    const [task] = await tasksOf(first!.id);
    await post(`/api/tasks/${task!.id}/complete`, { variables: { opinion: 'đồng ý' } });
    const [record] = await tasksOf(first!.id);
    await post(`/api/tasks/${record!.id}/complete`, {});
    await until(async () => (await runsOf(caller)).map((run) => run.status)).toEqual(['completed', 'active', 'active']);
    expect(((await (await post('/api/messages', { name: 'land.withdrawn', correlationKey: dossier })).json()) as { correlated: number }).correlated).toBe(1);
    expect((await get(`/api/instances/${caller}`)).status).toBe('completed');
    const runs = await runsOf(caller);
    expect(runs.map((run) => [run.status, run.activeElementIds])).toEqual([['completed', []], ['terminated', []], ['terminated', []]]);
    for (const run of runs) {
      expect(await tasksOf(run.id)).toEqual([]);
      expect(await timersOf(run.id)).toEqual([]);
    }
  });

  it('takes an error end in one run to the sub-process\'s error boundary event and terminates the other runs', async () => {
    const caller = await start('Process_consult_all', { agencies, dossier: randomUUID() });
    const runs = await runsOf(caller);
    const [task] = await tasksOf(runs[1]!.id);
    await post(`/api/tasks/${task!.id}/complete`, { variables: { opinion: 'không đồng ý' } });
    await until(async () => ((await get(`/api/instances/${caller}`)) as InstanceJson).activeElementIds).toEqual(['explain']);
    expect((await runsOf(caller)).map((run) => run.status)).toEqual(['terminated', 'failed', 'terminated']);
    expect(await tasksOf(runs[0]!.id)).toEqual([]);
  });

  it('starts more runs than one insert holds, each with its own item and timer, and terminates them all at once', async () => {
    const dossier = randomUUID();
    const many = Array.from({ length: 1_001 }, (_, i) => `Cơ quan ${String(i)}`);
    const caller = await start('Process_consult_all', { agencies: many, dossier });
    const db = fixture.database.db;
    const runs = await db('process_instances').where({ parent_instance_id: caller }).orderBy('parent_multi_index').select<Array<{ id: string; parent_multi_index: number; variables: { agency: string } }>>('id', 'parent_multi_index', 'variables');
    expect(runs.map((run) => [run.parent_multi_index, run.variables.agency])).toEqual(many.map((agency, index) => [index, agency]));
    const open = async () => Number((await db('user_tasks').whereIn('instance_id', runs.map((run) => run.id)).where({ status: 'open' }).count<Array<{ count: string }>>('* as count'))[0]!.count);
    const armed = async () => (await db.raw<{ rows: Array<{ count: string }> }>("select count(*) from graphile_worker.jobs where key like 'timer:%:silent' and split_part(key, ':', 2) = any(?::text[])", [runs.map((run) => run.id)])).rows[0]!.count;
    expect([await open(), await armed()]).toEqual([1_001, '1001']);
    expect(((await (await post('/api/messages', { name: 'land.withdrawn', correlationKey: dossier })).json()) as { correlated: number }).correlated).toBe(1);
    expect([await open(), await armed()]).toEqual([0, '0']);
    expect(await db('process_instances').where({ parent_instance_id: caller, status: 'terminated' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1001' }]);
  });

  it('fails the instance, naming the sub-process, when the collection variable is missing; nothing is left waiting', async () => {
    const response = await post('/api/definitions/Process_consult_all/instances', { variables: { dossier: randomUUID() } });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(await get(`/api/instances/${id}`)).toMatchObject({ status: 'failed', activeElementIds: [], failure: { elementId: 'consult', errorCode: 'MULTI_INSTANCE_COLLECTION_INVALID' } });
    expect(await runsOf(id)).toEqual([]);
    expect(await fixture.database.db('message_subscriptions').where({ instance_id: id })).toEqual([]);
  });

  it('refuses a listing of called instances by something that is not an instance id', async () => {
    const response = await fixture.api.fetch(`/api/instances?callerInstanceId=42`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'query.callerInstanceId' })] });
  });
});

describe('a multi-instance call activity on the server', () => {
  const children = ['Nguyễn Văn An', 'Nguyễn Thị Bình', 'Nguyễn Văn Cường'];

  it('calls the procedure once per child at once, and continues after the last called instance ends', async () => {
    const caller = await start('Process_household', { children });
    const called = await runsOf(caller);
    expect(called.map((instance) => [instance.callerIndex, instance.variables.child, instance.variables.loopCounter, instance.activeElementIds])).toEqual(
      children.map((child, index) => [index, child, index + 1, ['issueCard']]),
    );
    expect(called.every((instance) => instance.runOf === undefined)).toBe(true);
    for (const [index, instance] of [...called.entries()].reverse()) {
      const [task] = await tasksOf(instance.id);
      await post(`/api/tasks/${task!.id}/complete`, { variables: { [`card${String(index)}`]: `GD47979000000${String(index)}` } });
    }
    await until(async () => ((await get(`/api/instances/${caller}`)) as InstanceJson).activeElementIds).toEqual(['handOver']);
    expect((await get(`/api/instances/${caller}`)).variables).toEqual({ children, card0: 'GD479790000000', card1: 'GD479790000001', card2: 'GD479790000002' });
  });

  it('calls it for one child after another when sequential', async () => {
    const caller = await start('Process_household_sequential', { children });
    for (const [index, child] of children.entries()) {
      await until(async () => (await runsOf(caller)).map((instance) => instance.status)).toEqual([...Array<string>(index).fill('completed'), 'active']);
      const current = (await runsOf(caller))[index]!;
      expect(current.variables).toMatchObject({ child, loopCounter: index + 1 });
      const [task] = await tasksOf(current.id);
      await post(`/api/tasks/${task!.id}/complete`, {});
    }
    await until(async () => ((await get(`/api/instances/${caller}`)) as InstanceJson).activeElementIds).toEqual(['handOver']);
  });
});
