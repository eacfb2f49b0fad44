import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { compileProcess, type Effect } from '../../engine/compile/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { InMemoryInstance, type TraceEntry } from '../../engine/runtime/memory-runtime.ts';
import { runEventSchema } from '../../engine/runtime/run-events.ts';

const variables = z.record(z.string(), z.unknown());
const eventsFileSchema = z.array(runEventSchema);

export interface RunOptions {
  events?: string | undefined;
  variables?: string | undefined;
  at?: string | undefined;
  json?: boolean | undefined;
}

/** `quytrinh run <model.bpmn> --events <file.json>`: runs a model in memory (no database) and prints the trace. */
export async function runModel(modelPath: string, options: RunOptions): Promise<string> {
  const compiled = compileProcess(await readProcess(await readFile(modelPath, 'utf8')));
  const events = options.events ? parseJsonFile(await readFile(options.events, 'utf8'), eventsFileSchema, options.events) : [];
  const input = options.variables ? parseJsonFile(options.variables, variables, '--variables') : {};
  const start = options.at ? new Date(options.at) : new Date();
  const instance = new InMemoryInstance(compiled, { variables: input }, start);
  for (const { at, ...event } of events) instance.send(event, at ? new Date(at) : undefined);
  if (options.json) {
    return JSON.stringify({ status: instance.status, activeElementIds: instance.activeElementIds, variables: instance.variables, open: instance.open, trace: instance.trace }, null, 2);
  }
  return [...instance.trace.map((entry, index) => formatEntry(entry, index)), '', `Kết thúc / Result: ${instance.status}`, `Biến / Variables: ${JSON.stringify(instance.variables)}`].join('\n');
}

function parseJsonFile<Schema extends z.ZodType>(text: string, schema: Schema, source: string): z.infer<Schema> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new QuyTrinhError('invalid-input', 'run.invalid-json', { vi: `${source} không phải JSON hợp lệ: ${String(error)}`, en: `${source} is not valid JSON: ${String(error)}` });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(gốc / root)'}: ${issue.message}`).join('; ');
    throw new QuyTrinhError('invalid-input', 'run.invalid-events', { vi: `${source} không hợp lệ: ${where}`, en: `${source} is invalid: ${where}` });
  }
  return parsed.data;
}

// dd/MM/yyyy HH:mm on Vietnam's clock, the way officials write dates.
const time = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

function formatEntry(entry: TraceEntry, index: number): string {
  const event = entry.event.type === 'start' ? 'bắt đầu / start' : `${entry.event.type} ${entry.event.elementId}${entry.event.run?.length ? ` (lượt / run ${entry.event.run.join('.')})` : ''}`;
  const head = `${String(index).padStart(3)}  ${time.format(new Date(entry.at))}  ${event}`;
  if (!entry.accepted) return `${head}  ✖ không áp dụng được / not applicable`;
  const line = (effect: Effect, indent = '') => `      ${indent}· ${effect.type} ${effect.params.elementId}${describeEffect(effect)}`;
  const effects = [
    ...entry.effects.map((effect) => line(effect)),
    ...(entry.runs ?? []).flatMap(({ run, effects: inRun }) => [`      lượt / run ${run.join('.')}:`, ...inRun.map((effect) => line(effect, '  '))]),
  ];
  return [`${head}  → ${entry.status}, đang chờ / waiting: ${entry.activeElementIds.join(', ') || '—'}`, ...effects].join('\n');
}

function describeEffect(effect: Effect): string {
  switch (effect.type) {
    case 'qt.task.open':
      return [effect.params.name && ` "${effect.params.name}"`, effect.params.candidateGroup && ` → ${effect.params.candidateGroup}`, effect.params.dueWorkingHours !== undefined && ` (${effect.params.dueWorkingHours} giờ làm việc / working hours)`].filter(Boolean).join('');
    case 'qt.job.start':
      return ` [${effect.params.jobType}]`;
    case 'qt.message.subscribe':
    case 'qt.message.publish':
      return ` [${effect.params.messageName}]`;
    case 'qt.signal.subscribe':
    case 'qt.signal.broadcast':
      return ` [${effect.params.signalName}]`;
    case 'qt.run.start':
    case 'qt.call.start':
      return effect.params.index === undefined ? '' : ` #${effect.params.index} ${JSON.stringify(effect.params.item)}`;
    default:
      return '';
  }
}
