import { describe, expect, it } from 'vitest';
import { MAX_MULTI_INSTANCE_ITEMS } from '../../../engine/compile/machine.ts';
import { QuyTrinhError } from '../../../engine/errors.ts';
import { startInstance } from '../../../engine/runtime/instance.ts';
import { bpmnProcess, compile, flows, run } from '../../support/process.ts';

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

  // In parallel, each agency answers in its own run; silence for 40 working hours counts as agreement,
  // an agency may refuse outright (an error end), and the whole consultation has a deadline.
  const consultAll = (loop: string, extra = '') => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:subProcess id="consult" name="Lấy ý kiến các cơ quan">
      ${loop}
      <bpmn:startEvent id="consult_start"/>
      <bpmn:userTask id="answer"/>
      <bpmn:boundaryEvent id="silent" attachedToRef="answer"><bpmn:timerEventDefinition qt:workingHours="40"/></bpmn:boundaryEvent>
      <bpmn:exclusiveGateway id="agrees" default="agrees_answered"/>
      <bpmn:endEvent id="answered"/>
      <bpmn:endEvent id="refusedEnd"><bpmn:errorEventDefinition errorRef="Error_refused"/></bpmn:endEvent>
      <bpmn:endEvent id="deemedAgreed"/>
      ${flows('consult_start>answer', 'answer>agrees', 'silent>deemedAgreed')}
      <bpmn:sequenceFlow id="agrees_answered" sourceRef="agrees" targetRef="answered"/>
      <bpmn:sequenceFlow id="agrees_refused" sourceRef="agrees" targetRef="refusedEnd"><bpmn:conditionExpression>opinion = "không đồng ý" or agency = vetoedBy</bpmn:conditionExpression></bpmn:sequenceFlow>
    </bpmn:subProcess>
    ${extra}
    <bpmn:userTask id="decide"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>consult', 'consult>decide', 'decide>end')}
  `, { outside: '<bpmn:error id="Error_refused" errorCode="REFUSED"/>' });
  const parallel = '<bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/>';
  const boundaries = `
    <bpmn:boundaryEvent id="deadline" attachedToRef="consult"><bpmn:timerEventDefinition qt:workingHours="80"/></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="refused" attachedToRef="consult"><bpmn:errorEventDefinition errorRef="Error_refused"/></bpmn:boundaryEvent>
    <bpmn:userTask id="explain"/>
    ${flows('deadline>decide', 'refused>explain', 'explain>end')}`;

  it('runs the inside once per item at the same time, each run with its own item, tasks and timers', async () => {
    const instance = await run(consultAll(parallel), { variables: { agencies, dossier: 'HS-01' } });
    expect(instance.open.map((w) => [w.elementId, w.kind, w.run])).toEqual([
      ['answer', 'task', [0]], ['silent', 'timer', [0]],
      ['answer', 'task', [1]], ['silent', 'timer', [1]],
      ['answer', 'task', [2]], ['silent', 'timer', [2]],
    ]);
    // Run 2 answers, run 0 stays silent past its timer; run 1 is still open, so the sub-process waits.
    expect(instance.send({ type: 'task.complete', elementId: 'answer', run: [2], variables: { opinion: 'đồng ý', land: 'đồng ý' } })).toBe(true);
    expect(instance.send({ type: 'timer', elementId: 'silent', run: [0] })).toBe(true);
    expect(instance.send({ type: 'task.complete', elementId: 'answer', run: [2] })).toBe(false); // that run is over
    expect(instance.send({ type: 'task.complete', elementId: 'answer' })).toBe(false); // no run named
    expect(instance.activeElementIds).toEqual(['consult']);
    expect(instance.open.map((w) => [w.elementId, w.run])).toEqual([['answer', [1]], ['silent', [1]]]);
    instance.send({ type: 'task.complete', elementId: 'answer', run: [1], variables: { tax: 'đồng ý' } });
    expect(instance.activeElementIds).toEqual(['decide']);
    // What the runs set comes back; each run's item and loopCounter were its own.
    expect(instance.variables).toEqual({ agencies, dossier: 'HS-01', opinion: 'đồng ý', land: 'đồng ý', tax: 'đồng ý' });
  });

  it('gives every run its own element variable, and the inside reads it beside the instance\'s variables', async () => {
    const instance = await run(consultAll(parallel), { variables: { agencies, vetoedBy: 'Cục Thuế' } });
    expect(instance.trace[0]!.effects.filter((effect) => effect.type === 'qt.run.start').map((effect) => effect.params)).toEqual(
      agencies.map((agency, index) => ({ elementId: 'consult', elementVariable: 'agency', collection: 'agencies', index, item: agency })),
    );
    instance.send({ type: 'task.complete', elementId: 'answer', run: [0], variables: { opinion: 'đồng ý' } });
    expect(instance.status).toBe('active'); // Công an tỉnh: no veto
    instance.send({ type: 'task.complete', elementId: 'answer', run: [1], variables: { opinion: 'đồng ý' } });
    expect(instance.failure).toMatchObject({ elementId: 'consult', errorCode: 'REFUSED' }); // Cục Thuế's run read its item and the instance's veto
    expect(instance.variables).not.toHaveProperty('agency');
  });

  it('skips it over an empty list, refuses more runs than allowed, and fails naming the sub-process when the collection is missing', async () => {
    expect((await run(consultAll(parallel), { variables: { agencies: [] } })).activeElementIds).toEqual(['decide']);
    const tooMany = Array.from({ length: MAX_MULTI_INSTANCE_ITEMS + 1 }, (_, i) => i);
    await expect(run(consultAll(parallel), { variables: { agencies: tooMany } })).rejects.toMatchObject({ code: 'multi-instance.too-many', details: [{ elementId: 'consult' }] });
    const missing = await run(consultAll(parallel));
    expect(missing.status).toBe('failed');
    expect(missing.failure).toEqual({ elementId: 'consult', errorCode: 'MULTI_INSTANCE_COLLECTION_INVALID', reason: 'uncaught BPMN error' });
    expect(missing.open).toEqual([]);
  });

  it('closes every run (tasks and timers) when a boundary event on the sub-process interrupts', async () => {
    const instance = await run(consultAll(parallel, boundaries), { variables: { agencies } });
    instance.send({ type: 'task.complete', elementId: 'answer', run: [0], variables: { opinion: 'đồng ý' } });
    expect(instance.open).toHaveLength(5); // the deadline, and the task and timer of runs 1 and 2
    instance.send({ type: 'timer', elementId: 'deadline' });
    expect(instance.activeElementIds).toEqual(['decide']);
    expect(instance.open.map((w) => w.elementId)).toEqual(['decide']);
    expect(instance.trace.at(-1)?.effects).toContainEqual({ type: 'qt.call.cancel', params: { elementId: 'consult' } });
  });

  it('takes an error end in one run to the sub-process\'s error boundary, closing the other runs; uncaught, the instance fails', async () => {
    const caught = await run(consultAll(parallel, boundaries), { variables: { agencies } });
    caught.send({ type: 'task.complete', elementId: 'answer', run: [1], variables: { opinion: 'không đồng ý' } });
    expect(caught.activeElementIds).toEqual(['explain']);
    expect(caught.open.map((w) => w.elementId)).toEqual(['explain']);

    const uncaught = await run(consultAll(parallel), { variables: { agencies } });
    uncaught.send({ type: 'task.complete', elementId: 'answer', run: [0], variables: { opinion: 'không đồng ý' } });
    expect(uncaught.status).toBe('failed');
    expect(uncaught.failure).toMatchObject({ elementId: 'consult', errorCode: 'REFUSED' });
    expect(uncaught.open).toEqual([]);
  });
});

describe('nested parallel multi-instance sub-processes', () => {
  it('addresses a run inside a run by its index at each level, outermost first', async () => {
    // Each agency has each of its departments answer.
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="perAgency">
        <bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/>
        <bpmn:startEvent id="agency_start"/>
        <bpmn:subProcess id="perDepartment">
          <bpmn:multiInstanceLoopCharacteristics qt:collection="agency.departments" qt:elementVariable="department"/>
          <bpmn:startEvent id="department_start"/>
          <bpmn:userTask id="answer"/>
          <bpmn:endEvent id="department_end"/>
          ${flows('department_start>answer', 'answer>department_end')}
        </bpmn:subProcess>
        <bpmn:endEvent id="agency_end"/>
        ${flows('agency_start>perDepartment', 'perDepartment>agency_end')}
      </bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${flows('start>perAgency', 'perAgency>end')}
    `);
    const instance = await run(model, { variables: { agencies: [{ departments: ['a', 'b'] }, { departments: ['c'] }] } });
    expect(instance.open.map((w) => w.run)).toEqual([[0, 0], [0, 1], [1, 0]]);
    instance.send({ type: 'task.complete', elementId: 'answer', run: [1, 0], variables: { c: 'đồng ý' } });
    instance.send({ type: 'task.complete', elementId: 'answer', run: [0, 1], variables: { b: 'đồng ý' } });
    expect(instance.send({ type: 'task.complete', elementId: 'answer', run: [1, 0] })).toBe(false);
    expect(instance.status).toBe('active');
    instance.send({ type: 'task.complete', elementId: 'answer', run: [0, 0], variables: { a: 'đồng ý' } });
    expect(instance.status).toBe('completed');
    expect(instance.variables).toMatchObject({ a: 'đồng ý', b: 'đồng ý', c: 'đồng ý' });
  });
});

describe('multi-instance call activities', () => {
  // Circular 01 Art. 16.4: one inter-connected procedure per child named in the dossier.
  const cardForEach = (sequential: boolean) => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:callActivity id="insuranceCard" calledElement="Process_insurance">
      <bpmn:multiInstanceLoopCharacteristics isSequential="${String(sequential)}" qt:collection="children" qt:elementVariable="child"/>
    </bpmn:callActivity>
    <bpmn:userTask id="handOver"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>insuranceCard', 'insuranceCard>handOver', 'handOver>end')}
  `);
  const children = ['Nguyễn Văn An', 'Nguyễn Thị Bình'];

  it('calls the process once per item at once (parallel), each with its item, and goes on when all have ended', async () => {
    const instance = await run(cardForEach(false), { variables: { children } });
    expect(instance.open.map((w) => [w.kind, w.detail])).toEqual(children.map((child, index) => ['call', { elementId: 'insuranceCard', calledElement: 'Process_insurance', elementVariable: 'child', collection: 'children', index, item: child }]));
    instance.send({ type: 'call.complete', elementId: 'insuranceCard', index: 1, variables: { card1: 'GD4797900000002', child: 'Nguyễn Thị Bình', loopCounter: 2 } });
    expect(instance.send({ type: 'call.complete', elementId: 'insuranceCard', index: 1 })).toBe(false);
    expect(instance.activeElementIds).toEqual(['insuranceCard']);
    instance.send({ type: 'call.complete', elementId: 'insuranceCard', index: 0, variables: { card0: 'GD4797900000001' } });
    expect(instance.activeElementIds).toEqual(['handOver']);
    expect(instance.variables).toEqual({ children, card0: 'GD4797900000001', card1: 'GD4797900000002' });
  });

  it('calls it for one item after another (sequential), and hands a failure to the instance', async () => {
    const instance = await run(cardForEach(true), { variables: { children } });
    expect(instance.open.map((w) => w.detail.item)).toEqual([children[0]]);
    instance.send({ type: 'call.complete', elementId: 'insuranceCard', index: 0 });
    expect(instance.open.map((w) => w.detail.item)).toEqual([children[1]]);
    instance.send({ type: 'call.error', elementId: 'insuranceCard', index: 1, errorCode: 'REFUSED' });
    expect(instance.status).toBe('failed');
    expect(instance.failure).toMatchObject({ elementId: 'insuranceCard', errorCode: 'REFUSED' });
  });
});
