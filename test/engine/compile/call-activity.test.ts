import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// Circular 01 Art. 16.4: inter-connected procedures, e.g. birth registration calling the
// issue of a health-insurance card.
const caller = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:callActivity id="insuranceCard" calledElement="Process_insurance"/>
  <bpmn:boundaryEvent id="tooLate" attachedToRef="insuranceCard"><bpmn:timerEventDefinition qt:workingHours="40"/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="refused" attachedToRef="insuranceCard"><bpmn:errorEventDefinition errorRef="Error_refused"/></bpmn:boundaryEvent>
  <bpmn:userTask id="handOver"/>
  <bpmn:userTask id="chase"/>
  <bpmn:userTask id="explain"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>insuranceCard', 'insuranceCard>handOver', 'handOver>end', 'tooLate>chase', 'chase>end', 'refused>explain', 'explain>end')}
`, { outside: '<bpmn:error id="Error_refused" errorCode="REFUSED"/>' });

describe('call activity', () => {
  it('starts the called process and takes its variables back when it ends', async () => {
    const instance = await run(caller, { variables: { child: 'Nguyễn Văn C' } });
    expect(instance.open).toMatchObject([{ elementId: 'insuranceCard', kind: 'call', detail: { calledElement: 'Process_insurance' } }, { elementId: 'tooLate', kind: 'timer' }]);
    instance.send({ type: 'call.complete', elementId: 'insuranceCard', variables: { cardNumber: 'GD4797900123456' } });
    expect(instance.activeElementIds).toEqual(['handOver']);
    expect(instance.variables).toEqual({ child: 'Nguyễn Văn C', cardNumber: 'GD4797900123456' });
  });

  it('cancels the called process when a boundary event interrupts the call', async () => {
    const instance = await run(caller);
    instance.send({ type: 'timer', elementId: 'tooLate' });
    expect(instance.trace.at(-1)?.effects).toContainEqual({ type: 'qt.call.cancel', params: { elementId: 'insuranceCard' } });
    expect(instance.activeElementIds).toEqual(['chase']);
  });

  it('hands a failure of the called process to the error boundary event', async () => {
    const instance = await run(caller);
    instance.send({ type: 'call.error', elementId: 'insuranceCard', errorCode: 'REFUSED' });
    expect(instance.activeElementIds).toEqual(['explain']);
  });

  it('refuses a call activity that names no process', async () => {
    const error = await refusal(caller.replace(' calledElement="Process_insurance"', ''));
    expect(error.details).toContainEqual(expect.objectContaining({ elementId: 'insuranceCard', message: expect.stringContaining('calledElement') }));
  });
});

describe('a call activity and the processes of its file', () => {
  // Only the file's executable process is deployed under its key: a call to a sibling process runs
  // it as a child instance of the same definition (engine/compile/called-processes.ts).
  const withSibling = (calledElement: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_calls" targetNamespace="urn:quytrinh:test">
  <bpmn:process id="Process_birth" isExecutable="true">
    <bpmn:startEvent id="start"/><bpmn:callActivity id="insuranceCard" calledElement="${calledElement}"/><bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="insuranceCard"/><bpmn:sequenceFlow id="f2" sourceRef="insuranceCard" targetRef="end"/>
  </bpmn:process>
  <bpmn:process id="Process_insurance" isExecutable="false">
    <bpmn:startEvent id="issueStart"/><bpmn:endEvent id="issueEnd"/><bpmn:sequenceFlow id="f3" sourceRef="issueStart" targetRef="issueEnd"/>
  </bpmn:process>
</bpmn:definitions>`;

  it('runs a call to another process of the same file as a run of the definition, to its end', async () => {
    const instance = await run(withSibling('Process_insurance'));
    expect(instance.trace[0]!.effects).toContainEqual({ type: 'qt.run.start', params: { elementId: 'insuranceCard' } });
    expect(instance.status).toBe('completed');
  });

  it('deploys a call to a process of another file, or to itself', async () => {
    for (const calledElement of ['Process_registry', 'Process_birth']) {
      const instance = await run(withSibling(calledElement));
      expect(instance.open).toMatchObject([{ elementId: 'insuranceCard', kind: 'call', detail: { calledElement } }]);
    }
  });
});
