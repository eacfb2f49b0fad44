import { describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../../engine/compile/fragment.ts';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

describe('models the engine refuses', () => {
  it('lists every offending element at once, each with a Vietnamese and an English reason', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:serviceTask id="noJobType"/>
      <bpmn:complexGateway id="complex"/>
      <bpmn:userTask id="fork"/>
      <bpmn:userTask id="a"/>
      <bpmn:userTask id="b"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>noJobType', 'noJobType>complex', 'complex>fork', 'fork>a', 'fork>b', 'a>end', 'b>end')}
    `);
    const error = await refusal(model);
    expect(error).toMatchObject({ kind: 'invalid-model', code: 'bpmn.not-executable' });
    const byElement = new Map(error.details.map((detail) => [detail.elementId, detail]));
    expect([...byElement.keys()]).toEqual(expect.arrayContaining(['noJobType', 'complex']));
    for (const detail of error.details) {
      expect(detail.messages?.vi).not.toEqual(detail.messages?.en);
      expect(detail.message).toBe(detail.messages?.en);
    }
    expect(byElement.get('noJobType')?.message).toContain('qt:jobType');
    expect(byElement.get('complex')?.message).toContain('activationCondition');
  });

  it('refuses timers that cannot be read as ISO 8601, or that count backwards, naming each timer event', async () => {
    const timer = (id: string, inside: string) => `<bpmn:intermediateCatchEvent id="${id}"><bpmn:timerEventDefinition>${inside}</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      ${timer('bareNumber', '<bpmn:timeDate>12</bpmn:timeDate>')}
      ${timer('monthName', '<bpmn:timeDate>March 7</bpmn:timeDate>')}
      ${timer('backwards', '<bpmn:timeDuration>-PT1H</bpmn:timeDuration>')}
      ${timer('vietnamTime', '<bpmn:timeDate>2026-01-01T08:00:00</bpmn:timeDate>')}
      <bpmn:endEvent id="end"/>
      ${flows('start>bareNumber', 'bareNumber>monthName', 'monthName>backwards', 'backwards>vietnamTime', 'vietnamTime>end')}
    `);
    expect((await refusal(model)).details.map((detail) => detail.elementId).sort()).toEqual(['backwards', 'bareNumber', 'monthName']);
  });

  it('refuses constructs not supported yet, by name', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="consultEach" triggeredByEvent="true">
        <bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/>
        <bpmn:startEvent id="innerStart"><bpmn:messageEventDefinition messageRef="Message_ask"/></bpmn:startEvent><bpmn:endEvent id="innerEnd"/>${flows('innerStart>innerEnd')}
      </bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${flows('start>end')}
    `, { outside: '<bpmn:message id="Message_ask" name="ask"/>' });
    expect((await refusal(model)).details).toContainEqual(expect.objectContaining({ elementId: 'consultEach', message: expect.stringContaining('multi-instance') }));
  });

  it('refuses a process with no start event and no node without incoming flows', async () => {
    const model = bpmnProcess(`<bpmn:userTask id="lonely"/>${flows('lonely>lonely')}`);
    expect((await refusal(model)).details.map((d) => d.elementId)).toEqual(expect.arrayContaining(['Process_test']));
  });
});

describe('deeply nested blocks', () => {
  /** Parallel blocks nested `depth` deep: each split opens a task and the next block, its join closes both. */
  const nested = (depth: number) => {
    const levels = Array.from({ length: depth }, (_, i) => i);
    const pairs = levels.flatMap((i) => [`split${i}>task${i}`, `task${i}>join${i}`, i + 1 < depth ? `split${i}>split${i + 1}` : `split${i}>join${i}`, ...(i + 1 < depth ? [`join${i + 1}>join${i}`] : [])]);
    return bpmnProcess(`
      <bpmn:startEvent id="start"/>
      ${levels.map((i) => `<bpmn:parallelGateway id="split${i}"/><bpmn:userTask id="task${i}"/><bpmn:parallelGateway id="join${i}"/>`).join('')}
      <bpmn:endEvent id="end"/>
      ${flows('start>split0', ...pairs, 'join0>end')}
    `);
  };

  it(`runs blocks nested ${MAX_NESTING - 1} deep`, async () => {
    const instance = await run(nested(MAX_NESTING - 1));
    expect(instance.activeElementIds).toHaveLength(MAX_NESTING - 1);
  });

  it('refuses blocks nested deeper than that with a typed error naming the element, rather than exhausting the stack', async () => {
    const error = await refusal(nested(2000)); // deep enough to overflow the stack before the limit
    expect(error).toMatchObject({ kind: 'invalid-model', code: 'bpmn.nested-too-deep' });
    expect(error.details).toEqual([expect.objectContaining({ elementId: `task${MAX_NESTING - 1}` })]);
    // 2,000 blocks to read and compile: seconds on a loaded 2-core machine; the test is about the refusal, not its speed.
  }, 60_000);
});
