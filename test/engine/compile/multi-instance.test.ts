import { describe, expect, it } from 'vitest';
import { MAX_MULTI_INSTANCE_ITEMS } from '../../../engine/compile/machine.ts';
import { QuyTrinhError } from '../../../engine/errors.ts';
import { startInstance } from '../../../engine/runtime/instance.ts';
import { bpmnProcess, compile, flows, refusal, run } from '../../support/process.ts';

const consult = (loop: string, extra = '') => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="consult" name="Lấy ý kiến">${loop}</bpmn:userTask>
  ${extra}
  <bpmn:userTask id="decide"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>consult', 'consult>decide', 'decide>end')}
`);
const agencies = ['Công an tỉnh', 'Cục Thuế', 'Sở Tài nguyên và Môi trường'];

describe('multi-instance tasks', () => {
  it('opens one task per item at once (parallel) and goes on when all are done', async () => {
    const instance = await run(consult('<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/>'), { variables: { agencies } });
    expect(instance.open.map((w) => [w.detail.index, w.detail.item])).toEqual(agencies.map((agency, index) => [index, agency]));
    instance.send({ type: 'task.complete', elementId: 'consult', index: 2, variables: { land: 'đồng ý' } });
    instance.send({ type: 'task.complete', elementId: 'consult', index: 0, variables: { police: 'đồng ý' } });
    expect(instance.send({ type: 'task.complete', elementId: 'consult', index: 0 })).toBe(false); // done already
    expect(instance.activeElementIds).toEqual(['consult']);
    instance.send({ type: 'task.complete', elementId: 'consult', index: 1, variables: { tax: 'đồng ý' } });
    expect(instance.activeElementIds).toEqual(['decide']);
    expect(instance.variables).toMatchObject({ land: 'đồng ý', police: 'đồng ý', tax: 'đồng ý' });
  });

  it('opens them one after another (sequential), in the order of the list', async () => {
    const instance = await run(consult('<bpmn:multiInstanceLoopCharacteristics isSequential="true" qt:collection="agencies"/>'), { variables: { agencies } });
    const seen: unknown[] = [];
    for (let index = 0; index < 3; index++) {
      expect(instance.open.map((w) => w.detail.index)).toEqual([index]);
      seen.push(instance.open[0]!.detail.item);
      instance.send({ type: 'task.complete', elementId: 'consult', index });
    }
    expect(seen).toEqual(agencies);
    expect(instance.activeElementIds).toEqual(['decide']);
  });

  it('runs a fixed number of times with loopCardinality, and not at all over an empty list', async () => {
    const three = await run(consult('<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>copies</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>'), { variables: { copies: 3 } });
    expect(three.open.map((w) => w.detail.item)).toEqual([1, 2, 3]);
    const none = await run(consult('<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/>'), { variables: { agencies: [] } });
    expect(none.activeElementIds).toEqual(['decide']);
  });

  it.each([
    ['a cardinality of 10^8 (would exhaust the heap)', '<bpmn:loopCardinality>copies</bpmn:loopCardinality>', { copies: 100_000_000 }, 'loopCardinality "copies"'],
    ['a cardinality one above the limit', '<bpmn:loopCardinality>copies</bpmn:loopCardinality>', { copies: MAX_MULTI_INSTANCE_ITEMS + 1 }, 'loopCardinality "copies"'],
    ['a collection one above the limit', '', { agencies: Array.from({ length: MAX_MULTI_INSTANCE_ITEMS + 1 }, (_, i) => i) }, 'qt:collection "agencies"'],
  ])('refuses %s with a typed error naming the element and the variable', async (_name, inside, variables, source) => {
    const loop = inside ? `<bpmn:multiInstanceLoopCharacteristics>${inside}</bpmn:multiInstanceLoopCharacteristics>` : '<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/>';
    const refusal = await run(consult(loop), { variables }).then(() => undefined, (error: unknown) => error);
    expect(refusal).toBeInstanceOf(QuyTrinhError);
    expect(refusal).toMatchObject({ kind: 'invalid-input', code: 'multi-instance.too-many', details: [{ elementId: 'consult' }] });
    expect((refusal as QuyTrinhError).text.en).toContain(source);
    expect((refusal as QuyTrinhError).text.vi).toContain(source);
  });

  it('runs exactly the limit, and keeps no list of items in the snapshot unless a sequential collection needs it', async () => {
    const most = await run(consult('<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>copies</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>'), { variables: { copies: MAX_MULTI_INSTANCE_ITEMS } });
    expect(most.open).toHaveLength(MAX_MULTI_INSTANCE_ITEMS);
    const progress = async (loop: string, variables: Record<string, unknown>) => {
      const snapshot = startInstance(await compile(consult(loop)), { variables }).snapshot as { context: { multi: Record<string, unknown> } };
      return snapshot.context.multi.consult;
    };
    expect(await progress('<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>copies</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>', { copies: 3 })).toEqual({ count: 3, open: [0], next: 1, done: 0 });
    expect(await progress('<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/>', { agencies })).toEqual({ count: 3, open: [0, 1, 2], next: 3, done: 0 });
    expect(await progress('<bpmn:multiInstanceLoopCharacteristics isSequential="true" qt:collection="agencies"/>', { agencies })).toEqual({ count: 3, items: agencies, open: [0], next: 1, done: 0 });
  });

  it('fails with a BPMN error when the collection is not a list', async () => {
    const instance = await run(consult('<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/>'), { variables: { agencies: 'Công an tỉnh' } });
    expect(instance.status).toBe('failed');
    expect(instance.failure).toMatchObject({ errorCode: 'MULTI_INSTANCE_COLLECTION_INVALID' });
  });

  it('closes the instances still open when a boundary event interrupts', async () => {
    const instance = await run(
      consult('<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/>', `<bpmn:boundaryEvent id="late" attachedToRef="consult"><bpmn:timerEventDefinition qt:workingHours="40"/></bpmn:boundaryEvent>${flows('late>decide')}`),
      { variables: { agencies } },
    );
    instance.send({ type: 'task.complete', elementId: 'consult', index: 1 });
    instance.send({ type: 'timer', elementId: 'late' });
    expect(instance.activeElementIds).toEqual(['decide']);
    expect(instance.open.map((w) => w.elementId)).toEqual(['decide']);
  });

  it('starts one job per item for a multi-instance service task', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:serviceTask id="notify" qt:jobType="agency.notify"><bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/></bpmn:serviceTask>
      <bpmn:endEvent id="end"/>
      ${flows('start>notify', 'notify>end')}
    `);
    const instance = await run(model, { variables: { agencies } });
    expect(instance.open.map((w) => [w.kind, w.detail.jobType, w.detail.index])).toEqual([['job', 'agency.notify', 0], ['job', 'agency.notify', 1], ['job', 'agency.notify', 2]]);
    for (const index of [0, 1, 2]) instance.send({ type: 'job.complete', elementId: 'notify', index });
    expect(instance.status).toBe('completed');
  });
});

describe('multi-instance sub-processes', () => {
  // Each agency in turn: prepare the request, then record its answer.
  const consultEach = (loop: string, extra = '') => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:subProcess id="consult" name="Lấy ý kiến từng cơ quan">
      ${loop}
      <bpmn:startEvent id="consult_start"/>
      <bpmn:userTask id="prepare"/>
      <bpmn:userTask id="record"/>
      <bpmn:endEvent id="consult_end"/>
      ${flows('consult_start>prepare', 'prepare>record', 'record>consult_end')}
    </bpmn:subProcess>
    ${extra}
    <bpmn:userTask id="decide"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>consult', 'consult>decide', 'decide>end')}
  `);
  const sequential = '<bpmn:multiInstanceLoopCharacteristics isSequential="true" qt:collection="agencies" qt:elementVariable="agency"/>';

  it('runs the inside once per item, one run after another, with the item and loopCounter set', async () => {
    const instance = await run(consultEach(sequential), { variables: { agencies } });
    const runs: unknown[] = [];
    for (const agency of agencies) {
      expect(instance.activeElementIds).toEqual(['consult', 'prepare']);
      runs.push([instance.variables.agency, instance.variables.loopCounter]);
      expect(agency).toBe(instance.variables.agency);
      instance.send({ type: 'task.complete', elementId: 'prepare' });
      instance.send({ type: 'task.complete', elementId: 'record', variables: { [`answer${String(instance.variables.loopCounter)}`]: 'đồng ý' } });
    }
    expect(runs).toEqual([['Công an tỉnh', 1], ['Cục Thuế', 2], ['Sở Tài nguyên và Môi trường', 3]]);
    expect(instance.activeElementIds).toEqual(['decide']);
    expect(instance.variables).toMatchObject({ answer1: 'đồng ý', answer2: 'đồng ý', answer3: 'đồng ý' });
  });

  it('skips the sub-process over an empty list, and closes the run under way when a boundary event interrupts', async () => {
    expect((await run(consultEach(sequential), { variables: { agencies: [] } })).activeElementIds).toEqual(['decide']);

    const interrupted = await run(consultEach(sequential, `<bpmn:boundaryEvent id="late" attachedToRef="consult"><bpmn:timerEventDefinition qt:workingHours="40"/></bpmn:boundaryEvent>${flows('late>decide')}`), { variables: { agencies } });
    interrupted.send({ type: 'task.complete', elementId: 'prepare' });
    interrupted.send({ type: 'task.complete', elementId: 'record' });
    interrupted.send({ type: 'task.complete', elementId: 'prepare' });
    expect(interrupted.open.map((w) => w.elementId)).toEqual(['late', 'record']);
    interrupted.send({ type: 'timer', elementId: 'late' });
    expect(interrupted.activeElementIds).toEqual(['decide']);
    expect(interrupted.open.map((w) => w.elementId)).toEqual(['decide']);
  });

  it('refuses a parallel multi-instance sub-process at deployment, saying how to model it', async () => {
    const error = await refusal(consultEach('<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/>'));
    expect(error.details.map((detail) => detail.elementId)).toEqual(['consult']);
    expect(error.details[0]?.messages?.en).toContain('make it sequential');
  });
});
