import { stateIn } from 'xstate';
import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, markInsideCompiled, reject, scopeFragment, sideIdleId, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { compileFragment } from './fragment.ts';
import { addTransition, elementIs, type StateConfig } from './state-config.ts';
import { subProcessInside } from './sub-process.ts';
import { armSignal } from './events.ts';
import { EXIT, reachableBefore } from './structure.ts';
import { compensationRegion } from './compensation.ts';
import { cancelStates } from './transaction.ts';
import { armTimer } from './timer-expressions.ts';

/**
 * A scope (the process, or the inside of a sub-process): its main flow, plus one side region
 * per non-interrupting boundary event in it. A side region waits idle; when its boundary event
 * fires (the activity stays), it runs the event's path and returns to idle at its end, ready for
 * the next time: one path at a time, so the event is taken only while its region is idle (see
 * attachBoundaryEvents). The scope is done when its main flow has finished and every side region
 * is idle.
 */
export function compileScope(context: CompileContext, nodeIds: string[], entries: string[], ids: { finalId: string; terminateId: string }): Pick<StateConfig, 'type' | 'initial' | 'states'> {
  const eventSubProcesses = nodeIds.map((id) => context.graph.nodes.get(id)!).filter((node) => node.kind === 'subProcess' && node.triggeredByEvent);
  if (eventSubProcesses.length > 0) return withEventSubProcesses(context, nodeIds, entries, ids, eventSubProcesses);
  // Compensation handlers run in a region of their own beside the flow (compensation.ts).
  return mainAndSideRegions(context, nodeIds, entries, ids, compensationRegion(context, nodeIds, ids, ids.finalId));
}

function mainAndSideRegions(context: CompileContext, nodeIds: string[], entries: string[], ids: { finalId: string; terminateId: string }, beside: Array<[string, StateConfig]>): Pick<StateConfig, 'type' | 'initial' | 'states'> {
  const main = scopeFragment(context.graph, nodeIds, ids.finalId, ids.terminateId);
  const body = compileFragment(context, main, entries);
  // A transaction's cancellation (transaction.ts) leaves whatever its flow is doing.
  Object.assign(body.states, cancelStates(context, nodeIds));
  if (!body.initial) {
    // Several start events: the instance enters through the one it was started by (the first by default).
    body.initial = `${ids.finalId}/start`;
    body.states[body.initial] = {
      always: entries.map((id, index) => ({ guard: { type: 'qt.startedBy', params: { elementId: id, fallback: index === 0 } }, target: `#${stateId(id)}` })),
    };
  }
  const sideEvents = nodeIds.filter((id) => {
    const node = context.graph.nodes.get(id)!;
    return node.kind === 'boundaryEvent' && node.interrupting === false && node.trigger?.kind !== 'error' && node.trigger?.kind !== 'compensate' && node.trigger?.kind !== 'cancel';
  });
  if (sideEvents.length === 0 && beside.length === 0) return { initial: body.initial, states: body.states };

  const regions: Record<string, StateConfig> = { main: { initial: body.initial, states: body.states }, ...Object.fromEntries(beside) };
  for (const boundaryId of sideEvents) {
    if (!context.compiled.has(context.graph.nodes.get(boundaryId)!.attachedTo ?? '')) continue; // its activity is unreachable: reported elsewhere
    const idleId = sideIdleId(boundaryId);
    const side: Fragment = { ...main, members: reachableBefore(main.scope, boundaryId, EXIT), finalId: idleId, loopsBackTo: idleId };
    const path = compileFragment(context, side, [boundaryId]);
    if (!path.initial) {
      reject(context, boundaryId, `Không dịch được đường đi của sự kiện biên ${boundaryId}`, `The path of boundary event ${boundaryId} cannot be compiled`);
      continue;
    }
    regions[`side:${boundaryId}`] = {
      initial: idleId,
      states: {
        [idleId]: {
          id: idleId,
          on: { 'qt.boundary': [{ guard: elementIs(boundaryId), target: `#${stateId(boundaryId)}` }] },
          always: [{ guard: stateIn(`#${ids.finalId}`), target: `#${idleId}/done` }],
        },
        [`${idleId}/done`]: { id: `${idleId}/done`, type: 'final' },
        ...path.states,
      },
    };
  }
  return { type: 'parallel', states: regions };
}

/**
 * Event sub-processes (BPMN 2.0 §10.3.5): an inside started by an event while its scope runs.
 * A non-interrupting one (message or timer) is a side region beside the main flow: armed while
 * the scope runs, it runs its inside when the event comes (a message may come again once that run
 * is over; a timer fires once), and the scope ends when the main flow and every run are done. An
 * interrupting one (message, timer or error) is armed on the running scope; when its event comes,
 * everything running in the scope is left (its tasks closed, its timers disarmed) and the inside
 * runs instead; the scope ends when it does.
 */
function withEventSubProcesses(context: CompileContext, nodeIds: string[], entries: string[], ids: { finalId: string; terminateId: string }, eventSubProcesses: FlowNode[]): Pick<StateConfig, 'type' | 'initial' | 'states'> {
  const starts = new Map<string, FlowNode>();
  for (const node of eventSubProcesses) {
    context.compiled.add(node.id);
    const start = (node.children ?? []).map((id) => context.graph.nodes.get(id)!).find((child) => child.kind === 'startEvent');
    const kind = start?.trigger?.kind;
    if (node.multiInstance) {
      reject(context, node.id, `${describe(node)}: tiến trình con sự kiện không thể là nhiều thể hiện`, `${describe(node, 'en')}: an event sub-process cannot be multi-instance`);
      markInsideCompiled(context, node);
      continue;
    }
    if (!start || !(kind === 'message' || kind === 'timer' || kind === 'signal' || kind === 'escalation' || (kind === 'error' && start.interrupting !== false))) {
      reject(context, node.id, `${describe(node)}: tiến trình con sự kiện cần một sự kiện bắt đầu thông điệp, hẹn giờ, tín hiệu hoặc leo thang (hoặc lỗi, loại ngắt)`, `${describe(node, 'en')}: an event sub-process needs a message, timer, signal or escalation start event (or an interrupting error one)`);
      markInsideCompiled(context, node);
      continue;
    }
    starts.set(node.id, start);
  }
  const runnable = eventSubProcesses.filter((node) => starts.has(node.id));
  const interrupting = runnable.filter((node) => starts.get(node.id)!.interrupting !== false);
  const nonInterrupting = runnable.filter((node) => starts.get(node.id)!.interrupting === false);

  const beside = nonInterrupting.map((node): [string, StateConfig] => {
    const start = starts.get(node.id)!;
    const idleId = sideIdleId(node.id);
    const runId = `${stateId(node.id)}/run`;
    const spentId = `${idleId}/spent`;
    const doneId = `${idleId}/done`;
    const idle: StateConfig = { id: idleId, always: [{ guard: stateIn(`#${ids.finalId}`), target: `#${doneId}` }] };
    armTrigger(idle, start, runId);
    const run = subProcessInside(context, node, runId);
    return [
      `side:${node.id}`,
      {
        initial: idleId,
        states: {
          [idleId]: idle,
          // A message may come again once this run is over; a timer has fired for good.
          [runId]: { id: runId, meta: { elementId: node.id }, ...run, onDone: [{ target: `#${start.trigger?.kind === 'timer' ? spentId : idleId}` }] },
          [spentId]: { id: spentId, always: [{ guard: stateIn(`#${ids.finalId}`), target: `#${doneId}` }] },
          [doneId]: { id: doneId, type: 'final' },
        },
      },
    ];
  });
  // The scope's own end, reached when the running flow or an interrupting inside is done.
  const scopeEnd = `${ids.finalId}/scope`;
  // Compensation handlers run beside all that an interrupting event sub-process leaves (it leaves
  // the flow, not what the flow completed: its compensation throw compensates the scope's activities).
  const compensation = compensationRegion(context, nodeIds, ids, interrupting.length === 0 ? ids.finalId : scopeEnd);
  const running = mainAndSideRegions(context, nodeIds, entries, ids, interrupting.length === 0 ? [...beside, ...compensation] : beside);
  if (interrupting.length === 0) return running;

  const activeId = `${ids.finalId}/running`;
  const active: StateConfig = { id: activeId, ...running, onDone: [{ target: `#${scopeEnd}` }] };
  const states: Record<string, StateConfig> = { [activeId]: active };
  for (const node of interrupting) {
    const runId = `${stateId(node.id)}/run`;
    armTrigger(active, starts.get(node.id)!, runId);
    states[runId] = { id: runId, meta: { elementId: node.id }, ...subProcessInside(context, node, runId), onDone: [{ target: `#${scopeEnd}` }] };
  }
  states[scopeEnd] = { id: scopeEnd, type: 'final' };
  if (compensation.length === 0) return { initial: activeId, states };
  return { type: 'parallel', states: { flow: { initial: activeId, states }, ...Object.fromEntries(compensation) } };
}

/** Arms an event sub-process's start event on `state` (while it is active) and leads its event to the run. */
function armTrigger(state: StateConfig, start: FlowNode, runId: string): void {
  const trigger = start.trigger!;
  const target = `#${runId}`;
  if (trigger.kind === 'timer') {
    (state.entry ??= []).push(armTimer({ elementId: start.id, timer: trigger.timer, agency: start.lane }));
    (state.exit ??= []).push({ type: 'qt.timer.cancel', params: { elementId: start.id } });
    addTransition(state, 'timer', { guard: elementIs(start.id), target });
  } else if (trigger.kind === 'message') {
    (state.entry ??= []).push({ type: 'qt.message.subscribe', params: { elementId: start.id, messageName: trigger.messageName, correlationKey: trigger.correlationKey } });
    (state.exit ??= []).push({ type: 'qt.message.unsubscribe', params: { elementId: start.id } });
    addTransition(state, 'message', { guard: elementIs(start.id), target, actions: [{ type: 'qt.mergeVariables' }] });
  } else if (trigger.kind === 'error') {
    addTransition(state, 'bpmn.error', { guard: { type: 'qt.errorCode', params: trigger.errorCode === undefined ? {} : { code: trigger.errorCode } }, target });
  } else if (trigger.kind === 'escalation') {
    addTransition(state, 'bpmn.escalation', { guard: { type: 'qt.escalationCode', params: trigger.escalationCode === undefined ? {} : { code: trigger.escalationCode } }, target });
  } else if (trigger.kind === 'signal') {
    armSignal(state, start.id, trigger.signalName, { target });
  }
}
