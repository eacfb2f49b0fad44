/**
 * Runs a catalogue entry's to-be model in memory with the events of its run file, as
 * `quytrinh run` does, and also follows its call activities (Circular 01 Art. 16.4): when the
 * run says a call ended (`call.complete`) and the called process is another entry of the
 * catalogue, that entry's to-be is run first, started with the caller's variables and driven by
 * its `run-called.json`, and what it ends with is handed back to the caller, as the server
 * does with a called instance.
 */
import { readProcess } from '../bpmn/read-process.ts';
import { compileProcess, type ProcessEvent } from '../compile/index.ts';
import { InMemoryInstance } from '../runtime/memory-runtime.ts';
import type { RunEvent } from '../runtime/run-events.ts';
import type { CatalogueEntry } from './procedure.ts';

export interface CatalogueRun {
  folder: string;
  instance: InMemoryInstance;
  /** The events of the run file the instance could not take (nothing open was waiting for them). */
  refused: RunEvent[];
  /** The called procedures that ran for call activities, each with its own run. */
  calls: Array<{ elementId: string; calledElement: string; run: CatalogueRun }>;
}

export interface RunOptions {
  /** Defaults to the entry's `run.json`. */
  events?: RunEvent[] | undefined;
  /** Defaults to the entry's `run-variables.json`. */
  variables?: Record<string, unknown> | undefined;
  /** When the instance starts (a Vietnam office-hours time by default). */
  start?: Date | undefined;
}

const DEFAULT_START = new Date('2026-11-23T08:00:00+07:00');
const MAX_CALL_DEPTH = 5;

export async function runCatalogueEntry(entry: CatalogueEntry, catalogue: CatalogueEntry[], options: RunOptions = {}): Promise<CatalogueRun> {
  return run(entry, await toBeProcessIds(catalogue), options, 0);
}

/** The catalogue's entries by the id of their to-be process (the key a call activity names). */
async function toBeProcessIds(catalogue: CatalogueEntry[]): Promise<Map<string, CatalogueEntry>> {
  const byProcessId = new Map<string, CatalogueEntry>();
  for (const entry of catalogue) byProcessId.set((await readProcess(entry.models['to-be'])).id, entry);
  return byProcessId;
}

async function run(entry: CatalogueEntry, byProcessId: Map<string, CatalogueEntry>, options: RunOptions, depth: number): Promise<CatalogueRun> {
  let now = options.start ?? DEFAULT_START;
  const compiled = compileProcess(await readProcess(entry.models['to-be']));
  const instance = new InMemoryInstance(compiled, { variables: options.variables ?? entry.run.variables }, now);
  const result: CatalogueRun = { folder: entry.folder, instance, refused: [], calls: [] };
  for (const { at, ...event } of options.events ?? entry.run.events) {
    if (at) now = new Date(at);
    let processEvent: ProcessEvent = event;
    if (event.type === 'call.complete') {
      const call = instance.open.find((waiting) => waiting.kind === 'call' && waiting.elementId === event.elementId);
      const calledElement = typeof call?.detail.calledElement === 'string' ? call.detail.calledElement : undefined;
      const called = calledElement === undefined ? undefined : byProcessId.get(calledElement);
      if (called && calledElement) {
        if (depth >= MAX_CALL_DEPTH) throw new Error(`${entry.folder}: calls nested deeper than ${MAX_CALL_DEPTH} (a call cycle?) at ${event.elementId}`);
        if (!called.run.calledEvents) throw new Error(`${entry.folder}: ${event.elementId} calls ${called.folder}, which has no run-called.json`);
        const calledRun = await run(called, byProcessId, { events: called.run.calledEvents, variables: instance.variables, start: now }, depth + 1);
        result.calls.push({ elementId: event.elementId, calledElement, run: calledRun });
        processEvent = { ...event, variables: { ...calledRun.instance.variables, ...event.variables } };
      }
    }
    if (!instance.send(processEvent, now)) result.refused.push({ ...event, ...(at ? { at } : {}) });
  }
  return result;
}
