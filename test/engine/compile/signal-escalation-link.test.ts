import { describe, expect, it } from 'vitest';
import { bpmnProcess, compile, flows, refusal, run } from '../../support/process.ts';
import { ANONYMOUS_SIGNAL } from '../../../engine/bpmn/process-graph.ts';

// Signal, escalation and link events (BPMN 2.0 §10.4.5), executed within one instance.

const recall = '<bpmn:signal id="Signal_recall" name="recall"/>';
const overdue = '<bpmn:escalation id="Escalation_overdue" escalationCode="OVERDUE"/><bpmn:escalation id="Escalation_other" escalationCode="OTHER"/>';

describe('link events', () => {
  const linked = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="receive"/>
    <bpmn:intermediateThrowEvent id="toAppraisal"><bpmn:linkEventDefinition name="appraisal"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="fromReceipt"><bpmn:linkEventDefinition name="appraisal"/></bpmn:intermediateCatchEvent>
    <bpmn:userTask id="appraise"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>receive', 'receive>toAppraisal', 'fromReceipt>appraise', 'appraise>end')}
  `);

  it('a link throw continues at the link catch of the same name, neither waiting', async () => {
    const instance = await run(linked);
    expect(instance.activeElementIds).toEqual(['receive']);
    instance.send({ type: 'task.complete', elementId: 'receive' });
    expect(instance.activeElementIds).toEqual(['appraise']);
    instance.send({ type: 'task.complete', elementId: 'appraise' });
    expect(instance.status).toBe('completed');
  });

  it('a link may lead back, making a loop', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="again"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>
      <bpmn:userTask id="check"/>
      <bpmn:exclusiveGateway id="ok" default="ok_end"/>
      <bpmn:intermediateThrowEvent id="back"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>again', 'again>check', 'check>ok', 'ok>end')}
      <bpmn:sequenceFlow id="ok_back" sourceRef="ok" targetRef="back"><bpmn:conditionExpression>retry</bpmn:conditionExpression></bpmn:sequenceFlow>
    `));
    instance.send({ type: 'task.complete', elementId: 'check', variables: { retry: true } });
    expect(instance.activeElementIds).toEqual(['check']);
    instance.send({ type: 'task.complete', elementId: 'check', variables: { retry: false } });
    expect(instance.status).toBe('completed');
  });

  it('refuses a link throw with no catch of its name in its scope, or with several, naming it', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateThrowEvent id="lost"><bpmn:linkEventDefinition name="nowhere"/></bpmn:intermediateThrowEvent>
      ${flows('start>lost')}
      <bpmn:subProcess id="inner">
        <bpmn:startEvent id="innerStart"/>
        <bpmn:intermediateThrowEvent id="twice"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateThrowEvent>
        <bpmn:intermediateCatchEvent id="c1"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="c2"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="innerEnd"/>
        ${flows('innerStart>twice', 'c1>innerEnd', 'c2>innerEnd')}
      </bpmn:subProcess>
      ${flows('start>inner')}
    `);
    const details = (await refusal(model)).details;
    expect(details).toEqual(expect.arrayContaining([
      expect.objectContaining({ elementId: 'lost', message: expect.stringContaining('there is no link catch event "nowhere" in the process') }),
      expect.objectContaining({ elementId: 'twice', message: expect.stringContaining('has 2 link catch events "L" (c1, c2), it needs exactly one') }),
    ]));
  });
});

describe('signal events within an instance', () => {
  const broadcast = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:userTask id="decide"/>
    <bpmn:intermediateThrowEvent id="announce"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="waitA"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="waitB"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
    <bpmn:parallelGateway id="join"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>fork', 'fork>decide', 'decide>announce', 'announce>join', 'fork>waitA', 'waitA>join', 'fork>waitB', 'waitB>join', 'join>end')}
  `, { outside: recall });

  it('a thrown signal reaches every catch waiting for it', async () => {
    const instance = await run(broadcast);
    expect(instance.activeElementIds.sort()).toEqual(['decide', 'waitA', 'waitB']);
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(instance.status).toBe('completed');
  });

  it('is not kept for a catch that begins waiting after it was thrown', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateThrowEvent id="announce"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="late"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>announce', 'announce>late', 'late>end')}
    `, { outside: recall }));
    expect(instance.activeElementIds).toEqual(['late']);
    expect(instance.status).toBe('active');
  });

  it('an interrupting signal boundary event closes its task; a non-interrupting one runs its path beside it', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      <bpmn:userTask id="appraise"/>
      <bpmn:boundaryEvent id="recalled" attachedToRef="appraise"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:boundaryEvent>
      <bpmn:userTask id="archive"/>
      <bpmn:boundaryEvent id="noted" attachedToRef="archive" cancelActivity="false"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:boundaryEvent>
      <bpmn:userTask id="note"/>
      <bpmn:endEvent id="noteEnd"/>
      <bpmn:userTask id="recall"/>
      <bpmn:intermediateThrowEvent id="recallThrow"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateThrowEvent>
      <bpmn:userTask id="undo"/>
      <bpmn:parallelGateway id="join"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>fork', 'fork>appraise', 'appraise>join', 'recalled>undo', 'undo>join', 'fork>archive', 'archive>join', 'noted>note', 'note>noteEnd', 'fork>recall', 'recall>recallThrow', 'recallThrow>join', 'join>end')}
    `, { outside: recall });
    const instance = await run(model);
    instance.send({ type: 'task.complete', elementId: 'recall' });
    expect(instance.activeElementIds.sort()).toEqual(['archive', 'note', 'undo']);
    // The non-interrupting boundary still waits for the next signal while its task lasts.
    expect(instance.open.map((w) => w.elementId).sort()).toEqual(['archive', 'note', 'noted', 'undo']);
    for (const elementId of ['undo', 'archive', 'note']) instance.send({ type: 'task.complete', elementId });
    expect(instance.status).toBe('completed');
  });

  it('an event-based gateway can wait for a signal, and an event sub-process start on one', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      <bpmn:eventBasedGateway id="which"/>
      <bpmn:intermediateCatchEvent id="signalled"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="timedOut"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:userTask id="send"/>
      <bpmn:intermediateThrowEvent id="announce"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateThrowEvent>
      <bpmn:parallelGateway id="join"/>
      <bpmn:userTask id="after"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>fork', 'fork>which', 'which>signalled', 'which>timedOut', 'signalled>join', 'timedOut>join', 'fork>send', 'send>announce', 'announce>join', 'join>after', 'after>end')}
      <bpmn:subProcess id="onRecall" triggeredByEvent="true">
        <bpmn:startEvent id="recallStart" isInterrupting="false"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:startEvent>
        <bpmn:userTask id="log"/>
        <bpmn:endEvent id="logged"/>
        ${flows('recallStart>log', 'log>logged')}
      </bpmn:subProcess>
    `, { outside: recall });
    const instance = await run(model);
    instance.send({ type: 'task.complete', elementId: 'send' });
    expect(instance.activeElementIds.sort()).toEqual(['after', 'log', 'onRecall']);
    expect(instance.open.map((w) => w.elementId).sort()).toEqual(['after', 'log']); // the timer was disarmed
    instance.send({ type: 'task.complete', elementId: 'after' });
    instance.send({ type: 'task.complete', elementId: 'log' });
    expect(instance.status).toBe('completed');
  });

  it('a signal event naming no signal throws or catches the anonymous signal: an anonymous throw reaches the anonymous catches, not a named one', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="split"/>
      <bpmn:intermediateCatchEvent id="anonymous"><bpmn:signalEventDefinition/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="named"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
      <bpmn:userTask id="decide"/>
      <bpmn:intermediateThrowEvent id="throw"><bpmn:signalEventDefinition/></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="endAnonymous"/>
      <bpmn:endEvent id="endNamed"/>
      <bpmn:endEvent id="endThrow"/>
      ${flows('start>split', 'split>anonymous', 'split>named', 'split>decide', 'anonymous>endAnonymous', 'named>endNamed', 'decide>throw', 'throw>endThrow')}
    `, { outside: recall }));
    expect(instance.open.filter((each) => each.kind === 'signal').map((each) => [each.elementId, each.detail.signalName])).toEqual([['anonymous', ANONYMOUS_SIGNAL], ['named', 'recall']]);
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(instance.activeElementIds).toEqual(['named']);
  });
});

describe('escalation events', () => {
  function escalating(boundaries: string, throwCode = 'Escalation_overdue', kind: 'intermediate' | 'end' = 'intermediate'): string {
    const thrower = kind === 'intermediate'
      ? `<bpmn:intermediateThrowEvent id="escalate"><bpmn:escalationEventDefinition escalationRef="${throwCode}"/></bpmn:intermediateThrowEvent><bpmn:userTask id="continue"/><bpmn:endEvent id="innerEnd"/>${flows('check>escalate', 'escalate>continue', 'continue>innerEnd')}`
      : `<bpmn:endEvent id="escalate"><bpmn:escalationEventDefinition escalationRef="${throwCode}"/></bpmn:endEvent>${flows('check>escalate')}`;
    return bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="handle">
        <bpmn:startEvent id="innerStart"/><bpmn:userTask id="check"/>${flows('innerStart>check')}
        ${thrower}
      </bpmn:subProcess>
      ${boundaries}
      <bpmn:userTask id="done"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>handle', 'handle>done', 'done>end')}
    `, { outside: overdue });
  }
  const interrupting = `
    <bpmn:boundaryEvent id="caught" attachedToRef="handle"><bpmn:escalationEventDefinition escalationRef="Escalation_overdue"/></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="anyEscalation" attachedToRef="handle"><bpmn:escalationEventDefinition/></bpmn:boundaryEvent>
    <bpmn:userTask id="director"/><bpmn:userTask id="other"/><bpmn:endEvent id="escalated"/>
    ${flows('caught>director', 'director>escalated', 'anyEscalation>other', 'other>escalated')}`;

  it('an interrupting boundary catches the escalation of its code thrown inside, ending the sub-process', async () => {
    const instance = await run(escalating(interrupting));
    instance.send({ type: 'task.complete', elementId: 'check' });
    expect(instance.activeElementIds).toEqual(['director']);
    expect(instance.open.map((w) => w.elementId)).toEqual(['director']);
  });

  it('a boundary naming no escalation catches any other code', async () => {
    const instance = await run(escalating(interrupting, 'Escalation_other'));
    instance.send({ type: 'task.complete', elementId: 'check' });
    expect(instance.activeElementIds).toEqual(['other']);
  });

  it('a non-interrupting boundary runs its path while the sub-process goes on', async () => {
    const instance = await run(escalating(`
      <bpmn:boundaryEvent id="caught" attachedToRef="handle" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="Escalation_overdue"/></bpmn:boundaryEvent>
      <bpmn:userTask id="director"/><bpmn:endEvent id="escalated"/>${flows('caught>director', 'director>escalated')}`));
    instance.send({ type: 'task.complete', elementId: 'check' });
    expect(instance.activeElementIds.sort()).toEqual(['continue', 'director', 'handle']);
    instance.send({ type: 'task.complete', elementId: 'continue' });
    instance.send({ type: 'task.complete', elementId: 'done' });
    expect(instance.status).toBe('active');
    instance.send({ type: 'task.complete', elementId: 'director' });
    expect(instance.status).toBe('completed');
  });

  it('an escalation end event is caught too, and one nothing catches does not fail the process', async () => {
    const caught = await run(escalating(interrupting, 'Escalation_overdue', 'end'));
    caught.send({ type: 'task.complete', elementId: 'check' });
    expect(caught.activeElementIds).toEqual(['director']);

    const uncaught = await run(escalating('', 'Escalation_overdue', 'end'));
    uncaught.send({ type: 'task.complete', elementId: 'check' });
    expect(uncaught.activeElementIds).toEqual(['done']);
    uncaught.send({ type: 'task.complete', elementId: 'done' });
    expect(uncaught.status).toBe('completed');
  });

  it('an escalation event sub-process of the process catches one thrown in a sub-process', async () => {
    const instance = await run(escalating(`
      <bpmn:subProcess id="onEscalation" triggeredByEvent="true">
        <bpmn:startEvent id="escStart"><bpmn:escalationEventDefinition escalationRef="Escalation_overdue"/></bpmn:startEvent>
        <bpmn:userTask id="director"/><bpmn:endEvent id="escEnd"/>${flows('escStart>director', 'director>escEnd')}
      </bpmn:subProcess>`));
    instance.send({ type: 'task.complete', elementId: 'check' });
    expect(instance.activeElementIds.sort()).toEqual(['director', 'onEscalation']);
    instance.send({ type: 'task.complete', elementId: 'director' });
    expect(instance.status).toBe('completed');
  });

  it('refuses an escalation boundary on an activity no escalation can come from, naming it', async () => {
    const details = (await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="check"/>
      <bpmn:boundaryEvent id="never" attachedToRef="check"><bpmn:escalationEventDefinition/></bpmn:boundaryEvent>
      <bpmn:endEvent id="end"/>${flows('start>check', 'check>end', 'never>end')}
    `))).details;
    expect(details).toEqual([expect.objectContaining({ elementId: 'never', message: expect.stringContaining('an escalation boundary event catches escalations thrown inside an embedded sub-process') })]);
  });

  it('compiles a model without these events exactly as before (no signal bookkeeping)', async () => {
    const compiled = await compile(bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="t"/><bpmn:endEvent id="end"/>${flows('start>t', 't>end')}`));
    expect(JSON.stringify(compiled.machine.config)).not.toContain('signal');
  });
});

describe('a signal end event', () => {
  it('throws its signal as its path ends', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      <bpmn:userTask id="decide"/>
      <bpmn:endEvent id="announced"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:endEvent>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
      <bpmn:userTask id="after"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>fork', 'fork>decide', 'decide>announced', 'fork>wait', 'wait>after', 'after>end')}
    `, { outside: recall }));
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(instance.activeElementIds).toEqual(['after']);
  });
});
