import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readProcess } from '../engine/bpmn/read-process.ts';
import { compileProcess } from '../engine/compile/index.ts';
import { InMemoryInstance } from '../engine/runtime/memory-runtime.ts';
const corpus = '/work/shared/peer-bpmn';
const files = readdirSync(corpus, { withFileTypes: true, recursive: true }).filter(e => e.isFile() && e.name.endsWith('.bpmn')).map(e => path.join(e.parentPath, e.name)).sort();
const only = process.argv[2] ? new Set(JSON.parse(readFileSync(process.argv[2], 'utf8'))) : undefined;
let ran = 0; const bad: string[] = [];
for (const f of files) {
  if (f.includes('/adapted/')) continue;
  if (only && !only.has(f)) continue;
  let c; try { c = compileProcess(await readProcess(readFileSync(f, 'utf8'))); } catch { continue; }
  const t0 = Date.now();
  try {
    const i = new InMemoryInstance(c, { variables: { list: [{ idx: 0 }, { idx: 1 }] } }, new Date('2025-03-05T09:00:00+07:00'));
    for (let r = 0; r < 30 && i.status === 'active'; r++) {
      const open = i.open; if (open.length === 0) break;
      const w = open[0]!;
      const idx = (w.detail as any).index;
      if (w.kind === 'task') i.send({ type: 'task.complete', elementId: w.elementId, index: idx, run: w.run });
      else if (w.kind === 'job') i.send({ type: 'job.complete', elementId: w.elementId, index: idx, run: w.run });
      else if (w.kind === 'timer') i.send({ type: 'timer', elementId: w.elementId, run: w.run });
      else if (w.kind === 'message') i.send({ type: 'message', elementId: w.elementId, run: w.run });
      else break;
    }
    ran++;
  } catch (e) { bad.push(`${f}: ${String(e).slice(0, 200)}`); }
  if (Date.now() - t0 > 5000) bad.push(`${f}: slow ${Date.now() - t0}ms`);
}
console.log('ran', ran, 'bad', bad);
