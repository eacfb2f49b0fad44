import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProcess, readProcesses } from '../../engine/bpmn/read-process.ts';
import { compileProcess, type CompiledProcess } from '../../engine/compile/index.ts';
import { InMemoryInstance } from '../../engine/runtime/memory-runtime.ts';

/**
 * The peer corpus (paed01's bpmn-engine / bpmn-elements test models; see test/engine/peer-corpus.test.ts):
 * beside the project, or where QT_PEER_BPMN names it. Tests that run its models skip where it is absent.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const peerCorpus = path.resolve(root, process.env.QT_PEER_BPMN ?? '../shared/peer-bpmn');
export const peerCorpusPresent = existsSync(peerCorpus);

/** A corpus model's XML, by its path in the corpus (`inline/bpmn-elements/feature__timers-feature__L872.bpmn`). */
export function peerModel(name: string): string {
  return readFileSync(path.join(peerCorpus, name), 'utf8');
}

/** A corpus model compiled and started in memory (the pure runner the server's steps are made of), on a fixed clock. */
export async function startedPeerModel(name: string, variables: Record<string, unknown> = {}): Promise<InMemoryInstance> {
  return started(compileProcess(await readProcess(peerModel(name))), variables);
}

/** Each process a corpus model deploys (readProcesses: a file of several executable processes deploys each), compiled and started as startedPeerModel starts one. */
export async function startedPeerProcesses(name: string, variables: Record<string, unknown> = {}): Promise<InMemoryInstance[]> {
  return (await readProcesses(peerModel(name))).map((graph) => started(compileProcess(graph), variables));
}

const started = (compiled: CompiledProcess, variables: Record<string, unknown>) => new InMemoryInstance(compiled, { variables }, new Date('2025-03-05T09:00:00+07:00'));

/** What an instance has open, as [element, kind] pairs in a stable order. */
export const openWork = (instance: InMemoryInstance) => instance.open.map((work) => [work.elementId, work.kind]).sort();
