import { describe, expect, it } from 'vitest';
import { openWork, peerCorpusPresent, startedPeerModel } from '../../support/peer-corpus.ts';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// A message throw with no qt:jobType (BPMN 2.0 §10.4.4, §10.4.5: a throw sends its message and does not wait)
// is published by the platform itself, as `POST /api/messages` publishes one; in memory it goes to
// the instance's outbox (`published`), on the server to a qt.message job (test/server/message-throws.test.ts).

const notice = '<bpmn:message id="Message_notice" name="Thông báo"/>';
const file = (line: number) => `inline/bpmn-elements/feature__messaging-feature__L${line}.bpmn`;

describe.skipIf(!peerCorpusPresent)('message throws of the peer corpus (bpmn-elements messaging-feature)', () => {
  it.each([
    [179, 'a participant process that expects thrown message to start'],
    [484, 'message flow targets participant process start activity'],
    [713, 'two processes with message start activities'],
  ])('L%i (%s): the main process throws "Start message" and completes', async (line) => {
    const instance = await startedPeerModel(file(line));
    expect(instance.status).toBe('completed');
    expect(instance.published).toEqual([{ elementId: 'send', name: 'Start message' }]);
    expect(openWork(instance)).toEqual([]);
  });

  it('L418 (message flow targets empty participant lane): throws "Start message", goes on at once to wait for "Second message", then completes', async () => {
    const instance = await startedPeerModel(file(418));
    expect(instance.published).toEqual([{ elementId: 'send', name: 'Start message' }]);
    expect(instance.activeElementIds).toEqual(['receive']);
    expect(instance.open).toEqual([expect.objectContaining({ elementId: 'receive', kind: 'message', detail: expect.objectContaining({ messageName: 'Second message' }) })]);
    expect(instance.send({ type: 'message', elementId: 'receive' })).toBe(true);
    expect(instance.status).toBe('completed');
    expect(instance.published).toHaveLength(1);
  });

  it('L772: two throws of one message in a row publish it twice, each its own message, within the start step', async () => {
    const instance = await startedPeerModel(file(772));
    expect(instance.status).toBe('completed');
    expect(instance.published).toEqual([{ elementId: 'send1', name: 'Start message' }, { elementId: 'send2', name: 'Start message' }]);
    expect(instance.trace).toHaveLength(1);
  });
});

describe('a message throw with no qt:jobType', () => {
  const throwThenWork = (definition: string) => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="decide"/>
    <bpmn:intermediateThrowEvent id="notify">${definition}</bpmn:intermediateThrowEvent>
    <bpmn:userTask id="archive"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>decide', 'decide>notify', 'notify>archive', 'archive>end')}
  `, { outside: notice });

  it('publishes with the value of its qt:correlationKey on the variables of the step, and goes on in the same step', async () => {
    const instance = await run(throwThenWork('<bpmn:messageEventDefinition messageRef="Message_notice" qt:correlationKey="=dossierNumber"/>'), { variables: { dossierNumber: 'HS-1' } });
    expect(instance.published).toEqual([]);
    instance.send({ type: 'task.complete', elementId: 'decide', variables: { dossierNumber: 'HS-2' } });
    expect(instance.published).toEqual([{ elementId: 'notify', name: 'Thông báo', correlationKey: 'HS-2' }]);
    expect(instance.activeElementIds).toEqual(['archive']);
    expect(openWork(instance)).toEqual([['archive', 'task']]);
  });

  it('publishes without a key when its key gives nothing (the variable is not set), as a message without a key', async () => {
    const instance = await run(throwThenWork('<bpmn:messageEventDefinition messageRef="Message_notice" qt:correlationKey="=dossierNumber"/>'));
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(instance.published).toEqual([{ elementId: 'notify', name: 'Thông báo' }]);
  });

  it('with a qt:jobType stays a job for an outside worker, publishing nothing itself', async () => {
    const instance = await run(throwThenWork('<bpmn:messageEventDefinition messageRef="Message_notice"/>').replace('id="notify"', 'id="notify" qt:jobType="lien-thong.gui"'));
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(openWork(instance)).toEqual([['notify', 'job']]);
    expect(instance.published).toEqual([]);
  });

  it('a message end event still ends as a none end and publishes nothing (its message is the collaboration\'s message flow)', async () => {
    const instance = await run(bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:endEvent id="end"><bpmn:messageEventDefinition messageRef="Message_notice"/></bpmn:endEvent>${flows('start>end')}`, { outside: notice }));
    expect(instance.status).toBe('completed');
    expect(instance.published).toEqual([]);
  });

  it('passes at once, so a loop with no other element that waits is refused rather than run round for ever', async () => {
    const loop = (attributes: string) => bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="merge"/>
      <bpmn:intermediateThrowEvent id="notify" ${attributes}><bpmn:messageEventDefinition messageRef="Message_notice"/></bpmn:intermediateThrowEvent>
      <bpmn:exclusiveGateway id="again" default="toEnd"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>merge', 'merge>notify', 'notify>again')}
      <bpmn:sequenceFlow id="toMerge" sourceRef="again" targetRef="merge"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=more</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toEnd" sourceRef="again" targetRef="end"/>
    `, { outside: notice });
    expect((await refusal(loop(''))).details).toEqual([expect.objectContaining({ message: expect.stringContaining('has no element that waits') })]);
    // Sent by a job, the throw waits for it: the loop deploys.
    const instance = await run(loop('qt:jobType="lien-thong.gui"'), { variables: { more: true } });
    expect(openWork(instance)).toEqual([['notify', 'job']]);
  });
});

describe('a send task with no qt:jobType', () => {
  const sendThenWork = (attributes: string, loop = '') => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:sendTask id="send" ${attributes}>${loop}</bpmn:sendTask>
    <bpmn:userTask id="archive"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>send', 'send>archive', 'archive>end')}
  `, { outside: notice });

  it('publishes the message it names (messageRef), with its qt:correlationKey, and passes on', async () => {
    const instance = await run(sendThenWork('messageRef="Message_notice" qt:correlationKey="=dossierNumber"'), { variables: { dossierNumber: 'HS-9' } });
    expect(instance.published).toEqual([{ elementId: 'send', name: 'Thông báo', correlationKey: 'HS-9' }]);
    expect(openWork(instance)).toEqual([['archive', 'task']]);
  });

  it('with a qt:jobType stays a job; naming no message, or many at once, it is refused as before', async () => {
    const job = await run(sendThenWork('messageRef="Message_notice" qt:jobType="lien-thong.gui"'));
    expect(openWork(job)).toEqual([['send', 'job']]);
    expect(job.published).toEqual([]);
    expect((await refusal(sendThenWork(''))).details).toEqual([expect.objectContaining({ elementId: 'send', message: expect.stringContaining('is an automated task without qt:jobType') })]);
    const many = sendThenWork('messageRef="Message_notice"', '<bpmn:multiInstanceLoopCharacteristics qt:collection="=agencies"/>');
    // A multi-instance send task runs each instance as a job: without a job type there is none to run.
    expect((await refusal(many)).details).toEqual([expect.objectContaining({ elementId: 'send', message: expect.stringContaining('is an automated task without qt:jobType') })]);
  });
});
