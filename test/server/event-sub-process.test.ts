import { describe, expect, it } from 'vitest';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const fixture = useApiOverTestDatabase();

const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);

// While the dossier is handled, the applicant may send a supplement, keyed by the dossier number.
const model = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="handle"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>handle', 'handle>end')}
  <bpmn:subProcess id="supplement" triggeredByEvent="true">
    <bpmn:startEvent id="supplement_start" isInterrupting="false"><bpmn:messageEventDefinition messageRef="m" qt:correlationKey="dossierNumber"/></bpmn:startEvent>
    <bpmn:userTask id="record"/>
    <bpmn:endEvent id="supplement_end"/>
    ${flows('supplement_start>record', 'record>supplement_end')}
  </bpmn:subProcess>`, { id: 'Process_supplement', outside: '<bpmn:message id="m" name="bo-sung-ho-so"/>' });

describe('an event sub-process on the server', () => {
  it('is started by a correlated message beside the running flow, and the instance ends when both are done', async () => {
    expect((await call('POST', '/api/definitions', model, 'application/xml')).status).toBe(201);
    const { body: started } = await call('POST', '/api/definitions/Process_supplement/instances', { variables: { dossierNumber: 'HS-001' } });
    const other = await call('POST', '/api/definitions/Process_supplement/instances', { variables: { dossierNumber: 'HS-002' } });
    expect(other.status).toBe(201);

    expect((await call('POST', '/api/messages', { name: 'bo-sung-ho-so', correlationKey: 'HS-001', variables: { supplement: 'bản sao giấy tờ' } })).body).toEqual({ correlated: 1 });
    const tasks = (await call('GET', `/api/tasks?instanceId=${started.id}`)).body.items as Array<{ id: string; elementId: string }>;
    expect(tasks.map((task) => task.elementId).sort()).toEqual(['handle', 'record']);
    expect((await call('GET', `/api/tasks?instanceId=${other.body.id}`)).body.items.map((task: { elementId: string }) => task.elementId)).toEqual(['handle']);

    for (const task of tasks) expect((await call('POST', `/api/tasks/${task.id}/complete`, {})).status).toBe(200);
    const instance = (await call('GET', `/api/instances/${started.id}`)).body;
    expect(instance).toMatchObject({ status: 'completed', variables: { supplement: 'bản sao giấy tờ' } });
  });
});
