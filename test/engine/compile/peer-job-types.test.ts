import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';
import { openWork, peerCorpusPresent, startedPeerModel } from '../../support/peer-corpus.ts';

// Models drawn in Camunda Modeler run unchanged: an automated task without qt:jobType takes the
// job type its modeler wrote (docs/bpmn-coverage.md, "Activities").

const CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';
const ZEEBE = 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

function withTask(task: string, attributes = `${CAMUNDA} ${ZEEBE}`): string {
  return bpmnProcess(`<bpmn:startEvent id="start"/>${task}<bpmn:endEvent id="end"/>${flows('start>lookup', 'lookup>end')}`, { attributes });
}

async function jobTypeOf(task: string, attributes?: string): Promise<unknown> {
  const instance = await run(withTask(task, attributes));
  expect(instance.open.map((work) => [work.elementId, work.kind])).toEqual([['lookup', 'job']]);
  return instance.open[0]!.detail.jobType;
}

describe('job types written by other modelers', () => {
  it('reads a Camunda 7 external task\'s topic as the job type, and runs it to the end', async () => {
    const instance = await run(withTask('<bpmn:serviceTask id="lookup" camunda:type="external" camunda:topic="registry.lookup"/>'));
    expect(instance.open).toMatchObject([{ elementId: 'lookup', kind: 'job', detail: { jobType: 'registry.lookup' } }]);
    instance.send({ type: 'job.complete', elementId: 'lookup', variables: { found: true } });
    expect(instance.status).toBe('completed');
    expect(instance.variables).toEqual({ found: true });
  });

  it('reads a Camunda 7 connector\'s id as the job type (its parameters are the worker\'s), and stays refused for a connector without one', async () => {
    const connector = (id: string) => `<bpmn:serviceTask id="lookup"><bpmn:extensionElements><camunda:connector><camunda:inputOutput><camunda:inputParameter name="url">https://dvc.gov.vn</camunda:inputParameter></camunda:inputOutput>${id}</camunda:connector></bpmn:extensionElements></bpmn:serviceTask>`;
    expect(await jobTypeOf(connector('<camunda:connectorId> http-connector </camunda:connectorId>'))).toBe('http-connector');
    expect((await refusal(withTask(connector('')))).details).toEqual([expect.objectContaining({ elementId: 'lookup', message: expect.stringContaining('without qt:jobType') })]);
  });

  it('reads Zeebe\'s zeebe:taskDefinition type, on service, send, business-rule and script tasks', async () => {
    for (const kind of ['serviceTask', 'sendTask', 'businessRuleTask', 'scriptTask']) {
      expect(await jobTypeOf(`<bpmn:${kind} id="lookup"><bpmn:extensionElements><zeebe:taskDefinition type="registry.lookup" retries="3"/></bpmn:extensionElements></bpmn:${kind}>`)).toBe('registry.lookup');
    }
  });

  it('resolves the namespace whatever prefix the file gives it, declared on the element or an ancestor', async () => {
    const task = '<bpmn:serviceTask id="lookup" xmlns:c7="http://camunda.org/schema/1.0/bpmn" c7:type="external" c7:topic="by-c7"/>';
    expect(await jobTypeOf(task, '')).toBe('by-c7');
    const zeebe = '<bpmn:serviceTask id="lookup"><bpmn:extensionElements><z:taskDefinition type="by-z"/></bpmn:extensionElements></bpmn:serviceTask>';
    expect(await jobTypeOf(zeebe, 'xmlns:z="http://camunda.org/schema/zeebe/1.0"')).toBe('by-z');
  });

  it('prefers qt:jobType, then camunda:topic, then zeebe:taskDefinition', async () => {
    const zeebe = '<bpmn:extensionElements><zeebe:taskDefinition type="from-zeebe"/></bpmn:extensionElements>';
    expect(await jobTypeOf(`<bpmn:serviceTask id="lookup" qt:jobType="from-qt" camunda:type="external" camunda:topic="from-camunda">${zeebe}</bpmn:serviceTask>`)).toBe('from-qt');
    expect(await jobTypeOf(`<bpmn:serviceTask id="lookup" camunda:type="external" camunda:topic="from-camunda">${zeebe}</bpmn:serviceTask>`)).toBe('from-camunda');
  });

  it('does not read a topic without camunda:type="external", nor an attribute of another namespace named topic', async () => {
    for (const task of [
      '<bpmn:serviceTask id="lookup" camunda:topic="registry.lookup"/>',
      '<bpmn:serviceTask id="lookup" camunda:type="connector" camunda:topic="registry.lookup"/>',
      '<bpmn:serviceTask id="lookup" xmlns:other="urn:other" other:type="external" other:topic="registry.lookup"/>',
      // Camunda 7 defines no topic on a script task.
      '<bpmn:scriptTask id="lookup" camunda:type="external" camunda:topic="registry.lookup"/>',
    ]) {
      const error = await refusal(withTask(task));
      expect(error.details).toEqual([expect.objectContaining({ elementId: 'lookup', message: expect.stringContaining('without qt:jobType') })]);
    }
  });

  it('refuses a Zeebe job type written as an expression, naming the task', async () => {
    const error = await refusal(withTask('<bpmn:serviceTask id="lookup"><bpmn:extensionElements><zeebe:taskDefinition type="=&quot;lookup.&quot; + region"/></bpmn:extensionElements></bpmn:serviceTask>'));
    expect(error.code).toBe('bpmn.invalid-attribute');
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'lookup', message: expect.stringContaining('is an expression; the engine needs a fixed job type') })]);
  });
});

describe.skipIf(!peerCorpusPresent)('peer models whose tasks name a Camunda 7 connector', () => {
  it('issue-4: the mail is a job of the connector send-email; once done the run goes on to its next task', async () => {
    const instance = await startedPeerModel('resources/bpmn-elements/issue-4.bpmn');
    expect(instance.open).toMatchObject([{ elementId: 'sendEmail_1', kind: 'job', detail: { jobType: 'send-email' } }]);
    instance.send({ type: 'job.complete', elementId: 'sendEmail_1', variables: { messageId: 'thu-1' } });
    expect(openWork(instance)).not.toContainEqual(['sendEmail_1', 'job']);
    expect(instance.variables).toMatchObject({ messageId: 'thu-1' });
  });

  it('diagram_1: ten instances of the connector get, the run ends when the tenth completes', async () => {
    const instance = await startedPeerModel('resources/bpmn-engine/diagram_1.bpmn');
    expect(instance.open.map((work) => work.detail.jobType)).toEqual(Array(10).fill('get'));
    for (let index = 0; index < 10; index++) instance.send({ type: 'job.complete', elementId: 'Task_03r84j5', index });
    expect(instance.status).toBe('completed');
  });
});
