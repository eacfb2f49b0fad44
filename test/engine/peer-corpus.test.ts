import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { compileProcess } from '../../engine/compile/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';

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
        // The deployment path: read the executable process, compile it.
        compileProcess(await readProcess(readFileSync(file, 'utf8')));
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
  });
});
