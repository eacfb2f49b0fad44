import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// A multi-instance task of no type, as bpmn-engine's tests draw them, then a user task to see the flow go on.
const noType = (kind: 'task' | 'manualTask', loop: string) => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:${kind} id="each">${loop}</bpmn:${kind}>
  <bpmn:userTask id="decide"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>each', 'each>decide', 'decide>end')}`);

// A multi-instance user task over a collection written as bpmn-engine writes it.
const consult = (loop: string) => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="consult">${loop}</bpmn:userTask>
  <bpmn:endEvent id="end"/>
  ${flows('start>consult', 'consult>end')}`);
const agencies = ['Công an tỉnh', 'Cục Thuế', 'Sở Tài nguyên và Môi trường'];
const tasks = (instance: Awaited<ReturnType<typeof run>>) => instance.open.filter((each) => each.kind === 'task').map((each) => each.detail.item);

describe('multi-instance on a task of no type', () => {
  it.each([
    ['task', '<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>', {}],
    ['manualTask', '<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>copies</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>', { copies: 4 }],
    ['task', '<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/>', { agencies }],
    ['task', '<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/>', { agencies: [] }],
  ] as const)('completes every instance of a %s at once and goes on (%s)', async (kind, loop, variables) => {
    const instance = await run(noType(kind, loop), { variables });
    expect(instance.activeElementIds).toEqual(['decide']);
    expect(instance.open.map((each) => each.elementId)).toEqual(['decide']);
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(instance.status).toBe('completed');
    // Nothing of the instances is left in the variables: they ran no work that could set any.
    expect(instance.variables).toEqual(variables);
  });

  it('fails the run when the count is not a number, as bpmn-engine does', async () => {
    const instance = await run(noType('manualTask', '<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>notanumber</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>'));
    expect(instance.status).toBe('failed');
    expect(instance.failure).toMatchObject({ elementId: 'each', errorCode: 'MULTI_INSTANCE_COLLECTION_INVALID' });
  });
});

describe('multi-instance collections and counts written as bpmn-engine expressions', () => {
  it('opens one task per item of ${environment.variables.list}, and goes on when all are done', async () => {
    const instance = await run(consult('<bpmn:multiInstanceLoopCharacteristics qt:collection="${environment.variables.agencies}"/>'), { variables: { agencies } });
    expect(tasks(instance)).toEqual(agencies);
    for (const index of [0, 1, 2]) instance.send({ type: 'task.complete', elementId: 'consult', index });
    expect(instance.status).toBe('completed');
  });

  it('reads a loopCardinality ${…} as a count', async () => {
    const instance = await run(consult('<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>${variables.copies}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>'), { variables: { copies: 2 } });
    expect(tasks(instance)).toEqual([1, 2]);
  });

  it.each([
    [{ agencies, cap: 2 }, agencies.slice(0, 2)],
    [{ agencies, cap: 5 }, agencies],
    [{ agencies }, agencies],
    [{ agencies, cap: 1.5 }, agencies.slice(0, 2)],
  ])('runs a collection with a loopCardinality as at most that many of its items, as bpmn-elements does (%j)', async (variables, items) => {
    const loop = '<bpmn:multiInstanceLoopCharacteristics qt:collection="${environment.variables.agencies}"><bpmn:loopCardinality>${environment.variables.cap}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>';
    const instance = await run(consult(loop), { variables });
    expect(tasks(instance)).toEqual(items);
    for (const index of items.keys()) instance.send({ type: 'task.complete', elementId: 'consult', index });
    expect(instance.status).toBe('completed');
  });

  it('fails the run on a negative count, and refuses an expression that does not translate, naming the activity', async () => {
    const loop = (cap: string) => `<bpmn:multiInstanceLoopCharacteristics qt:collection="\${environment.variables.agencies}"><bpmn:loopCardinality>${cap}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>`;
    const instance = await run(consult(loop('${environment.variables.cap}')), { variables: { agencies, cap: -1 } });
    expect(instance.failure).toMatchObject({ elementId: 'consult', errorCode: 'MULTI_INSTANCE_COLLECTION_INVALID' });
    const error = await refusal(consult(loop('${environment.services.count()}')));
    expect(error.details.map((detail) => detail.elementId)).toEqual(['consult']);
    expect(error.details[0]!.message).toContain('loopCardinality of consult written for bpmn-engine cannot be translated to FEEL: it calls a function');
  });
});
