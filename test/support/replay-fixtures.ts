/**
 * Replay fixtures (test/fixtures/replay): what today's release stores for an instance at a point
 * of its run (its row, its tasks, service jobs and subscriptions, and the queue jobs it armed,
 * payloads and keys as written), saved by test/fixtures/replay/generate.ts, and loaded back into
 * a fresh database by test/server/replay.test.ts, which drives each to its end under the current
 * code. An upgrade that cannot take them has broken running instances (docs/architecture.md,
 * "Upgrades and running instances").
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { runEventsSchema, type RunEvent } from '../../engine/runtime/run-events.ts';
import { projectRoot } from '../../server/paths.ts';

/** One fixture: a process, the events of its run, and where in them the instance was saved. */
export interface ReplaySource {
  name: string;
  /** What the instance waits for when saved. */
  waiting: string;
  model: string;
  events: string;
  variables?: string | undefined;
  /** Events applied before saving. */
  after: number;
  /** Rewrites the saved row into an older release's shape (the fixture of that shape). */
  olderShape?: 'multi-instance without count';
}

export const REPLAY_SOURCES: ReplaySource[] = [
  { name: 'khai-sinh-user-task', waiting: 'user task Task_tiep_nhan', model: 'processes/dang-ky-khai-sinh/to-be.bpmn', events: 'processes/dang-ky-khai-sinh/run.json', variables: 'processes/dang-ky-khai-sinh/run-variables.json', after: 2 },
  { name: 'khai-sinh-builtin-job', waiting: 'built-in job Task_ma_ho_so (dossier.number)', model: 'processes/dang-ky-khai-sinh/to-be.bpmn', events: 'processes/dang-ky-khai-sinh/run.json', variables: 'processes/dang-ky-khai-sinh/run-variables.json', after: 7 },
  { name: 'dat-dai-timer', waiting: 'timer Event_het_niem_yet', model: 'processes/cap-giay-chung-nhan-quyen-su-dung-dat-lan-dau/to-be.bpmn', events: 'processes/cap-giay-chung-nhan-quyen-su-dung-dat-lan-dau/run.json', variables: 'processes/cap-giay-chung-nhan-quyen-su-dung-dat-lan-dau/run-variables.json', after: 6 },
  { name: 'consult-multi-instance', waiting: 'parallel multi-instance task answer, one of three done', model: 'test/fixtures/replay/consult-tasks.bpmn', events: 'test/fixtures/replay/consult-tasks.events.json', variables: 'test/fixtures/replay/consult-tasks.variables.json', after: 1 },
  { name: 'consult-multi-instance-without-count', waiting: 'the same, stored before the multi-instance count was kept', model: 'test/fixtures/replay/consult-tasks.bpmn', events: 'test/fixtures/replay/consult-tasks.events.json', variables: 'test/fixtures/replay/consult-tasks.variables.json', after: 1, olderShape: 'multi-instance without count' },
  { name: 'fee-refund-compensation', waiting: 'compensation handler refundFee, run by the end event refused (snapshots with compensation)', model: 'test/fixtures/replay/fee-refund.bpmn', events: 'test/fixtures/replay/fee-refund.events.json', after: 2 },
];

export const fixturePath = (name: string) => path.join(projectRoot, 'test', 'fixtures', 'replay', `${name}.json`);

export type Row = Record<string, unknown>;

/** What a fixture file holds. */
export interface ReplayFixture {
  source: ReplaySource;
  /** The compiler version and commit of the release that saved it. */
  savedBy: { compilerVersion: number; commit: string };
  key: string;
  instance: Row;
  userTasks: Row[];
  serviceJobs: Row[];
  subscriptions: Row[];
  queueJobs: Array<{ task: string; payload: unknown; key: string | null; maxAttempts: number }>;
}

export async function readSource(source: ReplaySource): Promise<{ xml: string; key: string; events: RunEvent[]; variables: Record<string, unknown> }> {
  const xml = await readFile(path.join(projectRoot, source.model), 'utf8');
  const events = runEventsSchema.parse(JSON.parse(await readFile(path.join(projectRoot, source.events), 'utf8')));
  const variables = source.variables ? (JSON.parse(await readFile(path.join(projectRoot, source.variables), 'utf8')) as Record<string, unknown>) : {};
  return { xml, key: (await readProcess(xml)).id, events, variables };
}
