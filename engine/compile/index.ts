import { eventTriggers, type FlowNode, type ProcessGraph } from '../bpmn/process-graph.ts';
import { timerProblem } from '../calendar/index.ts';
import { QuyTrinhError } from '../errors.ts';
import { boundaryEventsByActivity, elementOf, reject, type CompileContext } from './compile-context.ts';
import { implicitGateways } from './implicit-gateways.ts';
import { rewriteAlternativeJoins } from './dead-path-joins.ts';
import { rewriteInstantTails } from './instant-tails.ts';
import { explainJoins } from './join-diagnosis.ts';
import { linkedEvents } from './link-events.ts';
import { Conditions } from './conditions.ts';
import { translatePeerConditions } from './condition-dialects.ts';
import { compileCalledProcesses, newCalledCompilation, type CalledCompilation } from './called-processes.ts';
import { processMachine, ROOT_IDS, type ProcessMachine } from './machine.ts';
import { checkModel } from './model-checks.ts';
import { compileScope } from './scope.ts';

export type { Effect, ProcessEvent } from './effects.ts';
export type { InstanceContext, InstanceInput, ProcessMachine } from './machine.ts';
export { ROOT_IDS } from './machine.ts';
export { COMPILER_VERSION } from './compiler-version.ts';
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
export function compileProcess(model: ProcessGraph, called: CalledCompilation = newCalledCompilation()): CompiledProcess {
  const prepared = prepare(model);
  try {
    return compileGraph(model, called, prepared, prepared.implicit.graph);
  } catch (refusal) {
    if (!(refusal instanceof QuyTrinhError)) throw refusal;
    const rewritten = compileRewritten(model, called, prepared, refusal);
    if (!(rewritten instanceof QuyTrinhError)) return rewritten;
    const deadPaths = compileDeadPathJoins(model, called, prepared);
    if (deadPaths) return deadPaths;
    // A parallel join that can never fire is refused saying why (join-diagnosis.ts).
    throw explainJoins(prepared.implicit.graph, rewritten);
  }
}

/**
 * Paths merging outside any block: compiled again with their instant tails rewritten
 * (instant-tails.ts), only when refused as drawn, so what deployed compiles as it did. A file
 * whose calls compile other processes (into `called`) is not compiled twice. When the rewritten
 * model is refused too, the refusal to report: its own, when all its refusals were the model's
 * too, else the model's.
 */
function compileRewritten(model: ProcessGraph, called: CalledCompilation, prepared: ReturnType<typeof prepare>, refusal: QuyTrinhError): CompiledProcess | QuyTrinhError {
  const rewritten = [...model.nodes.values()].some((node) => node.kind === 'callActivity') ? undefined : rewriteInstantTails(prepared.implicit.graph);
  if (rewritten === undefined) return refusal;
  try {
    return compileGraph(model, called, prepared, rewritten);
  } catch (retried) {
    if (!(retried instanceof QuyTrinhError)) throw retried;
    return narrower(retried, refusal) ? retried : refusal;
  }
}

/**
 * Joins of alternatives (dead-path-joins.ts) read as exclusive merges, then compiled as drawn or
 * with instant tails rewritten, only when both of those refused the model; undefined when that
 * is refused too, or nothing is read so, and the refusal reported is the one of the model.
 */
function compileDeadPathJoins(model: ProcessGraph, called: CalledCompilation, prepared: ReturnType<typeof prepare>): CompiledProcess | undefined {
  const merged = [...model.nodes.values()].some((node) => node.kind === 'callActivity') ? undefined : rewriteAlternativeJoins(prepared.implicit.graph);
  if (merged === undefined) return undefined;
  for (const graph of [merged, rewriteInstantTails(merged)]) {
    if (graph === undefined) continue;
    try {
      return compileGraph(model, called, prepared, graph);
    } catch (retried) {
      if (!(retried instanceof QuyTrinhError)) throw retried;
    }
  }
  return undefined;
}

/** Whether a refusal of the rewritten model lists fewer of the model's own refusals, and nothing else (no copy's id). */
function narrower(retried: unknown, refusal: QuyTrinhError): retried is QuyTrinhError {
  if (!(retried instanceof QuyTrinhError) || retried.details.length >= refusal.details.length) return false;
  const drawn = new Set(refusal.details.map((detail) => `${detail.elementId}\n${detail.message}`));
  return retried.details.every((detail) => drawn.has(`${detail.elementId}\n${detail.message}`));
}

/** The model as the compiler reads it: bpmn-engine's conditions translated to FEEL (condition-dialects.ts), links joined, implicit gateways drawn. */
function prepare(model: ProcessGraph) {
  const peer = translatePeerConditions(model);
  const linked = linkedEvents(peer.graph);
  return { problems: [...peer.problems, ...linked.problems], implicit: implicitGateways(linked.graph) };
}

function compileGraph(model: ProcessGraph, called: CalledCompilation, prepared: ReturnType<typeof prepare>, graph: ProcessGraph): CompiledProcess {
  const { owners, entries } = prepared.implicit;
  const context: CompileContext = { graph, model, owners, entries, errors: [], compiled: new Set(), closingJoins: new Set(), runs: called.runs, conditions: new Conditions(), boundaryEvents: boundaryEventsByActivity(graph), depth: 0 };
  for (const problem of prepared.problems) reject(context, problem.elementId, problem.vi, problem.en);
  const starts = graph.topLevel.filter((id) => graph.nodes.get(id)!.kind === 'startEvent');
  // Without a start event, every node without incoming flows starts (BPMN 2.0 §10.5.2).
  const enteredAt = starts.length > 0 ? starts : [...(entries.get(graph.id) ?? [])];
  if (enteredAt.length === 0) {
    reject(
      context,
      graph.id,
      `Quy trình ${graph.id} không có sự kiện bắt đầu, và mọi phần tử đều có luồng vào: không có chỗ nào để bắt đầu`,
      `Process ${graph.id} has no start event, and every element has an incoming flow: there is nowhere to start`,
    );
  }
  const body = compileScope(context, graph.topLevel, enteredAt, { finalId: ROOT_IDS.end, terminateId: ROOT_IDS.terminated });
  checkModel(context);
  compileCalledProcesses(context, called, compileProcess);
  for (const node of graph.nodes.values()) {
    // Each timer of the event (a multiple event's included).
    for (const trigger of eventTriggers(node.trigger)) {
      const timer = trigger.kind === 'timer' ? trigger.timer : undefined;
      // A timer written as an expression is evaluated when armed, on the instance's variables
      // (timer-expressions.ts): a process's timer start is armed at deployment, before any instance.
      const expression = timer !== undefined && timer.kind !== 'workingHours' && timer.feel !== undefined;
      const problem = timer === undefined || expression ? undefined : timerProblem(timer);
      if (problem) reject(context, node.id, `Hẹn giờ của ${node.id} không dùng được: ${problem}`, `The timer of ${node.id} cannot be used: ${problem}`);
      if (expression && isProcessStart(graph, node)) {
        reject(
          context,
          node.id,
          `Hẹn giờ của ${node.id} không dùng được: nó viết dưới dạng biểu thức trên sự kiện bắt đầu hẹn giờ của quy trình, được đặt lúc triển khai, trước khi có thể hiện nào có biến để đọc`,
          `The timer of ${node.id} cannot be used: it is written as an expression on a timer start event of the process, which is armed at deployment, before any instance has variables for it to read`,
        );
      }
    }
    if (!context.compiled.has(node.id)) {
      reject(context, node.id, `Phần tử ${elementOf(context, node.id)} không đi tới được từ sự kiện bắt đầu nào`, `Element ${elementOf(context, node.id)} cannot be reached from any start event`);
    }
  }
  if (context.errors.length > 0) {
    throw new QuyTrinhError('invalid-model', 'bpmn.not-executable', {
      vi: `Mô hình ${graph.id} không thực thi được: ${context.errors.length} lỗi`,
      en: `Model ${graph.id} cannot be executed: ${context.errors.length} error(s)`,
    }, context.errors);
  }
  return { graph: model, machine: processMachine(graph.id, body, context.conditions), startEventIds: starts, runs: context.runs };
}

/** A start event of the process itself (not of an event sub-process), whose timer is armed at deployment. */
function isProcessStart(graph: ProcessGraph, node: FlowNode): boolean {
  const parent = node.parentId === undefined ? undefined : graph.nodes.get(node.parentId);
  return node.kind === 'startEvent' && !parent?.triggeredByEvent;
}
