import { describe, expect, it } from 'vitest';
import { peerCorpusPresent, peerModel } from '../../support/peer-corpus.ts';
import { bpmnProcess, compile, run } from '../../support/process.ts';

// bpmn-elements' multi-instance models over `js:collection` (task-loop-feature.js,
// sub-process-feature.js; the corpus file names the test and its line), run as the peer's tests expect.
const elements = (name: string) => peerModel(`inline/bpmn-elements/${name}.bpmn`);
const list = (count: number) => Array.from({ length: count }, (_, idx) => ({ idx }));
const jobs = (instance: Awaited<ReturnType<typeof run>>) => instance.open.filter((waiting) => waiting.kind === 'job');

describe.skipIf(!peerCorpusPresent)('multi-instance over a bpmn-engine collection', () => {
  it('runs the script task once per item, in parallel, and completes; at once for no items (task-loop L136)', async () => {
    const xml = elements('feature__task-loop-feature__L136');
    const instance = await run(xml, { variables: { list: list(5) } });
    expect(jobs(instance).map((job) => job.detail.item)).toEqual(list(5));
    for (const index of [4, 0, 3, 1, 2]) instance.send({ type: 'job.complete', elementId: 'task', index });
    expect(instance.status).toBe('completed');
    expect((await run(xml, { variables: { list: [] } })).status).toBe('completed');
  });

  it('runs the sub-process once per item as parallel runs (sub-process L10)', async () => {
    const xml = elements('feature__sub-process-feature__L10');
    const instance = await run(xml, { variables: { list: list(3) } });
    expect(jobs(instance).map((job) => [job.elementId, job.detail.jobType, job.run])).toEqual([0, 1, 2].map((index) => ['task', 'serviceFn', [index]]));
    for (const index of [0, 1, 2]) instance.send({ type: 'job.complete', elementId: 'task', run: [index] });
    expect(instance.status).toBe('completed');
    expect((await run(xml, { variables: { list: [] } })).status).toBe('completed');
  });

  it('runs the sub-process once per item, one after another (sub-process L82)', async () => {
    const xml = elements('feature__sub-process-feature__L82');
    const instance = await run(xml, { variables: { list: list(3) } });
    for (let round = 0; round < 3; round += 1) {
      expect(jobs(instance).map((job) => job.elementId)).toEqual(['task']);
      expect(instance.variables.loopCounter).toBe(round + 1);
      instance.send({ type: 'job.complete', elementId: 'task' });
    }
    expect(instance.status).toBe('completed');
    expect((await run(xml, { variables: { list: [] } })).status).toBe('completed');
  });
});

describe('the collection of a multi-instance loop written for bpmn-engine or Camunda 7', () => {
  const loop = (attributes: string, namespaces = '') => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="consult"><bpmn:multiInstanceLoopCharacteristics ${attributes}/></bpmn:userTask>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="consult"/><bpmn:sequenceFlow id="f2" sourceRef="consult" targetRef="end"/>`).replace('<bpmn:definitions ', `<bpmn:definitions ${namespaces} `);
  const agencies = ['Công an tỉnh', 'Cục Thuế'];

  it.each([
    ['an undeclared js: prefix', 'js:collection="${environment.variables.agencies}"', ''],
    ['bpmn-engine\'s 2017 namespace', 'engine:collection="${environment.variables.agencies}"', 'xmlns:engine="http://paed01.github.io/bpmn-engine/schema/2017/08/bpmn"'],
    ['Camunda 7, with its element variable', 'camunda:collection="${variables.agencies}" camunda:elementVariable="agency"', 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"'],
  ])('opens one task per item with %s', async (_, attributes, namespaces) => {
    const instance = await run(loop(attributes, namespaces), { variables: { agencies } });
    expect(instance.open.map((waiting) => waiting.detail.item)).toEqual(agencies);
  });

  it('leaves a loop with a loopCardinality on its count, as it was deployed before', async () => {
    const compiled = await compile(loop('js:collection="${environment.variables.agencies}"').replace('/></bpmn:userTask>', '><bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>'));
    expect(compiled.graph.nodes.get('consult')!.multiInstance).toMatchObject({ cardinality: '3', collection: undefined });
  });
});
