import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger as WorkerLogger, run, runMigrations, type Runner, type Task, type WorkerEvents } from 'graphile-worker';
import type { MailSettings } from '../config.ts';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { foldStepCounts, STEP_COUNTS_FOLD_MS } from '../monitoring/procedure-view.ts';
import { PAYMENT_REVIEW_CRONTAB, PAYMENT_REVIEW_TASK, paymentReviewTask } from '../payments/daily-review.ts';
import { NOTICE_MAIL_TASK, noticeMailTask } from '../workers/notice-mail.ts';
import { DIGITIZATION_OCR_TASK, digitizationOcrTask } from '../digitization/ocr-job.ts';
import { holdLiveness, type LivenessOptions } from './job-runner-liveness.ts';
import { runBuiltinJob } from './builtin-jobs.ts';
import { deliverCallOutcome } from './call-outcomes.ts';
import { callerOf } from './calls.ts';
import { CALL_DONE_JOB, jobPayload, MESSAGE_JOB, SERVICE_TASK_JOB, SIGNAL_DELIVERY_JOB, SIGNAL_JOB, TIMER_JOB, TIMER_START_JOB } from './job-kinds.ts';
import { correlateMessage } from './messages.ts';
import { broadcastPage, deliverSignalJob, signalDeliveryConcerns } from './signals.ts';
import { armNextTimerStartRound, startOnce } from './start-events.ts';
import { fireTimer } from './timers.ts';

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
  /** Where applicants' notices are e-mailed through; undefined: they are not. */
  mail?: MailSettings | undefined;
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
  // Each payload is read through its job kind's schema (job-kinds.ts): one the code cannot read fails as an incident.
  const timerDue: Task = async (payload, helpers) => {
    const timer = jobPayload(TIMER_JOB, payload);
    const outcome = await fireTimer(db, timer, helpers.job.id, `worker:${process.pid}`);
    logger.debug({ ...timer, outcome: outcome.kind }, 'timer fired');
  };
  const runServiceTask: Task = async (payload, helpers) => {
    await runBuiltinJob(db, jobPayload(SERVICE_TASK_JOB, payload).serviceJobId, { number: helpers.job.attempts, max: helpers.job.max_attempts });
  };
  const deliverCall: Task = async (payload) => {
    await deliverCallOutcome(db, jobPayload(CALL_DONE_JOB, payload).childInstanceId);
  };
  const startByTimer: Task = async (payload, helpers) => {
    const start = jobPayload(TIMER_START_JOB, payload);
    await startOnce(db, start.key, start.startEventId, `timer-start:${helpers.job.id}`);
    await armNextTimerStartRound(db, start, new Date());
  };
  const broadcastSignal: Task = async (payload) => {
    await broadcastPage(db, jobPayload(SIGNAL_JOB, payload), logger);
  };
  const deliverSignal: Task = async (payload) => {
    await deliverSignalJob(db, jobPayload(SIGNAL_DELIVERY_JOB, payload));
  };
  // A message an instance threw, published as POST /api/messages publishes one; its id makes a re-run deliver nothing twice.
  const publishMessage: Task = async (payload) => {
    const { messageId, name, correlationKey } = jobPayload(MESSAGE_JOB, payload);
    await correlateMessage(db, { name, correlationKey, messageId });
  };
  const sendNoticeMail = noticeMailTask(db, options.mail, logger);
  const reviewPayments = paymentReviewTask(db, logger);
  const digitize = digitizationOcrTask(db, logger);
  const liveness = await holdLiveness(db, connectionString, logger, options.liveness);
  const events = new EventEmitter() as WorkerEvents;
  let registered: Array<{ poolId: string; done: Promise<void> }> = [];
  events.on('pool:create', ({ workerPool }) => registered.push({ poolId: workerPool.id, done: liveness.register(workerPool.id) }));
  let stopped = false;
  const stopping = new AbortController();
  let restarting: Promise<void> | undefined;

  const startRunner = async (): Promise<Runner> => {
    registered = [];
    const started = await run({
      connectionString,
      concurrency: options.concurrency ?? 4,
      noHandleSignals: true,
      logger: workerLogger(logger),
      pollInterval: 1000,
      // Unbatched, graphile-worker 0.17 records a job's outcome in a promise nobody awaits: with
      // the database gone at that moment, its rejection kills the process. Batched (even with no
      // delay), a failure to record ends the pool instead, which is replaced below.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      events,
      // Recurring work: the daily payment review and reconciliation (docs/payments.md).
      crontab: PAYMENT_REVIEW_CRONTAB,
      taskList: {
        [TIMER_JOB.task]: recordingIncidents(timerDue, (payload) => Promise.resolve(TIMER_JOB.schema.safeParse(payload).data)),
        [SERVICE_TASK_JOB.task]: runServiceTask, // records its own incident, on its service job
        [CALL_DONE_JOB.task]: recordingIncidents(deliverCall, (payload) => {
          const done = CALL_DONE_JOB.schema.safeParse(payload);
          return done.success ? callerOf(db, done.data.childInstanceId) : Promise.resolve(undefined);
        }),
        [TIMER_START_JOB.task]: recordingIncidents(startByTimer, () => Promise.resolve(undefined)),
        [SIGNAL_JOB.task]: recordingIncidents(broadcastSignal, () => Promise.resolve(undefined)),
        [SIGNAL_DELIVERY_JOB.task]: recordingIncidents(deliverSignal, (payload) => {
          const delivery = SIGNAL_DELIVERY_JOB.schema.safeParse(payload);
          return delivery.success ? signalDeliveryConcerns(db, delivery.data) : Promise.resolve(undefined);
        }),
        // A message that cannot be delivered (a receiving instance's step refused) is an incident of the throw.
        [MESSAGE_JOB.task]: recordingIncidents(publishMessage, (payload) => {
          const message = MESSAGE_JOB.schema.safeParse(payload);
          return Promise.resolve(message.success ? { instanceId: message.data.instanceId, elementId: message.data.elementId } : undefined);
        }),
        [NOTICE_MAIL_TASK]: recordingIncidents(sendNoticeMail, () => Promise.resolve(undefined)),
        [PAYMENT_REVIEW_TASK]: recordingIncidents(reviewPayments, () => Promise.resolve(undefined)),
        [DIGITIZATION_OCR_TASK]: recordingIncidents(digitize, () => Promise.resolve(undefined)),
      },
    });
    const pools = registered.map((pool) => pool.poolId);
    try {
      await Promise.all(registered.map((pool) => pool.done));
    } catch (error) {
      await started.stop().catch(() => undefined); // not watched yet: its end starts nothing
      throw error;
    }
    // graphile-worker ends a pool whose worker could not record a job's outcome (the database
    // went away just then): its promise resolves and it runs nothing more, for good.
    void started.promise.then(() => {
      if (!stopped) restarting = startAgain(pools);
    });
    return started;
  };

  /**
   * A runner that ended on its own is replaced, once the database takes the new one; the jobs
   * its pool still held locked are unlocked first (it runs none of them any more), or they
   * would wait graphile-worker's four hours.
   */
  const startAgain = async (deadPools: string[]): Promise<void> => {
    logger.error({ pools: deadPools }, 'Bộ xử lý công việc đã dừng, đang khởi động lại / the job runner stopped by itself; starting it again');
    for (let attempt = 0; !stopped; attempt++) {
      await sleep(Math.min(500 * 2 ** attempt, 10_000), undefined, { signal: stopping.signal }).catch(() => undefined);
      if (stopped) return;
      try {
        await liveness.release(deadPools);
        runner = await startRunner();
        logger.warn('the job runner runs again');
        if (stopped) await runner.stop(); // stopped while it was starting
        return;
      } catch (error) {
        logger.warn({ err: error, attempt }, 'could not start the job runner again yet; retrying');
      }
    }
  };

  let runner = await startRunner();
  // The heat map's counters folded now and then (docs/monitoring.md, "Step counters"), beside the
  // queue: a queue job would come and go in graphile_worker.jobs every few minutes for nothing.
  const folding = setInterval(() => {
    foldStepCounts(db).catch((error: unknown) => logger.warn({ err: error }, 'Không gộp được bộ đếm bước / the step counters could not be folded'));
  }, STEP_COUNTS_FOLD_MS);
  folding.unref();
  return {
    async stop() {
      clearInterval(folding);
      stopped = true;
      stopping.abort();
      await restarting;
      await runner.stop().catch(() => undefined); // a runner that ended on its own is stopped already
      await liveness.stop();
    },
  };
}
