import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, markInsideCompiled, nextTarget, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { expressionProblem, normalizeExpression } from './conditions.ts';
import { addTransition, type StateConfig } from './state-config.ts';
import { subProcessInside } from './sub-process.ts';

/** What the machine needs to run one multi-instance activity (engine/compile/machine.ts carries it out). */
export interface MultiInstancePlan {
  elementId: string;
  sequential: boolean;
  /** FEEL giving the list of items (qt:collection), or a fixed count (loopCardinality). */
  collection?: string | undefined;
  cardinality?: string | undefined;
  elementVariable?: string | undefined;
  /** What each instance opens: a user task for the lane, a job, or a run of a sub-process's inside. */
  work: { kind: 'task'; name?: string | undefined; candidateGroup?: string | undefined; dueWorkingHours?: number | undefined } | { kind: 'job'; jobType: string } | { kind: 'subProcess' };
}

const JOB_KINDS = new Set(['serviceTask', 'sendTask', 'businessRuleTask', 'scriptTask']);

/**
 * A multi-instance user or service task over a collection (e.g. consult each agency in a list):
 * one task or job per item, all at once (parallel) or one after another (sequential); the
 * activity is done when every instance is. An empty collection is done at once. Each completion's
 * variables are merged into the instance's, in the order they come.
 */
export function multiInstanceState(context: CompileContext, fragment: Fragment, node: FlowNode): StateConfig {
  const state: StateConfig = { id: stateId(node.id), meta: { elementId: node.id } };
  const mi = node.multiInstance!;
  const next = nextTarget(context, fragment, node);
  let work: MultiInstancePlan['work'] | undefined;
  if (node.kind === 'userTask') work = { kind: 'task', name: node.name, candidateGroup: node.lane, dueWorkingHours: node.qt.dueWorkingHours };
  else if (JOB_KINDS.has(node.kind) && node.qt.jobType) work = { kind: 'job', jobType: node.qt.jobType };
  else if (node.kind === 'subProcess' && !node.triggeredByEvent) {
    if (!mi.sequential) {
      // A statechart has a fixed set of regions: as many parallel runs of an inside as a list holds cannot be drawn ahead.
      reject(context, node.id, `${describe(node)}: tiến trình con nhiều thể hiện song song chưa được hỗ trợ; hãy đặt isSequential="true", hoặc dùng tác vụ nhiều thể hiện song song`, `${describe(node, 'en')}: a parallel multi-instance sub-process is not supported yet; make it sequential (isSequential="true"), or use a parallel multi-instance task`);
      // The refusal names the sub-process; its inside is not reported again as unreachable.
      markInsideCompiled(context, node);
      return state;
    }
    work = { kind: 'subProcess' };
  }
  const expression = mi.collection ?? mi.cardinality;
  const problem = expression === undefined ? 'no qt:collection or loopCardinality' : expressionProblem(expression);
  if (!work || problem) {
    reject(
      context,
      node.id,
      `${describe(node)}: nhiều thể hiện chỉ hỗ trợ tác vụ người dùng, tác vụ tự động có qt:jobType và tiến trình con tuần tự, với qt:collection hoặc loopCardinality là biểu thức FEEL${problem ? ` (${problem})` : ''}`,
      `${describe(node, 'en')}: multi-instance is supported on user tasks, automated tasks with qt:jobType and sequential sub-processes, over a qt:collection or loopCardinality FEEL expression${problem ? ` (${problem})` : ''}`,
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
  else {
    addTransition(state, 'job.complete', completion);
    addTransition(state, 'job.error', { guard: completion.guard, actions: [{ type: 'qt.raiseJobError' }] });
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
