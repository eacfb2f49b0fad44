import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ViteDevServer } from 'vite';
import type { Logger } from './logger.ts';
import { designerDist, designerRoot, projectRoot } from './paths.ts';

/** The newest modification time of a file, or of any file under a folder (the build output left out). */
function newestTime(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) {
    const full = path.join(entry, child);
    if (full !== designerDist) newest = Math.max(newest, newestTime(full));
  }
  return newest;
}

/**
 * What the designer's bundle is built from: its own sources, the engine code it runs in the page
 * (the reader, the cost model and the rules behind the live cost and the compare view), the report
 * layout the compare view shares with the exports, and the installed packages.
 */
const designerInputs = [designerRoot, path.join(projectRoot, 'engine'), path.join(projectRoot, 'server/reports'), path.join(projectRoot, 'server/printing'), path.join(projectRoot, 'package-lock.json')];

/**
 * Builds the designer with Vite when its build is missing or older than its inputs, so that a
 * fresh clone needs only `npm start` and a pulled change is never served stale.
 */
export async function ensureDesignerBuilt(logger: Logger): Promise<string> {
  const builtIndex = path.join(designerDist, 'index.html');
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= Math.max(...designerInputs.map(newestTime))) return designerDist;
  logger.info('building the designer (first start or changed sources)…');
  const started = performance.now();
  await runViteBuild();
  logger.info({ seconds: Math.round((performance.now() - started) / 100) / 10 }, 'designer built');
  return designerDist;
}

/**
 * Runs `vite build` in a process of its own with NODE_ENV=production: the caller's environment
 * (NODE_ENV=test under vitest) would otherwise switch React's JSX transform to development.
 */
async function runViteBuild(): Promise<void> {
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--config', path.join(designerRoot, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`vite build failed (exit ${code}):\n${errors}`);
}

/** Vite's dev server in middleware mode, mounted in the product's own express app (`npm run dev`). */
export async function startDesignerDevServer(): Promise<ViteDevServer> {
  const { createServer } = await import('vite');
  return createServer({
    configFile: path.join(designerRoot, 'vite.config.ts'),
    server: { middlewareMode: true },
    appType: 'spa',
  });
}
