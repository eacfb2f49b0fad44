import { stateIn } from 'xstate';
import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, reject, scopeFragment, stateId, type CompileContext } from './compile-context.ts';
import { compileFragment } from './fragment.ts';
import type { StateConfig, Transition } from './state-config.ts';

/**
 * Compensation (BPMN 2.0 §10.7, §13.5.5). An activity with a compensation boundary event is
 * remembered when it completes, with the variables its completion set (the `compensation` field
 * of the instance, compensation-log.ts), in the scope it lies in (its sub-process, or the process).
 * A compensation throw (intermediate or end event) queues the handlers of the activities completed
 * in its own scope (for a throw in an event sub-process, the scope the event sub-process is in): all of them, the last completed first, or, with `activityRef`, that activity's.
 * The handlers run one after another in a region beside the scope's flow (compensationRegion),
 * each with its activity's variables given back; the throw waits for the queue to empty unless
 * `waitForCompletion="false"`, and the scope ends only once every queued handler has run. An
 * activity is compensated once; leaving its scope forgets what was completed there.
 */

/** The scope a node's compensation concerns: its sub-process, or the process. */
export function compensationScope(context: CompileContext, node: FlowNode): string {
  return node.parentId ?? context.graph.id;
}

/**
 * The scope a compensation throw compensates: its own, or, directly inside an event sub-process,
 * the scope that event sub-process belongs to (BPMN 2.0 §10.7.2: the typical error handler that
 * undoes what its sub-process did).
 */
function thrownIn(context: CompileContext, node: FlowNode): string {
  const parent = node.parentId === undefined ? undefined : context.graph.nodes.get(node.parentId);
  return parent?.triggeredByEvent ? compensationScope(context, parent) : compensationScope(context, node);
}

const idle = (scope: string) => ({ type: 'qt.compensation.idle' as const, params: { scope } });

/**
 * A compensation boundary event on `activity`: no transition of its own (it is never "caught"),
 * but every way the activity completes (each transition leaving its state other than to its own
 * boundary events) remembers it for compensation.
 */
export function compensableActivity(context: CompileContext, activity: FlowNode, boundary: FlowNode, state: StateConfig): void {
  context.compiled.add(boundary.id);
  if (boundary.outgoing.length > 0) {
    reject(
      context,
      boundary.id,
      `${describe(boundary)}: sự kiện biên bù trừ không có luồng tuần tự ra (hoạt động bù trừ được nối bằng một liên kết, association)`,
      `${describe(boundary, 'en')}: a compensation boundary event has no outgoing sequence flow (its handler is joined by an association)`,
    );
  }
  // Without a handler (no association from the event) compensating the activity runs nothing:
  // it is not remembered, so a throw finds nothing of it to run (docs/bpmn-coverage.md).
  if (boundary.compensationHandler === undefined) return;
  if (activity.loop || (activity.multiInstance && activity.kind === 'subProcess')) {
    reject(
      context,
      boundary.id,
      `${describe(boundary)}: bù trừ một tiến trình con nhiều thể hiện hoặc một hoạt động lặp (mỗi lần chạy bù trừ riêng) chưa được thực thi`,
      `${describe(boundary, 'en')}: compensating a multi-instance sub-process or a looping activity (each run compensated on its own) is not executed yet`,
    );
    return;
  }
  const boundaryTargets = new Set((context.boundaryEvents.get(activity.id) ?? []).map((each) => `#${stateId(each.id)}`));
  const record = { type: 'qt.compensation.record' as const, params: { scope: compensationScope(context, activity), elementId: activity.id } };
  if (activity.multiInstance) {
    compensableInstances(state, record, activity.kind === 'task' || activity.kind === 'manualTask');
    return;
  }
  const completions = [...Object.values(state.on ?? {}).flat(), ...(state.always ?? []), ...(state.onDone ?? [])];
  for (const transition of completions) {
    if (transition.target !== undefined && !boundaryTargets.has(transition.target)) (transition.actions ??= []).push(record);
  }
}

/**
 * A multi-instance activity is compensated instance by instance, each that completed (the peer
 * runs the handler once per completed iteration, with that iteration's data; BPMN 2.0 §10.7 makes
 * each completed activity instance compensable): every instance's completion (its task, job,
 * message or call coming back, multi-instance.ts) remembers one, even when the activity is later
 * interrupted, and instances that complete as they start (tasks of no type) are remembered all at
 * once as the activity begins, one per instance.
 */
function compensableInstances(state: StateConfig, record: { type: 'qt.compensation.record'; params: { scope: string; elementId: string } }, completeAtOnce: boolean): void {
  if (completeAtOnce) {
    // After qt.mi.begin (entry), which completed them all: the count is known, and gone once the activity is left.
    (state.entry ??= []).push({ type: 'qt.compensation.recordInstances', params: record.params });
    return;
  }
  // An instance's completion, not a non-interrupting boundary event's transition on the same event
  // (no target either): the guard says whose it is (multi-instance.ts).
  const completesAnInstance = (transition: Transition) => {
    const guard = transition.guard as { type?: string; params?: { elementId?: string } } | undefined;
    return transition.target === undefined && (guard?.type === 'qt.miOpen' || guard?.type === 'qt.element') && guard.params?.elementId === record.params.elementId;
  };
  for (const event of ['task.complete', 'job.complete', 'message', 'call.complete'] as const) {
    for (const transition of [state.on?.[event] ?? []].flat()) {
      if (completesAnInstance(transition)) (transition.actions ??= []).push(record);
    }
  }
}

/**
 * A compensation throw on `state`, then on to `target`: at once, or (waitForCompletion, the
 * default) once every handler it queued has run. Refused with an `activityRef` that names no
 * compensable activity of the scope it compensates.
 */
export function compensationThrow(context: CompileContext, node: FlowNode, state: StateConfig, target: string | undefined): void {
  if (node.trigger?.kind !== 'compensate') return;
  const { activityRef, waitForCompletion } = node.trigger;
  const scope = thrownIn(context, node);
  if (activityRef !== undefined) {
    const activity = context.graph.nodes.get(activityRef);
    const compensable = activity !== undefined && compensationScope(context, activity) === scope && (context.boundaryEvents.get(activityRef) ?? []).some((each) => each.trigger?.kind === 'compensate');
    if (!compensable) {
      reject(
        context,
        node.id,
        `${describe(node)}: activityRef ${activityRef} không phải một hoạt động có sự kiện biên bù trừ trong phạm vi mà sự kiện ném bù trừ`,
        `${describe(node, 'en')}: activityRef ${activityRef} is not an activity with a compensation boundary event in the scope the throw compensates`,
      );
      return;
    }
  }
  state.entry = [{ type: 'qt.compensation.throw', params: { scope, ...(activityRef === undefined ? {} : { activityRef }) } }];
  const next: Transition = { target };
  if (waitForCompletion) {
    state.meta = { elementId: node.id };
    next.guard = idle(scope);
  }
  state.always = [next];
}

/**
 * The region running a scope's compensation handlers, beside its flow (one per scope that has
 * any): idle until a throw queues a handler, it runs the handler at the head of the queue, then
 * the next; it is done when the scope has ended (`endedAt`: its flow's end, or, with interrupting
 * event sub-processes, the scope's own end) and nothing is queued. Each handler is compiled
 * as a fragment of its own (its task, job, call or sub-process, with its own boundary events).
 */
export function compensationRegion(context: CompileContext, nodeIds: string[], ids: { finalId: string; terminateId: string }, endedAt: string): Array<[string, StateConfig]> {
  const nodes = nodeIds.map((id) => context.graph.nodes.get(id)!);
  const handlers = nodes.filter((node) => node.forCompensation);
  if (handlers.length === 0) return [];
  const boundaries = nodes.filter((node) => node.trigger?.kind === 'compensate' && node.attachedTo !== undefined && node.compensationHandler !== undefined);
  const scope = compensationScope(context, nodes[0]!);
  const idleId = `${ids.finalId}/compensation`;
  const doneId = `${idleId}/done`;
  const states: Record<string, StateConfig> = {};
  const dispatch: Transition[] = [];
  for (const handler of handlers) {
    const activities = boundaries.filter((boundary) => boundary.compensationHandler === handler.id).map((boundary) => boundary.attachedTo!);
    if (activities.length !== 1 || handler.incoming.length > 0 || handler.outgoing.length > 0) {
      const why = activities.length === 0 ? { vi: 'không sự kiện biên bù trừ nào dẫn tới nó', en: 'no compensation boundary event leads to it' }
        : activities.length > 1 ? { vi: `nó bù trừ nhiều hoạt động (${activities.join(', ')})`, en: `it compensates several activities (${activities.join(', ')})` }
        : { vi: 'nó có luồng tuần tự (hoạt động bù trừ nằm ngoài luồng)', en: 'it has sequence flows (a handler lies outside the flow)' };
      reject(context, handler.id, `${describe(handler)} là hoạt động bù trừ nhưng ${why.vi}`, `${describe(handler, 'en')} is a compensation handler but ${why.en}`);
      if (handler.incoming.length === 0) context.compiled.add(handler.id); // reported here, not again as unreachable
      continue;
    }
    const runId = `${stateId(handler.id)}/compensating`;
    const handledId = `${runId}/done`;
    const body = compileFragment(context, scopeFragment(context.graph, [handler.id], handledId, ids.terminateId), [handler.id]);
    states[runId] = { id: runId, initial: body.initial!, states: body.states, onDone: [{ target: `#${idleId}`, actions: [{ type: 'qt.compensation.handled', params: { scope } }] }] };
    dispatch.push({ guard: { type: 'qt.compensation.next', params: { scope, elementId: activities[0]! } }, target: `#${runId}`, actions: [{ type: 'qt.compensation.begin', params: { scope } }] });
  }
  states[idleId] = { id: idleId, always: [...dispatch, { guard: stateIn(`#${endedAt}`), target: `#${doneId}` }] };
  states[doneId] = { id: doneId, type: 'final' };
  // Leaving the scope forgets what was completed in it (a sub-process entered again starts afresh).
  return [[`compensation:${scope}`, { initial: idleId, states, exit: [{ type: 'qt.compensation.clear', params: { scope } }] }]];
}
