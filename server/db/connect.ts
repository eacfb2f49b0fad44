import knexFactory, { type Knex } from 'knex';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Logger } from '../logger.ts';

export type Database = Knex;

/**
 * Opens a pooled connection to PostgreSQL and proves it works, or fails with one clear message.
 * Knex's own warnings go to the log when a logger is given, those about a connection lost or not
 * made at debug level: during an outage they come with every request, and the outage itself is
 * logged once (db/recovery.ts).
 */
export async function openDatabase(url: string, connectTimeoutMs: number, logger?: Logger): Promise<Database> {
  const knexLog = logger?.child({ component: 'knex' });
  const db = knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: connectTimeoutMs },
    pool: { min: 0, max: 10 },
    acquireConnectionTimeout: connectTimeoutMs + 1000,
    ...(knexLog && {
      log: {
        warn: (message: string) => (/^(Connection Error|Acquire connection error)/.test(String(message)) ? knexLog.debug(message) : knexLog.warn(message)),
        error: (message: string) => knexLog.error(message),
        deprecate: (method: string, alternative: string) => knexLog.warn(`${method} is deprecated; use ${alternative}`),
        debug: (message: string) => knexLog.trace(message),
      },
    }),
  });
  try {
    await db.raw('select 1');
  } catch (cause) {
    await db.destroy().catch(() => undefined);
    throw databaseUnavailable(url, cause);
  }
  return db;
}

/** Where a URL points, without its password: safe to print and log. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${user}${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(URL không đọc được / unreadable URL)';
  }
}

function databaseUnavailable(url: string, cause: unknown): QuyTrinhError {
  const where = describeDatabaseUrl(url);
  const code = (cause as { code?: string } | undefined)?.code;
  const text = ((): { vi: string; en: string } => {
    switch (code) {
      case 'ECONNREFUSED':
        return { vi: `không có PostgreSQL nào trả lời tại ${where} (từ chối kết nối)`, en: `no PostgreSQL answers at ${where} (connection refused)` };
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return { vi: `không tìm thấy máy chủ của ${where}`, en: `the host of ${where} cannot be found` };
      case '28P01':
      case '28000':
        return { vi: `PostgreSQL tại ${where} từ chối đăng nhập: sai người dùng hoặc mật khẩu`, en: `PostgreSQL at ${where} refused the login: wrong user or password` };
      case '3D000':
        return { vi: `cơ sở dữ liệu ${where} không tồn tại`, en: `the database ${where} does not exist` };
      default: {
        const detail = cause instanceof Error ? cause.message : String(cause);
        const timedOut = /timeout|timed out/i.test(detail) || code === 'ETIMEDOUT';
        return timedOut
          ? { vi: `PostgreSQL tại ${where} không trả lời kịp thời hạn`, en: `PostgreSQL at ${where} did not answer in time` }
          : { vi: `không kết nối được PostgreSQL tại ${where}: ${detail}`, en: `cannot connect to PostgreSQL at ${where}: ${detail}` };
      }
    }
  })();
  return new QuyTrinhError('unavailable', 'database.unavailable', {
    vi: `Không mở được cơ sở dữ liệu: ${text.vi}. Kiểm tra DATABASE_URL, hoặc bỏ đặt biến này để dùng PostgreSQL nhúng.`,
    en: `Cannot open the database: ${text.en}. Check DATABASE_URL, or unset it to use the embedded PostgreSQL.`,
  }, [{ field: 'DATABASE_URL', message: text.en }], { cause });
}

/** Node's socket errors that mean no connection to the server right now. */
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATEs of a server going away or not taking connections (admin or crash shutdown, starting up, full). */
const SERVER_GONE = new Set(['57P01', '57P02', '57P03', '53300']);
/** What node-postgres and knex say when a connection dies under them or none can be had in time. */
const CONNECTION_LOST = /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|Timeout acquiring a connection/i;

/**
 * Whether an error means the database cannot be reached now (it is down, restarting, or cut a
 * connection), rather than that the request or the data was wrong: worth answering 503 and
 * trying again. Wrapped causes are looked through.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let seen = error, depth = 0; seen && depth < 5; seen = (seen as { cause?: unknown }).cause, depth++) {
    const code = (seen as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_ERRORS.has(code) || SERVER_GONE.has(code) || code.startsWith('08'))) return true;
    if (seen instanceof Error && CONNECTION_LOST.test(seen.message)) return true;
  }
  return false;
}

/** The typed error a request meets while the database cannot be reached: a 503, to be tried again. */
export function databaseUnreachable(cause: unknown): QuyTrinhError {
  return new QuyTrinhError('unavailable', 'database.unreachable', {
    vi: 'Tạm thời không kết nối được cơ sở dữ liệu; hệ thống đang kết nối lại, vui lòng thử lại sau ít giây',
    en: 'The database cannot be reached for the moment; the product is reconnecting, please retry in a few seconds',
  }, [], { cause });
}
