import { pino } from 'pino';
import { deployDefinition } from '../../server/execution/definitions.ts';
import { startProcessInstance } from '../../server/execution/instances.ts';
import { completeUserTask } from '../../server/execution/tasks.ts';
import { migrateJobQueue } from '../../server/execution/worker.ts';
import { openBenchDatabase } from './bench-database.ts';
import { sequenceOfTenTasks } from './models.ts';

export interface DurableResult {
  completions: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  concurrency: number;
}

/**
 * User-task completions through the durable runtime on a real PostgreSQL (embedded, or
 * DATABASE_URL's server): each one locks its instance, computes the step, and stores snapshot,
 * history and the next task in one transaction, with `concurrency` completions in flight.
 */
export async function runDurable(instances: number, concurrency: number): Promise<DurableResult> {
  const { url, db, close } = await openBenchDatabase();
  try {
    await migrateJobQueue(url, pino({ level: 'silent' }));
    await db.raw('truncate process_definitions, process_instances, user_tasks, instance_history, service_jobs, message_subscriptions, incidents cascade');
    await deployDefinition(db, sequenceOfTenTasks());
    for (let i = 0; i < instances; i++) await startProcessInstance(db, 'Process_sequence', {});

    const latencies: number[] = [];
    const started = performance.now();
    // Like an inbox client: read the open tasks (one query for all of them), then complete them
    // with `concurrency` completions in flight; repeat until none is left.
    for (;;) {
      const open = await db('user_tasks').where({ status: 'open' }).pluck<string[]>('id');
      if (open.length === 0) break;
      const worker = async () => {
        for (let task = open.pop(); task !== undefined; task = open.pop()) {
          const begin = performance.now();
          await completeUserTask(db, task, undefined, 'bench');
          latencies.push(performance.now() - begin);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    const completed = Number((await db('process_instances').where({ status: 'completed' }).count<Array<{ count: string }>>('* as count'))[0]!.count);
    if (completed !== instances) throw new Error(`only ${completed} of ${instances} instances completed`);
    return { completions: latencies.length, seconds, perSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), concurrency };
  } finally {
    await close();
  }
}
