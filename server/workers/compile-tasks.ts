import { readProcess, readProcesses } from '../../engine/bpmn/read-process.ts';
import type { EventTrigger, ProcessGraph, TimerDefinition } from '../../engine/bpmn/process-graph.ts';
import { compileProcess, type CompiledProcess } from '../../engine/compile/index.ts';
import { QuyTrinhError, type Bilingual, type ErrorDetail, type ErrorKind } from '../../engine/errors.ts';
import { lintModelXml, refusesDeployment, type LintFinding, type LintSeverity } from '../../engine/rules/lint.ts';

/**
 * The CPU-heavy work on BPMN models that runs in the compile pool's threads (compile-pool.ts),
 * so that no request waits while a large model is read or compiled. Inputs and results are
 * plain data: an XState machine holds functions and cannot cross threads, so a thread decides
 * and reports, and the main thread builds the machine when an instance first needs it.
 */

/** A refusal as it crosses threads (structured clone keeps no class or own fields of an Error). */
export interface Refusal {
  kind: ErrorKind;
  code: string;
  text: Bilingual;
  details: ErrorDetail[];
}

/** What deploying needs from an accepted model. */
export interface DeploymentCheck {
  /** Each process the file deploys, in the file's order (engine/bpmn/read-process.ts readProcesses). */
  processes: ProcessDeployment[];
  /** The lint findings of an accepted model that do not refuse it, reported to the deployer. */
  warnings: LintWarning[];
}

/** One process of an accepted model: deployed as a definition of its own, under its id. */
export interface ProcessDeployment {
  key: string;
  name: string | undefined;
  timerStarts: TimerStart[];
}

/** A stored definition's model and which of its processes the definition is (its key). */
export interface StoredProcess {
  xml: string;
  processId: string;
}

/** A lint finding that does not refuse a deployment, as the deployment answer reports it. */
export interface LintWarning {
  rule: string;
  /** `error` for a rule the designer blocks on but the server does not (engine/rules/lint.ts NOT_GATING_AT_DEPLOYMENT). */
  severity: LintSeverity;
  elementId: string;
  message: string;
  messages: Bilingual;
}

export interface TimerStart {
  startEventId: string;
  timer: TimerDefinition;
  /** The lane the start event lies in: whose working calendar a working-time timer counts. */
  lane: string | undefined;
}

/**
 * A start event on a message, a signal or a condition: a message or signal of this name, or data
 * on which this condition (FEEL) holds, starts an instance.
 */
export interface TriggeredStart {
  startEventId: string;
  kind: 'message' | 'signal' | 'conditional';
  /** The message's or signal's name; a conditional start's condition. */
  name: string;
}

/**
 * Reads and compiles each process a model deploys exactly as deploying always has (the same
 * refusals, with every element id), then lints the model with the rule set the designer runs
 * (engine/rules/lint.ts): a finding that refuses a deployment there (refusesDeployment) refuses
 * the model, the other findings go back with the deployment. All or nothing: one process refused
 * refuses the file. Reports what deploying stores: each process's key and name, its timer starts.
 */
export async function checkDeployment(xml: string): Promise<{ accepted: DeploymentCheck } | { refused: Refusal }> {
  return refusedOr(async () => {
    const processes = compiledProcesses(deployable(await readProcesses(xml)));
    const findings = await lintModelXml(xml);
    const errors = findings.filter(refusesDeployment);
    if (errors.length > 0) throw lintErrors(errors);
    const warnings = findings.filter((finding) => !refusesDeployment(finding)).map(({ rule, severity, elementId, message }): LintWarning => ({ rule, severity, elementId, message: message.en, messages: message }));
    return { processes: processes.map((compiled) => ({ key: compiled.graph.id, name: compiled.graph.name, timerStarts: timerStarts(compiled) })), warnings };
  });
}

/**
 * A deployed process is stored, and read back, under its id (its key, server/execution/definitions.ts):
 * a process without one could be stored but never found again, so it is refused naming the field.
 */
function deployable(graphs: ProcessGraph[]): ProcessGraph[] {
  if (graphs.every((graph) => graph.id !== '')) return graphs;
  const vi = 'Quy trình cần có mã (thuộc tính id của bpmn:process) để triển khai: quy trình được lưu và tìm lại theo mã này';
  const en = 'A process needs an id (the id attribute of bpmn:process) to be deployed: it is stored and found again by it';
  throw new QuyTrinhError('invalid-model', 'bpmn.process-id-required', { vi, en }, [{ field: 'process.id', message: en, messages: { vi, en } }]);
}

/**
 * Each process compiled; a file of one process is refused as it always was, a file of several
 * with every refused process named, each followed by its own refusal's elements.
 */
function compiledProcesses(graphs: ProcessGraph[]): CompiledProcess[] {
  if (graphs.length === 1) return [compileProcess(graphs[0]!)];
  const refused: ErrorDetail[] = [];
  const compiled = graphs.flatMap((graph) => {
    try {
      return [compileProcess(graph)];
    } catch (error) {
      if (!(error instanceof QuyTrinhError)) throw error;
      refused.push({ elementId: graph.id, message: `${error.code}: ${error.text.en}`, messages: error.text }, ...error.details);
      return [];
    }
  });
  if (compiled.length < graphs.length) {
    const count = graphs.length - compiled.length;
    throw new QuyTrinhError('invalid-model', 'definition.processes-refused', {
      vi: `${count} trong ${graphs.length} quy trình của mô hình không triển khai được; không quy trình nào được triển khai`,
      en: `${count} of the model's ${graphs.length} processes cannot be deployed; none is deployed`,
    }, refused);
  }
  return compiled;
}

function timerStarts(compiled: CompiledProcess): TimerStart[] {
  return compiled.startEventIds.flatMap((startEventId): TimerStart[] => {
    const start = compiled.graph.nodes.get(startEventId)!;
    return start.trigger?.kind === 'timer' ? [{ startEventId, timer: start.trigger.timer, lane: start.lane }] : [];
  });
}

function lintErrors(errors: LintFinding[]): QuyTrinhError {
  const details = errors.map(({ elementId, message }): ErrorDetail => ({ elementId, message: message.en, messages: message }));
  return new QuyTrinhError('invalid-model', 'definition.lint-errors', {
    vi: `Mô hình vi phạm ${errors.length} quy tắc kiểm tra; sửa các lỗi trước khi triển khai`,
    en: `The model breaks ${errors.length} check rule(s); fix the errors before deploying`,
  }, details);
}

/** The message, signal and conditional start events of a stored definition's process, read without compiling it: the start events of the process level. */
export async function triggeredStarts({ xml, processId }: StoredProcess): Promise<TriggeredStart[]> {
  const graph = await readProcess(xml, processId);
  return graph.topLevel.flatMap((id) => {
    const node = graph.nodes.get(id)!;
    return node.kind === 'startEvent' ? triggeredStart(id, node.trigger) : [];
  });
}

/** A start event's message, signal or condition, if it starts on one. */
export function triggeredStart(startEventId: string, trigger: EventTrigger | undefined): TriggeredStart[] {
  // A multiple start starts on any of its triggers (engine/compile/multiple-events.ts), each name once.
  if (trigger?.kind === 'multiple') {
    const starts = trigger.triggers.flatMap((each) => triggeredStart(startEventId, each));
    return starts.filter((start, index) => starts.findIndex((other) => other.kind === start.kind && other.name === start.name) === index);
  }
  if (trigger?.kind === 'message') return [{ startEventId, kind: 'message', name: trigger.messageName }];
  if (trigger?.kind === 'signal') return [{ startEventId, kind: 'signal', name: trigger.signalName }];
  if (trigger?.kind === 'conditional') return [{ startEventId, kind: 'conditional', name: trigger.condition }];
  return [];
}

async function refusedOr<Result>(work: () => Promise<Result>): Promise<{ accepted: Result } | { refused: Refusal }> {
  try {
    return { accepted: await work() };
  } catch (error) {
    if (!(error instanceof QuyTrinhError)) throw error;
    return { refused: { kind: error.kind, code: error.code, text: error.text, details: error.details } };
  }
}

/** The refusal again as the typed error the HTTP layer answers with (422 and its details). */
export function refusalError(refusal: Refusal): QuyTrinhError {
  return new QuyTrinhError(refusal.kind, refusal.code, refusal.text, refusal.details);
}
