import { beforeAll, describe, expect, it } from 'vitest';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

// BPMN 2.0 §10.3.8 on the durable path: once a multi-instance loop's completionCondition holds,
// the instances still open are cancelled (their tasks leave the inbox, their runs end) and the
// activity completes; a multi-instance receive task takes one message per instance.

const condition = '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">nrOfCompletedInstances &gt;= 2</bpmn:completionCondition>';

// The department asks each agency; two answers are enough to decide.
const consultTasks = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="consult"><bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency">${condition}</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
  <bpmn:userTask id="decide"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>consult', 'consult>decide', 'decide>end')}
`, { id: 'Process_two_answers' });

// The same as runs of a sub-process: each agency's run has its own task.
const consultRuns = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:subProcess id="consult">
    <bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency">${condition}</bpmn:multiInstanceLoopCharacteristics>
    <bpmn:startEvent id="consult_start"/>
    <bpmn:userTask id="answer"/>
    <bpmn:endEvent id="answered"/>
    ${flows('consult_start>answer', 'answer>answered')}
  </bpmn:subProcess>
  <bpmn:userTask id="decide"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>consult', 'consult>decide', 'decide>end')}
`, { id: 'Process_two_runs' });

// Three receipts are awaited, each a message of the same name.
const receipts = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:receiveTask id="receipts" messageRef="Message_receipt"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:receiveTask>
  <bpmn:userTask id="file"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>receipts', 'receipts>file', 'file>end')}
`, { id: 'Process_receipts', outside: '<bpmn:message id="Message_receipt" name="mi.receipt"/>' });

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

beforeAll(async () => {
  for (const xml of [consultTasks, consultRuns, receipts]) {
    expect((await fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml })).status).toBe(201);
  }
});

const get = async (path: string) => (await fixture.api.fetch(path)).json();
const post = async (path: string, body: unknown) => fixture.api.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const start = async (key: string, variables: Record<string, unknown>) => ((await (await post(`/api/definitions/${key}/instances`, { variables })).json()) as { id: string }).id;
const until = (read: () => Promise<unknown>) => expect.poll(read, { timeout: 15_000, interval: 100 });

interface InstanceJson { id: string; status: string; variables: Record<string, unknown>; activeElementIds: string[] }
interface TaskJson { id: string; elementId: string }
const tasksOf = async (instance: string) => ((await get(`/api/tasks?instanceId=${instance}`)) as { items: TaskJson[] }).items;
const runsOf = async (caller: string) => ((await get(`/api/instances?callerInstanceId=${caller}`)) as { items: InstanceJson[] }).items;

const agencies = ['Công an tỉnh', 'Cục Thuế', 'Sở Xây dựng', 'Sở Tài nguyên và Môi trường'];

describe('a parallel multi-instance loop with a completionCondition on the server', () => {
  it('cancels the two user tasks still open once two agencies have answered: they leave the inbox', async () => {
    const id = await start('Process_two_answers', { agencies });
    const tasks = await tasksOf(id);
    expect(tasks.map((task) => task.elementId)).toEqual(['consult', 'consult', 'consult', 'consult']);
    expect((await post(`/api/tasks/${tasks[1]!.id}/complete`, { variables: { tax: 'đồng ý' } })).status).toBe(200);
    expect(await tasksOf(id)).toHaveLength(3);
    expect((await post(`/api/tasks/${tasks[3]!.id}/complete`, {})).status).toBe(200);
    expect(((await get(`/api/instances/${id}`)) as InstanceJson).activeElementIds).toEqual(['decide']);
    expect((await tasksOf(id)).map((task) => task.elementId)).toEqual(['decide']);
    const rows = await fixture.database.db('user_tasks').where({ instance_id: id, element_id: 'consult' }).select<Array<{ id: string; status: string }>>('id', 'status');
    expect(Object.fromEntries(rows.map((row) => [row.id, row.status]))).toEqual(Object.fromEntries(tasks.map((task, index) => [task.id, index % 2 === 1 ? 'completed' : 'cancelled'])));
    // A cancelled task can no longer be completed.
    expect((await post(`/api/tasks/${tasks[0]!.id}/complete`, {})).status).toBe(409);
    expect(((await get(`/api/instances/${id}`)) as InstanceJson).variables).toEqual({ agencies, tax: 'đồng ý' });
  });

  it('terminates the runs of a sub-process still going, with their tasks, once two runs have completed', async () => {
    const caller = await start('Process_two_runs', { agencies });
    const runs = await runsOf(caller);
    expect(runs).toHaveLength(4);
    for (const run of [runs[0]!, runs[2]!]) {
      const [task] = await tasksOf(run.id);
      expect((await post(`/api/tasks/${task!.id}/complete`, {})).status).toBe(200);
    }
    await until(async () => ((await get(`/api/instances/${caller}`)) as InstanceJson).activeElementIds).toEqual(['decide']);
    expect((await runsOf(caller)).map((run) => run.status)).toEqual(['completed', 'terminated', 'completed', 'terminated']);
    for (const run of runs) expect(await tasksOf(run.id)).toEqual([]);
  });
});

describe('a multi-instance receive task on the server', () => {
  it('takes one message per instance through one subscription, removed when the last instance has its message', async () => {
    const id = await start('Process_receipts', {});
    const subscriptions = () => fixture.database.db('message_subscriptions').where({ instance_id: id }).select('element_id');
    expect(await subscriptions()).toEqual([{ element_id: 'receipts' }]);
    for (let received = 1; received < 3; received++) {
      expect(((await (await post('/api/messages', { name: 'mi.receipt' })).json()) as { correlated: number }).correlated).toBe(1);
      expect(((await get(`/api/instances/${id}`)) as InstanceJson).activeElementIds).toEqual(['receipts']);
      expect(await subscriptions()).toEqual([{ element_id: 'receipts' }]);
    }
    expect(((await (await post('/api/messages', { name: 'mi.receipt', variables: { last: true } })).json()) as { correlated: number }).correlated).toBe(1);
    const after = (await get(`/api/instances/${id}`)) as InstanceJson;
    expect(after.activeElementIds).toEqual(['file']);
    expect(after.variables).toEqual({ last: true });
    expect(await subscriptions()).toEqual([]);
  });
});
