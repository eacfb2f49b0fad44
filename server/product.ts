import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuyTrinhError } from '../engine/errors.ts';
import type { Config } from './config.ts';
import { describeDatabaseUrl, openDatabase, type Database } from './db/connect.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { migrateToLatest } from './db/migrations/index.ts';
import { migrateJobQueue, startJobRunner } from './execution/worker.ts';
import { ensureDesignerBuilt, startDesignerDevServer } from './designer-build.ts';
import { createApp } from './http/app.ts';
import type { Logger } from './logger.ts';
import { productVersion } from './paths.ts';
import { closeCompilePool } from './workers/compile-pool.ts';

export interface DatabaseHandle {
  db: Database;
  /** The connection URL (the embedded cluster's when DATABASE_URL is unset), for the job queue. */
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens the product's database: the one at DATABASE_URL, or the embedded cluster under
 * DATA_DIR when it is unset, migrated to the latest schema either way.
 */
export async function openProductDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  let embedded: EmbeddedDatabase | undefined;
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres(config.dataDir, logger)).url;
  try {
    const db = await openDatabase(url, config.databaseConnectTimeoutMs);
    const applied = await migrateToLatest(db);
    await migrateJobQueue(url, logger);
    logger.info({ database: describeDatabaseUrl(url), applied }, applied.length > 0 ? 'database migrated' : 'database schema is up to date');
    return {
      db,
      url,
      embedded: embedded !== undefined,
      async close() {
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
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * How the designer is served: `build` (default) builds it when missing or stale and serves
   * the files; `dev` serves it through Vite's dev server with hot reload; `none` serves only the API.
   */
  designer?: 'build' | 'dev' | 'none';
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
  const runner = await startJobRunner(database.db, database.url, logger);
  const app = createApp({
    db: database.db,
    logger,
    version: productVersion,
    embeddedDatabase: database.embedded,
    designerDir,
    designerMiddleware: devServer?.middlewares,
  });

  let server: Server;
  try {
    server = app.listen(config.port, config.host);
    await once(server, 'listening');
  } catch (cause) {
    await devServer?.close();
    await runner.stop();
    await database.close();
    const inUse = (cause as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new QuyTrinhError('unavailable', inUse ? 'server.port-in-use' : 'server.listen-failed', {
      vi: inUse ? `Cổng ${config.port} đang được dùng; đặt PORT để chọn cổng khác` : `Không mở được cổng ${config.port}: ${String(cause)}`,
      en: inUse ? `Port ${config.port} is in use; set PORT to choose another` : `Cannot listen on port ${config.port}: ${String(cause)}`,
    }, [{ field: 'PORT', message: String(cause) }], { cause });
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;

  return {
    url,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests in flight get a moment to finish; then the remaining connections are cut.
      const grace = setTimeout(() => server.closeAllConnections(), 3000);
      await closed;
      clearTimeout(grace);
      await devServer?.close();
      await runner.stop();
      await closeCompilePool();
      await database.close();
    },
  };
}

/** `quytrinh worker`: the job runner alone, without HTTP, sharing the work with every other process on the database. */
export async function startWorker(config: Config, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const database = await openProductDatabase(config, logger);
  const runner = await startJobRunner(database.db, database.url, logger);
  return {
    async stop() {
      await runner.stop();
      await database.close();
    },
  };
}
