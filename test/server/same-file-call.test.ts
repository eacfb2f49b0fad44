import { describe, expect, it } from 'vitest';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';

// A call to another process of the deployed file runs it as a child instance of the same
// definition (engine/compile/called-processes.ts): deployed with the file, stepped and reported
// back to the caller as any called instance.
const file = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_same_file" targetNamespace="urn:quytrinh:test">
  <bpmn:process id="Process_birth_same_file" isExecutable="true">
    <bpmn:startEvent id="start"/><bpmn:callActivity id="insuranceCard" calledElement="Process_insurance_same_file"/><bpmn:userTask id="handOver"/><bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="insuranceCard"/><bpmn:sequenceFlow id="f2" sourceRef="insuranceCard" targetRef="handOver"/><bpmn:sequenceFlow id="f3" sourceRef="handOver" targetRef="end"/>
  </bpmn:process>
  <bpmn:process id="Process_insurance_same_file" isExecutable="false">
    <bpmn:startEvent id="issueStart"/><bpmn:userTask id="issueCard"/><bpmn:endEvent id="issueEnd"/>
    <bpmn:sequenceFlow id="f4" sourceRef="issueStart" targetRef="issueCard"/><bpmn:sequenceFlow id="f5" sourceRef="issueCard" targetRef="issueEnd"/>
  </bpmn:process>
</bpmn:definitions>`;

const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const get = async (path: string) => (await fixture.api.fetch(path)).json();
const post = async (path: string, body: unknown) => fixture.api.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('a call to a process of the same file, on the server', () => {
  it('deploys the file, runs the called process as a run of the definition and continues the caller with its variables', async () => {
    expect((await fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: file })).status).toBe(201);
    const caller = ((await (await post('/api/definitions/Process_birth_same_file/instances', { variables: { child: 'Nguyễn Văn C' } })).json()) as { id: string }).id;
    const [child] = (await fixture.database.db('process_instances').where({ parent_instance_id: caller }).pluck('id')) as string[];
    expect(await get(`/api/instances/${child!}`)).toMatchObject({ definitionKey: 'Process_birth_same_file', runOf: 'insuranceCard', callerInstanceId: caller, variables: { child: 'Nguyễn Văn C' }, activeElementIds: ['issueCard'] });
    const [task] = (await get(`/api/tasks?instanceId=${child!}`)).items;
    expect((await post(`/api/tasks/${task.id}/complete`, { variables: { cardNumber: 'GD4797900123456' } })).status).toBe(200);
    await expect.poll(async () => (await get(`/api/instances/${caller}`)).activeElementIds, { timeout: 10_000, interval: 100 }).toEqual(['handOver']);
    expect((await get(`/api/instances/${caller}`)).variables).toEqual({ child: 'Nguyễn Văn C', cardNumber: 'GD4797900123456' });
  });
});
