import { pino } from 'pino';
import { ensureDesignerBuilt } from '../../server/designer-build.ts';

/**
 * Vitest global setup of the browser tests: the designer built once, before any test file starts.
 * Each file building it on its own would run several Vite builds at once into one folder, each
 * emptying it while another file's page loads from it.
 */
export default async function setup(): Promise<void> {
  await ensureDesignerBuilt(pino({ level: 'silent' }));
}
