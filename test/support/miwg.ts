import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../server/paths.ts';

/**
 * The BPMN MIWG reference models live beside the repository, in ../shared/miwg (CI has them
 * there). Tests on them run whenever the folder is there, must run in CI, and are skipped with
 * a note on a clone that has no shared/ beside it.
 */
export const miwgDir = path.resolve(projectRoot, '..', 'shared', 'miwg');
export const miwgAvailable = existsSync(miwgDir);
if (!miwgAvailable) {
  if (process.env.CI) throw new Error(`${miwgDir} is missing: CI must have shared/ beside the repository`);
  console.warn(`MIWG tests skipped: ${miwgDir} is missing`);
}

export const miwgModel = (name: string) => path.join(miwgDir, name);
