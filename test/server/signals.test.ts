import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { BROADCAST_PAGE, broadcastPage } from '../../server/execution/signals.ts';
import { callApi, deployThroughApi, startThroughApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { callAs, createPerson, sessionOf, tokenFor } from '../support/identities.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { storedRows } from '../support/stored-rows.ts';

/**
 * Signals across instances (BPMN 2.0 §10.5.6, issue 15): a signal thrown by one instance, or
 * sent to `POST /api/signals`, reaches every instance waiting for it, whatever its process and
 * version, and starts the latest version of each process with a signal start for it; carried out
 * by queue jobs a page at a time, each delivery and start once however often a page runs.
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);
const recall = '<bpmn:signal id="Signal_recall" name="ho-so.thu-hoi"/>';

// A: throws the signal once its officer decides.
const thrower = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="decide"/>
  <bpmn:intermediateThrowEvent id="announce"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateThrowEvent>
  <bpmn:userTask id="after"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>decide', 'decide>announce', 'announce>after', 'after>end')}
`, { id: 'Process_thrower', outside: recall });

// B (version 1): waits at an intermediate catch. C (version 2 of the same process): a boundary event on its task.
const waiterV1 = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="waitRecall"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
  <bpmn:userTask id="handle"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>waitRecall', 'waitRecall>handle', 'handle>end')}
`, { id: 'Process_waiter', outside: recall });
const waiterV2 = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="appraise"/>
  <bpmn:boundaryEvent id="recalled" attachedToRef="appraise"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:boundaryEvent>
  <bpmn:userTask id="undo"/>
  <bpmn:endEvent id="end"/>
  <bpmn:endEvent id="undone"/>
  ${flows('start>appraise', 'appraise>end', 'recalled>undo', 'undo>undone')}
`, { id: 'Process_waiter', outside: recall });

// D: started by the signal (two versions: the latest starts).
const started = (task: string) => bpmnProcess(`
  <bpmn:startEvent id="recalledStart"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:startEvent>
  <bpmn:userTask id="${task}"/>
  <bpmn:endEvent id="end"/>
  ${flows(`recalledStart>${task}`, `${task}>end`)}
`, { id: 'Process_started', outside: recall });

// E: waits for another signal.
const otherWaiter = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="waitOther"><bpmn:signalEventDefinition signalRef="Signal_other"/></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="end"/>
  ${flows('start>waitOther', 'waitOther>end')}
`, { id: 'Process_other', outside: '<bpmn:signal id="Signal_other" name="ho-so.khac"/>' });

const deploy = (xml: string) => deployThroughApi(fixture.api, xml);
const startInstance = (key: string, variables?: Record<string, unknown>) => startThroughApi(fixture.api, key, variables);

const instance = async (id: string) => (await call('GET', `/api/instances/${id}`)).body as { status: string; activeElementIds: string[]; variables: Record<string, unknown> };
const instancesOf = (key: string) =>
  fixture.database.db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', key).orderBy('i.started_at').select<Array<{ id: string; version: number; active_element_ids: string[]; variables: Record<string, unknown> }>>('i.id', 'd.version', 'i.active_element_ids', 'i.variables');
const signalRow = (id: string) => fixture.database.db('signals').where({ id }).first<{ name: string; delivered: number; started: number; finished_at: Date | null; source_instance_id: string | null }>();
const finished = (id: string) => expect.poll(async () => (await signalRow(id))?.finished_at ?? null, { timeout: 20_000, interval: 100 }).not.toBeNull();

beforeAll(async () => {
  await deploy(thrower);
  await deploy(waiterV1);
  await deploy(otherWaiter);
});

describe('a signal thrown by an instance', () => {
  it('reaches B and C waiting in two versions of a process, starts D, and leaves the rest alone', async () => {
    const a = await startInstance('Process_thrower');
    const b = await startInstance('Process_waiter');
    await deploy(waiterV2);
    const c = await startInstance('Process_waiter');
    await deploy(started('review'));
    await deploy(started('reviewAgain'));
    const e = await startInstance('Process_other');
    expect((await instance(b)).activeElementIds).toEqual(['waitRecall']);
    expect((await instance(c)).activeElementIds).toEqual(['appraise']);

    const [task] = (await call('GET', `/api/tasks?instanceId=${a}`)).body.items as Array<{ id: string }>;
    expect((await call('POST', `/api/tasks/${task!.id}/complete`, {})).status).toBe(200);
    expect((await instance(a)).activeElementIds).toEqual(['after']);

    const [signal] = await fixture.database.db('signals').where({ source_instance_id: a }).select<Array<{ id: string }>>('id');
    await finished(signal!.id);
    expect((await instance(b)).activeElementIds).toEqual(['handle']);
    expect((await instance(c)).activeElementIds).toEqual(['undo']);
    expect((await instance(e)).activeElementIds).toEqual(['waitOther']);
    const ds = await instancesOf('Process_started');
    expect(ds.map(({ version, active_element_ids }) => ({ version, active_element_ids }))).toEqual([{ version: 2, active_element_ids: ['reviewAgain'] }]);
    expect(await signalRow(signal!.id)).toMatchObject({ name: 'ho-so.thu-hoi', delivered: 2, started: 1 });
    // The thrower took nothing back: its history has no signal step, B's and C's one each.
    const signalSteps = await fixture.database.db('instance_history').where({ event_type: 'signal' }).orderBy('instance_id').select<Array<{ instance_id: string; element_id: string; event_id: string }>>('instance_id', 'element_id', 'event_id');
    expect(signalSteps).toEqual(expect.arrayContaining([
      { instance_id: b, element_id: 'waitRecall', event_id: `signal:${signal!.id}` },
      { instance_id: c, element_id: 'recalled', event_id: `signal:${signal!.id}` },
    ]));
    expect(signalSteps).toHaveLength(2);
    // Once they no longer wait, B and C hold no subscription; E still does.
    expect(await fixture.database.db('signal_subscriptions').orderBy('instance_id').select('instance_id', 'element_id', 'signal_name')).toEqual([{ instance_id: e, element_id: 'waitOther', signal_name: 'ho-so.khac' }]);

    // A page run again (a job re-run after a crash) delivers and starts nothing twice.
    const before = await storedRows(fixture.database.db);
    await broadcastPage(fixture.database.db, { signalId: signal!.id }, pino({ level: 'silent' }));
    const after = await storedRows(fixture.database.db);
    for (const table of ['public."process_instances"', 'public."instance_history"', 'public."user_tasks"', 'public."signals"', 'public."signal_subscriptions"']) expect(after[table]).toBe(before[table]);
  });
});

describe('POST /api/signals', () => {
  it('broadcasts a signal with its variables, and a resend of its id delivers nothing', async () => {
    const b = await startInstance('Process_waiter', { dossier: 'HS-7' });
    const startedBefore = (await instancesOf('Process_started')).length;
    const sent = { name: 'ho-so.thu-hoi', signalId: 'portal-recall-7', variables: { recalledBy: 'Sở Tư pháp' } };
    const first = await call('POST', '/api/signals', sent);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ id: expect.any(String) });
    const resent = await call('POST', '/api/signals', sent);
    expect(resent.status).toBe(200);
    expect(resent.body).toEqual({ id: first.body.id, duplicate: true });
    await finished(first.body.id);
    expect(await instance(b)).toMatchObject({ activeElementIds: ['undo'], variables: { dossier: 'HS-7', recalledBy: 'Sở Tư pháp' } });
    const ds = await instancesOf('Process_started');
    expect(ds).toHaveLength(startedBefore + 1);
    expect(ds.at(-1)!.variables).toEqual({ recalledBy: 'Sở Tư pháp' });
    expect(await fixture.database.db('signals').where({ sender_id: 'portal-recall-7' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
    // The same sender id on a signal of another name is another signal.
    expect((await call('POST', '/api/signals', { ...sent, name: 'ho-so.khac' })).status).toBe(202);
  });

  it('reaches an element that began waiting with a task completion, and one that stopped waiting no more', async () => {
    await deploy(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="receive"/>
      <bpmn:userTask id="appraise"/>
      <bpmn:boundaryEvent id="recalled" attachedToRef="appraise"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:boundaryEvent>
      <bpmn:userTask id="sign"/>
      <bpmn:userTask id="undo"/>
      <bpmn:endEvent id="end"/><bpmn:endEvent id="undone"/>
      ${flows('start>receive', 'receive>appraise', 'appraise>sign', 'sign>end', 'recalled>undo', 'undo>undone')}
    `, { id: 'Process_two_steps', outside: recall }));
    const complete = async (id: string, elementId: string) => {
      const task = ((await call('GET', `/api/tasks?instanceId=${id}`)).body.items as Array<{ id: string; elementId: string }>).find((open) => open.elementId === elementId)!;
      expect((await call('POST', `/api/tasks/${task.id}/complete`, {})).status).toBe(200);
    };
    const waiting = await startInstance('Process_two_steps');
    await complete(waiting, 'receive'); // subscribes as it opens appraise
    const past = await startInstance('Process_two_steps');
    await complete(past, 'receive');
    await complete(past, 'appraise'); // unsubscribes as it leaves it
    expect(await fixture.database.db('signal_subscriptions').whereIn('instance_id', [waiting, past]).select('instance_id', 'element_id')).toEqual([{ instance_id: waiting, element_id: 'recalled' }]);
    const { body } = await call('POST', '/api/signals', { name: 'ho-so.thu-hoi' });
    await finished(body.id);
    expect((await instance(waiting)).activeElementIds).toEqual(['undo']);
    expect((await instance(past)).activeElementIds).toEqual(['sign']);
  });

  it('an instance whose step is refused holds up no other: it gets a delivery job of its own', async () => {
    const signal = '<bpmn:signal id="Signal_close" name="ho-so.dong"/>';
    const catchThen = (id: string, after: string) => bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="waitClose"><bpmn:signalEventDefinition signalRef="Signal_close"/></bpmn:intermediateCatchEvent>
      ${after}
      <bpmn:endEvent id="end"/>
      ${flows('start>waitClose', 'waitClose>next', 'next>end')}
    `, { id, outside: signal });
    await deploy(catchThen('Process_close_calls', '<bpmn:callActivity id="next" calledElement="Process_not_deployed"/>'));
    await deploy(catchThen('Process_close_task', '<bpmn:userTask id="next"/>'));
    const refused = await startInstance('Process_close_calls');
    const fine = await startInstance('Process_close_task');
    const { body } = await call('POST', '/api/signals', { name: 'ho-so.dong' });
    await finished(body.id);
    expect((await instance(fine)).activeElementIds).toEqual(['next']);
    expect((await instance(refused)).activeElementIds).toEqual(['waitClose']);
    const own = await fixture.database.db.raw<{ rows: Array<{ key: string }> }>("select key from graphile_worker.jobs where task_identifier = 'qt.signal-delivery'");
    expect(own.rows).toEqual([{ key: `signal:${body.id}:${refused}` }]);
    // Once what it calls is deployed, a retry of that job delivers the signal (and counts it).
    await deploy(bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="work"/><bpmn:endEvent id="end"/>${flows('start>work', 'work>end')}`, { id: 'Process_not_deployed' }));
    await expect.poll(async () => (await instance(refused)).activeElementIds, { timeout: 30_000, interval: 200 }).toEqual(['next']);
    await expect.poll(async () => (await signalRow(body.id))?.delivered, { timeout: 5_000, interval: 100 }).toBe(2);
  });

  it('an instance cancelled while it waits holds no subscription any more', async () => {
    const cancelled = await startInstance('Process_waiter');
    expect(await fixture.database.db('signal_subscriptions').where({ instance_id: cancelled }).pluck('element_id')).toEqual(['recalled']);
    expect((await call('POST', `/api/monitoring/instances/${cancelled}/cancel`, { reason: 'Người nộp rút hồ sơ' })).status).toBe(200);
    expect(await fixture.database.db('signal_subscriptions').where({ instance_id: cancelled }).pluck('element_id')).toEqual([]);
  });

  it('reaches more instances than a page holds, page after page', { timeout: 120_000 }, async () => {
    const count = BROADCAST_PAGE + 20;
    const ids = [];
    for (let i = 0; i < count; i++) ids.push(await startInstance('Process_waiter', { n: i }));
    const { body } = await call('POST', '/api/signals', { name: 'ho-so.thu-hoi' });
    await finished(body.id);
    expect(await signalRow(body.id)).toMatchObject({ delivered: count, started: 1 });
    const moved = await fixture.database.db('process_instances').whereIn('id', ids).pluck<string[][]>('active_element_ids');
    expect(moved).toEqual(ids.map(() => ['undo']));
  });

  it('is open to staff, administrators and worker tokens only', async () => {
    const { db } = fixture.database;
    const body = { name: 'ho-so.khong-ai-cho' };
    for (const [username, role] of [['signal-citizen', 'citizen'], ['signal-official', 'official'], ['signal-analyst', 'analyst']] as const) {
      const refused = await callAs(fixture.api, await sessionOf(db, await createPerson(db, username, [role])), 'POST', '/api/signals', body);
      expect(refused.status).toBe(403);
    }
    expect((await callAs(fixture.api, null, 'POST', '/api/signals', body)).status).toBe(401);
    expect((await callAs(fixture.api, await sessionOf(db, await createPerson(db, 'signal-staff', ['staff'])), 'POST', '/api/signals', body)).status).toBe(202);
    expect((await callAs(fixture.api, await tokenFor(db, 'worker'), 'POST', '/api/signals', body)).status).toBe(202);
  });

  it('refuses a bad body with a 400 naming the field, storing nothing', async () => {
    // The broadcasts of the tests above are over: nothing changes the tables meanwhile.
    const broadcasting = async () => (await fixture.database.db.raw<{ rows: unknown[] }>("select 1 from graphile_worker.jobs where task_identifier like 'qt.signal%'")).rows.length;
    await expect.poll(broadcasting, { timeout: 20_000, interval: 100 }).toBe(0);
    for (const [sent, field] of [
      [{}, 'body.name'],
      [{ name: '' }, 'body.name'],
      [{ name: 'x'.repeat(300) }, 'body.name'],
      [{ name: 'ho-so.thu-hoi', variables: 'khong' }, 'body.variables'],
      [{ name: 'ho-so.thu-hoi', signalId: '' }, 'body.signalId'],
    ] as const) {
      const before = await storedRows(fixture.database.db);
      const refused = await call('POST', '/api/signals', sent);
      expect(refused.status).toBe(400);
      expect(refused.type).toContain('application/problem+json');
      expect(refused.body.messages).toEqual({ vi: expect.any(String), en: expect.any(String) });
      expect(refused.body.errors).toContainEqual(expect.objectContaining({ field }));
      expect(await storedRows(fixture.database.db)).toEqual(before);
    }
  });
});
