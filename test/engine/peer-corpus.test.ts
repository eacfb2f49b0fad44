import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readProcess, readProcesses } from '../../engine/bpmn/read-process.ts';
import { compileProcess } from '../../engine/compile/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { InMemoryInstance } from '../../engine/runtime/memory-runtime.ts';

/**
 * Conformance against another engine's test models (paed01's bpmn-engine / bpmn-elements, see
 * the corpus's README.md): every model either deploys or is refused with a typed error naming
 * an element or a field, never an untyped exception. The corpus lives beside the project
 * (../shared/peer-bpmn) and is not shipped with it, so the suite skips where it is absent;
 * QT_PEER_BPMN names another place (a git worktree's checkout lies deeper than the project's).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(root, process.env.QT_PEER_BPMN ?? '../shared/peer-bpmn');
const present = existsSync(corpus);

function bpmnFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.bpmn'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

if (!present) console.info(`peer corpus: ${corpus} is absent, skipping`);

describe.skipIf(!present)('the peer BPMN corpus', () => {
  it('deploys each model or refuses it with a typed error naming an element or a field', { timeout: 60_000 }, async () => {
    const files = bpmnFiles(corpus);
    const refusedByCode = new Map<string, number>();
    const untyped: string[] = [];
    const unnamed: string[] = [];
    // The peer's own models, and the few adapted from them (adapted/, counted apart).
    const accepted = { peer: 0, adapted: 0 };
    for (const file of files) {
      const name = path.relative(corpus, file);
      try {
        // The deployment path: read each executable process, compile it; a file deploys when every one does.
        for (const graph of await readProcesses(readFileSync(file, 'utf8'))) compileProcess(graph);
        accepted[name.startsWith(`adapted${path.sep}`) ? 'adapted' : 'peer'] += 1;
      } catch (error) {
        if (!(error instanceof QuyTrinhError)) {
          untyped.push(`${name}: ${String(error)}`);
          continue;
        }
        refusedByCode.set(error.code, (refusedByCode.get(error.code) ?? 0) + 1);
        if (!error.details.some((detail) => Boolean(detail.elementId) || Boolean(detail.field))) unnamed.push(`${name}: ${error.code} ${error.text.en}`);
      }
    }
    const refused = Object.fromEntries([...refusedByCode].sort(([a], [b]) => a.localeCompare(b)));
    const adapted = files.filter((file) => path.relative(corpus, file).startsWith(`adapted${path.sep}`)).length;
    console.info(`peer corpus: ${accepted.peer} of ${files.length - adapted} peer models deploy (and ${accepted.adapted} of ${adapted} adapted); refused by code: ${JSON.stringify(refused)}`);
    expect(files.length).toBeGreaterThan(0);
    expect(untyped).toEqual([]);
    expect(unnamed).toEqual([]);
    // 273 once bpmn-engine's conditions, named services, scripts as jobs, same-file calls, compensation, transactions and signal starts are read (issue 15); never fewer.
    // 288 once timers written as expressions and multi-instance on tasks of no type and over bpmn-engine collections are (issue 15);
    // 285 since a loop of elements that never wait is refused (model-checks.ts: it would run for ever within one step).
    // 343 in the sixth session: peer timers, transactions, anonymous messages and signals, multiple catches, more conditions, instant tails and joins of alternatives.
    // 367 (three quarters) in the seventh session: files of several processes, message throws published, completionCondition, multi-instance receive tasks and compensation, Camunda connectors, more dead-path joins.
    expect(accepted.peer).toBeGreaterThanOrEqual(367);
  });
});

/** A corpus model started in memory (the pure runner the server's steps are made of). */
async function started(name: string): Promise<InMemoryInstance> {
  return new InMemoryInstance(compileProcess(await readProcess(readFileSync(path.join(corpus, name), 'utf8'))), {}, new Date('2025-03-05T09:00:00+07:00'));
}

// One model of each family the engine accepts since it executes BPMN's implicit starts and
// splits (engine/compile/implicit-gateways.ts), run to its end as the peer's own test expects.
describe.skipIf(!present)('peer models without a start event, or with implicit splits, run as the peer runs them', () => {
  it('a process of one user task and no start event starts at the task (process__Process-test__L68)', async () => {
    const instance = await started('inline/bpmn-elements/process__Process-test__L68.bpmn');
    expect(instance.activeElementIds).toEqual(['task']);
    instance.send({ type: 'task.complete', elementId: 'task' });
    expect(instance.status).toBe('completed');
  });

  it('two starting user tasks wait for each other at a parallel join (feature__Process-feature__L347)', async () => {
    const instance = await started('inline/bpmn-elements/feature__Process-feature__L347.bpmn');
    expect(instance.activeElementIds.sort()).toEqual(['start1', 'start2']);
    instance.send({ type: 'task.complete', elementId: 'start2' });
    expect(instance.status).toBe('active');
    instance.send({ type: 'task.complete', elementId: 'start1' });
    expect(instance.status).toBe('completed');
  });

  it('two starting user tasks end at one end event, the process completing after both (feature__Process-feature__L304)', async () => {
    const instance = await started('inline/bpmn-elements/feature__Process-feature__L304.bpmn');
    instance.send({ type: 'task.complete', elementId: 'start1' });
    expect(instance.activeElementIds).toEqual(['start2']);
    instance.send({ type: 'task.complete', elementId: 'start2' });
    expect(instance.status).toBe('completed');
  });

  it('a sub-process without a start event runs both its tasks (tasks__SubProcess-test__L501)', async () => {
    const instance = await started('inline/bpmn-elements/tasks__SubProcess-test__L501.bpmn');
    expect(instance.activeElementIds.sort()).toEqual(['subProcess', 'task1', 'task2']);
    instance.send({ type: 'task.complete', elementId: 'task1' });
    instance.send({ type: 'task.complete', elementId: 'task2' });
    expect(instance.status).toBe('completed');
  });

  it('a start event with two flows waits for both intermediate messages (feature__messaging-feature__L72)', async () => {
    const instance = await started('inline/bpmn-elements/feature__messaging-feature__L72.bpmn');
    expect(instance.open.map((work) => [work.elementId, work.detail.messageName]).sort()).toEqual([['interim1', 'Intermediate message 1'], ['interim2', 'Intermediate message 2']]);
    instance.send({ type: 'message', elementId: 'interim2' });
    expect(instance.status).toBe('active');
    instance.send({ type: 'message', elementId: 'interim1' });
    expect(instance.status).toBe('completed');
  });

  it('three flows from a start event to one parallel join pass it once (gateways__ParallelGateway-test__L169)', async () => {
    expect((await started('inline/bpmn-elements/gateways__ParallelGateway-test__L169.bpmn')).status).toBe('completed');
  });
});

// Families accepted since signal, escalation and link events are executed (issue 15).
describe.skipIf(!present)('peer models with signal and escalation events run as BPMN defines them', () => {
  it('a signal thrown before its catch is reached is not kept: the catch waits (signal-after-signal)', async () => {
    const instance = await started('resources/bpmn-elements/signal-after-signal.bpmn');
    expect(instance.status).toBe('active');
    expect(instance.activeElementIds).toEqual(['Event_1kv9ixt']);
  });

  it('an escalation caught by a non-interrupting event sub-process lets its sub-process complete (feature__escalation-feature__L424)', async () => {
    expect((await started('inline/bpmn-elements/feature__escalation-feature__L424.bpmn')).status).toBe('completed');
  });
});

// Families accepted since compensation and transactions are executed (issue 15).
describe.skipIf(!present)('peer models with compensation and transactions run as BPMN defines them', () => {
  it('a throw not waiting for completion inside a transaction completes, its handler run (throw-compensate)', async () => {
    const instance = await started('resources/bpmn-elements/throw-compensate.bpmn');
    expect(instance.status).toBe('completed');
  });

  it('a cancel end event compensates the completed task, then leaves through the cancel boundary event (tasks__Transaction-test__L242)', async () => {
    const instance = await started('inline/bpmn-elements/tasks__Transaction-test__L242.bpmn');
    // The cancel boundary event alone takes the cancellation: had it not, the instance would still be active.
    expect(instance.status).toBe('completed');
  });

  it('an error end event in a transaction leaves through its error boundary event (tasks__Transaction-test__L388)', async () => {
    expect((await started('inline/bpmn-elements/tasks__Transaction-test__L388.bpmn')).status).toBe('completed');
  });
});

// Families accepted since bpmn-engine's conditions are translated to FEEL, a task's named service
// or script language is its job type, and a call to a process of the same file runs it (issue 15).
describe.skipIf(!present)('peer models with JavaScript conditions, named services and same-file calls run as the peer runs them', () => {
  it('next(null, 1==1) takes its flow and next(null, 1==2) does not: the loop back to the first task (engine-issue-73)', async () => {
    const instance = await started('resources/bpmn-elements/engine-issue-73.bpmn');
    instance.send({ type: 'task.complete', elementId: 'usertaskA' });
    instance.send({ type: 'task.complete', elementId: 'usertask2' });
    expect(instance.activeElementIds).toEqual(['usertaskA']);
  });

  it('a service task naming ${services.postMessage} is a job postMessage (service-task)', async () => {
    const instance = await started('resources/bpmn-elements/service-task.bpmn');
    expect(instance.open.filter((work) => work.kind === 'job').map((work) => work.detail.jobType)).toEqual(['postMessage']);
    instance.send({ type: 'job.complete', elementId: 'serviceTask' });
    expect(instance.status).toBe('completed');
  });

  it('a call of the file\'s other process runs it, and the caller goes on when it ends (call-activity)', async () => {
    const instance = await started('resources/bpmn-elements/call-activity.bpmn');
    expect(instance.trace[0]!.effects).toContainEqual({ type: 'qt.run.start', params: { elementId: 'call-activity' } });
    expect(instance.status).toBe('completed');
  });
});
