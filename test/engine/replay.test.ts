import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { compileProcess } from '../../engine/compile/index.ts';
import { applyEvent, type StoredSnapshot } from '../../engine/runtime/instance.ts';
import { snapshotUpgrade } from '../../engine/runtime/snapshot-migrations.ts';
import { fixturePath, readSource, REPLAY_SOURCES, type ReplayFixture } from '../support/replay-fixtures.ts';

// The snapshots an earlier release stored (test/fixtures/replay), taken by the current machine
// from where they stood to the end of their run, without a database.
describe('replay of stored snapshots on the current compiler', () => {
  for (const source of REPLAY_SOURCES) {
    it(`${source.name}: waiting at ${source.waiting}, finishes`, async () => {
      const saved = JSON.parse(await readFile(fixturePath(source.name), 'utf8')) as ReplayFixture;
      expect(snapshotUpgrade(saved.savedBy.compilerVersion).kind).toBe('current');
      const { xml, events } = await readSource(saved.source);
      const compiled = compileProcess(await readProcess(xml));
      let snapshot = saved.instance.snapshot as StoredSnapshot;
      let status = 'active';
      for (const { at: _at, run: _run, ...event } of events.slice(saved.source.after)) {
        const step = applyEvent(compiled, snapshot, event);
        if (!step) throw new Error(`not taken: ${JSON.stringify(event)}`);
        ({ snapshot, status } = step);
      }
      expect(status).toBe('completed');
    });
  }
});
