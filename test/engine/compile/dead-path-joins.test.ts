import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';
import { openWork, peerCorpusPresent as present, startedPeerModel as started } from '../../support/peer-corpus.ts';

// Parallel joins all of whose incoming flows are alternatives of choices made once
// (engine/compile/dead-path-joins.ts, docs/bpmn-coverage.md "Paths merging outside a block"):
// bpmn-elements fires them by dead-path elimination on the one token that arrives, and so do we,
// reading them as exclusive merges. Each corpus case runs the path its peer test expects.


describe.skipIf(!present)('peer models whose parallel join merges alternatives', () => {
  it('Process-feature L561: a decision both of whose flows meet at a parallel join completes at once (the peer: join taken, end taken)', async () => {
    for (const condition1 of [true, false]) {
      const instance = await started('inline/bpmn-elements/feature__Process-feature__L561.bpmn', { condition1 });
      expect(instance.status).toBe('completed');
      expect(instance.open).toEqual([]);
    }
  });

  it('parallel-join-edgecase: a decision whose default goes straight to the join and whose condition leads through a task completes (the peer: run completes)', async () => {
    const instance = await started('resources/bpmn-elements/parallel-join-edgecase.bpmn');
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('BoundaryEvent-feature L41: the task or its interrupting message boundary event reaches the join, and either completes the run', async () => {
    const model = 'inline/bpmn-elements/feature__BoundaryEvent-feature__L41.bpmn';
    const interrupted = await started(model);
    expect(openWork(interrupted)).toEqual([['bound', 'message'], ['task', 'task']]);
    expect(interrupted.send({ type: 'message', elementId: 'bound' })).toBe(true);
    // The peer: bound taken, user task discarded, join taken, end taken.
    expect(interrupted.status).toBe('completed');
    expect(interrupted.open).toEqual([]);
    const completed = await started(model);
    expect(completed.send({ type: 'task.complete', elementId: 'task' })).toBe(true);
    // Ran again: task taken, bound discarded, join and end taken.
    expect(completed.status).toBe('completed');
    expect(completed.open).toEqual([]);
  });

  it('event-based-gateway: the signal path (through a task) or the timer reaches the join, the other event is withdrawn, and the run completes', async () => {
    const model = 'resources/bpmn-elements/event-based-gateway.bpmn';
    const signalled = await started(model);
    expect(openWork(signalled)).toEqual([['signalEvent', 'signal'], ['timerEvent', 'timer']]);
    expect(signalled.send({ type: 'signal', elementId: 'signalEvent', signalName: 'signalEvent' })).toBe(true);
    // The peer: the timer is discarded and the process completes.
    expect(signalled.status).toBe('completed');
    expect(signalled.open).toEqual([]);
    const timedOut = await started(model);
    expect(timedOut.send({ type: 'timer', elementId: 'timerEvent' })).toBe(true);
    expect(timedOut.status).toBe('completed');
    expect(timedOut.open).toEqual([]);
  });

  it('multiple-joins: with input 49 the run passes userTask1 and userTask3, join2 then join1 pass the token on, and the final script runs once (the peer: join1 takes flow9, discards flow2)', async () => {
    const instance = await started('resources/bpmn-elements/multiple-joins.bpmn', { input: 49 });
    // The JavaScript condition's translation reads input <= 50: the "No" flow to userTask1, not the script.
    expect(openWork(instance)).toEqual([['userTask1', 'task']]);
    instance.send({ type: 'task.complete', elementId: 'userTask1' });
    // input >= 50 is false: the default flow5 to userTask3.
    expect(openWork(instance)).toEqual([['userTask3', 'task']]);
    instance.send({ type: 'task.complete', elementId: 'userTask3' });
    expect(openWork(instance)).toEqual([['scriptTask2', 'job']]);
    instance.send({ type: 'job.complete', elementId: 'scriptTask2' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('BoundaryEvent-feature L723: the first of three interrupting message boundary events withdraws the others and the task, and the join passes its token on', async () => {
    const instance = await started('inline/bpmn-elements/feature__BoundaryEvent-feature__L723.bpmn');
    expect(openWork(instance)).toEqual([['bound1', 'message'], ['bound2', 'message'], ['bound3', 'message'], ['task', 'task']]);
    expect(instance.send({ type: 'message', elementId: 'bound1' })).toBe(true);
    // The peer: bound taken, user task discarded, join and end taken.
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('BoundaryEvent-feature L326: a service task that fails with an error leaves by its error boundary event and the run completes; one that succeeds completes too', async () => {
    const model = 'inline/bpmn-elements/feature__BoundaryEvent-feature__L326.bpmn';
    const failing = await started(model);
    expect(openWork(failing)).toEqual([['task', 'job']]);
    expect(failing.send({ type: 'job.error', elementId: 'task', errorCode: 'volatile' })).toBe(true);
    expect(failing.status).toBe('completed');
    const succeeding = await started(model);
    expect(succeeding.send({ type: 'job.complete', elementId: 'task' })).toBe(true);
    expect(succeeding.status).toBe('completed');
  });

  it('BoundaryEvent-feature L565, L644: a multi-instance task (or sub-process) or its error boundary event reaches the join; an error in any instance withdraws the others and completes the run', async () => {
    for (const [line, element, at] of [['L565', 'task', (k: number) => ({ index: k })], ['L644', 'service', (k: number) => ({ run: [k] })]] as const) {
      const model = `inline/bpmn-elements/feature__BoundaryEvent-feature__${line}.bpmn`;
      const failing = await started(model);
      expect(openWork(failing)).toEqual([[element, 'job'], [element, 'job'], [element, 'job']]);
      expect(failing.send({ type: 'job.complete', elementId: element, ...at(0) })).toBe(true);
      // The peer: the error is caught by bound, the other instances are discarded, join and end taken.
      expect(failing.send({ type: 'job.error', elementId: element, errorCode: 'volatile', ...at(1) })).toBe(true);
      expect(failing.status).toBe('completed');
      expect(failing.open).toEqual([]);
      const succeeding = await started(model);
      for (const k of [0, 1]) succeeding.send({ type: 'job.complete', elementId: element, ...at(k) });
      expect(openWork(succeeding)).toEqual([[element, 'job']]);
      succeeding.send({ type: 'job.complete', elementId: element, ...at(2) });
      expect(succeeding.status).toBe('completed');
    }
  });

  it('BoundaryEvent-feature L127 and boundary-non-interupting-timer: a task and its non-interrupting boundary event meet at a join before the end; the run completes when the task does, the event occurred or not', async () => {
    for (const [model, task, bound, event] of [
      ['inline/bpmn-elements/feature__BoundaryEvent-feature__L127.bpmn', 'task', 'bound', 'message'],
      ['resources/bpmn-elements/boundary-non-interupting-timer.bpmn', 'userTask', 'boundaryEvent', 'timer'],
    ] as const) {
      const occurred = await started(model);
      expect(openWork(occurred)).toEqual([[bound, event], [task, 'task']]);
      expect(occurred.send({ type: event, elementId: bound })).toBe(true);
      // The peer: the event's token waits at the join; here it passes a copy of the end at once.
      expect(occurred.status).toBe('active');
      expect(openWork(occurred)).toContainEqual([task, 'task']);
      occurred.send({ type: 'task.complete', elementId: task });
      expect(occurred.status).toBe('completed');
      expect(occurred.open).toEqual([]);
      const completedFirst = await started(model);
      completedFirst.send({ type: 'task.complete', elementId: task });
      // The peer: the boundary event is discarded with its flow, and the join takes the task's token.
      expect(completedFirst.status).toBe('completed');
      expect(completedFirst.open).toEqual([]);
    }
  });

  it('BoundaryEvent-feature L442 and boundary-timeout: a sub-process (or task) and its interrupting error (or timer) boundary event meet at a join; either way completes the run', async () => {
    const failing = await started('inline/bpmn-elements/feature__BoundaryEvent-feature__L442.bpmn');
    expect(openWork(failing)).toEqual([['service', 'job']]);
    failing.send({ type: 'job.error', elementId: 'service', errorCode: 'volatile' });
    expect(failing.status).toBe('completed');
    const succeeding = await started('inline/bpmn-elements/feature__BoundaryEvent-feature__L442.bpmn');
    succeeding.send({ type: 'job.complete', elementId: 'service' });
    expect(succeeding.status).toBe('completed');
    const timedOut = await started('resources/bpmn-elements/boundary-timeout.bpmn');
    expect(openWork(timedOut)).toEqual([['boundTimeoutEvent', 'timer'], ['userTask', 'task']]);
    timedOut.send({ type: 'timer', elementId: 'boundTimeoutEvent' });
    // The peer: the user task is discarded, the join takes the timer's token.
    expect(timedOut.status).toBe('completed');
    expect(timedOut.open).toEqual([]);
  });

  it('ParallelGateway-test L272, L320, L364: an inclusive split closed by a parallel join fires on the branches taken (the peer: the flows not taken are discarded, join taken)', async () => {
    const cases = [
      ['L272', 51, [['script', 'job']]],
      ['L272', 50, [['script', 'job'], ['task', 'task']]],
      ['L320', 51, [['script', 'job']]],
      ['L320', 50, [['script', 'job'], ['task', 'task']]],
      // L364's default flow (to the task) is taken only when no condition holds.
      ['L364', 51, [['task', 'task']]],
      ['L364', 50, [['script', 'job']]],
    ] as const;
    for (const [line, input, open] of cases) {
      const instance = await started(`inline/bpmn-elements/gateways__ParallelGateway-test__${line}.bpmn`, { input });
      expect(openWork(instance)).toEqual(open);
      for (const [elementId, kind] of open) instance.send(kind === 'job' ? { type: 'job.complete', elementId } : { type: 'task.complete', elementId });
      expect(instance.status).toBe('completed');
      expect(instance.open).toEqual([]);
    }
  });

  it('mother-of-all: the inclusive decision takes its two unconditioned flows, not the default, the join fires on those two, and the loop is entered once until the script sets stopLoop', async () => {
    for (const model of ['resources/bpmn-elements/mother-of-all.bpmn', 'resources/bpmn-engine/mother-of-all.bpmn']) {
      const instance = await started(model);
      const pass = (sub: { type: 'task.complete'; elementId: 'subUserTask1' } | { type: 'timer'; elementId: 'subUserTaskTimer' }) => {
        instance.send({ type: 'job.complete', elementId: 'scriptTask1' });
        instance.send({ type: 'task.complete', elementId: 'userTask1' });
        expect(openWork(instance)).toEqual([['subUserTask1', 'task'], ['subUserTaskTimer', 'timer']]);
        instance.send(sub);
        expect(openWork(instance)).toEqual([['subScriptTask1', 'job']]);
        instance.send({ type: 'job.complete', elementId: 'subScriptTask1' });
      };
      pass({ type: 'task.complete', elementId: 'subUserTask1' });
      // Through the join with noPickMeTask's and pickMeTask's tokens, defaultTask's flow discarded: stopLoop is unset, so round again.
      expect(openWork(instance)).toEqual([['scriptTask2', 'job']]);
      instance.send({ type: 'job.complete', elementId: 'scriptTask2', variables: { stopLoop: true } });
      pass({ type: 'timer', elementId: 'subUserTaskTimer' });
      expect(instance.status).toBe('completed');
      expect(instance.open).toEqual([]);
    }
  });
});

describe('a parallel join of alternatives, drawn', () => {
  const decided = bpmnProcess(`
    <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="decide" default="toB"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/>
    <bpmn:parallelGateway id="join"/><bpmn:userTask id="after"/><bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="toA" sourceRef="decide" targetRef="a"><bpmn:conditionExpression>= pick = "a"</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toB" sourceRef="decide" targetRef="b"/>
    ${flows('start>decide', 'a>join', 'b>join', 'join>after', 'after>end')}`);

  it('passes the token of whichever alternative was taken, once', async () => {
    for (const [pick, task] of [['a', 'a'], ['b', 'b']] as const) {
      const instance = await run(decided, { variables: { pick } });
      expect(instance.activeElementIds).toEqual([task]);
      instance.send({ type: 'task.complete', elementId: task });
      expect(instance.activeElementIds).toEqual(['after']);
      instance.send({ type: 'task.complete', elementId: 'after' });
      expect(instance.status).toBe('completed');
    }
  });

  it('an inclusive split closed by a parallel join waits for the branches taken, and only those', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:inclusiveGateway id="which"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:userTask id="c"/>
      <bpmn:parallelGateway id="join"/><bpmn:userTask id="after"/><bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="toA" sourceRef="which" targetRef="a"><bpmn:conditionExpression>= needA</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toB" sourceRef="which" targetRef="b"><bpmn:conditionExpression>= needB</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toC" sourceRef="which" targetRef="c"><bpmn:conditionExpression>= needC</bpmn:conditionExpression></bpmn:sequenceFlow>
      ${flows('start>which', 'a>join', 'b>join', 'c>join', 'join>after', 'after>end')}`), { variables: { needA: true, needB: false, needC: true } });
    expect(instance.activeElementIds.sort()).toEqual(['a', 'c']);
    instance.send({ type: 'task.complete', elementId: 'a' });
    expect(instance.activeElementIds).toEqual(['c']);
    instance.send({ type: 'task.complete', elementId: 'c' });
    expect(instance.activeElementIds).toEqual(['after']);
  });

  it('a parallel split closed by an inclusive join waits for every branch, as the inclusive join of BPMN does when all were taken', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/>
      <bpmn:inclusiveGateway id="join"/><bpmn:userTask id="after"/><bpmn:endEvent id="end"/>
      ${flows('start>fork', 'fork>a', 'fork>b', 'a>join', 'b>join', 'join>after', 'after>end')}`));
    instance.send({ type: 'task.complete', elementId: 'b' });
    expect(instance.activeElementIds).toEqual(['a']);
    instance.send({ type: 'task.complete', elementId: 'a' });
    expect(instance.activeElementIds).toEqual(['after']);
  });

  it('stays refused when a flow into the join comes from outside the block of the inclusive split', async () => {
    const outside = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/><bpmn:inclusiveGateway id="which"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:userTask id="x"/>
      <bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="toA" sourceRef="which" targetRef="a"><bpmn:conditionExpression>= needA</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toB" sourceRef="which" targetRef="b"><bpmn:conditionExpression>= needB</bpmn:conditionExpression></bpmn:sequenceFlow>
      ${flows('start>fork', 'fork>which', 'fork>x', 'a>join', 'b>join', 'x>join', 'join>end')}`));
    expect(outside.details.map((detail) => detail.elementId)).toEqual(expect.arrayContaining(['which']));
  });

  it('stays refused when a task and its non-interrupting boundary event meet at a join followed by a step that waits (it would run twice)', async () => {
    const waits = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="review"/><bpmn:parallelGateway id="join"/><bpmn:userTask id="sign"/><bpmn:endEvent id="end"/>
      <bpmn:boundaryEvent id="remind" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT8H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flows('start>review', 'review>join', 'remind>join', 'join>sign', 'sign>end')}`));
    expect(waits.details.map((detail) => detail.elementId)).toContain('join');
  });

  it('stays refused when one of its flows is parallel to the others, which are alternatives of a choice one of whose flows ends elsewhere', async () => {
    const mixed = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/><bpmn:exclusiveGateway id="decide" default="toQ"/>
      <bpmn:userTask id="x"/><bpmn:userTask id="p"/><bpmn:userTask id="q"/><bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/><bpmn:endEvent id="early"/>
      <bpmn:sequenceFlow id="toP" sourceRef="decide" targetRef="p"><bpmn:conditionExpression>= urgent</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toEarly" sourceRef="decide" targetRef="early"><bpmn:conditionExpression>= withdrawn</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toQ" sourceRef="decide" targetRef="q"/>
      ${flows('start>fork', 'fork>x', 'fork>decide', 'x>join', 'p>join', 'q>join', 'join>end')}`));
    expect(mixed.details.map((detail) => detail.elementId)).toContain('join');
  });

});
