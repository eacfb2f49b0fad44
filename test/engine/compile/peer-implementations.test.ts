import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// Automated tasks that name their implementation as Camunda 7 or bpmn-engine write it run as a
// job of the named service's type; a script task as a job of its language (engine/bpmn/peer-implementations.ts,
// docs/bpmn-coverage.md, "Activities"). The engine runs none of it.

const CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';

function withTask(task: string): string {
  return bpmnProcess(`<bpmn:startEvent id="start"/>${task}<bpmn:endEvent id="end"/>${flows('start>work', 'work>end')}`, { attributes: CAMUNDA });
}

async function jobTypeOf(task: string): Promise<unknown> {
  const instance = await run(withTask(task));
  expect(instance.open.map((work) => [work.elementId, work.kind])).toEqual([['work', 'job']]);
  return instance.open[0]!.detail.jobType;
}

describe('job types read from the implementation a peer engine\'s model names', () => {
  it('a bpmn-engine service (implementation="${environment.services.name}") is a job of that name, run to the end', async () => {
    const instance = await run(withTask('<bpmn:serviceTask id="work" implementation="${environment.services.getSpotPrice}"/>'));
    expect(instance.open).toMatchObject([{ elementId: 'work', kind: 'job', detail: { jobType: 'getSpotPrice' } }]);
    instance.send({ type: 'job.complete', elementId: 'work', variables: { spotPrice: 12 } });
    expect(instance.status).toBe('completed');
    expect(instance.variables).toEqual({ spotPrice: 12 });
  });

  it('reads the service on send and business-rule tasks, and as ${services.name} or in camunda:expression', async () => {
    expect(await jobTypeOf('<bpmn:sendTask id="work" implementation="${environment.services.postMessage}"/>')).toBe('postMessage');
    expect(await jobTypeOf('<bpmn:businessRuleTask id="work" implementation="${ environment.services.rule }"/>')).toBe('rule');
    expect(await jobTypeOf('<bpmn:serviceTask id="work" camunda:expression="${services.postMessage}" camunda:resultVariable="result"/>')).toBe('postMessage');
  });

  it('a Camunda 7 Java delegate is a job of its class or bean name', async () => {
    expect(await jobTypeOf('<bpmn:serviceTask id="work" camunda:class="vn.gov.registry.Lookup"/>')).toBe('vn.gov.registry.Lookup');
    expect(await jobTypeOf('<bpmn:serviceTask id="work" camunda:delegateExpression="${registryLookup}"/>')).toBe('registryLookup');
  });

  it('qt:jobType and an external task\'s topic win over the implementation', async () => {
    expect(await jobTypeOf('<bpmn:serviceTask id="work" qt:jobType="from-qt" implementation="${environment.services.other}"/>')).toBe('from-qt');
    expect(await jobTypeOf('<bpmn:serviceTask id="work" camunda:type="external" camunda:topic="from-topic" camunda:class="a.B"/>')).toBe('from-topic');
  });

  it('a script task is a job script:<format> for a worker of that language; the engine never evaluates the script', async () => {
    expect(await jobTypeOf('<bpmn:scriptTask id="work" scriptFormat="JavaScript"><bpmn:script>environment.output.x = 1; next();</bpmn:script></bpmn:scriptTask>')).toBe('script:javascript');
    expect(await jobTypeOf('<bpmn:scriptTask id="work" scriptFormat="groovy"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>')).toBe('script:groovy');
  });

  it('refuses a service called with arguments, or a Camunda expression naming no service, saying why', async () => {
    const called = await refusal(withTask('<bpmn:serviceTask id="work" implementation="${environment.services.httpRequest(environment.variables.url)}"/>'));
    expect(called.details).toEqual([expect.objectContaining({ elementId: 'work', message: expect.stringContaining('calls service httpRequest with arguments computed per instance') })]);
    const computed = await refusal(withTask('<bpmn:serviceTask id="work" camunda:expression="${calculator.add(a, b)}"/>'));
    expect(computed.details).toEqual([expect.objectContaining({ elementId: 'work', message: expect.stringContaining('names no fixed service') })]);
  });

  it('still refuses a task that names nothing to run: no implementation, a plain implementation name, a script without its language', async () => {
    for (const task of [
      '<bpmn:serviceTask id="work"/>',
      '<bpmn:serviceTask id="work" implementation="##WebService"/>',
      '<bpmn:serviceTask id="work" implementation="myService"/>',
      '<bpmn:scriptTask id="work"><bpmn:script>next()</bpmn:script></bpmn:scriptTask>',
    ]) {
      const error = await refusal(withTask(task));
      expect(error.details).toEqual([expect.objectContaining({ elementId: 'work', message: expect.stringContaining('without qt:jobType') })]);
    }
  });
});
