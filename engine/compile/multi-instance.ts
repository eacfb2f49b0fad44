import { candidateGroupOf, type FlowNode } from '../bpmn/process-graph.ts';
import { describe, nextTarget, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { normalizeExpression } from './conditions.ts';
import { processMachine, ROOT_IDS } from './machine.ts';
import { rejectMissingJobType } from './activities.ts';
import { feelCondition } from './model-checks.ts';
import { addTransition, elementIs, type StateConfig } from './state-config.ts';
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
   * The completionCondition (FEEL), when the loop has one (BPMN 2.0 §10.3.8): tested each time an
   * instance completes, on the instance's variables (that completion's merged in) with the loop's
   * instance attributes, as BPMN names them, over them: `nrOfInstances`, `nrOfActiveInstances`,
   * `nrOfCompletedInstances`, `nrOfTerminatedInstances` (0: none ends otherwise while the loop
   * runs) and `loopCounter`, the completed instance's position from 1 (as its run sees it).
   * When it holds, no further instance opens and those still open are cancelled as the activity
   * is left (qt.mi.end), which then completes.
   */
  completionCondition?: string | undefined;
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
    | { kind: 'none' }
    /**
     * A receive task: each instance waits for one message, correlated as the task's alone is
     * (one subscription for the activity, kept while an instance waits): each message delivered
     * completes one waiting instance, the first opened.
     */
    | { kind: 'message'; messageName: string; correlationKey?: string | undefined };
}

const JOB_KINDS = new Set(['serviceTask', 'sendTask', 'businessRuleTask', 'scriptTask']);

/**
 * A multi-instance activity over a collection (e.g. consult each agency in a list): one task, job,
 * called instance or run of a sub-process per item, all at once (parallel) or one after another
 * (sequential); the activity is done when every instance is, or when its completionCondition
 * holds after one completes (BPMN 2.0 §10.3.8). An empty collection is done at once. Each
 * completion's variables are merged into the instance's, in the order they come.
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
  } else if (node.kind === 'receiveTask' && node.trigger?.kind === 'message') {
    work = { kind: 'message', messageName: node.trigger.messageName, correlationKey: node.trigger.correlationKey };
  }
  const expression = mi.collection ?? mi.cardinality;
  const problem = expression === undefined ? 'no qt:collection or loopCardinality' : context.conditions.problem(expression);
  // An automated task without a job type is refused as it is alone; its loop's own problem besides.
  const missingJobType = !work && JOB_KINDS.has(node.kind) && !node.qt.jobType;
  if (missingJobType) rejectMissingJobType(context, node);
  if (problem || (!work && !missingJobType)) {
    reject(
      context,
      node.id,
      `${describe(node)}: nhiều thể hiện chỉ hỗ trợ tác vụ người dùng, tác vụ không loại hoặc thủ công, tác vụ tự động có qt:jobType, tác vụ nhận, tiến trình con và hoạt động gọi có calledElement, với qt:collection hoặc loopCardinality là biểu thức FEEL${problem ? ` (${problem})` : ''}`,
      `${describe(node, 'en')}: multi-instance is supported on user tasks, tasks of no type and manual tasks, automated tasks with qt:jobType, receive tasks, sub-processes and call activities with a calledElement, over a qt:collection or loopCardinality FEEL expression${problem ? ` (${problem})` : ''}`,
    );
  }
  // Checked too when the activity is refused already, so that every problem is reported at once.
  const completionCondition =
    mi.completionCondition === undefined
      ? undefined
      : feelCondition(context, node.id, { vi: `Điều kiện hoàn thành (completionCondition) của ${node.id}`, en: `The completionCondition of ${node.id}` }, mi.completionCondition, mi.completionConditionLanguage);
  if (!work || problem || (mi.completionCondition !== undefined && completionCondition === undefined)) return state;
  const plan: MultiInstancePlan = {
    elementId: node.id,
    sequential: mi.sequential,
    ...(mi.collection ? { collection: normalizeExpression(mi.collection) } : { cardinality: normalizeExpression(mi.cardinality!) }),
    elementVariable: mi.elementVariable,
    work,
    ...(completionCondition === undefined ? {} : { completionCondition }),
  };
  state.entry = [{ type: 'qt.mi.begin', params: plan }];
  state.exit = [{ type: 'qt.mi.end', params: plan }];
  if (work.kind === 'subProcess') return sequentialSubProcess(context, node, state, plan, next);
  const complete = { type: 'qt.mi.complete' as const, params: plan };
  // With a completionCondition, the completion's variables are merged first: the condition reads them.
  const ordered = <T>(merge: T) => (plan.completionCondition === undefined ? [complete, merge] : [merge, complete]);
  const completion = { guard: { type: 'qt.miOpen' as const, params: { elementId: node.id } }, actions: ordered({ type: 'qt.mergeVariables' as const }) };
  if (work.kind === 'task') addTransition(state, 'task.complete', completion);
  else if (work.kind === 'job') {
    addTransition(state, 'job.complete', completion);
    addTransition(state, 'job.error', { guard: completion.guard, actions: [{ type: 'qt.raiseJobError' }] });
  } else if (work.kind === 'message') {
    // A message names the element, not an instance: it completes the first instance waiting.
    addTransition(state, 'message', { guard: elementIs(node.id), actions: ordered({ type: 'qt.mergeVariables' as const }) });
  } else {
    // A child instance's outcome, per index: what the run set comes back (not its own item), its
    // failure is the activity's error (for the activity's error boundary events, else the instance fails).
    addTransition(state, 'call.complete', { guard: completion.guard, actions: ordered({ type: 'qt.mi.mergeRunVariables' as const, params: plan }) });
    addTransition(state, 'call.error', { guard: completion.guard, actions: [{ type: 'qt.raiseJobError' }] });
  }
  state.always = [{ guard: { type: 'qt.miDone', params: { elementId: node.id } }, target: next }];
  return state;
}

/**
 * A sequential multi-instance sub-process runs its inside once per item, one run after another:
 * before each run the item is put in `elementVariable` (and its position, from 1, in
 * `loopCounter`, as BPMN names it); when the last run ends, or its completionCondition holds after
 * a run, the activity is done.
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
