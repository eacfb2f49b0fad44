import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// Conditional events (BPMN 2.0 §10.4.5): they occur when their FEEL condition on the instance's variables holds.

const condition = (expression: string, language = '') => `<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression"${language}>${expression}</bpmn:condition></bpmn:conditionalEventDefinition>`;

describe('conditional events', () => {
  const waitForPayment = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:intermediateCatchEvent id="paid">${condition('feePaid = true')}</bpmn:intermediateCatchEvent>
    <bpmn:userTask id="issue"/>
    <bpmn:userTask id="pay"/>
    <bpmn:parallelGateway id="join"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>fork', 'fork>paid', 'paid>issue', 'issue>join', 'fork>pay', 'pay>join', 'join>end')}
  `);

  it('an intermediate catch waits until a change of the variables makes its condition hold', async () => {
    const instance = await run(waitForPayment, { variables: { feePaid: false } });
    expect(instance.activeElementIds.sort()).toEqual(['paid', 'pay']);
    instance.send({ type: 'task.complete', elementId: 'pay', variables: { feePaid: true } });
    expect(instance.activeElementIds).toEqual(['issue']);
  });

  it('passes at once when its condition already holds on arrival', async () => {
    const instance = await run(waitForPayment, { variables: { feePaid: true } });
    expect(instance.activeElementIds.sort()).toEqual(['issue', 'pay']);
  });

  it('an interrupting conditional boundary event leaves its activity when the condition comes to hold', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="appraise">
        <bpmn:startEvent id="s"/><bpmn:parallelGateway id="f"/><bpmn:userTask id="inspect"/><bpmn:userTask id="measure"/><bpmn:parallelGateway id="j"/><bpmn:endEvent id="e"/>
        ${flows('s>f', 'f>inspect', 'f>measure', 'inspect>j', 'measure>j', 'j>e')}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="withdrawn" attachedToRef="appraise">${condition('withdrawn')}</bpmn:boundaryEvent>
      <bpmn:userTask id="archive"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>appraise', 'appraise>end', 'withdrawn>archive', 'archive>end')}
    `), { variables: { withdrawn: false } });
    instance.send({ type: 'task.complete', elementId: 'inspect', variables: { withdrawn: true } });
    expect(instance.activeElementIds).toEqual(['archive']);
    expect(instance.open.map((w) => w.elementId)).toEqual(['archive']); // measure was closed
  });

  it('refuses a condition that is not FEEL, and a non-interrupting conditional boundary event, naming them (a conditional start: conformance.test.ts)', async () => {
    const details = (await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="js">${condition('done == true', ' language="groovy"')}</bpmn:intermediateCatchEvent>
      <bpmn:userTask id="work"/>
      <bpmn:boundaryEvent id="noted" attachedToRef="work" cancelActivity="false">${condition('late')}</bpmn:boundaryEvent>
      <bpmn:endEvent id="end"/><bpmn:endEvent id="notedEnd"/>
      ${flows('start>js', 'js>work', 'work>end', 'noted>notedEnd')}
    `))).details;
    expect(details).toEqual([
      expect.objectContaining({ elementId: 'js', message: expect.stringContaining('The condition of event js is written in groovy') }),
      expect.objectContaining({ elementId: 'noted', message: expect.stringContaining('a non-interrupting conditional boundary event is not executed yet') }),
    ]);
  });
});
