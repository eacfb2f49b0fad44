// The entry of a PDF-pool thread (pdf-pool.ts). Like `server/cli/bin.js`, it registers tsx's loader
// and then imports the TypeScript itself: a worker thread does not inherit its parent's loader.
import { register } from 'tsx/esm/api';

register();
const { default: runPdfTask } = await import('./pdf-tasks.ts');

export default runPdfTask;
