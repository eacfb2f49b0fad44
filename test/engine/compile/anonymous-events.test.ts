import { describe, expect, it } from 'vitest';
import { ANONYMOUS_SIGNAL } from '../../../engine/bpmn/process-graph.ts';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { compileProcess, type CompiledProcess, type InstanceInput } from '../../../engine/compile/index.ts';
import { InMemoryInstance } from '../../../engine/runtime/memory-runtime.ts';
import { triggeredStart } from '../../../server/workers/compile-tasks.ts';
import { peerCorpusPresent as present, peerModel } from '../../support/peer-corpus.ts';
import { bpmnProcess, compile, flows, refusal, run } from '../../support/process.ts';

// Message and signal events that name no message or signal, and events with several event
// definitions (issue 15), run as the peer corpus's own tests (paed01's bpmn-elements) expect: an
// anonymous message catch waits for a message named by its element's id, anonymous signals reach
// anonymous signal catches and starts, a multiple catch is triggered by any one of its
// definitions (docs/bpmn-coverage.md, "Events that name nothing").

async function compiled(name: string): Promise<CompiledProcess> {
  return compileProcess(await readProcess(peerModel(name)));
}

async function started(name: string, input: InstanceInput = {}): Promise<InMemoryInstance> {
  return new InMemoryInstance(await compiled(name), input, new Date('2025-03-05T09:00:00+07:00'));
}

function waitingFor(instance: InMemoryInstance): Array<[string, string, unknown]> {
  return instance.open.map((each) => [each.elementId, each.kind, each.detail.messageName ?? each.detail.signalName]);
}

function starts(process: CompiledProcess) {
  return process.startEventIds.flatMap((id) => triggeredStart(id, process.graph.nodes.get(id)!.trigger));
}

describe.skipIf(!present)('message events and receive tasks without messageRef', () => {
  it('an intermediate catch waits for the message named by its id, then goes on (events__IntermediateCatchEvent-test__L187)', async () => {
    const instance = await started('inline/bpmn-elements/events__IntermediateCatchEvent-test__L187.bpmn');
    expect(waitingFor(instance)).toEqual([['event', 'message', 'event']]);
    expect(instance.send({ type: 'message', elementId: 'event', variables: { data: 1 } })).toBe(true);
    expect(instance.status).toBe('completed');
    expect(instance.variables).toEqual({ data: 1 });
  });

  it('an interrupting boundary event without a message leaves its task and loops back to the init task (feature__BoundaryEvent-feature__L231)', async () => {
    const instance = await started('inline/bpmn-elements/feature__BoundaryEvent-feature__L231.bpmn');
    expect(waitingFor(instance)).toEqual([['task', 'task', undefined], ['bound', 'message', 'bound']]);
    instance.send({ type: 'message', elementId: 'bound' });
    // The user task was discarded, the init task taken again, and the task waits again with its boundary armed.
    expect(instance.activeElementIds).toEqual(['task']);
    expect(waitingFor(instance)).toEqual([['task', 'task', undefined], ['bound', 'message', 'bound']]);
    instance.send({ type: 'task.complete', elementId: 'task' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it.each(['inline/bpmn-elements/events__StartEvent-test__L191.bpmn', 'inline/bpmn-elements/process__Process-test__L231.bpmn', 'inline/bpmn-elements/definition__Definition-test__L654.bpmn'])(
    'a message start without a message is started by the message named by its id (%s)',
    async (name) => {
      const process = await compiled(name);
      expect(starts(process)).toEqual([{ startEventId: 'start', kind: 'message', name: 'start' }]);
      expect((await started(name, { startEventId: 'start' })).status).toBe('completed');
    },
  );

  it('receive tasks and catches, anonymous and named, each wait for their own message or signal in turn (feature__signal-feature__L904)', async () => {
    const instance = await started('inline/bpmn-elements/feature__signal-feature__L904.bpmn');
    instance.send({ type: 'task.complete', elementId: 'task1' });
    expect(waitingFor(instance)).toEqual([['receiveAnon', 'message', 'receiveAnon']]);
    instance.send({ type: 'message', elementId: 'receiveAnon' });
    expect(waitingFor(instance)).toEqual([['receive', 'message', 'NamedMessage']]);
    instance.send({ type: 'message', elementId: 'receive' });
    expect(waitingFor(instance)).toEqual([['anonSignalEvent', 'signal', ANONYMOUS_SIGNAL]]);
    // A named signal does not reach an anonymous catch.
    expect(instance.send({ type: 'signal', elementId: 'anonSignalEvent', signalName: 'NamedSignal' })).toBe(false);
    instance.send({ type: 'signal', elementId: 'anonSignalEvent', signalName: ANONYMOUS_SIGNAL });
    expect(waitingFor(instance)).toEqual([['secondAnonSignalEvent', 'signal', ANONYMOUS_SIGNAL]]);
    instance.send({ type: 'signal', elementId: 'secondAnonSignalEvent', signalName: ANONYMOUS_SIGNAL, variables: { input: 2 } });
    expect(waitingFor(instance)).toEqual([['namedSignalEvent', 'signal', 'NamedSignal']]);
    instance.send({ type: 'signal', elementId: 'namedSignalEvent', signalName: 'NamedSignal' });
    expect(waitingFor(instance)).toEqual([['anonMessageEvent', 'message', 'anonMessageEvent']]);
    instance.send({ type: 'message', elementId: 'anonMessageEvent' });
    expect(waitingFor(instance)).toEqual([['namedMessageEvent', 'message', 'NamedMessage']]);
    instance.send({ type: 'message', elementId: 'namedMessageEvent' });
    expect(instance.status).toBe('completed');
    expect(instance.variables).toEqual({ input: 2 });
  });
});

describe.skipIf(!present)('signal events without signalRef: the anonymous signal', () => {
  it('an anonymous throw reaches both anonymous catches waiting beside it, and the join completes (feature__signal-feature__L313)', async () => {
    const instance = await started('inline/bpmn-elements/feature__signal-feature__L313.bpmn');
    expect(instance.status).toBe('completed');
  });

  it('an anonymous signal start and a named one are started by their own signals (feature__multiple-startEvent-feature__L6)', async () => {
    const name = 'inline/bpmn-elements/feature__multiple-startEvent-feature__L6.bpmn';
    expect(starts(await compiled(name))).toEqual([
      { startEventId: 'start1', kind: 'signal', name: ANONYMOUS_SIGNAL },
      { startEventId: 'start2', kind: 'signal', name: 'start2' },
    ]);
    const instance = await started(name, { startEventId: 'start1' });
    expect(instance.status).toBe('completed');
  });

  it('an anonymous signal end event broadcasts the anonymous signal that starts the anonymous signal start (feature__signal-feature__L417)', async () => {
    const name = 'inline/bpmn-elements/feature__signal-feature__L417.bpmn';
    expect(starts(await compiled(name))).toEqual([{ startEventId: 'start2', kind: 'signal', name: ANONYMOUS_SIGNAL }]);
    const instance = await started(name, { startEventId: 'start1' });
    instance.send({ type: 'task.complete', elementId: 'task1' });
    expect(instance.status).toBe('completed');
    // The broadcast goes to the server, which starts the process at start2 (server/execution/signals.ts).
    expect(instance.trace.at(-1)!.effects).toContainEqual({ type: 'qt.signal.broadcast', params: { signalName: ANONYMOUS_SIGNAL, elementId: 'end1' } });
  });
});

// Multiple catch events (BPMN 2.0 §10.4.1, §10.4.6): any one of the definitions triggers the
// event, and the others are disarmed, as bpmn-elements' "discards pending event definitions when
// event completes" expects.
describe.skipIf(!present)('more peer models with events that name nothing', () => {
  it('Process-feature L954: the anonymous message catch waits for a message named by its id, and the run ends when it comes', async () => {
    const instance = await started('inline/bpmn-elements/feature__Process-feature__L954.bpmn');
    expect(waitingFor(instance)).toEqual([['receive', 'message', 'receive']]);
    instance.send({ type: 'message', elementId: 'receive' });
    expect(instance.status).toBe('completed');
  });

  it('signal-feature L245 and L354: the executable process throws the anonymous signal and ends; the non-executable ones are not read', async () => {
    for (const line of ['L245', 'L354']) {
      const instance = await started(`inline/bpmn-elements/feature__signal-feature__${line}.bpmn`);
      expect(instance.status).toBe('completed');
      expect(instance.trace.at(-1)!.effects).toContainEqual(expect.objectContaining({ type: 'qt.signal.broadcast', params: expect.objectContaining({ signalName: ANONYMOUS_SIGNAL }) }));
    }
  });

  it('Definition-test L1989: three runs of the called process, then the anonymous signal catch, which leads back to the call', async () => {
    const instance = await started('inline/bpmn-elements/definition__Definition-test__L1989.bpmn');
    expect(instance.open.map((work) => [work.elementId, work.run])).toEqual([['task', [0]], ['task', [1]], ['task', [2]]]);
    for (const run of [0, 1, 2]) instance.send({ type: 'task.complete', elementId: 'task', run: [run] });
    expect(waitingFor(instance)).toEqual([['catch', 'signal', ANONYMOUS_SIGNAL]]);
    instance.send({ type: 'signal', elementId: 'catch', signalName: ANONYMOUS_SIGNAL });
    expect(instance.open.map((work) => work.elementId)).toEqual(['task', 'task', 'task']);
  });
});

describe.skipIf(!present)('multiple catch events: the first of their triggers wins', () => {
  const timerAndMessage = 'inline/bpmn-elements/events__IntermediateCatchEvent-test__L60.bpmn';

  it('an intermediate catch with a message and a timer goes on at the message, its timer disarmed (events__IntermediateCatchEvent-test__L60)', async () => {
    const instance = await started(timerAndMessage, { variables: { duration: 'PT2S' } });
    expect(waitingFor(instance)).toEqual([['event', 'message', 'event'], ['event', 'timer', undefined]]);
    expect(instance.open[1]!.dueAt).toBe('2025-03-05T02:00:02.000Z');
    instance.send({ type: 'message', elementId: 'event' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
    expect(instance.trace.at(-1)!.effects).toEqual(expect.arrayContaining([{ type: 'qt.timer.cancel', params: { elementId: 'event' } }]));
  });

  it('or at the timer, its message subscription dropped', async () => {
    const instance = await started(timerAndMessage, { variables: { duration: 'PT2S' } });
    instance.send({ type: 'timer', elementId: 'event' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
    expect(instance.trace.at(-1)!.effects).toEqual(expect.arrayContaining([{ type: 'qt.message.unsubscribe', params: { elementId: 'event' } }]));
  });

  it('the combined catch beside a task: the timeout occurs first, then the join completes (feature__Process-feature__L1041)', async () => {
    const instance = await started('inline/bpmn-elements/feature__Process-feature__L1041.bpmn', { variables: { timeout: 'PT0.01S' } });
    expect(instance.activeElementIds).toEqual(['postponed']);
    instance.send({ type: 'timer', elementId: 'postponed' });
    expect(instance.status).toBe('completed');
  });

  it('a boundary event with an error and a timer leaves its user task when the timer fires (events__BoundaryEvent-test__L680)', async () => {
    const instance = await started('inline/bpmn-elements/events__BoundaryEvent-test__L680.bpmn', { variables: { duration: 'PT1H' } });
    expect(waitingFor(instance)).toEqual([['task', 'task', undefined], ['event', 'timer', undefined]]);
    instance.send({ type: 'timer', elementId: 'event' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('a boundary event with a message and a timer leaves its task at the message, disarming the timer (process__Process-test__L257)', async () => {
    const instance = await started('inline/bpmn-elements/process__Process-test__L257.bpmn');
    expect(waitingFor(instance)).toEqual([['task1', 'task', undefined], ['bound', 'message', 'bound'], ['bound', 'timer', undefined]]);
    instance.send({ type: 'message', elementId: 'bound' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('a start event with three anonymous messages is started by the one message named by its id (process__Process-test__L880)', async () => {
    const name = 'inline/bpmn-elements/process__Process-test__L880.bpmn';
    expect(starts(await compiled(name))).toEqual([{ startEventId: 'start', kind: 'message', name: 'start' }]);
    expect((await started(name, { startEventId: 'start' })).status).toBe('completed');
  });
});

describe('multiple events the engine does not execute, or that BPMN does not allow, are refused naming them', () => {
  const supplement = '<bpmn:message id="Message_supplement" name="supplement"/><bpmn:message id="Message_other" name="other"/><bpmn:signal id="Signal_recall" name="recall"/>';
  const catching = (definitions: string, attributes = '') => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="wait" ${attributes}>${definitions}</bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>
    ${flows('start>wait', 'wait>end')}`, { outside: supplement });

  it.each([
    ['two messages on one catch', catching('<bpmn:messageEventDefinition messageRef="Message_supplement"/><bpmn:messageEventDefinition messageRef="Message_other"/>'), 'wait', 'two message definitions'],
    ['a parallel multiple catch (all must occur)', catching('<bpmn:messageEventDefinition messageRef="Message_supplement"/><bpmn:signalEventDefinition signalRef="Signal_recall"/>', 'parallelMultiple="true"'), 'wait', 'several event definitions (message, signal)'],
    ['a catch combining an error', catching('<bpmn:messageEventDefinition messageRef="Message_supplement"/><bpmn:errorEventDefinition/>'), 'wait', 'not error'],
    ['a multiple throw', bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:intermediateThrowEvent id="wait"><bpmn:signalEventDefinition signalRef="Signal_recall"/><bpmn:escalationEventDefinition/></bpmn:intermediateThrowEvent><bpmn:endEvent id="end"/>${flows('start>wait', 'wait>end')}`, { outside: supplement }), 'wait', 'multiple events are not executed'],
    ['a boundary event combining cancel', bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="task"/><bpmn:boundaryEvent id="wait" attachedToRef="task"><bpmn:cancelEventDefinition/><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent><bpmn:endEvent id="end"/>${flows('start>task', 'task>end', 'wait>end')}`), 'wait', 'not cancel'],
    ['a boundary event with no event definition', bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:userTask id="task"/><bpmn:boundaryEvent id="wait" attachedToRef="task"/><bpmn:endEvent id="end"/>${flows('start>task', 'task>end', 'wait>end')}`), 'wait', 'has no event definition, so it catches nothing'],
  ])('refuses %s', async (_, model, elementId, reason) => {
    expect((await refusal(model)).details).toEqual([expect.objectContaining({ elementId, message: expect.stringContaining(reason) })]);
  });

  it('a non-interrupting multiple boundary event starts its path at each of its triggers, its task staying open', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="appraise"/>
      <bpmn:boundaryEvent id="remind" attachedToRef="appraise" cancelActivity="false"><bpmn:messageEventDefinition messageRef="Message_supplement"/><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:userTask id="note"/>
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="noted"/>
      ${flows('start>appraise', 'appraise>end', 'remind>note', 'note>noted')}`, { outside: supplement }));
    instance.send({ type: 'message', elementId: 'remind' });
    expect(waitingFor(instance)).toEqual([['appraise', 'task', undefined], ['remind', 'message', 'supplement'], ['remind', 'timer', undefined], ['note', 'task', undefined]]);
    instance.send({ type: 'task.complete', elementId: 'note' });
    instance.send({ type: 'timer', elementId: 'remind' });
    expect(instance.open.filter((each) => each.kind === 'task').map((each) => each.elementId)).toEqual(['appraise', 'note']);
    instance.send({ type: 'task.complete', elementId: 'note' });
    instance.send({ type: 'task.complete', elementId: 'appraise' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('a multiple start of a message and a signal starts on either', async () => {
    const process = await compile(bpmnProcess(`
      <bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="Message_supplement"/><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:startEvent>
      <bpmn:userTask id="review"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>review', 'review>end')}`, { outside: supplement }));
    expect(starts(process)).toEqual([{ startEventId: 'start', kind: 'message', name: 'supplement' }, { startEventId: 'start', kind: 'signal', name: 'recall' }]);
  });

  it('a multiple catch after an event-based gateway, beside a timer, takes a signal or a message', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:eventBasedGateway id="choice"/>
      <bpmn:intermediateCatchEvent id="either"><bpmn:messageEventDefinition messageRef="Message_supplement"/><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="late"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:userTask id="handle"/>
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="lateEnd"/>
      ${flows('start>choice', 'choice>either', 'choice>late', 'either>handle', 'handle>end', 'late>lateEnd')}`, { outside: supplement });
    const bySignal = await run(model);
    expect(waitingFor(bySignal)).toEqual([['either', 'message', 'supplement'], ['either', 'signal', 'recall'], ['late', 'timer', undefined]]);
    bySignal.send({ type: 'signal', elementId: 'either', signalName: 'recall' });
    expect(waitingFor(bySignal)).toEqual([['handle', 'task', undefined]]);
    const byMessage = await run(model);
    byMessage.send({ type: 'message', elementId: 'either' });
    expect(waitingFor(byMessage)).toEqual([['handle', 'task', undefined]]);
  });
});
