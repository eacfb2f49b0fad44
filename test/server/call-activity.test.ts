import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { timerJobKey } from '../../server/execution/job-kinds.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

// Circular 01 Art. 16.4: birth registration calls the issue of a health-insurance card.
const birth = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:callActivity id="insuranceCard" calledElement="Process_insurance"/>
  <bpmn:boundaryEvent id="withdrawn" attachedToRef="insuranceCard"><bpmn:messageEventDefinition messageRef="Message_withdrawn" qt:correlationKey="=dossier"/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="refused" attachedToRef="insuranceCard"><bpmn:errorEventDefinition errorRef="Error_refused"/></bpmn:boundaryEvent>
  <bpmn:userTask id="handOver"/>
  <bpmn:userTask id="explain"/>
  <bpmn:endEvent id="end"/>
  <bpmn:endEvent id="cancelled"/>
  ${flows('start>insuranceCard', 'insuranceCard>handOver', 'handOver>end', 'withdrawn>cancelled', 'refused>explain', 'explain>end')}
`, { id: 'Process_birth', outside: '<bpmn:message id="Message_withdrawn" name="birth.withdrawn"/><bpmn:error id="Error_refused" errorCode="REFUSED"/>' });

const insurance = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="issueCard"/>
  <bpmn:exclusiveGateway id="ok" default="ok_yes"/>
  <bpmn:endEvent id="issued"/>
  <bpmn:endEvent id="refusedEnd"><bpmn:errorEventDefinition errorRef="Error_refused"/></bpmn:endEvent>
  ${flows('start>issueCard', 'issueCard>ok')}
  <bpmn:sequenceFlow id="ok_yes" sourceRef="ok" targetRef="issued"/>
  <bpmn:sequenceFlow id="ok_no" sourceRef="ok" targetRef="refusedEnd"><bpmn:conditionExpression>refuse</bpmn:conditionExpression></bpmn:sequenceFlow>
`, { id: 'Process_insurance', outside: '<bpmn:error id="Error_refused" errorCode="REFUSED"/>' });

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

beforeAll(async () => {
  for (const xml of [insurance, birth]) {
    expect((await fixture.api.fetch(`/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml })).status).toBe(201);
  }
});

const get = async (path: string) => (await fixture.api.fetch(`${path}`)).json();
const post = async (path: string, body: unknown) => fixture.api.fetch(`${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function startBirth(): Promise<{ caller: string; child: string; dossier: string }> {
  const dossier = randomUUID();
  const caller = ((await (await post('/api/definitions/Process_birth/instances', { variables: { child: 'Nguyễn Văn C', dossier } })).json()) as { id: string }).id;
  const [child] = (await fixture.database.db('process_instances').where({ parent_instance_id: caller }).pluck('id')) as string[];
  return { caller, child: child!, dossier };
}

describe('call activities on the server', () => {
  it('runs the called procedure as its own instance and continues the caller with its variables', async () => {
    const { caller, child, dossier } = await startBirth();
    expect(await get(`/api/instances/${child}`)).toMatchObject({ definitionKey: 'Process_insurance', callerInstanceId: caller, variables: { child: 'Nguyễn Văn C', dossier }, activeElementIds: ['issueCard'] });
    const [task] = (await get(`/api/tasks?instanceId=${child}`)).items;
    expect((await post(`/api/tasks/${task.id}/complete`, { variables: { cardNumber: 'GD4797900123456' } })).status).toBe(200);
    await expect.poll(async () => (await get(`/api/instances/${caller}`)).activeElementIds, { timeout: 10_000, interval: 100 }).toEqual(['handOver']);
    expect((await get(`/api/instances/${caller}`)).variables).toEqual({ child: 'Nguyễn Văn C', dossier, cardNumber: 'GD4797900123456' });
  });

  it('terminates the called instance when the call is interrupted', async () => {
    const { caller, child, dossier } = await startBirth();
    const { correlated } = (await (await post('/api/messages', { name: 'birth.withdrawn', correlationKey: dossier })).json()) as { correlated: number };
    expect(correlated).toBe(1);
    expect((await get(`/api/instances/${caller}`)).status).toBe('completed');
    expect(await get(`/api/instances/${child}`)).toMatchObject({ status: 'terminated', activeElementIds: [] });
    expect((await get(`/api/tasks?instanceId=${child}`)).items).toEqual([]);
  });

  it('gives a failure of the called procedure to the caller\'s error boundary event', async () => {
    const { caller, child } = await startBirth();
    const [task] = (await get(`/api/tasks?instanceId=${child}`)).items;
    await post(`/api/tasks/${task.id}/complete`, { variables: { refuse: true } });
    await expect.poll(async () => (await get(`/api/instances/${caller}`)).activeElementIds, { timeout: 10_000, interval: 100 }).toEqual(['explain']);
    expect((await get(`/api/instances/${child}`)).status).toBe('failed');
  });

  it('refuses to start a caller whose called procedure is not deployed, naming the call activity, storing nothing', async () => {
    const lonely = birth.replace('Process_birth', 'Process_lonely').replace('calledElement="Process_insurance"', 'calledElement="Process_missing"');
    await fixture.api.fetch(`/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: lonely });
    const before = await fixture.database.db('process_instances').count<Array<{ count: string }>>('* as count');
    const response = await post('/api/definitions/Process_lonely/instances', {});
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'call.not-deployed', errors: [{ elementId: 'insuranceCard' }] });
    expect(await fixture.database.db('process_instances').count<Array<{ count: string }>>('* as count')).toEqual(before);
  });

  it('records an incident when a timer job fails on its last attempt, and its retry fires the same timer once the cause is fixed', async () => {
    const deferred = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:callActivity id="register" calledElement="Process_registry"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>wait', 'wait>register', 'register>end')}
    `, { id: 'Process_deferred' });
    const registry = bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="record"/><bpmn:endEvent id="end"/>${flows('start>record', 'record>end')}`, { id: 'Process_registry' });
    const deployModel = (xml: string) => fixture.api.fetch(`/api/definitions`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml });
    expect((await deployModel(deferred)).status).toBe(201);
    const { id } = (await (await post('/api/definitions/Process_deferred/instances', {})).json()) as { id: string };
    // The timer falling due on its last attempt (one, rather than waiting out ten with backoff); its step fails: Process_registry is not deployed.
    await fixture.database.db.raw('select graphile_worker.reschedule_jobs(array_agg(id), run_at => now(), max_attempts => 1) from graphile_worker.jobs where key = ?', [timerJobKey(id, 'wait')]);
    const incidentOf = async () => ((await get(`/api/incidents?instanceId=${id}`)) as { items: Array<{ id: string; instanceId: string; elementId: string; message: string }> }).items[0];
    await expect.poll(incidentOf, { timeout: 15_000, interval: 250 }).toMatchObject({ elementId: 'wait', message: expect.stringContaining('Process_registry') });
    expect((await get(`/api/instances/${id}`)).activeElementIds).toEqual(['wait']);

    expect((await deployModel(registry)).status).toBe(201);
    expect((await post(`/api/incidents/${(await incidentOf())!.id}/retry`, {})).status).toBe(200);
    await expect.poll(async () => (await get(`/api/instances/${id}`)).activeElementIds, { timeout: 15_000, interval: 250 }).toEqual(['register']);
    expect(await fixture.database.db('process_instances').where({ parent_instance_id: id }).pluck('status')).toEqual(['active']);
  });
});
