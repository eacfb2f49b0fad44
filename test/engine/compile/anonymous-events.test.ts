import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_SIGNAL } from '../../../engine/bpmn/process-graph.ts';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { compileProcess, type CompiledProcess, type InstanceInput } from '../../../engine/compile/index.ts';
import { InMemoryInstance } from '../../../engine/runtime/memory-runtime.ts';
import { triggeredStart } from '../../../server/workers/compile-tasks.ts';

// Message and signal events that name no message or signal (issue 15), run as the peer corpus's
// own tests (paed01's bpmn-elements) expect: an anonymous message catch waits for a message named
// by its element's id, anonymous signals reach anonymous signal catches and starts
// (docs/bpmn-coverage.md, "Events that name nothing").

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpus = path.resolve(root, process.env.QT_PEER_BPMN ?? '../shared/peer-bpmn');
const present = existsSync(corpus);

async function compiled(name: string): Promise<CompiledProcess> {
  return compileProcess(await readProcess(readFileSync(path.join(corpus, name), 'utf8')));
}

async function started(name: string, input: InstanceInput = {}): Promise<InMemoryInstance> {
  return new InMemoryInstance(await compiled(name), input, new Date('2025-03-05T09:00:00+07:00'));
}

function waitingFor(instance: InMemoryInstance): Array<[string, string, unknown]> {
  return instance.open.map((each) => [each.elementId, each.kind, each.detail.messageName ?? each.detail.signalName]);
}

function starts(process: CompiledProcess) {
  return process.startEventIds.flatMap((id) => triggeredStart(id, process.graph.nodes.get(id)!.trigger));
}

describe.skipIf(!present)('message events and receive tasks without messageRef', () => {
  it('an intermediate catch waits for the message named by its id, then goes on (events__IntermediateCatchEvent-test__L187)', async () => {
    const instance = await started('inline/bpmn-elements/events__IntermediateCatchEvent-test__L187.bpmn');
    expect(waitingFor(instance)).toEqual([['event', 'message', 'event']]);
    expect(instance.send({ type: 'message', elementId: 'event', variables: { data: 1 } })).toBe(true);
    expect(instance.status).toBe('completed');
    expect(instance.variables).toEqual({ data: 1 });
  });

  it('an interrupting boundary event without a message leaves its task and loops back to the init task (feature__BoundaryEvent-feature__L231)', async () => {
    const instance = await started('inline/bpmn-elements/feature__BoundaryEvent-feature__L231.bpmn');
    expect(waitingFor(instance)).toEqual([['task', 'task', undefined], ['bound', 'message', 'bound']]);
    instance.send({ type: 'message', elementId: 'bound' });
    // The user task was discarded, the init task taken again, and the task waits again with its boundary armed.
    expect(instance.activeElementIds).toEqual(['task']);
    expect(waitingFor(instance)).toEqual([['task', 'task', undefined], ['bound', 'message', 'bound']]);
    instance.send({ type: 'task.complete', elementId: 'task' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it.each(['inline/bpmn-elements/events__StartEvent-test__L191.bpmn', 'inline/bpmn-elements/process__Process-test__L231.bpmn', 'inline/bpmn-elements/definition__Definition-test__L654.bpmn'])(
    'a message start without a message is started by the message named by its id (%s)',
    async (name) => {
      const process = await compiled(name);
      expect(starts(process)).toEqual([{ startEventId: 'start', kind: 'message', name: 'start' }]);
      expect((await started(name, { startEventId: 'start' })).status).toBe('completed');
    },
  );

  it('receive tasks and catches, anonymous and named, each wait for their own message or signal in turn (feature__signal-feature__L904)', async () => {
    const instance = await started('inline/bpmn-elements/feature__signal-feature__L904.bpmn');
    instance.send({ type: 'task.complete', elementId: 'task1' });
    expect(waitingFor(instance)).toEqual([['receiveAnon', 'message', 'receiveAnon']]);
    instance.send({ type: 'message', elementId: 'receiveAnon' });
    expect(waitingFor(instance)).toEqual([['receive', 'message', 'NamedMessage']]);
    instance.send({ type: 'message', elementId: 'receive' });
    expect(waitingFor(instance)).toEqual([['anonSignalEvent', 'signal', ANONYMOUS_SIGNAL]]);
    // A named signal does not reach an anonymous catch.
    expect(instance.send({ type: 'signal', elementId: 'anonSignalEvent', signalName: 'NamedSignal' })).toBe(false);
    instance.send({ type: 'signal', elementId: 'anonSignalEvent', signalName: ANONYMOUS_SIGNAL });
    expect(waitingFor(instance)).toEqual([['secondAnonSignalEvent', 'signal', ANONYMOUS_SIGNAL]]);
    instance.send({ type: 'signal', elementId: 'secondAnonSignalEvent', signalName: ANONYMOUS_SIGNAL, variables: { input: 2 } });
    expect(waitingFor(instance)).toEqual([['namedSignalEvent', 'signal', 'NamedSignal']]);
    instance.send({ type: 'signal', elementId: 'namedSignalEvent', signalName: 'NamedSignal' });
    expect(waitingFor(instance)).toEqual([['anonMessageEvent', 'message', 'anonMessageEvent']]);
    instance.send({ type: 'message', elementId: 'anonMessageEvent' });
    expect(waitingFor(instance)).toEqual([['namedMessageEvent', 'message', 'NamedMessage']]);
    instance.send({ type: 'message', elementId: 'namedMessageEvent' });
    expect(instance.status).toBe('completed');
    expect(instance.variables).toEqual({ input: 2 });
  });
});

describe.skipIf(!present)('signal events without signalRef: the anonymous signal', () => {
  it('an anonymous throw reaches both anonymous catches waiting beside it, and the join completes (feature__signal-feature__L313)', async () => {
    const instance = await started('inline/bpmn-elements/feature__signal-feature__L313.bpmn');
    expect(instance.status).toBe('completed');
  });

  it('an anonymous signal start and a named one are started by their own signals (feature__multiple-startEvent-feature__L6)', async () => {
    const name = 'inline/bpmn-elements/feature__multiple-startEvent-feature__L6.bpmn';
    expect(starts(await compiled(name))).toEqual([
      { startEventId: 'start1', kind: 'signal', name: ANONYMOUS_SIGNAL },
      { startEventId: 'start2', kind: 'signal', name: 'start2' },
    ]);
    const instance = await started(name, { startEventId: 'start1' });
    expect(instance.status).toBe('completed');
  });

  it('an anonymous signal end event broadcasts the anonymous signal that starts the anonymous signal start (feature__signal-feature__L417)', async () => {
    const name = 'inline/bpmn-elements/feature__signal-feature__L417.bpmn';
    expect(starts(await compiled(name))).toEqual([{ startEventId: 'start2', kind: 'signal', name: ANONYMOUS_SIGNAL }]);
    const instance = await started(name, { startEventId: 'start1' });
    instance.send({ type: 'task.complete', elementId: 'task1' });
    expect(instance.status).toBe('completed');
    // The broadcast goes to the server, which starts the process at start2 (server/execution/signals.ts).
    expect(instance.trace.at(-1)!.effects).toContainEqual({ type: 'qt.signal.broadcast', params: { signalName: ANONYMOUS_SIGNAL, elementId: 'end1' } });
  });
});
