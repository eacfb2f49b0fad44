// The analysis pool's worker thread. Like `server/cli/bin.js`, it registers tsx's loader and then
// imports the TypeScript itself: a worker thread does not inherit the loader its parent registered.
import { register } from 'tsx/esm/api';

register();
const { default: runAnalysisTask } = await import('./analysis-tasks.ts');

export default runAnalysisTask;
