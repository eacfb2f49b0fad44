import { beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS_SIGNAL } from '../../engine/bpmn/process-graph.ts';
import { callApi, deployThroughApi, startThroughApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * Message and signal events that name no message or signal (issue 15, docs/bpmn-coverage.md
 * "Events that name nothing"), through the server: `POST /api/messages` addresses an anonymous
 * message catch, receive task or start by the element's id; `POST /api/signals` sends the
 * anonymous signal, which reaches anonymous signal catches and starts and nothing named.
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);

const receiver = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="Event_paid"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>
  <bpmn:receiveTask id="Task_receipt"/>
  <bpmn:userTask id="review"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>Event_paid', 'Event_paid>Task_receipt', 'Task_receipt>review', 'review>end')}
`, { id: 'Process_anonymous_receiver' });

// The same, keyed by the dossier: a message without messageRef still honours qt:correlationKey.
const keyedReceiver = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="Event_keyed"><bpmn:messageEventDefinition qt:correlationKey="=dossier"/></bpmn:intermediateCatchEvent>
  <bpmn:userTask id="review"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>Event_keyed', 'Event_keyed>review', 'review>end')}
`, { id: 'Process_anonymous_keyed' });

const messageStarted = bpmnProcess(`
  <bpmn:startEvent id="Start_submitted"><bpmn:messageEventDefinition/></bpmn:startEvent>
  <bpmn:userTask id="check"/>
  <bpmn:endEvent id="end"/>
  ${flows('Start_submitted>check', 'check>end')}
`, { id: 'Process_anonymous_message_start' });

const signalWaiters = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:parallelGateway id="split"/>
  <bpmn:intermediateCatchEvent id="anonymous"><bpmn:signalEventDefinition/></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="named"><bpmn:signalEventDefinition signalRef="Signal_named"/></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="endAnonymous"/>
  <bpmn:endEvent id="endNamed"/>
  ${flows('start>split', 'split>anonymous', 'split>named', 'anonymous>endAnonymous', 'named>endNamed')}
`, { id: 'Process_anonymous_signal_waiter', outside: '<bpmn:signal id="Signal_named" name="ho-so.co-ten"/>' });

const signalStarted = bpmnProcess(`
  <bpmn:startEvent id="Start_anonymous"><bpmn:signalEventDefinition/></bpmn:startEvent>
  <bpmn:userTask id="handle"/>
  <bpmn:endEvent id="end"/>
  ${flows('Start_anonymous>handle', 'handle>end')}
`, { id: 'Process_anonymous_signal_start' });

// A multiple catch: a message (anonymous) or a timer, whichever comes first (BPMN 2.0 §10.4.1).
const eitherWaiter = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="Event_either"><bpmn:messageEventDefinition/><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:userTask id="handle"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>Event_either', 'Event_either>handle', 'handle>end')}
`, { id: 'Process_multiple_catch' });

const deploy = (xml: string) => deployThroughApi(fixture.api, xml);
const startInstance = (key: string, variables?: Record<string, unknown>) => startThroughApi(fixture.api, key, variables);

const instance = async (id: string) => (await call('GET', `/api/instances/${id}`)).body as { status: string; activeElementIds: string[]; variables: Record<string, unknown> };
const activeOf = (key: string) =>
  fixture.database.db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', key).orderBy('i.started_at').pluck<string[][]>('i.active_element_ids');

beforeAll(async () => {
  for (const model of [receiver, keyedReceiver, messageStarted, signalWaiters, signalStarted, eitherWaiter]) await deploy(model);
});

describe('POST /api/messages to events without messageRef', () => {
  it('reaches an anonymous catch, then an anonymous receive task, each by its element id', async () => {
    const id = await startInstance('Process_anonymous_receiver');
    expect((await instance(id)).activeElementIds).toEqual(['Event_paid']);
    // The receive task is not waiting yet: its message reaches nothing.
    expect((await call('POST', '/api/messages', { name: 'Task_receipt' })).body).toEqual({ correlated: 0 });
    expect((await call('POST', '/api/messages', { name: 'Event_paid', variables: { fee: 50_000 } })).body).toEqual({ correlated: 1 });
    expect((await instance(id)).activeElementIds).toEqual(['Task_receipt']);
    expect((await call('POST', '/api/messages', { name: 'Task_receipt' })).body).toEqual({ correlated: 1 });
    expect(await instance(id)).toMatchObject({ activeElementIds: ['review'], variables: { fee: 50_000 } });
  });

  it('reaches only the instance of the correlation key when the catch declares one', async () => {
    const first = await startInstance('Process_anonymous_keyed', { dossier: 'HS-1' });
    const second = await startInstance('Process_anonymous_keyed', { dossier: 'HS-2' });
    expect((await call('POST', '/api/messages', { name: 'Event_keyed', correlationKey: 'HS-2' })).body).toEqual({ correlated: 1 });
    expect((await instance(first)).activeElementIds).toEqual(['Event_keyed']);
    expect((await instance(second)).activeElementIds).toEqual(['review']);
  });

  it('starts a process at its anonymous message start by the start event id', async () => {
    expect((await call('POST', '/api/messages', { name: 'Start_submitted' })).body).toEqual({ correlated: 1 });
    expect(await activeOf('Process_anonymous_message_start')).toEqual([['check']]);
  });
});

describe('POST /api/signals with the anonymous signal', () => {
  it('reaches anonymous signal catches and starts, not a catch of a named signal', async () => {
    const id = await startInstance('Process_anonymous_signal_waiter');
    expect((await instance(id)).activeElementIds.sort()).toEqual(['anonymous', 'named']);
    const sent = await call('POST', '/api/signals', { name: ANONYMOUS_SIGNAL });
    expect(sent.status).toBe(202);
    await expect.poll(async () => (await instance(id)).activeElementIds, { timeout: 20_000, interval: 100 }).toEqual(['named']);
    await expect.poll(() => activeOf('Process_anonymous_signal_start'), { timeout: 20_000, interval: 100 }).toEqual([['handle']]);
  });
});

describe('a multiple catch of a message and a timer', () => {
  it('goes on at the message and drops its timer job', async () => {
    const id = await startInstance('Process_multiple_catch');
    const timerJobs = async () => (await fixture.database.db.raw<{ rows: unknown[] }>('select 1 from graphile_worker.jobs where key = ?', [`timer:${id}:Event_either`])).rows.length;
    expect(await timerJobs()).toBe(1);
    expect((await call('POST', '/api/messages', { name: 'Event_either' })).body).toEqual({ correlated: 1 });
    expect((await instance(id)).activeElementIds).toEqual(['handle']);
    expect(await timerJobs()).toBe(0);
  });
});
