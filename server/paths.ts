import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: everything the product serves or stores by default is found from here. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const designerRoot = path.join(projectRoot, 'designer');
export const designerDist = path.join(designerRoot, 'dist');

const packageJson = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };

/** The product version reported by `/api/health` and `quytrinh --version`. */
export const productVersion: string = packageJson.version;
