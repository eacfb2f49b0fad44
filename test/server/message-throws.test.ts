import { beforeAll, describe, expect, it } from 'vitest';
import { addJobs, jobSpec, MESSAGE_JOB } from '../../server/execution/job-kinds.ts';
import { callApi, deployThroughApi, startThroughApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { storedRows } from '../support/stored-rows.ts';

/**
 * Inter-connected procedures (liên thông, Circular 01 Art. 16.4): one agency's process notifies
 * another's by a message throw with no qt:jobType, which the platform publishes itself as
 * `POST /api/messages` publishes a message (BPMN 2.0 §10.4.4, §10.4.5), through a qt.message job run after
 * the throwing step is stored. Two processes deployed as two files.
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);
const notice = '<bpmn:message id="Message_notice" name="Thông báo"/>';

// A (one agency): its officer decides, the throw notifies, A goes on to archive at once.
const sender = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="decide"/>
  <bpmn:intermediateThrowEvent id="notify"><bpmn:messageEventDefinition messageRef="Message_notice" qt:correlationKey="=dossierNumber"/></bpmn:intermediateThrowEvent>
  <bpmn:userTask id="archive"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>decide', 'decide>notify', 'notify>archive', 'archive>end')}
`, { id: 'Process_gui_thong_bao', outside: notice });

// B (the other agency): waits for the notice about its own dossier.
const receiver = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="awaitNotice"><bpmn:messageEventDefinition messageRef="Message_notice" qt:correlationKey="=dossierNumber"/></bpmn:intermediateCatchEvent>
  <bpmn:userTask id="handle"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>awaitNotice', 'awaitNotice>handle', 'handle>end')}
`, { id: 'Process_nhan_thong_bao', outside: notice });

// C: a process started by the notice (a message start).
const started = bpmnProcess(`
  <bpmn:startEvent id="noticed"><bpmn:messageEventDefinition messageRef="Message_notice"/></bpmn:startEvent>
  <bpmn:userTask id="review"/>
  <bpmn:endEvent id="end"/>
  ${flows('noticed>review', 'review>end')}
`, { id: 'Process_mo_ho_so', outside: notice });

const deploy = (xml: string) => deployThroughApi(fixture.api, xml);
const startInstance = (key: string, variables?: Record<string, unknown>) => startThroughApi(fixture.api, key, variables);

const instance = async (id: string) => (await call('GET', `/api/instances/${id}`)).body as { status: string; activeElementIds: string[]; variables: Record<string, unknown> };
const instancesOf = (key: string) =>
  fixture.database.db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', key).select<Array<{ id: string; active_element_ids: string[] }>>('i.id', 'i.active_element_ids');
const queuedMessages = async () => (await fixture.database.db.raw<{ rows: unknown[] }>("select 1 from graphile_worker.jobs where task_identifier = 'qt.message'")).rows.length;

describe('a message throw with no qt:jobType, across processes', () => {
  beforeAll(async () => {
    await deploy(sender);
    await deploy(receiver);
    await deploy(started);
  });

  it('reaches the instance of another process waiting with its key and starts the process with its message start, once, however often its job runs', async () => {
    const mine = await startInstance('Process_nhan_thong_bao', { dossierNumber: 'HS-1' });
    const other = await startInstance('Process_nhan_thong_bao', { dossierNumber: 'HS-2' });
    const a = await startInstance('Process_gui_thong_bao', { dossierNumber: 'HS-1' });

    const [task] = (await call('GET', `/api/tasks?instanceId=${a}`)).body.items as Array<{ id: string }>;
    expect((await call('POST', `/api/tasks/${task!.id}/complete`, {})).status).toBe(200);
    // The throw does not wait: A is at its next task as soon as the step is stored.
    expect((await instance(a)).activeElementIds).toEqual(['archive']);

    await expect.poll(async () => (await instance(mine)).activeElementIds, { timeout: 20_000, interval: 100 }).toEqual(['handle']);
    await expect.poll(queuedMessages, { timeout: 20_000, interval: 100 }).toBe(0);
    expect((await instance(other)).activeElementIds).toEqual(['awaitNotice']);
    expect((await instancesOf('Process_mo_ho_so')).map((row) => row.active_element_ids)).toEqual([['review']]);
    // B's history names the message that moved it; the receipt holds the throw's message id.
    const [receipt] = await fixture.database.db('message_receipts').where({ message_name: 'Thông báo' }).select<Array<{ message_id: string; keyed: boolean; correlation_key: string }>>('message_id', 'keyed', 'correlation_key');
    expect(receipt).toMatchObject({ keyed: true, correlation_key: 'HS-1' });
    expect(await fixture.database.db('instance_history').where({ instance_id: mine, event_type: 'message' }).pluck('event_id')).toEqual([`message:${receipt!.message_id}:awaitNotice`]);

    // The same job once more (a re-run after a crash, a second copy): it publishes nothing again.
    const before = await storedRows(fixture.database.db);
    await addJobs(fixture.database.db, [jobSpec(MESSAGE_JOB, { messageId: receipt!.message_id, name: 'Thông báo', correlationKey: 'HS-1', instanceId: a, elementId: 'notify' })]);
    await expect.poll(queuedMessages, { timeout: 20_000, interval: 100 }).toBe(0);
    expect(await storedRows(fixture.database.db)).toEqual(before);
    expect(await fixture.database.db('incidents').where({ instance_id: a }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
  });

  it('a throw in an instance\'s first step publishes too; without a key it starts the message start\'s process and reaches no catch waiting with a key', async () => {
    await deploy(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateThrowEvent id="notifyAll"><bpmn:messageEventDefinition messageRef="Message_notice"/></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>notifyAll', 'notifyAll>end')}
    `, { id: 'Process_thong_bao_chung', outside: notice }));
    const waiting = await startInstance('Process_nhan_thong_bao', { dossierNumber: 'HS-3' });
    const startedBefore = (await instancesOf('Process_mo_ho_so')).length;
    const thrower = await startInstance('Process_thong_bao_chung');
    expect((await instance(thrower)).status).toBe('completed');
    await expect.poll(async () => (await instancesOf('Process_mo_ho_so')).length, { timeout: 20_000, interval: 100 }).toBe(startedBefore + 1);
    await expect.poll(queuedMessages, { timeout: 20_000, interval: 100 }).toBe(0);
    expect((await instance(waiting)).activeElementIds).toEqual(['awaitNotice']);
  });
});
