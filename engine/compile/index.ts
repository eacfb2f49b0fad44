import type { ProcessGraph } from '../bpmn/process-graph.ts';
import { timerProblem } from '../calendar/index.ts';
import { QuyTrinhError } from '../errors.ts';
import { boundaryEventsByActivity, reject, type CompileContext } from './compile-context.ts';
import { Conditions } from './conditions.ts';
import { processMachine, ROOT_IDS, type ProcessMachine } from './machine.ts';
import { checkModel } from './model-checks.ts';
import { compileScope } from './scope.ts';

export type { Effect, ProcessEvent } from './effects.ts';
export type { InstanceContext, InstanceInput, ProcessMachine } from './machine.ts';
export { ROOT_IDS } from './machine.ts';
export { APPLICANT_CANDIDATE_GROUP } from '../bpmn/process-graph.ts';

export interface CompiledProcess {
  graph: ProcessGraph;
  machine: ProcessMachine;
  /** The start events an instance may be started by. */
  startEventIds: string[];
  /**
   * The inside of each parallel multi-instance sub-process, by element id, compiled as a process
   * whose instances are its runs; one map shared by the process and all its runs.
   */
  runs: ReadonlyMap<string, CompiledProcess>;
}

/**
 * Compiles a process graph into its XState machine, or refuses it with every offending element
 * and a Vietnamese/English reason: a model is never executed approximately.
 */
export function compileProcess(graph: ProcessGraph): CompiledProcess {
  const context: CompileContext = { graph, errors: [], compiled: new Set(), closingJoins: new Set(), runs: new Map(), conditions: new Conditions(), boundaryEvents: boundaryEventsByActivity(graph), depth: 0 };
  const starts = graph.topLevel.filter((id) => graph.nodes.get(id)!.kind === 'startEvent');
  if (starts.length === 0) {
    reject(context, graph.id, `Quy trình ${graph.id} không có sự kiện bắt đầu`, `Process ${graph.id} has no start event`);
  }
  const body = compileScope(context, graph.topLevel, starts, { finalId: ROOT_IDS.end, terminateId: ROOT_IDS.terminated });
  checkModel(context);
  for (const node of graph.nodes.values()) {
    const problem = node.trigger?.kind === 'timer' ? timerProblem(node.trigger.timer) : undefined;
    if (problem) reject(context, node.id, `Hẹn giờ của ${node.id} không dùng được: ${problem}`, `The timer of ${node.id} cannot be used: ${problem}`);
    if (!context.compiled.has(node.id)) {
      reject(context, node.id, `Phần tử ${node.id} không đi tới được từ sự kiện bắt đầu nào`, `Element ${node.id} cannot be reached from any start event`);
    }
  }
  if (context.errors.length > 0) {
    throw new QuyTrinhError('invalid-model', 'bpmn.not-executable', {
      vi: `Mô hình ${graph.id} không thực thi được: ${context.errors.length} lỗi`,
      en: `Model ${graph.id} cannot be executed: ${context.errors.length} error(s)`,
    }, context.errors);
  }
  return { graph, machine: processMachine(graph.id, body, context.conditions), startEventIds: starts, runs: context.runs };
}
