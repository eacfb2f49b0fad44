import { describe, expect, it } from 'vitest';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const deploy = (xml: string) => fixture.api.fetch(`/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml });
const instancesOf = async (key: string) =>
  fixture.database.db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', key).select<Array<{ variables: Record<string, unknown> }>>('i.variables');

describe('start events', () => {
  it('a message start event starts one instance per message, and none again when it is redelivered', async () => {
    const online = bpmnProcess(`
      <bpmn:startEvent id="submittedOnline"><bpmn:messageEventDefinition messageRef="Message_submitted"/></bpmn:startEvent>
      <bpmn:userTask id="receive"/>
      <bpmn:endEvent id="end"/>
      ${flows('submittedOnline>receive', 'receive>end')}
    `, { id: 'Process_online', outside: '<bpmn:message id="Message_submitted" name="dossier.submitted"/>' });
    expect((await deploy(online)).status).toBe(201);
    const message = { name: 'dossier.submitted', messageId: 'portal-42', variables: { applicant: 'Lê Thị D' } };
    const send = async () => ((await (await fixture.api.fetch(`/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(message) })).json()) as { correlated: number }).correlated;
    expect(await send()).toBe(1);
    expect(await send()).toBe(0);
    expect(await instancesOf('Process_online')).toEqual([{ variables: { applicant: 'Lê Thị D' } }]);
  });

  it('one message starts every procedure that starts on it, even when their start events share an id', async () => {
    const keys = ['Process_household', 'Process_residence'];
    for (const id of keys) {
      const model = bpmnProcess(`
        <bpmn:startEvent id="StartEvent_1"><bpmn:messageEventDefinition messageRef="Message_moved"/></bpmn:startEvent>
        <bpmn:userTask id="receive"/>
        <bpmn:endEvent id="end"/>
        ${flows('StartEvent_1>receive', 'receive>end')}
      `, { id, outside: '<bpmn:message id="Message_moved" name="citizen.moved"/>' });
      expect((await deploy(model)).status).toBe(201);
    }
    const message = { name: 'citizen.moved', messageId: 'portal-43' };
    const response = await fixture.api.fetch(`/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(message) });
    expect(((await response.json()) as { correlated: number }).correlated).toBe(2);
    for (const key of keys) expect(await instancesOf(key)).toHaveLength(1);
  });

  it('a timer start event starts an instance when it falls due', async () => {
    const scheduled = bpmnProcess(`
      <bpmn:startEvent id="inAMoment"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:userTask id="review"/>
      <bpmn:endEvent id="end"/>
      ${flows('inAMoment>review', 'review>end')}
    `, { id: 'Process_scheduled' });
    expect((await deploy(scheduled)).status).toBe(201);
    await expect.poll(async () => (await instancesOf('Process_scheduled')).length, { timeout: 15_000, interval: 250 }).toBe(1);
    // Exactly one: once no timer-start job of the process is left, nothing can start another.
    const pending = async () => (await fixture.database.db.raw<{ rows: unknown[] }>("select 1 from graphile_worker.jobs where starts_with(key, 'timer-start:Process_scheduled:')")).rows.length;
    await expect.poll(pending, { timeout: 15_000, interval: 250 }).toBe(0);
    expect(await instancesOf('Process_scheduled')).toHaveLength(1);
  });

  it('deploying a version replaces its own timer starts only, not those of a process whose id matches it as a LIKE pattern', async () => {
    const daily = (id: string) => bpmnProcess(`
      <bpmn:startEvent id="tomorrow"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:endEvent id="end"/>
      ${flows('tomorrow>end')}
    `, { id });
    const armed = async () => (await fixture.database.db.raw<{ rows: Array<{ key: string }> }>("select key from graphile_worker.jobs where key in ('timer-start:ProcessXa:tomorrow', 'timer-start:Process_a:tomorrow')")).rows.map((row) => row.key).sort();
    expect((await deploy(daily('ProcessXa'))).status).toBe(201);
    expect((await deploy(daily('Process_a'))).status).toBe(201);
    expect(await armed()).toEqual(['timer-start:ProcessXa:tomorrow', 'timer-start:Process_a:tomorrow']);
  });

  it('a timer cycle starts an instance each round, as many rounds as it says', async () => {
    const everySecond = bpmnProcess(`
      <bpmn:startEvent id="everySecond"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:userTask id="review"/>
      <bpmn:endEvent id="end"/>
      ${flows('everySecond>review', 'review>end')}
    `, { id: 'Process_cycle' });
    expect((await deploy(everySecond)).status).toBe(201);
    await expect.poll(async () => (await instancesOf('Process_cycle')).length, { timeout: 20_000, interval: 250 }).toBe(3);
    const pending = async () => (await fixture.database.db.raw<{ rows: unknown[] }>("select 1 from graphile_worker.jobs where starts_with(key, 'timer-start:Process_cycle:')")).rows.length;
    await expect.poll(pending, { timeout: 15_000, interval: 250 }).toBe(0);
    expect(await instancesOf('Process_cycle')).toHaveLength(3);
  });

  it('refuses at deployment a timer it could not arm, naming the element', async () => {
    const bounded = bpmnProcess(`
      <bpmn:startEvent id="everyMonday"><bpmn:timerEventDefinition><bpmn:timeCycle>R/2026-01-05T08:00:00/P1W</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:endEvent id="end"/>
      ${flows('everyMonday>end')}
    `, { id: 'Process_bounded_cycle' });
    const response = await deploy(bounded);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: Array<{ elementId: string; message: string }> }).errors).toContainEqual(expect.objectContaining({ elementId: 'everyMonday', message: expect.stringContaining('R3/PT24H') }));
  });
});
