import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.ts';
import { databaseUrl } from '../support/database.ts';
import { runCli } from '../support/product-process.ts';

/** What a person sees when DATABASE_URL is wrong: one clear message in both languages, no stack trace, exit 1. */
function expectOneClearFailure(result: { code: number | null; stderr: string; stdout: string }, reason: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).not.toContain('is running at');
  expect(result.stderr).toMatch(/^✖ Không mở được cơ sở dữ liệu: .+\n {2}Cannot open the database: .+\n$/);
  expect(result.stderr).toMatch(reason);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack frames
}

describe('quytrinh start with a bad DATABASE_URL', () => {
  // A password-protected server of our own: CI's PostgreSQL service trusts every login, so a
  // wrong password can only be refused by a cluster that checks passwords.
  let dataDir: string;
  let cluster: EmbeddedDatabase;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'quytrinh-auth-'));
    cluster = await startEmbeddedPostgres(dataDir, pino({ level: 'silent' }));
  });

  afterAll(async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails fast when nothing listens at the address', async () => {
    const result = await runCli(['start', '--no-build'], { DATABASE_URL: 'postgres://quytrinh:secret@127.0.0.1:1/quytrinh', PORT: '0' });
    expectOneClearFailure(result, /no PostgreSQL answers at quytrinh@127\.0\.0\.1:1\/quytrinh \(connection refused\)/);
    expect(result.stderr).not.toContain('secret'); // the password is never printed
  });

  it('fails fast on a wrong password', async () => {
    const wrong = new URL(cluster.url);
    wrong.password = 'not-the-password';
    const result = await runCli(['start', '--no-build'], { DATABASE_URL: wrong.toString(), PORT: '0' });
    expectOneClearFailure(result, /refused the login: wrong user or password/);
    expect(result.stderr).not.toContain('not-the-password');
  });

  it('fails fast on a database that does not exist', async () => {
    const result = await runCli(['start', '--no-build'], { DATABASE_URL: databaseUrl(cluster.url, 'khong_ton_tai'), PORT: '0' });
    expectOneClearFailure(result, /the database .*\/khong_ton_tai does not exist/);
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL before connecting anywhere', async () => {
    const result = await runCli(['start', '--no-build'], { DATABASE_URL: 'mysql://root@127.0.0.1/test', PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^✖ Cấu hình môi trường không hợp lệ \(DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL\)\n/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
