import { readProcess } from '../../engine/bpmn/read-process.ts';
import { compileProcess, type CompiledProcess, type InstanceInput } from '../../engine/compile/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { InMemoryInstance } from '../../engine/runtime/memory-runtime.ts';

/**
 * A BPMN document around a process body written in the `bpmn:` and `qt:` prefixes: the
 * engine's tests state their models in BPMN itself, without diagram interchange.
 */
export function bpmnProcess(body: string, options: { id?: string; outside?: string; attributes?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_test" targetNamespace="urn:quytrinh:test">
  ${options.outside ?? ''}
  <bpmn:process id="${options.id ?? 'Process_test'}" isExecutable="true" ${options.attributes ?? ''}>
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** `a>b` → a sequence flow from a to b, named `a_b`. */
export function flows(...pairs: string[]): string {
  return pairs
    .map((pair) => {
      const [source, target] = pair.split('>') as [string, string];
      return `<bpmn:sequenceFlow id="${source}_${target}" sourceRef="${source}" targetRef="${target}"/>`;
    })
    .join('\n');
}

export async function compile(xml: string): Promise<CompiledProcess> {
  return compileProcess(await readProcess(xml));
}

/** Starts an instance of the model in memory at `at` (a Vietnam wall-clock time by default 2025-03-05 09:00). */
export async function run(xml: string, input: InstanceInput = {}, at = new Date('2025-03-05T09:00:00+07:00')): Promise<InMemoryInstance> {
  return new InMemoryInstance(await compile(xml), input, at);
}

/** The typed refusal of a model, for asserting on its element ids. */
export async function refusal(xml: string): Promise<QuyTrinhError> {
  try {
    await compile(xml);
  } catch (error) {
    if (error instanceof QuyTrinhError) return error;
    throw error;
  }
  throw new Error('the model was accepted');
}
