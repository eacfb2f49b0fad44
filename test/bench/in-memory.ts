import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { compileProcess, type CompiledProcess } from '../../engine/compile/index.ts';
import { applyEvent, startInstance } from '../../engine/runtime/instance.ts';
import { completionVariables } from './models.ts';

export interface Throughput {
  instances: number;
  completions: number;
  seconds: number;
  perSecond: number;
}

/**
 * Our runtime as the server uses it: every step restores the stored (JSON) snapshot, computes
 * the pure transition and produces the snapshot to store and the effects to carry out.
 */
export async function runQuyTrinh(xml: string, instances: number): Promise<Throughput> {
  const compiled: CompiledProcess = compileProcess(await readProcess(xml));
  let completions = 0;
  const started = performance.now();
  for (let i = 0; i < instances; i++) {
    let step = startInstance(compiled);
    let stored = JSON.parse(JSON.stringify(step.snapshot)) as typeof step.snapshot;
    const open = new Set<string>();
    let checks = 0;
    for (;;) {
      for (const effect of step.effects) {
        if (effect.type === 'qt.task.open') open.add(effect.params.elementId);
        if (effect.type === 'qt.task.close') open.delete(effect.params.elementId);
      }
      const next = open.values().next();
      if (next.done) break;
      const elementId = next.value;
      const variables = completionVariables(elementId, checks);
      if (elementId === 'check') checks++;
      step = applyEvent(compiled, stored, { type: 'task.complete', elementId, variables })!;
      stored = JSON.parse(JSON.stringify(step.snapshot)) as typeof step.snapshot;
      completions++;
    }
    if (step.status !== 'completed') throw new Error(`instance ended ${step.status}`);
  }
  return summary(instances, completions, started);
}

/** The peer: bpmn-engine (paed01), one engine per instance, each user task signalled as it waits. */
export async function runBpmnEngine(xml: string, instances: number): Promise<Throughput> {
  let completions = 0;
  const started = performance.now();
  for (let i = 0; i < instances; i++) {
    const engine = new Engine({ name: `bench-${i}`, source: xml });
    const listener = new EventEmitter();
    let checks = 0;
    listener.on('wait', (api: { id: string; environment: { variables: Record<string, unknown> }; signal: (message?: unknown) => void }) => {
      const variables = completionVariables(api.id, checks);
      if (api.id === 'check') checks++;
      if (variables) Object.assign(api.environment.variables, variables);
      completions++;
      api.signal();
    });
    const ended = new Promise<void>((resolve, reject) => {
      engine.once('end', () => resolve());
      engine.once('error', reject);
    });
    await engine.execute({ listener });
    await ended;
  }
  return summary(instances, completions, started);
}

function summary(instances: number, completions: number, started: number): Throughput {
  const seconds = (performance.now() - started) / 1000;
  return { instances, completions, seconds, perSecond: completions / seconds };
}
