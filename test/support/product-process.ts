import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { projectRoot } from '../../server/paths.ts';

const cli = path.join(projectRoot, 'server/cli/bin.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ProductProcess {
  url: string;
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Sends the signal (Ctrl-C by default) and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

/** The environment of a child product: ours, without DATABASE_URL unless the test gives one. */
function childEnvironment(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _inherited, ...base } = process.env;
  return { ...base, LOG_LEVEL: 'info', ...env };
}

/** Runs `quytrinh <args>` to its end (for commands expected to fail or finish). */
export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const child = spawn(process.execPath, [cli, ...args], { env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
}

/** Starts `quytrinh start` as a real child process and resolves once it prints its URL. */
export function startProductProcess(env: Record<string, string | undefined>, args: string[] = []): Promise<ProductProcess> {
  const child = spawn(process.execPath, [cli, 'start', ...args], { env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /is running at (http:\/\/\S+)/.exec(stdout)?.[1];
      if (!url) return;
      resolve({
        url,
        child,
        output: () => ({ stdout, stderr }),
        async stop(signal: NodeJS.Signals = 'SIGINT') {
          child.kill(signal);
          const [code, endSignal] = await closed;
          return { code, signal: endSignal, stdout, stderr };
        },
      });
    });
    void closed.then(([code]) => reject(new Error(`quytrinh start exited (${code}) before serving:\n${stderr}\n${stdout}`)));
  });
}

/**
 * An administrator's API token for a running product, made the way an operator would:
 * `quytrinh token create` beside it, on the same DATA_DIR or DATABASE_URL (the last line of stdout).
 */
export async function adminToken(env: Record<string, string | undefined>): Promise<string> {
  const result = await runCli(['token', 'create', '--name', `test-admin-${Date.now()}-${Math.random().toString(36).slice(2)}`, '--role', 'admin'], env);
  if (result.code !== 0) throw new Error(`quytrinh token create failed (${result.code}):\n${result.stderr}`);
  return result.stdout.trim().split('\n').at(-1)!;
}
