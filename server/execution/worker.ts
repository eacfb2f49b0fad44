import { EventEmitter } from 'node:events';
import { Logger as WorkerLogger, run, runMigrations, type Task, type WorkerEvents } from 'graphile-worker';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { holdLiveness } from './job-runner-liveness.ts';
import { applyInstanceEvent } from './instances.ts';
import { runBuiltinJob, SERVICE_TASK, type ServiceTaskPayload } from './builtin-jobs.ts';
import { CALL_DONE_TASK, deliverCallOutcome, type CallDonePayload } from './calls.ts';
import { startOnce, TIMER_START_TASK, type TimerStartPayload } from './start-events.ts';
import { TIMER_TASK, type TimerPayload } from './timers.ts';

/** graphile-worker's log lines, through our structured log. */
function workerLogger(logger: Logger): WorkerLogger {
  const log = logger.child({ component: 'job-queue' });
  return new WorkerLogger(() => (level, message, meta) => {
    const name: string = level; // graphile-worker's LogLevel: 'error' | 'warning' | 'info' | 'debug'
    const method = name === 'error' ? 'error' : name === 'warning' ? 'warn' : name === 'info' ? 'debug' : 'trace';
    log[method](meta ?? {}, message);
  });
}

/** Creates or updates graphile-worker's own schema (it keeps its migrations itself). */
export async function migrateJobQueue(connectionString: string, logger: Logger): Promise<void> {
  await runMigrations({ connectionString, logger: workerLogger(logger) });
}

/**
 * The job runner every server process (and `quytrinh worker`) runs: graphile-worker claims due
 * jobs with SKIP LOCKED, so any number of processes share the work; a job that throws is retried
 * with backoff. A timer job feeds `timer` back to its instance under the job's own id, so a
 * retried job never fires the timer twice.
 */
export interface JobRunner {
  stop(): Promise<void>;
}

export async function startJobRunner(db: Database, connectionString: string, logger: Logger, concurrency = 4): Promise<JobRunner> {
  const fireTimer: Task = async (payload, helpers) => {
    const { instanceId, elementId } = payload as TimerPayload;
    const outcome = await applyInstanceEvent(db, instanceId, { type: 'timer', elementId }, { eventId: `timer:${helpers.job.id}`, actor: `worker:${process.pid}` });
    logger.debug({ instanceId, elementId, outcome: outcome.kind }, 'timer fired');
  };
  const runServiceTask: Task = async (payload, helpers) => {
    await runBuiltinJob(db, (payload as ServiceTaskPayload).serviceJobId, { number: helpers.job.attempts, max: helpers.job.max_attempts });
  };
  const deliverCall: Task = async (payload) => {
    await deliverCallOutcome(db, (payload as CallDonePayload).childInstanceId);
  };
  const startByTimer: Task = async (payload, helpers) => {
    const { key, startEventId } = payload as TimerStartPayload;
    await startOnce(db, key, startEventId, `timer-start:${helpers.job.id}`);
  };
  const liveness = await holdLiveness(db, connectionString, logger);
  const events = new EventEmitter() as WorkerEvents;
  const registered: Array<Promise<void>> = [];
  events.on('pool:create', ({ workerPool }) => registered.push(liveness.register(workerPool.id)));
  const runner = await run({
    connectionString,
    concurrency,
    noHandleSignals: true,
    logger: workerLogger(logger),
    pollInterval: 1000,
    events,
    taskList: { [TIMER_TASK]: fireTimer, [SERVICE_TASK]: runServiceTask, [CALL_DONE_TASK]: deliverCall, [TIMER_START_TASK]: startByTimer },
  });
  await Promise.all(registered);
  return {
    async stop() {
      await runner.stop();
      await liveness.stop();
    },
  };
}
