import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, nextTarget, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { expressionProblem, normalizeExpression } from './conditions.ts';
import { addTransition, type StateConfig } from './state-config.ts';

/** What the machine needs to run one multi-instance activity (engine/compile/machine.ts carries it out). */
export interface MultiInstancePlan {
  elementId: string;
  sequential: boolean;
  /** FEEL giving the list of items (qt:collection), or a fixed count (loopCardinality). */
  collection?: string | undefined;
  cardinality?: string | undefined;
  elementVariable?: string | undefined;
  /** What each instance opens: a user task for the lane, or a job. */
  work: { kind: 'task'; name?: string | undefined; candidateGroup?: string | undefined; dueWorkingHours?: number | undefined } | { kind: 'job'; jobType: string };
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
  const expression = mi.collection ?? mi.cardinality;
  const problem = expression === undefined ? 'no qt:collection or loopCardinality' : expressionProblem(expression);
  if (!work || problem) {
    reject(
      context,
      node.id,
      `${describe(node)}: nhiều thể hiện chỉ hỗ trợ tác vụ người dùng hoặc tác vụ tự động có qt:jobType, với qt:collection hoặc loopCardinality là biểu thức FEEL${problem ? ` (${problem})` : ''}`,
      `${describe(node, 'en')}: multi-instance is supported on user tasks and on automated tasks with qt:jobType, over a qt:collection or loopCardinality FEEL expression${problem ? ` (${problem})` : ''}`,
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
  const completion = { guard: { type: 'qt.miOpen' as const, params: { elementId: node.id } }, actions: [{ type: 'qt.mi.complete' as const, params: plan }, { type: 'qt.mergeVariables' as const }] };
  if (work.kind === 'task') addTransition(state, 'task.complete', completion);
  else {
    addTransition(state, 'job.complete', completion);
    addTransition(state, 'job.error', { guard: completion.guard, actions: [{ type: 'qt.raiseJobError' }] });
  }
  state.always = [{ guard: { type: 'qt.miDone', params: { elementId: node.id } }, target: next }];
  return state;
}
