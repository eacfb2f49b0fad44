import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from './logger.ts';
import { designerDist, designerRoot } from './paths.ts';

/** The newest modification time among the designer's sources (everything but its build output). */
function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === designerDist) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the designer with Vite when its build is missing or older than its sources, so that a
 * fresh clone needs only `npm start` and a pulled change is never served stale.
 */
export async function ensureDesignerBuilt(logger: Logger): Promise<string> {
  const builtIndex = path.join(designerDist, 'index.html');
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= newestSourceTime(designerRoot)) return designerDist;
  logger.info('building the designer (first start or changed sources)…');
  const started = performance.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(designerRoot, 'vite.config.ts'), logLevel: 'warn' });
  logger.info({ seconds: Math.round((performance.now() - started) / 100) / 10 }, 'designer built');
  return designerDist;
}
