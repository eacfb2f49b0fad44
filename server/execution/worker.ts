import { EventEmitter } from 'node:events';
import { Logger as WorkerLogger, run, runMigrations, type Task, type WorkerEvents } from 'graphile-worker';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { holdLiveness, type LivenessOptions } from './job-runner-liveness.ts';
import { runBuiltinJob, SERVICE_TASK, type ServiceTaskPayload } from './builtin-jobs.ts';
import { CALL_DONE_TASK, callerOf, deliverCallOutcome, type CallDonePayload } from './calls.ts';
import { armNextTimerStartRound, startOnce, TIMER_START_TASK, type TimerStartPayload } from './start-events.ts';
import { fireTimer, TIMER_TASK, type TimerPayload } from './timers.ts';

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

export interface JobRunnerOptions {
  /** Jobs run at once by this process. */
  concurrency?: number;
  liveness?: LivenessOptions;
}

export interface JobRunner {
  stop(): Promise<void>;
}

/** The instance and element a queue job's work is for. */
type Concerns = (payload: unknown) => Promise<{ instanceId: string; elementId: string } | undefined>;

/**
 * The job runner every server process (and `quytrinh worker`) runs: graphile-worker claims due
 * jobs with SKIP LOCKED, so any number of processes share the work; a job that throws is retried
 * with backoff. A timer job feeds `timer` back to its instance if it is still the timer armed
 * there (see fireTimer).
 */
export async function startJobRunner(db: Database, connectionString: string, logger: Logger, options: JobRunnerOptions = {}): Promise<JobRunner> {
  /**
   * A job that fails on its last attempt would leave its instance waiting for ever, unseen: the
   * failure becomes an incident of the instance and element it concerns, for a person to look
   * at and retry (see retryIncident). A timer start concerns no instance yet: it is logged.
   */
  const recordingIncidents = (task: Task, concerns: Concerns): Task => async (payload, helpers) => {
    try {
      await task(payload, helpers);
    } catch (error) {
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        const where = await concerns(payload);
        const message = error instanceof Error ? error.message : String(error);
        if (where) await db('incidents').insert({ instance_id: where.instanceId, element_id: where.elementId, queue_job_id: helpers.job.id, message });
        else logger.error({ err: error, task: helpers.job.task_identifier, payload }, 'job failed on its last attempt');
      }
      throw error;
    }
  };
  const timerDue: Task = async (payload, helpers) => {
    const outcome = await fireTimer(db, payload as TimerPayload, helpers.job.id, `worker:${process.pid}`);
    logger.debug({ ...(payload as TimerPayload), outcome: outcome.kind }, 'timer fired');
  };
  const runServiceTask: Task = async (payload, helpers) => {
    await runBuiltinJob(db, (payload as ServiceTaskPayload).serviceJobId, { number: helpers.job.attempts, max: helpers.job.max_attempts });
  };
  const deliverCall: Task = async (payload) => {
    await deliverCallOutcome(db, (payload as CallDonePayload).childInstanceId);
  };
  const startByTimer: Task = async (payload, helpers) => {
    const start = payload as TimerStartPayload;
    await startOnce(db, start.key, start.startEventId, `timer-start:${helpers.job.id}`);
    await armNextTimerStartRound(db, start, new Date());
  };
  const liveness = await holdLiveness(db, connectionString, logger, options.liveness);
  const events = new EventEmitter() as WorkerEvents;
  const registered: Array<Promise<void>> = [];
  events.on('pool:create', ({ workerPool }) => registered.push(liveness.register(workerPool.id)));
  const runner = await run({
    connectionString,
    concurrency: options.concurrency ?? 4,
    noHandleSignals: true,
    logger: workerLogger(logger),
    pollInterval: 1000,
    events,
    taskList: {
      [TIMER_TASK]: recordingIncidents(timerDue, (payload) => Promise.resolve(payload as TimerPayload)),
      [SERVICE_TASK]: runServiceTask, // records its own incident, on its service job
      [CALL_DONE_TASK]: recordingIncidents(deliverCall, (payload) => callerOf(db, (payload as CallDonePayload).childInstanceId)),
      [TIMER_START_TASK]: recordingIncidents(startByTimer, () => Promise.resolve(undefined)),
    },
  });
  await Promise.all(registered);
  return {
    async stop() {
      await runner.stop();
      await liveness.stop();
    },
  };
}
