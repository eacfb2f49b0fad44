import { describe, expect, it } from 'vitest';
import { bpmnProcess, compile, flows, refusal, run } from '../../support/process.ts';

// What BPMN 2.0 gives a token where no gateway is drawn (engine/compile/implicit-gateways.ts,
// docs/bpmn-coverage.md "Structure"): a scope without a start event starts at every node without
// incoming flows; an activity's outgoing flows split implicitly.

const condition = (expression: string) => `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${expression}</bpmn:conditionExpression>`;
const conditional = (id: string, source: string, target: string, expression: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${condition(expression)}</bpmn:sequenceFlow>`;

describe('a process without a start event (BPMN 2.0 §10.5.2)', () => {
  it('starts at its one node without incoming flows, and ends where its flow ends', async () => {
    const instance = await run(bpmnProcess(`<bpmn:userTask id="receive"/><bpmn:userTask id="decide"/>${flows('receive>decide')}`));
    expect(instance.activeElementIds).toEqual(['receive']);
    instance.send({ type: 'task.complete', elementId: 'receive' });
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(instance.status).toBe('completed');
    expect((await compile(bpmnProcess('<bpmn:userTask id="receive"/>'))).startEventIds).toEqual([]);
  });

  it('starts every node without incoming flows at once; a parallel gateway joins their paths', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:userTask id="police"/><bpmn:userTask id="tax"/><bpmn:parallelGateway id="join"/><bpmn:userTask id="decide"/>
      ${flows('police>join', 'tax>join', 'join>decide')}
    `));
    expect(instance.activeElementIds.sort()).toEqual(['police', 'tax']);
    instance.send({ type: 'task.complete', elementId: 'police' });
    expect(instance.activeElementIds).toEqual(['tax']);
    instance.send({ type: 'task.complete', elementId: 'tax' });
    expect(instance.activeElementIds).toEqual(['decide']);
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(instance.status).toBe('completed');
  });

  it('completes when each of its independent paths has ended', async () => {
    const instance = await run(bpmnProcess('<bpmn:userTask id="archive"/><bpmn:userTask id="notify"/><bpmn:manualTask id="stamp"/>'));
    expect(instance.activeElementIds.sort()).toEqual(['archive', 'notify']);
    instance.send({ type: 'task.complete', elementId: 'notify' });
    expect(instance.status).toBe('active');
    instance.send({ type: 'task.complete', elementId: 'archive' });
    expect(instance.status).toBe('completed');
  });

  it('leaves boundary events and event sub-processes out of its starts', async () => {
    const model = bpmnProcess(`
      <bpmn:userTask id="review"/>
      <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="lateEnd"/>
      ${flows('late>lateEnd')}
    `);
    const instance = await run(model);
    expect(instance.activeElementIds).toEqual(['review']);
    expect(instance.open.map((work) => [work.elementId, work.kind])).toEqual([['review', 'task'], ['late', 'timer']]);
  });

  it('refuses a process whose every node has an incoming flow, naming the process', async () => {
    const error = await refusal(bpmnProcess(`<bpmn:userTask id="a"/><bpmn:userTask id="b"/>${flows('a>b', 'b>a')}`));
    expect(error.details).toContainEqual(expect.objectContaining({ elementId: 'Process_test', message: expect.stringContaining('has no start event, and every element has an incoming flow') }));
  });

  it('refuses starts whose paths meet where only one token may arrive, naming the process', async () => {
    // Both paths reach the exclusive merge: "decide" would run twice; not block-structured.
    const error = await refusal(bpmnProcess(`<bpmn:userTask id="police"/><bpmn:userTask id="tax"/><bpmn:exclusiveGateway id="merge"/><bpmn:userTask id="decide"/>${flows('police>merge', 'tax>merge', 'merge>decide')}`));
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'Process_test', message: expect.stringContaining('not block-structured') })]);
  });
});

describe('a sub-process without a start event', () => {
  it('starts inside at every node without incoming flows, and continues when they are done', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="consult"><bpmn:userTask id="police"/><bpmn:userTask id="tax"/></bpmn:subProcess>
      <bpmn:userTask id="decide"/><bpmn:endEvent id="end"/>
      ${flows('start>consult', 'consult>decide', 'decide>end')}
    `));
    expect(instance.activeElementIds.sort()).toEqual(['consult', 'police', 'tax']);
    instance.send({ type: 'task.complete', elementId: 'tax' });
    instance.send({ type: 'task.complete', elementId: 'police' });
    expect(instance.activeElementIds).toEqual(['decide']);
  });

  it('refuses one with nothing to start at, naming it', async () => {
    const error = await refusal(bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:subProcess id="loop"><bpmn:task id="a"/><bpmn:task id="b"/>${flows('a>b', 'b>a')}</bpmn:subProcess>${flows('start>loop')}`));
    expect(error.details).toContainEqual(expect.objectContaining({ elementId: 'loop', message: expect.stringContaining('has no start event inside') }));
  });
});

describe('several outgoing flows from an activity or an event (implicit parallel split)', () => {
  it('takes every flow, and a parallel gateway joins them', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="receive"/><bpmn:userTask id="police"/><bpmn:userTask id="tax"/>
      <bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
      ${flows('start>receive', 'receive>police', 'receive>tax', 'police>join', 'tax>join', 'join>end')}
    `));
    instance.send({ type: 'task.complete', elementId: 'receive' });
    expect(instance.activeElementIds.sort()).toEqual(['police', 'tax']);
    instance.send({ type: 'task.complete', elementId: 'police' });
    expect(instance.status).toBe('active');
    instance.send({ type: 'task.complete', elementId: 'tax' });
    expect(instance.status).toBe('completed');
  });

  it('takes every flow out of a non-interrupting boundary event, the activity staying', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="review"/><bpmn:endEvent id="end"/>
      <bpmn:boundaryEvent id="reminder" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:userTask id="remindOfficial"/><bpmn:userTask id="remindApplicant"/><bpmn:endEvent id="remindedOfficial"/><bpmn:endEvent id="remindedApplicant"/>
      ${flows('start>review', 'review>end', 'reminder>remindOfficial', 'reminder>remindApplicant', 'remindOfficial>remindedOfficial', 'remindApplicant>remindedApplicant')}
    `));
    instance.send({ type: 'timer', elementId: 'reminder' });
    expect(instance.activeElementIds.sort()).toEqual(['remindApplicant', 'remindOfficial', 'review']);
    instance.send({ type: 'task.complete', elementId: 'review' });
    instance.send({ type: 'task.complete', elementId: 'remindOfficial' });
    expect(instance.status).toBe('active');
    instance.send({ type: 'task.complete', elementId: 'remindApplicant' });
    expect(instance.status).toBe('completed');
  });

  it('lets the paths end at one plain end event, the process completing when both have', async () => {
    const instance = await run(bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:endEvent id="end"/>${flows('start>a', 'start>b', 'a>end', 'b>end')}`));
    expect(instance.activeElementIds.sort()).toEqual(['a', 'b']);
    instance.send({ type: 'task.complete', elementId: 'a' });
    expect(instance.status).toBe('active');
    instance.send({ type: 'task.complete', elementId: 'b' });
    expect(instance.status).toBe('completed');
  });

  it('refuses paths meeting at a terminate end event (the first to arrive ends everything) or at an activity, naming the splitting element', async () => {
    const terminate = bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="fork"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:endEvent id="end"><bpmn:terminateEventDefinition/></bpmn:endEvent>${flows('start>fork', 'fork>a', 'fork>b', 'a>end', 'b>end')}`);
    expect((await refusal(terminate)).details).toEqual([expect.objectContaining({ elementId: 'fork', message: expect.stringContaining('not block-structured') })]);
    const merge = bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="fork"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:userTask id="c"/><bpmn:endEvent id="end"/>${flows('start>fork', 'fork>a', 'fork>b', 'a>c', 'b>c', 'c>end')}`);
    expect((await refusal(merge)).details).toEqual([expect.objectContaining({ elementId: 'fork', message: expect.stringContaining('meet again at c') })]);
  });
});

describe('conditional and default flows out of an activity (BPMN 2.0 §13.2.1)', () => {
  // After the check: a fee notice when a fee is due, an appointment when presence is needed; the
  // default (nothing further) when neither. Each path ends at its own end event.
  const check = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="check" default="toDone"/>
    <bpmn:userTask id="fee"/><bpmn:userTask id="appointment"/>
    <bpmn:endEvent id="feeEnd"/><bpmn:endEvent id="appointmentEnd"/><bpmn:endEvent id="done"/>
    ${conditional('toFee', 'check', 'fee', 'feeVnd &gt; 0')}
    ${conditional('toAppointment', 'check', 'appointment', 'presence')}
    <bpmn:sequenceFlow id="toDone" sourceRef="check" targetRef="done"/>
    ${flows('start>check', 'fee>feeEnd', 'appointment>appointmentEnd')}
  `);

  it.each([
    [{ feeVnd: 50_000, presence: true }, ['appointment', 'fee']],
    [{ feeVnd: 50_000, presence: false }, ['fee']],
    [{ feeVnd: 0, presence: true }, ['appointment']],
  ])('with %j takes each flow whose condition holds: %j', async (variables, expected) => {
    const instance = await run(check);
    instance.send({ type: 'task.complete', elementId: 'check', variables });
    expect(instance.activeElementIds.sort()).toEqual(expected);
  });

  it('takes the default flow when no condition holds', async () => {
    const instance = await run(check);
    instance.send({ type: 'task.complete', elementId: 'check', variables: { feeVnd: 0, presence: false } });
    expect(instance.status).toBe('completed');
  });

  it('fails the instance, naming the activity, when no condition holds and there is no default flow', async () => {
    const instance = await run(check.replace(' default="toDone"', '').replace('<bpmn:sequenceFlow id="toDone" sourceRef="check" targetRef="done"/>', '').replace('<bpmn:endEvent id="done"/>', ''));
    instance.send({ type: 'task.complete', elementId: 'check', variables: { feeVnd: 0, presence: false } });
    expect(instance.status).toBe('failed');
    expect(instance.failure).toEqual({ elementId: 'check', reason: 'no outgoing flow of the activity has a condition that holds, and it has no default flow' });
  });

  it('always takes an unconditional flow beside conditional ones, so the default is then never taken', async () => {
    const instance = await run(check.replace(`${conditional('toAppointment', 'check', 'appointment', 'presence')}`, '<bpmn:sequenceFlow id="toAppointment" sourceRef="check" targetRef="appointment"/>'));
    instance.send({ type: 'task.complete', elementId: 'check', variables: { feeVnd: 0 } });
    expect(instance.activeElementIds).toEqual(['appointment']);
  });

  it('with one conditional flow and a default, takes one of them, and their paths may meet again anywhere', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="check" default="toSign"/><bpmn:userTask id="amend"/><bpmn:userTask id="sign"/><bpmn:endEvent id="end"/>
      ${conditional('toAmend', 'check', 'amend', 'incomplete')}
      <bpmn:sequenceFlow id="toSign" sourceRef="check" targetRef="sign"/>
      ${flows('start>check', 'amend>sign', 'sign>end')}
    `);
    for (const [incomplete, expected] of [[true, 'amend'], [false, 'sign']] as const) {
      const instance = await run(model);
      instance.send({ type: 'task.complete', elementId: 'check', variables: { incomplete } });
      expect(instance.activeElementIds).toEqual([expected]);
    }
  });

  it('fails the instance when the only flow out of an activity is conditional and does not hold', async () => {
    const model = bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="check"/><bpmn:endEvent id="end"/>${conditional('checked', 'check', 'end', 'approved')}${flows('start>check')}`);
    for (const [approved, status] of [[true, 'completed'], [false, 'failed']] as const) {
      const instance = await run(model);
      instance.send({ type: 'task.complete', elementId: 'check', variables: { approved } });
      expect(instance.status).toBe(status);
    }
  });

  it('joins conditional paths at a parallel gateway on the paths taken (the split is inclusive, §13.2.1; its join fires by dead-path elimination, dead-path-joins.ts)', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="check"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
      ${conditional('toA', 'check', 'a', 'x')}${conditional('toB', 'check', 'b', 'y')}${flows('start>check', 'a>join', 'b>join', 'join>end')}
    `);
    const one = await run(model, { variables: { x: true, y: false } });
    one.send({ type: 'task.complete', elementId: 'check' });
    expect(one.activeElementIds).toEqual(['a']);
    one.send({ type: 'task.complete', elementId: 'a' });
    expect(one.status).toBe('completed');
    const both = await run(model, { variables: { x: true, y: true } });
    both.send({ type: 'task.complete', elementId: 'check' });
    both.send({ type: 'task.complete', elementId: 'b' });
    expect(both.activeElementIds).toEqual(['a']);
    both.send({ type: 'task.complete', elementId: 'a' });
    expect(both.status).toBe('completed');
  });

  it('refuses a condition on a flow out of an event, which BPMN does not give one', async () => {
    const model = bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:endEvent id="end"/>${conditional('started', 'start', 'a', 'urgent')}${flows('start>b', 'a>end', 'b>end')}`);
    expect((await refusal(model)).details).toEqual([expect.objectContaining({ elementId: 'started', message: expect.stringContaining('a flow out of an event has none in BPMN 2.0') })]);
  });
});
