import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { deployDefinition } from '../../server/execution/definitions.ts';
import { useApiOverTestDatabase } from '../support/api-server.ts';
import { drive, loadState, readQueueJob } from '../support/replay.ts';
import { fixturePath, readSource, REPLAY_SOURCES, type ReplayFixture } from '../support/replay-fixtures.ts';

const fixture = useApiOverTestDatabase();

// What an earlier release stored (test/fixtures/replay, made by its generate.ts) is loaded as it
// was written, rows, snapshots and queue payloads, and must finish under the current code.
describe('replay of instances stored by an earlier release', () => {
  for (const source of REPLAY_SOURCES) {
    it(`${source.name}: waiting at ${source.waiting}, finishes`, async () => {
      const { db } = fixture.database;
      const saved = JSON.parse(await readFile(fixturePath(source.name), 'utf8')) as ReplayFixture;
      const { xml, events } = await readSource(saved.source);
      const { id: definitionId } = await deployDefinition(db, xml);
      // Each stored queue job reads under its kind's schema now, with the same key and attempts.
      for (const job of saved.queueJobs) expect(readQueueJob(job)).toEqual({ payload: job.payload, key: job.key, maxAttempts: job.maxAttempts });
      const instanceId = await loadState(db, definitionId, saved);
      await drive(db, instanceId, events.slice(saved.source.after));
      const ended = await db('process_instances').where({ id: instanceId }).first<{ status: string; active_element_ids: string[] }>('status', 'active_element_ids');
      expect(ended).toEqual({ status: 'completed', active_element_ids: [] });
      expect(await db('user_tasks').where({ instance_id: instanceId, status: 'open' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
      expect(await db('service_jobs').where({ instance_id: instanceId, status: 'open' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
      const history = await db('instance_history').where({ instance_id: instanceId }).pluck<string[]>('event_type');
      expect(history).toHaveLength(events.length - saved.source.after);
    });
  }
});
