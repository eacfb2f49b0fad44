// The entry of a compile-pool thread (compile-pool.ts). Piscina loads it as plain JavaScript;
// it registers tsx's loader in this thread, as server/cli/bin.js does in the main one, then
// loads the TypeScript tasks and runs the one each message names.
import { register } from 'tsx/esm/api';

register();
const tasks = await import('./compile-tasks.ts');

/** @param {{ task: import('./compile-pool.ts').CompileTaskName; input: string | import('./compile-tasks.ts').StoredProcess }} message */
export default function run({ task, input }) {
  return tasks[task](input);
}
