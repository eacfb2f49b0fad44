import os from 'node:os';
import { pino } from 'pino';
import { deployDefinition } from '../../server/execution/definitions.ts';
import { startProcessInstance } from '../../server/execution/instances.ts';
import { BROADCAST_PAGE, throwSignal } from '../../server/execution/signals.ts';
import { migrateJobQueue, startJobRunner } from '../../server/execution/worker.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { openBenchDatabase } from './bench-database.ts';

export interface SignalBenchResult {
  waiting: number;
  seconds: number;
  perSecond: number;
  pages: number;
  /** The machine's one-minute load average when the run began (others' work shares the cores). */
  load: number;
}

const waiter = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="waitRecall"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateCatchEvent>
  <bpmn:userTask id="handle"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>waitRecall', 'waitRecall>handle', 'handle>end')}
`, { id: 'Process_signal_bench', outside: '<bpmn:signal id="Signal_recall" name="bench.recall"/>' });

/**
 * One signal (`POST /api/signals`' path, server/execution/signals.ts) to `waiting` instances
 * waiting for it, carried out by the job runner as in production (one runner, its default
 * concurrency), page after page: from the signal's row to its `finished_at`, each instance moved
 * on in a transaction of its own (its step, history row, the next task, the subscription removed).
 */
export async function runSignalBench(waiting: number): Promise<SignalBenchResult> {
  const { url, db, close } = await openBenchDatabase();
  const logger = pino({ level: 'silent' });
  try {
    await migrateJobQueue(url, logger);
    await deployDefinition(db, waiter);
    let toStart = waiting;
    const starter = async () => {
      while (toStart-- > 0) await startProcessInstance(db, 'Process_signal_bench', {});
    };
    await Promise.all(Array.from({ length: 8 }, starter));
    const runner = await startJobRunner(db, url, logger);
    try {
      const load = os.loadavg()[0]!;
      const began = performance.now();
      const { id } = await throwSignal(db, { name: 'bench.recall' });
      for (;;) {
        const row = await db('signals').where({ id }).first<{ delivered: number; finished_at: Date | null }>('delivered', 'finished_at');
        if (row?.finished_at) {
          const seconds = (performance.now() - began) / 1000;
          if (row.delivered !== waiting) throw new Error(`the signal reached ${row.delivered} of ${waiting} instances`);
          return { waiting, seconds, perSecond: waiting / seconds, pages: Math.floor(waiting / BROADCAST_PAGE) + 1, load };
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await runner.stop();
    }
  } finally {
    await close();
  }
}

export function signalBenchSummary(result: SignalBenchResult): string[] {
  return [`signal to ${result.waiting} waiting instances: ${result.seconds.toFixed(1)} s, ${Math.round(result.perSecond)} deliveries/s, ${result.pages} pages`];
}

export function signalBenchMarkdown(result: SignalBenchResult): string {
  return `## Signals across instances (issue 15)

One signal to every instance waiting for it, carried out by the job runner as in production
(\`npm run bench -- --signals\`, \`BENCH_SIGNAL_WAITING\` instances, default 10,000; test/bench/signals.ts):
a page of ${BROADCAST_PAGE} instances per job, 4 of them at once, each instance moved on in a
transaction of its own (step, history row, next task, subscription removed), from the signal's row
to its \`finished_at\`. No transaction holds more than one instance, and other jobs run between
pages. Measured with ${os.cpus().length} cores at a load average of ${result.load.toFixed(1)} when it began.

| waiting instances | seconds | deliveries/s | pages |
| ---: | ---: | ---: | ---: |
| ${result.waiting} | ${result.seconds.toFixed(1)} | ${Math.round(result.perSecond)} | ${result.pages} |
`;
}
