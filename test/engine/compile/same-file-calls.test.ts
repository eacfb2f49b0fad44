import { describe, expect, it } from 'vitest';
import { compile, refusal, run } from '../../support/process.ts';

// A call activity calling another process of its file runs that process as a child instance of
// the same definition (engine/compile/called-processes.ts; docs/bpmn-coverage.md, "call activity").

function file(...processes: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_calls" targetNamespace="urn:quytrinh:test">
${processes.join('\n')}
</bpmn:definitions>`;
}

/** A process start → each element in turn → end; `executable` marks the deployed one. */
function process(id: string, elements: string[], executable = false): string {
  const ids = ['s', ...elements.map((element) => /id="([^"]+)"/.exec(element)![1]!), 'e'].map((each) => (each === 's' || each === 'e' ? `${id}_${each}` : each));
  const flows = ids.slice(1).map((target, i) => `<bpmn:sequenceFlow id="${id}_f${i}" sourceRef="${ids[i]}" targetRef="${target}"/>`).join('');
  return `<bpmn:process id="${id}" isExecutable="${executable}"><bpmn:startEvent id="${id}_s"/>${elements.join('')}<bpmn:endEvent id="${id}_e"/>${flows}</bpmn:process>`;
}

describe('a call activity calling a process of its own file', () => {
  it('runs the called process: its task opens in the run, its variables come back to the caller', async () => {
    const instance = await run(file(
      process('Main', ['<bpmn:callActivity id="callIssue" calledElement="Issue"/>', '<bpmn:userTask id="handOver"/>'], true),
      process('Issue', ['<bpmn:userTask id="issueCard"/>']),
    ), { variables: { child: 'Nguyễn Văn C' } });
    expect(instance.open).toMatchObject([{ elementId: 'issueCard', kind: 'task', run: [0] }]);
    instance.send({ type: 'task.complete', elementId: 'issueCard', run: [0], variables: { cardNumber: 'GD4797900123456' } });
    expect(instance.activeElementIds).toEqual(['handOver']);
    expect(instance.variables).toEqual({ child: 'Nguyễn Văn C', cardNumber: 'GD4797900123456' });
  });

  it('follows calls of called processes, compiling each process once', async () => {
    const compiled = await compile(file(
      process('Main', ['<bpmn:callActivity id="callA" calledElement="A"/>', '<bpmn:callActivity id="callB" calledElement="B"/>'], true),
      process('A', ['<bpmn:callActivity id="aCallsB" calledElement="B"/>']),
      process('B', ['<bpmn:userTask id="inB"/>']),
    ));
    expect(compiled.runs.get('callA')?.graph.id).toBe('A');
    expect(compiled.runs.get('callB')).toBe(compiled.runs.get('aCallsB'));
    const instance = await run(file(
      process('Main', ['<bpmn:callActivity id="callA" calledElement="A"/>'], true),
      process('A', ['<bpmn:callActivity id="aCallsB" calledElement="B"/>']),
      process('B', ['<bpmn:userTask id="inB"/>']),
    ));
    expect(instance.open).toMatchObject([{ elementId: 'inB', run: [0, 0] }]);
    instance.send({ type: 'task.complete', elementId: 'inB', run: [0, 0] });
    expect(instance.status).toBe('completed');
  });

  it('compiles a process of the file that calls itself, its call running it again', async () => {
    const compiled = await compile(file(
      process('Main', ['<bpmn:callActivity id="callLoop" calledElement="Loop"/>'], true),
      process('Loop', ['<bpmn:userTask id="again"/>', '<bpmn:callActivity id="recurse" calledElement="Loop"/>']),
    ));
    expect(compiled.runs.get('recurse')).toBe(compiled.runs.get('callLoop'));
    const instance = await run(file(
      process('Main', ['<bpmn:callActivity id="callLoop" calledElement="Loop"/>'], true),
      process('Loop', ['<bpmn:userTask id="again"/>', '<bpmn:callActivity id="recurse" calledElement="Loop"/>']),
    ));
    instance.send({ type: 'task.complete', elementId: 'again', run: [0] });
    expect(instance.open).toMatchObject([{ elementId: 'again', run: [0, 0] }]);
    instance.send({ type: 'task.complete', elementId: 'again', run: [0, 0] });
    expect(instance.open).toMatchObject([{ elementId: 'again', run: [0, 0, 0] }]);
  });

  it('runs a parallel multi-instance call of a process of the file once per item', async () => {
    const instance = await run(file(
      process('Main', ['<bpmn:callActivity id="consult" calledElement="Consult"><bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/></bpmn:callActivity>'], true),
      process('Consult', ['<bpmn:userTask id="answer"/>']),
    ), { variables: { agencies: ['police', 'tax'] } });
    expect(instance.open.map((work) => [work.elementId, work.run])).toEqual([['answer', [0]], ['answer', [1]]]);
    instance.send({ type: 'task.complete', elementId: 'answer', run: [0] });
    instance.send({ type: 'task.complete', elementId: 'answer', run: [1] });
    expect(instance.status).toBe('completed');
  });

  it('refuses a called process that cannot run, naming its element and the call', async () => {
    const error = await refusal(file(
      process('Main', ['<bpmn:callActivity id="callIssue" calledElement="Issue"/>'], true),
      process('Issue', ['<bpmn:serviceTask id="noType"/>']),
    ));
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'noType', message: expect.stringMatching(/^Process Issue \(called by callIssue\): .*without qt:jobType/) })]);
  });
});
