import { and } from 'xstate';
import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, nextTarget, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { feelCondition } from './model-checks.ts';
import type { Guard, StateConfig } from './state-config.ts';

/**
 * An activity with standard loop characteristics (BPMN 2.0 §10.2.8): it runs, then runs again
 * while its loopCondition (FEEL, on the instance's variables) holds, at most loopMaximum times;
 * with testBefore the condition is tested before each run, so it may run not at all. Compiled as
 * a compound state `el:<id>` around the activity's own state (`el:<id>/run`, compiled as without
 * the loop, its completion leading to the test): boundary events go on the loop, so an
 * interrupting one ends the whole loop, as BPMN attaches them to the activity, not to one run.
 * A loop with neither condition nor maximum would never end, and is refused naming the activity.
 */
export function standardLoopState(context: CompileContext, fragment: Fragment, node: FlowNode, compileActivity: (fragment: Fragment, node: FlowNode) => StateConfig): StateConfig {
  const loop = node.loop!;
  // The loop takes the activity's state id (flows into the activity enter the loop); a run is `/run`.
  const id = stateId(node.id);
  const runId = `${id}/run`;
  const testId = `${id}/test`;
  const againId = `${id}/again`;
  const guards: Guard[] = [];
  if (loop.condition === undefined && loop.maximum === undefined) {
    reject(context, node.id, `${describe(node)} lặp (standardLoopCharacteristics) mà không có điều kiện lặp (loopCondition) hay số lần tối đa (loopMaximum): vòng lặp không bao giờ kết thúc`, `${describe(node, 'en')} loops (standardLoopCharacteristics) with neither a loopCondition nor a loopMaximum: it would never end`);
  } else if (loop.condition !== undefined) {
    const expression = feelCondition(context, node.id, { vi: `Điều kiện lặp của ${node.id}`, en: `The loop condition of ${node.id}` }, loop.condition, loop.conditionLanguage);
    if (expression !== undefined) guards.push({ type: 'qt.feel', params: { expression } });
  }
  if (loop.maximum !== undefined) guards.push({ type: 'qt.loopMore', params: { elementId: node.id, maximum: loop.maximum } });
  const guard = guards.length === 2 ? and(guards) : guards[0];
  const next = nextTarget(context, fragment, node);
  // The activity as compiled without its loop, its end leading to the test: a node with no
  // outgoing flow goes to its fragment's final state, here the test.
  const body = { ...compileActivity({ ...fragment, finalId: againId, loopsBackTo: undefined }, { ...node, outgoing: [] }), id: runId };
  const decide = (extra: StateConfig): StateConfig => ({ ...extra, always: [{ guard, target: `#${runId}` }, { target: next }] });
  return {
    id,
    entry: [{ type: 'qt.loop.reset', params: { elementId: node.id } }],
    exit: [{ type: 'qt.loop.end', params: { elementId: node.id } }],
    initial: loop.testBefore ? testId : runId,
    states: {
      ...(loop.testBefore ? { [testId]: decide({ id: testId }) } : {}),
      [runId]: body,
      [againId]: decide({ id: againId, entry: [{ type: 'qt.loop.count', params: { elementId: node.id } }] }),
    },
  };
}
