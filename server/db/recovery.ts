import { setTimeout as sleep } from 'node:timers/promises';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Logger } from '../logger.ts';
import { describeDatabaseUrl, type Database } from './connect.ts';
import type { EmbeddedDatabase } from './embedded.ts';

/**
 * Keeping a running product on its database through an outage. The pools reconnect by
 * themselves once PostgreSQL answers again (every request takes a fresh connection when the
 * old ones died); what they cannot do is bring a dead embedded cluster back, or know when to
 * stop hoping. So the database is probed: while it does not answer, an embedded cluster whose
 * postmaster died is started again, and the probes back off; once it answers, that is logged.
 * An outage longer than `giveUpAfterMs` settles `lost`, and the process exits non-zero so a
 * supervisor (systemd, Docker, Kubernetes) starts it afresh, rather than answering 503 for ever.
 */
export interface DatabaseRecovery {
  /** Settles, with the error to exit with, when the database stayed unreachable past the bound. */
  lost: Promise<QuyTrinhError>;
  stop(): void;
}

export interface RecoveryOptions {
  giveUpAfterMs: number;
  /** How often a healthy database is probed. */
  probeEveryMs?: number;
  /** The longest wait between two probes (and restarts) during an outage. */
  maxBackoffMs?: number;
}

export function recoverDatabase(db: Database, url: string, embedded: EmbeddedDatabase | undefined, logger: Logger, options: RecoveryOptions): DatabaseRecovery {
  const { giveUpAfterMs, probeEveryMs = 2_000, maxBackoffMs = 2_000 } = options;
  const log = logger.child({ component: 'database-recovery' });
  const stopping = new AbortController();
  let giveUp!: (error: QuyTrinhError) => void;
  const lost = new Promise<QuyTrinhError>((resolve) => (giveUp = resolve));

  // The bound is a timer, not a check between probes: a restart or a probe can itself hang.
  let deadline: NodeJS.Timeout | undefined;
  const watch = async () => {
    let downSince: number | undefined;
    let lastError: unknown;
    for (let attempt = 0; !stopping.signal.aborted; ) {
      try {
        await db.raw('select 1');
        if (downSince !== undefined) {
          log.warn({ downForMs: Date.now() - downSince }, 'Cơ sở dữ liệu đã trả lời lại / the database answers again');
          clearTimeout(deadline);
          downSince = undefined;
          attempt = 0;
        }
      } catch (error) {
        lastError = error;
        if (downSince === undefined) {
          downSince = Date.now();
          log.error({ err: error, database: describeDatabaseUrl(url) }, 'Mất kết nối cơ sở dữ liệu, đang kết nối lại / the database cannot be reached; reconnecting');
          deadline = setTimeout(() => {
            stopping.abort();
            giveUp(databaseLost(url, giveUpAfterMs, lastError));
          }, giveUpAfterMs);
        }
        if (embedded && !(await embedded.isRunning())) {
          log.warn('PostgreSQL nhúng đã dừng, đang khởi động lại / the embedded PostgreSQL died; starting it again');
          await embedded.restart().catch((restartError: unknown) => log.warn({ err: restartError, attempt }, 'the embedded PostgreSQL did not start again yet; retrying'));
        }
        attempt++;
      }
      const wait = downSince === undefined ? probeEveryMs : Math.min(100 * 2 ** attempt, maxBackoffMs);
      await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  };
  void watch();

  return {
    lost,
    stop() {
      stopping.abort();
      clearTimeout(deadline);
    },
  };
}

function databaseLost(url: string, boundMs: number, cause: unknown): QuyTrinhError {
  const seconds = Math.round(boundMs / 1000);
  const where = describeDatabaseUrl(url);
  return new QuyTrinhError('unavailable', 'database.lost', {
    vi: `Mất cơ sở dữ liệu ${where} quá ${seconds} giây; dừng để trình giám sát khởi động lại (DATABASE_RECOVERY_TIMEOUT).`,
    en: `The database ${where} has been unreachable for over ${seconds} s; exiting so that a supervisor restarts the product (DATABASE_RECOVERY_TIMEOUT).`,
  }, [], { cause });
}
