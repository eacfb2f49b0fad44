import { describe, expect, it } from 'vitest';
import { peerCorpusPresent, peerModel } from '../../support/peer-corpus.ts';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// bpmn-elements' transaction models (transaction-feature.js, Transaction-test.js; the corpus file
// names the test and its line) with a cancel end event and no cancel boundary event: run as the
// peer's test expects, compensated and then ended without taking the transaction's outgoing flows.
const elements = (name: string) => peerModel(`inline/bpmn-elements/${name}.bpmn`);
const trace = (instance: Awaited<ReturnType<typeof run>>) => instance.trace.flatMap((step) => step.effects.map((effect) => `${effect.type}:${'elementId' in effect.params ? String(effect.params.elementId) : ''}`));

describe.skipIf(!peerCorpusPresent)('a transaction cancelled with no cancel boundary event', () => {
  it('compensates the completed task, then ends once the handler is done (transaction-feature L826, Transaction-test L191)', async () => {
    for (const name of ['feature__transaction-feature__L826', 'tasks__Transaction-test__L191']) {
      const instance = await run(elements(name));
      // The cancel end event was reached: the task's handler runs, and the instance waits for it.
      expect(instance.open).toEqual([expect.objectContaining({ elementId: 'compensate', kind: 'job' })]);
      expect(instance.status).toBe('active');
      instance.send({ type: 'job.complete', elementId: 'compensate' });
      expect(instance.status).toBe('completed');
      expect(instance.open).toEqual([]);
    }
  });

  it('completes at once when the handler is a task of no type (Transaction-test L104)', async () => {
    const instance = await run(elements('tasks__Transaction-test__L104'));
    expect(instance.status).toBe('completed');
  });

  it('compensates nothing for a compensation boundary event with no handler, and completes (Transaction-test L69)', async () => {
    const instance = await run(elements('tasks__Transaction-test__L69'));
    expect(instance.status).toBe('completed');
    expect(trace(instance).filter((effect) => effect.startsWith('qt.job') || effect.startsWith('qt.task'))).toEqual([]);
  });

  it('runs a transaction whose compensation boundary event has no handler as a sub-process to its end (Transaction-test L13)', async () => {
    const instance = await run(elements('tasks__Transaction-test__L13'));
    expect(instance.open.map((waiting) => waiting.elementId)).toEqual(['wait']);
    instance.send({ type: 'task.complete', elementId: 'wait' });
    expect(instance.status).toBe('completed');
  });

  it('cancels after the user task, compensating the main task (transaction-feature L880)', async () => {
    const instance = await run(elements('feature__transaction-feature__L880'));
    expect(instance.open.map((waiting) => waiting.elementId)).toEqual(['areUSure']);
    instance.send({ type: 'task.complete', elementId: 'areUSure' });
    expect(instance.open).toEqual([expect.objectContaining({ elementId: 'compensateTask', kind: 'job' })]);
    instance.send({ type: 'job.complete', elementId: 'compensateTask' });
    expect(instance.status).toBe('completed');
  });
});

describe('a transaction drawn here, cancelled with no cancel boundary event', () => {
  const transaction = (attributes: string, after: string) => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:transaction id="atomic" ${attributes}>
      <bpmn:startEvent id="inside"/><bpmn:userTask id="decide"/>
      <bpmn:endEvent id="cancel"><bpmn:cancelEventDefinition/></bpmn:endEvent>
      ${flows('inside>decide', 'decide>cancel')}
    </bpmn:transaction>
    ${after}`);

  it('refuses one with an outgoing flow: cancelled, BPMN gives no way on and bpmn-elements takes none', async () => {
    const error = await refusal(transaction('', `<bpmn:userTask id="next"/><bpmn:endEvent id="end"/>${flows('start>atomic', 'atomic>next', 'next>end')}`));
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'cancel', message: expect.stringContaining('no cancel boundary event') })]);
  });

  it('runs one without outgoing flows to the end when cancelled, leaving what still runs inside', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:transaction id="atomic">
        <bpmn:startEvent id="inside"/><bpmn:parallelGateway id="split"/><bpmn:userTask id="decide"/><bpmn:userTask id="other"/>
        <bpmn:endEvent id="done"/><bpmn:endEvent id="otherDone"/>
        <bpmn:exclusiveGateway id="answer" default="answer_done"/>
        <bpmn:endEvent id="cancel"><bpmn:cancelEventDefinition/></bpmn:endEvent>
        ${flows('inside>split', 'split>decide', 'split>other', 'decide>answer', 'other>otherDone', 'answer>done')}
        <bpmn:sequenceFlow id="no" sourceRef="answer" targetRef="cancel"><bpmn:conditionExpression>= approved = false</bpmn:conditionExpression></bpmn:sequenceFlow>
      </bpmn:transaction>
      ${flows('start>atomic')}`);
    const instance = await run(xml);
    expect(instance.open.map((waiting) => waiting.elementId).sort()).toEqual(['decide', 'other']);
    instance.send({ type: 'task.complete', elementId: 'decide', variables: { approved: false } });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
    expect(trace(instance)).toContain('qt.task.close:other');
  });

  it('compensates only the activities with a handler when one compensation boundary event has none', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="pay"/><bpmn:boundaryEvent id="payMonitor" attachedToRef="pay"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
      <bpmn:userTask id="refund" isForCompensation="true"/>
      <bpmn:association id="a1" sourceRef="payMonitor" targetRef="refund"/>
      <bpmn:userTask id="notify"/><bpmn:boundaryEvent id="notifyMonitor" attachedToRef="notify"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
      <bpmn:endEvent id="undo"><bpmn:compensateEventDefinition/></bpmn:endEvent>
      ${flows('start>pay', 'pay>notify', 'notify>undo')}`);
    const instance = await run(xml);
    instance.send({ type: 'task.complete', elementId: 'pay' });
    instance.send({ type: 'task.complete', elementId: 'notify' });
    expect(instance.open.map((waiting) => waiting.elementId)).toEqual(['refund']);
    instance.send({ type: 'task.complete', elementId: 'refund' });
    expect(instance.status).toBe('completed');
  });
});
