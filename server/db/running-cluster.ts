import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DATABASE_NAME, USER, isAlive } from './embedded.ts';

/**
 * The URL of the embedded cluster a running product holds in `dataDir`, if one is running: its
 * postmaster.pid names the process and, on its fourth line, the port (PostgreSQL's documented
 * layout). Commands such as `quytrinh token create` then work beside the running product instead
 * of starting (and so stopping) the cluster under it.
 */
export async function runningEmbeddedUrl(dataDir: string): Promise<string | undefined> {
  let lines: string[];
  let password: unknown;
  try {
    lines = (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
    password = (JSON.parse(await readFile(path.join(dataDir, 'postgres-credentials.json'), 'utf8')) as { password?: unknown }).password;
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || typeof password !== 'string' || !isAlive(pid)) return undefined;
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
}
