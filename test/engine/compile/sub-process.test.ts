import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, run } from '../../support/process.ts';

const consultation = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:subProcess id="consult" name="Lấy ý kiến">
    <bpmn:startEvent id="consultStart"/>
    <bpmn:userTask id="ask"/>
    <bpmn:exclusiveGateway id="agreed" default="agreed_yes"/>
    <bpmn:endEvent id="consultEnd"/>
    <bpmn:endEvent id="objection"><bpmn:errorEventDefinition errorRef="Error_objection"/></bpmn:endEvent>
    <bpmn:sequenceFlow id="consultStart_ask" sourceRef="consultStart" targetRef="ask"/>
    <bpmn:sequenceFlow id="ask_agreed" sourceRef="ask" targetRef="agreed"/>
    <bpmn:sequenceFlow id="agreed_yes" sourceRef="agreed" targetRef="consultEnd"/>
    <bpmn:sequenceFlow id="agreed_no" sourceRef="agreed" targetRef="objection"><bpmn:conditionExpression>objects</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:subProcess>
  <bpmn:boundaryEvent id="objected" attachedToRef="consult"><bpmn:errorEventDefinition errorRef="Error_objection"/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="tooLong" attachedToRef="consult"><bpmn:timerEventDefinition qt:workingHours="40"/></bpmn:boundaryEvent>
  <bpmn:userTask id="decide"/>
  <bpmn:userTask id="refuse"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>consult', 'consult>decide', 'decide>end', 'objected>refuse', 'refuse>end', 'tooLong>decide')}
`, { outside: '<bpmn:error id="Error_objection" errorCode="OBJECTION"/>' });

describe('embedded sub-process', () => {
  it('runs its inside and continues when it ends', async () => {
    const instance = await run(consultation);
    expect(instance.activeElementIds.sort()).toEqual(['ask', 'consult']);
    instance.send({ type: 'task.complete', elementId: 'ask', variables: { objects: false } });
    expect(instance.activeElementIds).toEqual(['decide']);
  });

  it('an error end event inside is caught by the error boundary on the sub-process', async () => {
    const instance = await run(consultation);
    instance.send({ type: 'task.complete', elementId: 'ask', variables: { objects: true } });
    expect(instance.activeElementIds).toEqual(['refuse']);
    expect(instance.status).toBe('active');
  });

  it('a timer on the sub-process interrupts everything inside it', async () => {
    const instance = await run(consultation);
    instance.send({ type: 'timer', elementId: 'tooLong' });
    expect(instance.activeElementIds).toEqual(['decide']);
    expect(instance.open.map((w) => w.elementId)).toEqual(['decide']); // the inner task was closed
  });
});
