import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
