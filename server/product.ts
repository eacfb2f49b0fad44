import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuyTrinhError } from '../engine/errors.ts';
import type { Config } from './config.ts';
import { describeDatabaseUrl, openDatabase, type Database } from './db/connect.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { migrateToLatest } from './db/migrations/index.ts';
import { recoverDatabase } from './db/recovery.ts';
import { migrateJobQueue, startJobRunner } from './execution/worker.ts';
import { ensureDesignerBuilt, startDesignerDevServer } from './designer-build.ts';
import { startAuditSealer } from './audit/sealer.ts';
import { RequestAuditLog } from './audit/request-log.ts';
import { runningEmbeddedUrl } from './db/running-cluster.ts';
import { createApp } from './http/app.ts';
import { ensureFirstAdministrator } from './identity/bootstrap.ts';
import { createDemoData, demoAccounts, DEMO_PASSWORD } from './identity/demo.ts';
import type { Logger } from './logger.ts';
import { productVersion } from './paths.ts';
import { createAnalysisPool } from './workers/analysis-pool.ts';
import { closeCompilePool } from './workers/compile-pool.ts';
import { closePdfPool } from './workers/pdf-pool.ts';
import { closeOcrPool } from './digitization/ocr-pool.ts';
import { usePaymentProvider } from './payments/provider.ts';
import { sandboxProvider } from './payments/sandbox/adapter.ts';
import { startPaymentSandbox } from './payments/sandbox/service.ts';

export interface DatabaseHandle {
  db: Database;
  /** The connection URL (the embedded cluster's when DATABASE_URL is unset), for the job queue. */
  url: string;
  embedded: boolean;
  /** Settles when the database stayed unreachable past DATABASE_RECOVERY_TIMEOUT: the process should exit. */
  lost: Promise<QuyTrinhError>;
  close(): Promise<void>;
}

/**
 * Opens the product's database: the one at DATABASE_URL, or the embedded cluster under
 * DATA_DIR when it is unset, migrated to the latest schema either way, and kept through outages
 * (db/recovery.ts).
 */
export async function openProductDatabase(config: Config, logger: Logger, options: { shareRunning?: boolean } = {}): Promise<DatabaseHandle> {
  let embedded: EmbeddedDatabase | undefined;
  // A command beside a running product (`quytrinh token create`) uses the cluster it holds.
  const shared = config.databaseUrl === undefined && options.shareRunning ? await runningEmbeddedUrl(config.dataDir) : undefined;
  const url = config.databaseUrl ?? shared ?? (embedded = await startEmbeddedPostgres(config.dataDir, logger)).url;
  try {
    const db = await openDatabase(url, config.databaseConnectTimeoutMs, logger);
    const applied = await migrateToLatest(db);
    await migrateJobQueue(url, logger);
    logger.info({ database: describeDatabaseUrl(url), applied }, applied.length > 0 ? 'database migrated' : 'database schema is up to date');
    const recovery = recoverDatabase(db, url, embedded, logger, { giveUpAfterMs: config.databaseRecoveryTimeoutMs });
    return {
      db,
      url,
      embedded: embedded !== undefined,
      lost: recovery.lost,
      async close() {
        recovery.stop();
        await db.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}

export interface RunningProduct {
  url: string;
  /** What a person needs to sign in, printed once by `quytrinh start`. */
  signIn: string[];
  /** Settles when the database is lost for good (see DatabaseHandle.lost). */
  lost: Promise<QuyTrinhError>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * How the designer is served: `build` (default) builds it when missing or stale and serves
   * the files; `dev` serves it through Vite's dev server with hot reload; `none` serves only the API.
   */
  designer?: 'build' | 'dev' | 'none';
  /** Create the demo agencies, accounts and deployed catalogue (`npm run demo`); never on a plain start. */
  demo?: boolean;
}

/** Starts everything `npm start` promises: database, migrations, API and designer on one port. */
export async function startProduct(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningProduct> {
  // The designer build and the database start are independent: do them side by side.
  const mode = options.designer ?? 'build';
  const [designerDir, devServer, database] = await Promise.all([
    mode === 'build' ? ensureDesignerBuilt(logger) : undefined,
    mode === 'dev' ? startDesignerDevServer() : undefined,
    openProductDatabase(config, logger),
  ]);
  const signIn = await signInNotes(database.db, logger, options.demo === true);
  const runner = await startJobRunner(database.db, database.url, logger, { mail: config.mail });
  const sealer = startAuditSealer(database.db, logger);
  const auditLog = new RequestAuditLog(database.db, logger);
  const analysisPool = createAnalysisPool({ timeoutMs: config.analysisTimeoutMs, maxQueue: config.analysisQueue });
  const app = createApp({
    auditLog,
    db: database.db,
    logger,
    version: productVersion,
    embeddedDatabase: database.embedded,
    designerDir,
    designerMiddleware: devServer?.middlewares,
    analysisPool,
    oidc: config.oidc,
    publicUrl: config.publicUrl,
  });

  let server: Server;
  try {
    server = app.listen(config.port, config.host);
    await once(server, 'listening');
  } catch (cause) {
    await devServer?.close();
    await analysisPool.destroy();
    await runner.stop();
    await sealer.stop();
    await database.close();
    const inUse = (cause as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new QuyTrinhError('unavailable', inUse ? 'server.port-in-use' : 'server.listen-failed', {
      vi: inUse ? `Cổng ${config.port} đang được dùng; đặt PORT để chọn cổng khác` : `Không mở được cổng ${config.port}: ${String(cause)}`,
      en: inUse ? `Port ${config.port} is in use; set PORT to choose another` : `Cannot listen on port ${config.port}: ${String(cause)}`,
    }, [{ field: 'PORT', message: String(cause) }], { cause });
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  // The national payment platform cannot be reached from here: the product ships a sandbox
  // provider on loopback, as a payment intermediary's test mode, started with it unless one is
  // configured (docs/payments.md).
  const sandbox = config.paymentSandbox
    ? undefined
    : await startPaymentSandbox({ port: 0, secret: randomBytes(32).toString('hex'), callbackUrl: `http://127.0.0.1:${port}/api/payments/callbacks/sandbox`, returnBaseUrl: config.publicUrl ?? url, settle: true });
  usePaymentProvider(sandboxProvider(config.paymentSandbox ?? { url: sandbox!.url, secret: sandbox!.secret }));

  return {
    url,
    signIn,
    lost: database.lost,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests in flight get a moment to finish; then the remaining connections are cut.
      const grace = setTimeout(() => server.closeAllConnections(), 3000);
      await closed;
      clearTimeout(grace);
      await devServer?.close();
      await sandbox?.close();
      // Analyses of the connections just cut are aborted already; this ends the idle threads.
      await analysisPool.destroy();
      await runner.stop();
      await closeCompilePool();
      await closePdfPool();
      await closeOcrPool();
      await auditLog.flush();
      await sealer.stop();
      await database.close();
    },
  };
}

/** The first administrator on a first start, and the demo accounts on a demo start: the lines to print. */
async function signInNotes(db: DatabaseHandle['db'], logger: Logger, demo: boolean): Promise<string[]> {
  const lines: string[] = [];
  const admin = await ensureFirstAdministrator(db);
  if (admin) {
    lines.push(
      'Đã tạo tài khoản quản trị đầu tiên (chỉ hiện một lần) / first administrator created (shown once):',
      `  tên đăng nhập / username: ${admin.username}    mật khẩu / password: ${admin.password}`,
    );
  }
  if (demo) {
    await createDemoData(db, logger);
    lines.push(`Dữ liệu DEMO / DEMO data — mật khẩu mọi tài khoản demo / password of every demo account: ${DEMO_PASSWORD}`);
    for (const account of demoAccounts()) lines.push(`  ${account.username.padEnd(16)} ${account.roles.join(',').padEnd(9)} ${account.displayName}`);
  }
  return lines;
}

/** `quytrinh worker`: the job runner alone, without HTTP, sharing the work with every other process on the database. */
export async function startWorker(config: Config, logger: Logger): Promise<Omit<RunningProduct, 'url' | 'signIn'>> {
  const database = await openProductDatabase(config, logger);
  const runner = await startJobRunner(database.db, database.url, logger, { mail: config.mail });
  const sealer = startAuditSealer(database.db, logger);
  if (config.paymentSandbox) usePaymentProvider(sandboxProvider(config.paymentSandbox));
  else logger.warn('PAYMENT_SANDBOX_URL chưa đặt: bước thanh toán trực tuyến sẽ báo sự cố ở bộ xử lý này / PAYMENT_SANDBOX_URL not set: online payment steps raise incidents in this worker');
  return {
    lost: database.lost,
    async stop() {
      await runner.stop();
      await sealer.stop();
      await database.close();
    },
  };
}
