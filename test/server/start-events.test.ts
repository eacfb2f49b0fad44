import { describe, expect, it } from 'vitest';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const deploy = (xml: string) => fetch(`${fixture.api.url}/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml });
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
    const send = async () => ((await (await fetch(`${fixture.api.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(message) })).json()) as { correlated: number }).correlated;
    expect(await send()).toBe(1);
    expect(await send()).toBe(0);
    expect(await instancesOf('Process_online')).toEqual([{ variables: { applicant: 'Lê Thị D' } }]);
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
  });

  it('refuses at deployment a timer it could not arm, naming the element', async () => {
    const cycle = bpmnProcess(`
      <bpmn:startEvent id="everyMonday"><bpmn:timerEventDefinition><bpmn:timeCycle>R/P1W</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:endEvent id="end"/>
      ${flows('everyMonday>end')}
    `, { id: 'Process_cycle' });
    const response = await deploy(cycle);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: Array<{ elementId: string; message: string }> }).errors).toContainEqual(expect.objectContaining({ elementId: 'everyMonday', message: expect.stringContaining('cycles') }));
  });
});
