import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../engine/compile/effects.ts';
import { bpmnProcess, compile, flows, refusal, run } from '../../support/process.ts';
import { ANONYMOUS_SIGNAL } from '../../../engine/bpmn/process-graph.ts';
import { triggeredStart } from '../../../server/workers/compile-tasks.ts';

// Signals across instances (BPMN 2.0 §10.5.6): what the compiled machine hands the server so that
// it can carry a signal from one instance to the others (server/execution/signals.ts), and how an
// instance takes a signal from outside. The delivery itself is tested in test/server/signals.test.ts.

const recall = '<bpmn:signal id="Signal_recall" name="recall"/>';
const signalsOf = (effects: readonly Effect[]) => effects.filter((effect) => effect.type.startsWith('qt.signal.'));

describe('signal start events', () => {
  const signalStarted = bpmnProcess(`
    <bpmn:startEvent id="recalled"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:startEvent>
    <bpmn:userTask id="review"/>
    <bpmn:endEvent id="end"/>
    ${flows('recalled>review', 'review>end')}
  `, { outside: recall });

  it('deploys a process started by a signal, its start event among the start events', async () => {
    const compiled = await compile(signalStarted);
    expect(compiled.startEventIds).toEqual(['recalled']);
    expect(compiled.graph.nodes.get('recalled')?.trigger).toEqual({ kind: 'signal', signalName: 'recall' });
    const instance = await run(signalStarted, { startEventId: 'recalled', variables: { reason: 'sai sót' } });
    expect(instance.activeElementIds).toEqual(['review']);
    expect(instance.variables).toEqual({ reason: 'sai sót' });
  });

  it('a process may start plainly or by a signal, each start event its own way in', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="plain"/>
      <bpmn:startEvent id="recalled"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:startEvent>
      <bpmn:userTask id="receive"/>
      <bpmn:userTask id="review"/>
      <bpmn:endEvent id="end"/>
      ${flows('plain>receive', 'receive>end', 'recalled>review', 'review>end')}
    `, { outside: recall });
    expect((await run(model, { startEventId: 'plain' })).activeElementIds).toEqual(['receive']);
    expect((await run(model, { startEventId: 'recalled' })).activeElementIds).toEqual(['review']);
  });

  it('a signal start naming no signal is started by the anonymous signal, which every anonymous signal event shares', async () => {
    const compiled = await compile(bpmnProcess(`
      <bpmn:startEvent id="anonymous"><bpmn:signalEventDefinition/></bpmn:startEvent>
      <bpmn:endEvent id="end"/>
      ${flows('anonymous>end')}
    `));
    expect(triggeredStart('anonymous', compiled.graph.nodes.get('anonymous')!.trigger)).toEqual([{ startEventId: 'anonymous', kind: 'signal', name: ANONYMOUS_SIGNAL }]);
  });

  it('refuses a signal start inside an embedded sub-process, which only starts plainly', async () => {
    const details = (await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="inner">
        <bpmn:startEvent id="innerStart"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:startEvent>
        <bpmn:endEvent id="innerEnd"/>
        ${flows('innerStart>innerEnd')}
      </bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${flows('start>inner', 'inner>end')}
    `, { outside: recall }))).details;
    expect(details).toEqual([expect.objectContaining({ elementId: 'innerStart', message: expect.stringContaining('sub-process inner can only start plainly') })]);
  });
});

describe('signals from outside the instance', () => {
  const waiting = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:intermediateCatchEvent id="waitA"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
    <bpmn:userTask id="appraise"/>
    <bpmn:boundaryEvent id="recalled" attachedToRef="appraise"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:boundaryEvent>
    <bpmn:userTask id="undo"/>
    <bpmn:userTask id="after"/>
    <bpmn:parallelGateway id="join"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>fork', 'fork>waitA', 'waitA>after', 'after>join', 'fork>appraise', 'appraise>join', 'recalled>undo', 'undo>join', 'join>end')}
  `, { outside: recall });

  it('a waiting element subscribes to its signal while it waits, and unsubscribes when it is left', async () => {
    const instance = await run(waiting);
    expect(signalsOf(instance.trace[0]!.effects)).toEqual([
      { type: 'qt.signal.subscribe', params: { elementId: 'waitA', signalName: 'recall' } },
      { type: 'qt.signal.subscribe', params: { elementId: 'recalled', signalName: 'recall' } },
    ]);
    expect(instance.open.filter((open) => open.kind === 'signal').map((open) => open.elementId).sort()).toEqual(['recalled', 'waitA']);
    instance.send({ type: 'task.complete', elementId: 'appraise' });
    expect(signalsOf(instance.trace.at(-1)!.effects)).toEqual([{ type: 'qt.signal.unsubscribe', params: { elementId: 'recalled' } }]);
  });

  it('one signal from outside reaches every element waiting for it at once, and brings its variables', async () => {
    const instance = await run(waiting);
    expect(instance.send({ type: 'signal', elementId: 'waitA', signalName: 'recall', variables: { recalledBy: 'UBND tỉnh' } })).toBe(true);
    expect(instance.activeElementIds.sort()).toEqual(['after', 'undo']);
    expect(instance.variables).toEqual({ recalledBy: 'UBND tỉnh' });
    expect(signalsOf(instance.trace.at(-1)!.effects).map((effect) => effect.type)).toEqual(['qt.signal.unsubscribe', 'qt.signal.unsubscribe']);
  });

  it('a signal of another name, or one arriving when nothing waits for it, is not taken', async () => {
    const instance = await run(waiting);
    expect(instance.send({ type: 'signal', elementId: 'waitA', signalName: 'other' })).toBe(false);
    expect(instance.send({ type: 'signal', elementId: 'waitA', signalName: 'recall' })).toBe(true);
    expect(instance.send({ type: 'signal', elementId: 'waitA', signalName: 'recall' })).toBe(false);
  });

  it('a throw broadcasts its signal beyond the instance as well as within it', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="decide"/>
      <bpmn:intermediateThrowEvent id="announce"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="announced"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:endEvent>
      ${flows('start>decide', 'decide>announce', 'announce>announced')}
    `, { outside: recall }));
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(signalsOf(instance.trace.at(-1)!.effects)).toEqual([
      { type: 'qt.signal.broadcast', params: { elementId: 'announce', signalName: 'recall' } },
      { type: 'qt.signal.broadcast', params: { elementId: 'announced', signalName: 'recall' } },
    ]);
    expect(instance.status).toBe('completed');
  });

  it('an event sub-process started by a signal subscribes while its scope runs', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="appraise"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>appraise', 'appraise>end')}
      <bpmn:subProcess id="onRecall" triggeredByEvent="true">
        <bpmn:startEvent id="recallStart" isInterrupting="false"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:startEvent>
        <bpmn:userTask id="log"/>
        <bpmn:endEvent id="logged"/>
        ${flows('recallStart>log', 'log>logged')}
      </bpmn:subProcess>
    `, { outside: recall }));
    expect(instance.open.filter((open) => open.kind === 'signal').map((open) => open.elementId)).toEqual(['recallStart']);
    expect(instance.send({ type: 'signal', elementId: 'recallStart', signalName: 'recall' })).toBe(true);
    expect(instance.activeElementIds.sort()).toEqual(['appraise', 'log', 'onRecall']);
  });
});
