import knexFactory, { type Knex } from 'knex';
import { QuyTrinhError } from '../../engine/errors.ts';

export type Database = Knex;

/** Opens a pooled connection to PostgreSQL and proves it works, or fails with one clear message. */
export async function openDatabase(url: string, connectTimeoutMs: number): Promise<Database> {
  const db = knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: connectTimeoutMs },
    pool: { min: 0, max: 10 },
    acquireConnectionTimeout: connectTimeoutMs + 1000,
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
