import { describe, expect, it } from 'vitest';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { QuyTrinhError } from '../../../engine/errors.ts';
import { bpmnProcess, compile, flows, refusal, run } from '../../support/process.ts';

// What the peer corpus (paed01's bpmn-engine / bpmn-elements test models, test/engine/peer-corpus.test.ts)
// showed the engine ran differently from what the model says: each is now refused by name, or run as written.

const message = '<bpmn:message id="Message_supplement" name="supplement"/>';

function withStart(startEvent: string, outside = ''): string {
  return bpmnProcess(`${startEvent}<bpmn:userTask id="review"/><bpmn:endEvent id="end"/>${flows('start>review', 'review>end')}`, { outside });
}

describe('start events', () => {
  it.each([
    ['a conditional start in JavaScript that does not translate to FEEL', '<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression" language="javascript">ready</bpmn:condition></bpmn:conditionalEventDefinition>', 'cannot be translated to FEEL'],
    ['a multiple start with a timer', '<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition><bpmn:messageEventDefinition messageRef="Message_supplement"/>', 'a multiple event combines only message, signal here, not timer'],
    ['a timer start with no time', '<bpmn:timerEventDefinition/>', 'has a timer with no time'],
  ])('refuses %s at deployment, naming the start event, rather than start plainly', async (_, definitions, reason) => {
    const error = await refusal(withStart(`<bpmn:startEvent id="start">${definitions}</bpmn:startEvent>`, message));
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'start', message: expect.stringContaining(reason) })]);
  });

  it('still deploys a none, message or timer start', async () => {
    for (const definitions of ['', '<bpmn:messageEventDefinition messageRef="Message_supplement"/>', '<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>']) {
      await expect(compile(withStart(`<bpmn:startEvent id="start">${definitions}</bpmn:startEvent>`, message))).resolves.toMatchObject({ startEventIds: ['start'] });
    }
  });

  it('refuses a triggered start inside an embedded sub-process, which can only start plainly', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="check">
        <bpmn:startEvent id="innerStart"><bpmn:messageEventDefinition messageRef="Message_supplement"/></bpmn:startEvent><bpmn:endEvent id="innerEnd"/>${flows('innerStart>innerEnd')}
      </bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${flows('start>check', 'check>end')}
    `, { outside: message });
    expect((await refusal(model)).details).toEqual([expect.objectContaining({ elementId: 'innerStart', message: expect.stringContaining('sub-process check can only start plainly') })]);
  });
});

describe('message events naming no message', () => {
  it('a catch or boundary event without messageRef waits for a message named by its own id, as bpmn-engine addresses it', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>
      <bpmn:userTask id="review"/>
      <bpmn:boundaryEvent id="withdrawn" attachedToRef="review"><bpmn:messageEventDefinition/></bpmn:boundaryEvent>
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="endWithdrawn"/>
      ${flows('start>wait', 'wait>review', 'review>end', 'withdrawn>endWithdrawn')}
    `);
    const instance = await run(model);
    expect(instance.open).toEqual([expect.objectContaining({ elementId: 'wait', kind: 'message', detail: expect.objectContaining({ messageName: 'wait' }) })]);
    instance.send({ type: 'message', elementId: 'wait' });
    expect(instance.open.map((each) => [each.elementId, each.kind, each.detail.messageName])).toEqual([['review', 'task', undefined], ['withdrawn', 'message', 'withdrawn']]);
    instance.send({ type: 'message', elementId: 'withdrawn' });
    expect(instance.status).toBe('completed');
  });

  it('keeps the qt:correlationKey of a catch without messageRef', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition qt:correlationKey="=dossierNumber"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>paid', 'paid>end')}
    `), { variables: { dossierNumber: 'HS-1' } });
    expect(instance.open).toEqual([expect.objectContaining({ elementId: 'paid', detail: { elementId: 'paid', messageName: 'paid', correlationKey: '=dossierNumber' } })]);
  });

  it('runs a message end event without a message as a none end, as one with a message runs', async () => {
    for (const definition of ['<bpmn:messageEventDefinition/>', '<bpmn:messageEventDefinition messageRef="Message_supplement"/>']) {
      const instance = await run(bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:endEvent id="end">${definition}</bpmn:endEvent>${flows('start>end')}`, { outside: message }));
      expect(instance.status).toBe('completed');
    }
  });

  it('refuses a message throw event with neither a job type nor a message: there is nothing to send', async () => {
    const model = bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:intermediateThrowEvent id="notify"><bpmn:messageEventDefinition/></bpmn:intermediateThrowEvent><bpmn:endEvent id="end"/>${flows('start>notify', 'notify>end')}`, { outside: message });
    expect((await refusal(model)).details).toEqual([expect.objectContaining({ elementId: 'notify', message: expect.stringContaining('names no message (messageRef) and has no qt:jobType') })]);
  });

  it('sends a message throw event as a job of its qt:jobType (or Zeebe task type), as a send task, and goes on when the job completes', async () => {
    const zeebe = 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
    for (const [attributes, extension, jobType] of [['qt:jobType="supplement.request"', '', 'supplement.request'], ['', '<bpmn:extensionElements><zeebe:taskDefinition type="notify-applicant"/></bpmn:extensionElements>', 'notify-applicant']] as const) {
      const xml = bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:intermediateThrowEvent id="notify" ${attributes}>${extension}<bpmn:messageEventDefinition messageRef="Message_supplement"/></bpmn:intermediateThrowEvent><bpmn:userTask id="wait"/><bpmn:endEvent id="end"/>${flows('start>notify', 'notify>wait', 'wait>end')}`, { outside: message }).replace('<bpmn:definitions ', `<bpmn:definitions ${zeebe} `);
      const instance = await run(xml);
      expect(instance.open).toEqual([expect.objectContaining({ elementId: 'notify', kind: 'job', detail: expect.objectContaining({ jobType }) })]);
      expect(instance.activeElementIds).toEqual(['notify']);
      instance.send({ type: 'job.complete', elementId: 'notify', variables: { sentAt: 'now' } });
      expect(instance.activeElementIds).toEqual(['wait']);
      expect(instance.variables).toEqual({ sentAt: 'now' });
    }
  });
});

function decision(condition: string, options: { definitionsLanguage?: string } = {}): string {
  const xml = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:exclusiveGateway id="complete" default="toSupplement"/>
    <bpmn:userTask id="accept"/>
    <bpmn:userTask id="supplement"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="toAccept" sourceRef="complete" targetRef="accept">${condition}</bpmn:sequenceFlow>
    ${flows('start>complete', 'accept>end', 'supplement>end')}
    <bpmn:sequenceFlow id="toSupplement" sourceRef="complete" targetRef="supplement"/>
  `);
  return options.definitionsLanguage === undefined ? xml : xml.replace('id="Definitions_test"', `id="Definitions_test" expressionLanguage="${options.definitionsLanguage}"`);
}

describe('condition languages', () => {
  it('refuses a condition in another language, naming the flow and the language, rather than read it as FEEL', async () => {
    const error = await refusal(decision('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy">complete == true</bpmn:conditionExpression>'));
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'toAccept', message: expect.stringContaining('written in groovy; the engine only executes FEEL') })]);
  });

  it('runs bpmn-engine\'s JavaScript condition next(null, 1==1) as its FEEL translation, never as FEEL text (condition-dialects.test.ts)', async () => {
    // Read as FEEL, `next(null, 1==1)` parses (a function call) and evaluates to null at run time.
    const instance = await run(decision('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">next(null, 1==1)</bpmn:conditionExpression>'));
    expect(instance.activeElementIds).toEqual(['accept']);
  });

  it('takes the definitions\' expressionLanguage for a condition that names none', async () => {
    const error = await refusal(decision('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">complete</bpmn:conditionExpression>', { definitionsLanguage: 'http://groovy-lang.org' }));
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'toAccept', message: expect.stringContaining('http://groovy-lang.org') })]);
  });

  it('runs a condition in FEEL, named or not', async () => {
    for (const language of ['', ' language="https://www.omg.org/spec/DMN/20191111/FEEL/"', ' language="feel"']) {
      const instance = await run(decision(`<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${language}>complete</bpmn:conditionExpression>`), { variables: { complete: true } });
      expect(instance.activeElementIds).toEqual(['accept']);
    }
  });
});

describe('conditions on flows that do not leave an exclusive or inclusive gateway', () => {
  it('takes a conditional flow out of an activity only when it holds, rather than always', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="review"/>
      <bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="reviewed" sourceRef="review" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">approved</bpmn:conditionExpression></bpmn:sequenceFlow>
      ${flows('start>review')}
    `);
    const instance = await run(model);
    instance.send({ type: 'task.complete', elementId: 'review', variables: { approved: false } });
    expect(instance.status).toBe('failed');
    expect(instance.failure).toMatchObject({ elementId: 'review' });
  });

  it('refuses a condition on a flow out of a parallel gateway, which evaluates none', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      <bpmn:userTask id="a"/><bpmn:userTask id="b"/>
      <bpmn:parallelGateway id="join"/>
      <bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="toA" sourceRef="fork" targetRef="a"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">urgent</bpmn:conditionExpression></bpmn:sequenceFlow>
      ${flows('start>fork', 'fork>b', 'a>join', 'b>join', 'join>end')}
    `);
    expect((await refusal(model)).details).toEqual([expect.objectContaining({ elementId: 'toA', message: expect.stringContaining('gateway of this kind evaluates none') })]);
  });
});

describe('a file with no process', () => {
  it('is refused naming its definitions', async () => {
    const xml = '<definitions id="empty" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="urn:test"/>';
    const error = await readProcess(xml).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(QuyTrinhError);
    expect((error as QuyTrinhError).details).toEqual([expect.objectContaining({ elementId: 'empty', field: 'rootElements' })]);
  });
});
