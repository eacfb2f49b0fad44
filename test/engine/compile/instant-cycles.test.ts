import { describe, expect, it } from 'vitest';
import { bpmnProcess, compile, flows, refusal } from '../../support/process.ts';

/** engine/compile/model-checks.ts: a loop with nothing that waits would run for ever within one step. */
describe('loops of elements that never wait', () => {
  it('refuses a loop through a task of no type and a gateway, naming its elements', async () => {
    const error = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:task id="note"/>
      <bpmn:exclusiveGateway id="again" default="back"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>note', 'note>again')}
      <bpmn:sequenceFlow id="out" sourceRef="again" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">done</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="back" sourceRef="again" targetRef="note"/>`));
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'again', message: expect.stringContaining('The loop through again, note has no element that waits') })]);
  });

  it('deploys the same loop once a person’s task waits in it', async () => {
    const compiled = await compile(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="note"/>
      <bpmn:exclusiveGateway id="again" default="back"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>note', 'note>again')}
      <bpmn:sequenceFlow id="out" sourceRef="again" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">done</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="back" sourceRef="again" targetRef="note"/>`));
    expect(compiled.graph.nodes.has('again')).toBe(true);
  });
});
