import { describe, expect, it } from 'vitest';
import { openWork, peerCorpusPresent, peerModel, startedPeerModel } from '../../support/peer-corpus.ts';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// BPMN 2.0 §10.3.8: a multi-instance loop's completionCondition is tested each time an instance
// completes; once it holds, the instances still open are cancelled (parallel) or none further
// starts (sequential), and the activity completes. The condition reads the instance's variables
// with the loop's attributes over them (nrOfInstances, nrOfActiveInstances,
// nrOfCompletedInstances, nrOfTerminatedInstances, loopCounter).

const agencies = ['Công an tỉnh', 'Cục Thuế', 'Sở Xây dựng', 'Sở Tài nguyên và Môi trường'];

// The department consults each agency; then it decides.
const consult = (loop: string) =>
  bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="consult">${loop}</bpmn:userTask>
  <bpmn:userTask id="decide"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>consult', 'consult>decide', 'decide>end')}`);
const loop = (sequential: boolean, condition: string, attributes = '') =>
  `<bpmn:multiInstanceLoopCharacteristics isSequential="${String(sequential)}" qt:collection="agencies" qt:elementVariable="agency"${attributes}><bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${condition}</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>`;
const consultTasks = (instance: Awaited<ReturnType<typeof run>>) => instance.open.filter((each) => each.elementId === 'consult').map((each) => each.detail.index);

describe('a parallel multi-instance loop with a completionCondition', () => {
  it('cancels the tasks still open once two of four have answered, and goes on', async () => {
    const instance = await run(consult(loop(false, 'nrOfCompletedInstances &gt;= 2')), { variables: { agencies } });
    expect(consultTasks(instance)).toEqual([0, 1, 2, 3]);
    instance.send({ type: 'task.complete', elementId: 'consult', index: 2, variables: { answer: 'đồng ý' } });
    expect(consultTasks(instance)).toEqual([0, 1, 3]);
    instance.send({ type: 'task.complete', elementId: 'consult', index: 0 });
    expect(instance.activeElementIds).toEqual(['decide']);
    expect(instance.open.map((each) => each.elementId)).toEqual(['decide']);
    // The completed task is closed, then the two still open are cancelled as the activity is left.
    const closed = instance.trace.at(-1)!.effects.filter((effect) => effect.type === 'qt.task.close').map((effect) => effect.params);
    expect(closed).toEqual([{ elementId: 'consult', index: 0 }, { elementId: 'consult', index: 1 }, { elementId: 'consult', index: 3 }]);
    // A cancelled instance can no longer complete.
    expect(instance.send({ type: 'task.complete', elementId: 'consult', index: 1 })).toBe(false);
    // The loop's attributes were read by the condition only, never stored.
    expect(instance.variables).toEqual({ agencies, answer: 'đồng ý' });
  });

  it('reads the completed answer first: one refusal ends the consultation at once', async () => {
    const instance = await run(consult(loop(false, 'answer = "không đồng ý"')), { variables: { agencies } });
    instance.send({ type: 'task.complete', elementId: 'consult', index: 1, variables: { answer: 'đồng ý' } });
    expect(consultTasks(instance)).toEqual([0, 2, 3]);
    instance.send({ type: 'task.complete', elementId: 'consult', index: 3, variables: { answer: 'không đồng ý' } });
    expect(instance.activeElementIds).toEqual(['decide']);
    expect(consultTasks(instance)).toEqual([]);
  });

  it('runs every instance when the condition never holds', async () => {
    const instance = await run(consult(loop(false, 'nrOfCompletedInstances &gt; nrOfInstances')), { variables: { agencies } });
    for (const index of [3, 1, 0]) {
      instance.send({ type: 'task.complete', elementId: 'consult', index });
      expect(instance.activeElementIds).toEqual(['consult']);
    }
    instance.send({ type: 'task.complete', elementId: 'consult', index: 2 });
    expect(instance.activeElementIds).toEqual(['decide']);
  });

  it('sees how many instances are still open and which one completed (nrOfActiveInstances, loopCounter)', async () => {
    const instance = await run(consult(loop(false, 'nrOfActiveInstances = 2 and loopCounter = 4')), { variables: { agencies } });
    instance.send({ type: 'task.complete', elementId: 'consult', index: 0 });
    expect(consultTasks(instance)).toEqual([1, 2, 3]);
    // Two are left open after this one, the fourth.
    instance.send({ type: 'task.complete', elementId: 'consult', index: 3 });
    expect(instance.activeElementIds).toEqual(['decide']);
  });

  it('cancels the runs of a parallel multi-instance sub-process still going, with what they wait for', async () => {
    const instance = await run(
      bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="consult">
        ${loop(false, 'nrOfCompletedInstances &gt;= 2')}
        <bpmn:startEvent id="consult_start"/>
        <bpmn:userTask id="answer"/>
        <bpmn:endEvent id="answered"/>
        ${flows('consult_start>answer', 'answer>answered')}
      </bpmn:subProcess>
      <bpmn:userTask id="decide"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>consult', 'consult>decide', 'decide>end')}`),
      { variables: { agencies } },
    );
    expect(instance.open.map((each) => each.run)).toEqual([[0], [1], [2], [3]]);
    instance.send({ type: 'task.complete', elementId: 'answer', run: [1], variables: { answered: 1 } });
    instance.send({ type: 'task.complete', elementId: 'answer', run: [3] });
    expect(instance.activeElementIds).toEqual(['decide']);
    expect(instance.open.map((each) => each.elementId)).toEqual(['decide']);
    expect(instance.variables).toMatchObject({ answered: 1 });
    expect(instance.trace.flatMap((entry) => entry.effects).filter((effect) => effect.type === 'qt.call.cancel')).toEqual([{ type: 'qt.call.cancel', params: { elementId: 'consult' } }]);
  });
});

describe('a sequential multi-instance loop with a completionCondition', () => {
  it('starts no further instance once two of four have completed', async () => {
    const instance = await run(consult(loop(true, 'nrOfCompletedInstances = 2')), { variables: { agencies } });
    expect(consultTasks(instance)).toEqual([0]);
    instance.send({ type: 'task.complete', elementId: 'consult', index: 0 });
    expect(consultTasks(instance)).toEqual([1]);
    instance.send({ type: 'task.complete', elementId: 'consult', index: 1 });
    expect(instance.activeElementIds).toEqual(['decide']);
    // The third was never opened.
    const opened = instance.trace.flatMap((entry) => entry.effects).flatMap((effect) => (effect.type === 'qt.task.open' && effect.params.elementId === 'consult' ? [effect.params.item] : []));
    expect(opened).toEqual(agencies.slice(0, 2));
  });

  it('runs every instance, one after another, when the condition never holds', async () => {
    const instance = await run(consult(loop(true, 'false')), { variables: { agencies } });
    for (const index of [0, 1, 2, 3]) {
      expect(consultTasks(instance)).toEqual([index]);
      instance.send({ type: 'task.complete', elementId: 'consult', index });
    }
    expect(instance.activeElementIds).toEqual(['decide']);
  });

  it('ends a sequential sub-process after the run whose own variables make it hold', async () => {
    const instance = await run(
      bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="search">
        ${loop(true, 'found = agency')}
        <bpmn:startEvent id="search_start"/>
        <bpmn:userTask id="look"/>
        <bpmn:endEvent id="looked"/>
        ${flows('search_start>look', 'look>looked')}
      </bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${flows('start>search', 'search>end')}`),
      { variables: { agencies } },
    );
    instance.send({ type: 'task.complete', elementId: 'look', variables: { found: 'nowhere' } });
    expect(instance.variables).toMatchObject({ agency: 'Cục Thuế', loopCounter: 2 });
    instance.send({ type: 'task.complete', elementId: 'look', variables: { found: 'Cục Thuế' } });
    expect(instance.status).toBe('completed');
  });
});

describe('completionConditions written for bpmn-engine, or in another language', () => {
  it('translates ${…} to FEEL, the loop attributes read as variables', async () => {
    const instance = await run(consult(loop(false, '${environment.variables.nrOfCompletedInstances >= 2}')), { variables: { agencies } });
    instance.send({ type: 'task.complete', elementId: 'consult', index: 0 });
    expect(consultTasks(instance)).toEqual([1, 2, 3]);
    instance.send({ type: 'task.complete', elementId: 'consult', index: 1 });
    expect(instance.activeElementIds).toEqual(['decide']);
  });

  it('refuses a condition in another language, or not FEEL, naming the activity', async () => {
    const groovy = await refusal(consult(loop(false, 'nrOfCompletedInstances &gt;= 2').replace('xsi:type="bpmn:tFormalExpression"', 'xsi:type="bpmn:tFormalExpression" language="groovy"')));
    expect(groovy.details.map((detail) => [detail.elementId, detail.message])).toEqual([['consult', 'The completionCondition of consult is written in groovy; the engine only executes FEEL conditions']]);
    const broken = await refusal(consult(loop(false, 'nrOfCompletedInstances &gt;=')));
    expect(broken.details.map((detail) => detail.elementId)).toEqual(['consult']);
    expect(broken.details[0]!.message).toContain('The completionCondition of consult is not valid FEEL');
    // An empty one says nothing to test: refused, not read as never holding.
    const empty = await refusal(consult(loop(false, '')));
    expect(empty.details.map((detail) => [detail.elementId, detail.message.startsWith('The completionCondition of consult is not valid FEEL')])).toEqual([['consult', true]]);
  });

  it.skipIf(!peerCorpusPresent)('keeps refusing the corpus conditions that read what bpmn-engine hands its condition, or a service', async () => {
    for (const [name, reads] of [
      ['resources/bpmn-elements/task-with-multi-instance-loop.bpmn', 'environment.services.loopCondition'],
      ['resources/bpmn-engine/task-with-multi-instance-loop.bpmn', 'services.loopCondition'],
      ['inline/bpmn-elements/feature__task-loop-feature__L466.bpmn', 'content.item.stop'],
    ] as const) {
      const error = await refusal(peerModel(name));
      expect(error.details.some((detail) => detail.message.includes('completionCondition of') && detail.message.includes(`it reads ${reads}`))).toBe(true);
    }
  });
});

describe.skipIf(!peerCorpusPresent)('multi-instance receive tasks (the corpus models)', () => {
  it('waits for one message per instance of a parallel receive task, then goes on (feature__signal-feature__L523)', async () => {
    const instance = await startedPeerModel('inline/bpmn-elements/feature__signal-feature__L523.bpmn');
    instance.send({ type: 'task.complete', elementId: 'task1' });
    for (const index of [0, 1, 2]) instance.send({ type: 'task.complete', elementId: 'loopTask', index });
    instance.send({ type: 'message', elementId: 'receiveAnon' });
    instance.send({ type: 'message', elementId: 'receive' });
    expect(openWork(instance)).toEqual([['loopReceive', 'message']]);
    expect(instance.open[0]!.detail).toMatchObject({ messageName: 'NamedMessage' });
    instance.send({ type: 'message', elementId: 'loopReceive', variables: { first: 1 } });
    instance.send({ type: 'message', elementId: 'loopReceive' });
    // One subscription stands for the instance still waiting.
    expect(openWork(instance)).toEqual([['loopReceive', 'message']]);
    instance.send({ type: 'message', elementId: 'loopReceive' });
    expect(openWork(instance)).toEqual([['anonSignalEvent', 'signal']]);
    expect(instance.variables).toEqual({ first: 1 });
  });

  it('waits for the messages of a sequential receive task one after another (feature__stopAndResume-feature__L12)', async () => {
    const instance = await startedPeerModel('inline/bpmn-elements/feature__stopAndResume-feature__L12.bpmn');
    instance.send({ type: 'task.complete', elementId: 'user-task' });
    for (const index of [0, 1, 2]) instance.send({ type: 'task.complete', elementId: 'parallell-task', index });
    instance.send({ type: 'message', elementId: 'receive' });
    for (let received = 0; received < 3; received++) {
      expect(openWork(instance)).toEqual([['sequential-task', 'message']]);
      instance.send({ type: 'message', elementId: 'sequential-task' });
    }
    expect(openWork(instance)).toEqual([['signal-event', 'signal']]);
  });

  it('ends the shared subscription when a completionCondition holds', async () => {
    const instance = await run(
      bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:receiveTask id="receipts" messageRef="Message_receipt">${loop(false, 'nrOfCompletedInstances = 1')}</bpmn:receiveTask>
      <bpmn:endEvent id="end"/>
      ${flows('start>receipts', 'receipts>end')}`, { outside: '<bpmn:message id="Message_receipt" name="receipt"/>' }),
      { variables: { agencies } },
    );
    expect(openWork(instance)).toEqual([['receipts', 'message']]);
    instance.send({ type: 'message', elementId: 'receipts' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });
});
