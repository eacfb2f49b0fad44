import { describe, expect, it } from 'vitest';
import { bpmnProcess, compile, flows, refusal, run } from '../../support/process.ts';

// Conditional start events (BPMN 2.0 §10.5.2): the process starts when its condition over data
// holds. The server evaluates the condition over the data sent to POST /api/conditions/evaluate
// (test/server/conditional-starts.test.ts); here, what deployment accepts and refuses.

const conditionalStart = (condition: string, language = '') => bpmnProcess(`
  <bpmn:startEvent id="largeFee"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression"${language}>${condition}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:startEvent>
  <bpmn:userTask id="review"/>
  <bpmn:endEvent id="end"/>
  ${flows('largeFee>review', 'review>end')}
`, { id: 'Process_large_fee' });

describe('conditional start events', () => {
  it('deploys a process with a FEEL conditional start, started through it like any start event', async () => {
    const compiled = await compile(conditionalStart('soTien &gt; 1000000'));
    expect(compiled.startEventIds).toEqual(['largeFee']);
    expect(compiled.graph.nodes.get('largeFee')?.trigger).toMatchObject({ kind: 'conditional', condition: 'soTien > 1000000' });
    const instance = await run(conditionalStart('soTien &gt; 1000000'), { startEventId: 'largeFee', variables: { soTien: 2_000_000 } });
    expect(instance.activeElementIds).toEqual(['review']);
  });

  it('refuses a conditional start whose condition is not FEEL, or unreadable, naming it', async () => {
    // JavaScript that is not bpmn-engine's `next(null, <expression>)` cannot be translated (condition-dialects.ts).
    expect((await refusal(conditionalStart('next(null, this.fee > 1)', ' language="javascript"'))).details).toEqual([
      expect.objectContaining({ elementId: 'largeFee', message: expect.stringContaining('cannot be translated to FEEL') }),
    ]);
    expect((await refusal(conditionalStart('soTien > 1', ' language="groovy"'))).details).toEqual([
      expect.objectContaining({ elementId: 'largeFee', message: expect.stringContaining('The condition of start event largeFee is written in groovy') }),
    ]);
    expect((await refusal(conditionalStart('soTien &gt; ((('))).details).toEqual([
      expect.objectContaining({ elementId: 'largeFee', message: expect.stringContaining('The condition of start event largeFee is not valid FEEL') }),
    ]);
  });

  it('still refuses a conditional start inside an embedded sub-process, naming it', async () => {
    const details = (await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="inner">
        <bpmn:startEvent id="innerStart"><bpmn:conditionalEventDefinition><bpmn:condition>ready</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:startEvent>
        <bpmn:endEvent id="innerEnd"/>
        ${flows('innerStart>innerEnd')}
      </bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${flows('start>inner', 'inner>end')}
    `))).details;
    expect(details).toEqual([expect.objectContaining({ elementId: 'innerStart', message: expect.stringContaining('sub-process inner can only start plainly') })]);
  });
});
