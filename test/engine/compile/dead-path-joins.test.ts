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

  it('stays refused after an inclusive gateway with a default, whose other flows may be taken together (ParallelGateway-test L364)', async () => {
    await expect(started('inline/bpmn-elements/gateways__ParallelGateway-test__L364.bpmn')).rejects.toMatchObject({ details: [expect.objectContaining({ elementId: 'join', message: expect.stringContaining('would wait for ever') })] });
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
