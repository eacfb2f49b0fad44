import { candidateGroupOf, type FlowNode } from '../bpmn/process-graph.ts';
import { describe, nextTarget, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { normalizeExpression } from './conditions.ts';
import { processMachine, ROOT_IDS } from './machine.ts';
import { addTransition, type StateConfig } from './state-config.ts';
import { callsSameFile } from './called-processes.ts';
import { subProcessInside } from './sub-process.ts';

/** What the machine needs to run one multi-instance activity (engine/compile/machine.ts carries it out). */
export interface MultiInstancePlan {
  elementId: string;
  sequential: boolean;
  /** FEEL giving the list of items (qt:collection), or a fixed count (loopCardinality). */
  collection?: string | undefined;
  cardinality?: string | undefined;
  elementVariable?: string | undefined;
  /**
   * What each instance opens: a user task for the lane, a job, a run of a sub-process's inside
   * within the machine (sequential), or a child instance: the called process (a call activity) or
   * the sub-process's inside compiled on its own (parallel, see `runs` in CompiledProcess).
   */
  work:
    | { kind: 'task'; name?: string | undefined; candidateGroup?: string | undefined; dueWorkingHours?: number | undefined }
    | { kind: 'job'; jobType: string }
    | { kind: 'subProcess' }
    | { kind: 'call'; calledElement: string }
    | { kind: 'run' }
    /** A task of no type (`bpmn:task`, `bpmn:manualTask`): each instance completes at once, as the task does alone (activities.ts). */
    | { kind: 'none' };
}

const JOB_KINDS = new Set(['serviceTask', 'sendTask', 'businessRuleTask', 'scriptTask']);

/**
 * A multi-instance activity over a collection (e.g. consult each agency in a list): one task, job,
 * called instance or run of a sub-process per item, all at once (parallel) or one after another
 * (sequential); the activity is done when every instance is. An empty collection is done at once.
 * Each completion's variables are merged into the instance's, in the order they come.
 */
export function multiInstanceState(context: CompileContext, fragment: Fragment, node: FlowNode): StateConfig {
  const state: StateConfig = { id: stateId(node.id), meta: { elementId: node.id } };
  const mi = node.multiInstance!;
  const next = nextTarget(context, fragment, node);
  let work: MultiInstancePlan['work'] | undefined;
  if (node.kind === 'userTask') work = { kind: 'task', name: node.name, candidateGroup: candidateGroupOf(node), dueWorkingHours: node.qt.dueWorkingHours };
  else if (JOB_KINDS.has(node.kind) && node.qt.jobType) work = { kind: 'job', jobType: node.qt.jobType };
  else if (node.kind === 'task' || node.kind === 'manualTask') work = { kind: 'none' };
  else if (node.kind === 'callActivity' && node.calledElement) work = callsSameFile(context, node) ? { kind: 'run' } : { kind: 'call', calledElement: node.calledElement };
  else if (node.kind === 'subProcess' && !node.triggeredByEvent) {
    // A statechart has a fixed set of regions: as many parallel runs as a list holds cannot be
    // drawn ahead, so each parallel run is a child instance of the inside compiled on its own.
    if (mi.sequential) work = { kind: 'subProcess' };
    else if (compileRun(context, node)) work = { kind: 'run' };
    else return state; // the inside's own problems are reported
  }
  if (mi.hasCompletionCondition) {
    // BPMN 2.0 §10.3.8: the loop ends early once its completionCondition holds. Running it
    // without that test would execute the model approximately, so it is refused until it is built.
    reject(
      context,
      node.id,
      `${describe(node)}: vòng lặp nhiều thể hiện có điều kiện hoàn thành (completionCondition) chưa được thực thi`,
      `${describe(node, 'en')}: a multi-instance loop with a completionCondition is not executed yet`,
    );
    return state;
  }
  const expression = mi.collection ?? mi.cardinality;
  const problem = expression === undefined ? 'no qt:collection or loopCardinality' : context.conditions.problem(expression);
  if (!work || problem) {
    reject(
      context,
      node.id,
      `${describe(node)}: nhiều thể hiện chỉ hỗ trợ tác vụ người dùng, tác vụ không loại hoặc thủ công, tác vụ tự động có qt:jobType, tiến trình con và hoạt động gọi có calledElement, với qt:collection hoặc loopCardinality là biểu thức FEEL${problem ? ` (${problem})` : ''}`,
      `${describe(node, 'en')}: multi-instance is supported on user tasks, tasks of no type and manual tasks, automated tasks with qt:jobType, sub-processes and call activities with a calledElement, over a qt:collection or loopCardinality FEEL expression${problem ? ` (${problem})` : ''}`,
    );
    return state;
  }
  const plan: MultiInstancePlan = {
    elementId: node.id,
    sequential: mi.sequential,
    ...(mi.collection ? { collection: normalizeExpression(mi.collection) } : { cardinality: normalizeExpression(mi.cardinality!) }),
    elementVariable: mi.elementVariable,
    work,
  };
  state.entry = [{ type: 'qt.mi.begin', params: plan }];
  state.exit = [{ type: 'qt.mi.end', params: plan }];
  if (work.kind === 'subProcess') return sequentialSubProcess(context, node, state, plan, next);
  const completion = { guard: { type: 'qt.miOpen' as const, params: { elementId: node.id } }, actions: [{ type: 'qt.mi.complete' as const, params: plan }, { type: 'qt.mergeVariables' as const }] };
  if (work.kind === 'task') addTransition(state, 'task.complete', completion);
  else if (work.kind === 'job') {
    addTransition(state, 'job.complete', completion);
    addTransition(state, 'job.error', { guard: completion.guard, actions: [{ type: 'qt.raiseJobError' }] });
  } else {
    // A child instance's outcome, per index: what the run set comes back (not its own item), its
    // failure is the activity's error (for the activity's error boundary events, else the instance fails).
    addTransition(state, 'call.complete', { guard: completion.guard, actions: [{ type: 'qt.mi.complete', params: plan }, { type: 'qt.mi.mergeRunVariables', params: plan }] });
    addTransition(state, 'call.error', { guard: completion.guard, actions: [{ type: 'qt.raiseJobError' }] });
  }
  state.always = [{ guard: { type: 'qt.miDone', params: { elementId: node.id } }, target: next }];
  return state;
}

/**
 * A sequential multi-instance sub-process runs its inside once per item, one run after another:
 * before each run the item is put in `elementVariable` (and its position, from 1, in
 * `loopCounter`, as BPMN names it); when the last run ends, the activity is done.
 */
function sequentialSubProcess(context: CompileContext, node: FlowNode, state: StateConfig, plan: MultiInstancePlan, next: string | undefined): StateConfig {
  const inside = subProcessInside(context, node, `${state.id}/run`);
  if (!inside) return state;
  const loopId = `${state.id}/next`;
  const runId = `${state.id}/run`;
  const doneId = `${state.id}/all-done`;
  const elementId = { elementId: node.id };
  return {
    ...state,
    initial: loopId,
    states: {
      [loopId]: {
        id: loopId,
        always: [
          { guard: { type: 'qt.miDone', params: elementId }, target: `#${doneId}` },
          { guard: { type: 'qt.miHasNext', params: elementId }, target: `#${runId}`, actions: [{ type: 'qt.mi.iterate', params: plan }] },
        ],
      },
      [runId]: { id: runId, ...inside, onDone: [{ target: `#${loopId}`, actions: [{ type: 'qt.mi.iterationDone', params: plan }] }] },
      [doneId]: { id: doneId, type: 'final' },
    },
    onDone: [{ target: next }],
  };
}

/**
 * Compiles the inside of a parallel multi-instance sub-process as a process of its own, run once
 * per item as a child instance (its own variables, tasks, timers and jobs); false when the inside
 * cannot be compiled (reported).
 */
function compileRun(context: CompileContext, node: FlowNode): boolean {
  // Its end (or a terminate end event inside) ends the run, which completes.
  const inside = subProcessInside(context, node, ROOT_IDS.running);
  if (!inside) return false;
  context.runs.set(node.id, { graph: context.model, machine: processMachine(`${context.graph.id}#${node.id}`, inside, context.conditions), startEventIds: [], runs: context.runs });
  return true;
}
