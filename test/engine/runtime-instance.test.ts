import { describe, expect, it } from 'vitest';
import type { ProcessEvent } from '../../engine/compile/index.ts';
import { applyEvent, startInstance, type Step } from '../../engine/runtime/instance.ts';
import { bpmnProcess, compile, flows } from '../support/process.ts';

const condition = (expression: string) => `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${expression}</bpmn:conditionExpression>`;

// A check returned for amendment once, then a parallel consultation with a multi-instance task.
const consultation = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:exclusiveGateway id="merge"/>
  <bpmn:userTask id="check"/>
  <bpmn:exclusiveGateway id="isComplete" default="toAmend"/>
  <bpmn:userTask id="amend"/>
  <bpmn:parallelGateway id="split"/>
  <bpmn:userTask id="police"/>
  <bpmn:userTask id="agencies"><bpmn:multiInstanceLoopCharacteristics qt:collection="= agencies"/></bpmn:userTask>
  <bpmn:parallelGateway id="join"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>merge', 'merge>check', 'check>isComplete', 'amend>merge', 'split>police', 'split>agencies', 'police>join', 'agencies>join', 'join>end')}
  <bpmn:sequenceFlow id="toSplit" sourceRef="isComplete" targetRef="split">${condition('complete = true')}</bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="toAmend" sourceRef="isComplete" targetRef="amend"/>
`);

const events: ProcessEvent[] = [
  { type: 'task.complete', elementId: 'check', variables: { complete: false } },
  { type: 'task.complete', elementId: 'police' }, // not open: refused
  { type: 'task.complete', elementId: 'amend' },
  { type: 'task.complete', elementId: 'check', variables: { complete: true, agencies: ['tax', 'land'] } },
  { type: 'task.complete', elementId: 'agencies', index: 1 },
  { type: 'task.complete', elementId: 'police' },
  { type: 'task.complete', elementId: 'agencies', index: 0 },
];

describe('a step from the snapshot the previous step returned', () => {
  it('is the step computed from that snapshot read back from storage', async () => {
    const compiled = await compile(consultation);
    const start = startInstance(compiled);
    // In memory, each step's snapshot is handed straight back; from the database it comes back as parsed JSON.
    let kept: Step = start;
    let stored: Step = start;
    const statuses: Array<Step['status'] | 'refused'> = [];
    for (const event of events) {
      const fromKept = applyEvent(compiled, kept.snapshot, event);
      const fromStored = applyEvent(compiled, JSON.parse(JSON.stringify(stored.snapshot)) as Step['snapshot'], event);
      expect(fromKept).toEqual(fromStored);
      statuses.push(fromKept?.status ?? 'refused');
      if (fromKept && fromStored) {
        kept = fromKept;
        stored = fromStored;
      }
    }
    expect(statuses).toEqual(['active', 'refused', 'active', 'active', 'active', 'active', 'completed']);
  });
});
