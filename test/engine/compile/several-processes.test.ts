import { describe, expect, it } from 'vitest';
import { readProcess, readProcesses } from '../../../engine/bpmn/read-process.ts';
import { compileProcess } from '../../../engine/compile/index.ts';
import { QuyTrinhError } from '../../../engine/errors.ts';
import { lintModelXml } from '../../../engine/rules/lint.ts';
import { InMemoryInstance } from '../../../engine/runtime/memory-runtime.ts';
import { openWork, peerCorpusPresent, peerModel, startedPeerProcesses } from '../../support/peer-corpus.ts';

// A file of several executable processes deploys each as a process of its own (BPMN 2.0 §10.2,
// isExecutable; Camunda deploys every executable process of a resource): readProcesses reads them
// all, in the file's order (docs/bpmn-coverage.md, "Files of several processes").

const refusalOf = (promise: Promise<unknown>): Promise<QuyTrinhError> =>
  promise.then(
    () => expect.fail('expected a refusal'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(QuyTrinhError);
      return error as QuyTrinhError;
    },
  );

describe.skipIf(!peerCorpusPresent)('peer files of several executable processes', () => {
  it('two executable pools are two processes, each running its own elements to its end (two-executable-processes)', async () => {
    const graphs = await readProcesses(peerModel('resources/bpmn-elements/two-executable-processes.bpmn'));
    expect(graphs.map((graph) => [graph.id, [...graph.nodes.keys()].sort()])).toEqual([
      ['Process_1', ['EndEvent_1', 'StartEvent_1', 'Task_1']],
      ['Process_2', ['EndEvent_2', 'StartEvent_2', 'Task_2']],
    ]);
    const instances = await startedPeerProcesses('resources/bpmn-elements/two-executable-processes.bpmn');
    expect(instances.map((instance) => instance.status)).toEqual(['completed', 'completed']);
  });

  it('the checks run the product\'s rules on each process, as deployment does (two-executable-processes)', async () => {
    const findings = await lintModelXml(peerModel('resources/bpmn-elements/two-executable-processes.bpmn'));
    expect(findings.filter((finding) => finding.rule === 'quytrinh/task-in-lane').map((finding) => finding.elementId)).toEqual(['Process_1', 'Process_2']);
    expect(findings.map((finding) => finding.rule)).not.toContain('quytrinh/valid-attributes');
  });

  it('each process waits where the peer expects: the service, then the timer, in one; the user task, then the service, in the other (feature__activity-status-feature__L295)', async () => {
    const [first, second] = await startedPeerProcesses('inline/bpmn-elements/feature__activity-status-feature__L295.bpmn');
    expect(openWork(first!)).toEqual([['service1', 'job']]);
    expect(openWork(second!)).toEqual([['utask1', 'task']]);
    first!.send({ type: 'job.complete', elementId: 'service1' });
    expect(first!.open).toMatchObject([{ elementId: 'timer', kind: 'timer', detail: { timer: { kind: 'cycle', expression: 'PT5S' } } }]);
    second!.send({ type: 'task.complete', elementId: 'utask1' });
    expect(openWork(second!)).toEqual([['service2', 'job']]);
    second!.send({ type: 'job.complete', elementId: 'service2' });
    expect(second!.status).toBe('completed');
    // The other process is not touched by the second's steps: its timer still waits.
    expect(openWork(first!)).toEqual([['timer', 'timer']]);
  });

  it('reads both processes of a collaboration whatever their order; the sender publishes message1 and waits for message2 (feature__issues__issue-32-feature__L4, __L52)', async () => {
    for (const name of ['inline/bpmn-elements/feature__issues__issue-32-feature__L4.bpmn', 'inline/bpmn-elements/feature__issues__issue-32-feature__L52.bpmn']) {
      const graphs = await readProcesses(peerModel(name));
      expect(graphs.map((graph) => graph.id).sort()).toEqual(['process-1', 'process-2']);
      const receiver = graphs.find((graph) => graph.id === 'process-2')!;
      expect(compileProcess(receiver).startEventIds).toEqual(['start-event-2']);
      // The sender's throw names its message and no job: the platform publishes it (docs/bpmn-coverage.md, "Messages between processes").
      const sender = new InMemoryInstance(compileProcess(graphs.find((graph) => graph.id === 'process-1')!));
      expect(sender.published).toEqual([expect.objectContaining({ elementId: 'send-message-1', name: 'message1' })]);
      expect(sender.activeElementIds).toEqual(['wait-for-message2']);
      // The receiver's message end event ends as a none end event (it sends nothing), so the
      // reply the peer's test waits for is not sent: message2 comes from outside here.
      expect(sender.send({ type: 'message', elementId: 'wait-for-message2' })).toBe(true);
      expect(sender.status).toBe('completed');
    }
  });

  it('refuses a file whose processes repeat an element id, naming the id (definition__Definition-test__L827, __L852)', async () => {
    // Each of the three processes has a user task "task": an id is unique in its file, and the repeats would be dropped.
    for (const name of ['inline/bpmn-elements/definition__Definition-test__L827.bpmn', 'inline/bpmn-elements/definition__Definition-test__L852.bpmn']) {
      const error = await refusalOf(readProcesses(peerModel(name)));
      expect(error).toMatchObject({ kind: 'invalid-model', code: 'bpmn.duplicate-id', details: [{ elementId: 'task' }] });
      expect(error.text.en).toContain('task');
    }
  });
});

const file = (processes: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_several" targetNamespace="urn:quytrinh:test">${processes}</bpmn:definitions>`;

const process = (id: string, executable: boolean | undefined, task = `${id}_task`) =>
  `<bpmn:process id="${id}"${executable === undefined ? '' : ` isExecutable="${executable}"`}><bpmn:startEvent id="${id}_start"/><bpmn:userTask id="${task}"/><bpmn:endEvent id="${id}_end"/>
  <bpmn:sequenceFlow id="${id}_f1" sourceRef="${id}_start" targetRef="${task}"/><bpmn:sequenceFlow id="${id}_f2" sourceRef="${task}" targetRef="${id}_end"/></bpmn:process>`;

describe('readProcesses', () => {
  it('reads every executable process in the file\'s order, each as readProcess reads it by id, and leaves out the pools not executable', async () => {
    const xml = file(process('Process_b', true) + process('Process_applicant', false) + process('Process_a', true));
    const graphs = await readProcesses(xml);
    expect(graphs.map((graph) => graph.id)).toEqual(['Process_b', 'Process_a']);
    expect(graphs).toEqual([await readProcess(xml, 'Process_b'), await readProcess(xml, 'Process_a')]);
    // readProcess without an id still wants exactly one.
    // Each candidate named in both languages: the designer's cost panel shows them to Vietnamese readers.
    expect(await refusalOf(readProcess(xml))).toMatchObject({ code: 'bpmn.ambiguous-process', details: [{ elementId: 'Process_b', messages: { vi: 'một quy trình có thể được chọn' } }, { elementId: 'Process_a' }] });
  });

  it('reads a file of one process, executable or not, as readProcess does', async () => {
    for (const executable of [true, false, undefined]) {
      const xml = file(process('Process_only', executable));
      expect(await readProcesses(xml)).toEqual([await readProcess(xml)]);
    }
    const collaboration = file(process('Process_run', true) + process('Process_drawn', false));
    expect(await readProcesses(collaboration)).toEqual([await readProcess(collaboration)]);
  });

  it('refuses several processes none of which is executable: which would run is not said', async () => {
    const error = await refusalOf(readProcesses(file(process('Process_a', false) + process('Process_b', undefined))));
    expect(error).toMatchObject({ code: 'bpmn.ambiguous-process', details: [{ elementId: 'Process_a' }, { elementId: 'Process_b' }] });
  });

  it('refuses two executable processes of one id, which would deploy as two versions of one process', async () => {
    const error = await refusalOf(readProcesses(file(process('Process_twice', true, 'first') + process('Process_twice', true, 'second'))));
    expect(error).toMatchObject({ code: 'bpmn.duplicate-id', details: [{ elementId: 'Process_twice' }] });
  });

  it('reports a bad attribute of each process once, even of a process another one calls', async () => {
    const bad = (id: string) => `<bpmn:process id="${id}" isExecutable="true"><bpmn:startEvent id="${id}_start"/><bpmn:userTask id="${id}_task" qt:officialHours="many"/><bpmn:endEvent id="${id}_end"/>
      <bpmn:sequenceFlow id="${id}_f1" sourceRef="${id}_start" targetRef="${id}_task"/><bpmn:sequenceFlow id="${id}_f2" sourceRef="${id}_task" targetRef="${id}_end"/></bpmn:process>`;
    const caller = `<bpmn:process id="Process_caller" isExecutable="true"><bpmn:startEvent id="c_start"/><bpmn:callActivity id="c_call" calledElement="Process_b"/><bpmn:endEvent id="c_end"/>
      <bpmn:sequenceFlow id="c_f1" sourceRef="c_start" targetRef="c_call"/><bpmn:sequenceFlow id="c_f2" sourceRef="c_call" targetRef="c_end"/></bpmn:process>`;
    const error = await refusalOf(readProcesses(file(bad('Process_a') + bad('Process_b') + caller)));
    expect(error).toMatchObject({ code: 'bpmn.invalid-attribute' });
    expect(error.details.map((detail) => detail.elementId)).toEqual(['Process_a_task', 'Process_b_task']);
  });
});
