import type { FlowNode } from '../bpmn/process-graph.ts';
import { activityState } from './activities.ts';
import { attachBoundaryEvents } from './boundary-events.ts';
import { describe, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { QuyTrinhError } from '../errors.ts';
import { eventState } from './events.ts';
import { eventBasedState, exclusiveState, joinState, splitState } from './gateways.ts';
import type { StateConfig } from './state-config.ts';
import { successors } from './structure.ts';
import { multiInstanceState } from './multi-instance.ts';
import { standardLoopState } from './standard-loop.ts';
import { subProcessState } from './sub-process.ts';

export interface CompiledFragment {
  initial: string | undefined;
  states: Record<string, StateConfig>;
}

const ACTIVITIES = new Set(['userTask', 'serviceTask', 'sendTask', 'businessRuleTask', 'scriptTask', 'receiveTask', 'manualTask', 'task', 'callActivity']);
const EVENTS = new Set(['startEvent', 'endEvent', 'intermediateThrowEvent', 'intermediateCatchEvent', 'boundaryEvent']);

/**
 * Compiles a fragment by walking it from its entry nodes: every node becomes one state, its
 * flows become transitions (an exclusive merge is just two transitions into one state, a loop
 * a transition back). A node reached a second time from elsewhere means the model is not
 * block-structured, and is refused rather than executed approximately.
 */
export function compileFragment(context: CompileContext, fragment: Fragment, entries: string[]): CompiledFragment {
  if (context.depth >= MAX_NESTING) throw nestedTooDeep(entries[0] ?? fragment.finalId);
  context.depth++;
  try {
    return walkFragment(context, fragment, entries);
  } finally {
    context.depth--;
  }
}

/**
 * How deep blocks and sub-processes may nest: real procedures nest a handful of levels. Each
 * level is a level of the statechart, which the compiler and XState build recursively, and each
 * level's branches are walked again to find their members: a model nested thousands deep would
 * exhaust the stack (and take seconds per thousand levels first), so it is refused outright.
 */
export const MAX_NESTING = 50;

function nestedTooDeep(elementId: string): QuyTrinhError {
  const vi = `Phần tử ${elementId} nằm trong các khối (cổng song song, cổng bao hàm, tiến trình con) lồng nhau sâu quá ${MAX_NESTING} mức`;
  const en = `Element ${elementId} lies inside blocks (parallel or inclusive gateways, sub-processes) nested more than ${MAX_NESTING} levels deep`;
  return new QuyTrinhError('invalid-model', 'bpmn.nested-too-deep', { vi, en }, [{ elementId, message: en, messages: { vi, en } }]);
}

function walkFragment(context: CompileContext, fragment: Fragment, entries: string[]): CompiledFragment {
  const states: Record<string, StateConfig> = {};
  const pending = [...entries];
  while (pending.length > 0) {
    const id = pending.shift()!;
    if (id === fragment.stop || !fragment.members.has(id) || states[stateId(id)]) continue;
    const node = context.graph.nodes.get(id)!;
    if (context.compiled.has(id)) {
      reject(context, id, `${describe(node)} được đi tới từ bên ngoài khối chứa nó: mô hình không có cấu trúc khối`, `${describe(node, 'en')} is reached from outside its block: the model is not block-structured`);
      continue;
    }
    context.compiled.add(id);
    const { state, follow, consumed } = nodeState(context, fragment, node);
    for (const other of consumed ?? []) context.compiled.add(other);
    states[stateId(id)] = state;
    pending.push(...follow);
  }
  if (!fragment.loopsBackTo) states[fragment.finalId] = { id: fragment.finalId, type: 'final' };
  const initial = entries.length === 1 ? stateId(entries[0]!) : undefined;
  return { initial, states };
}

function nodeState(context: CompileContext, fragment: Fragment, node: FlowNode): { state: StateConfig; follow: string[]; consumed?: string[] } {
  const targets = () => successors(fragment.scope, node);
  if (node.loop && (ACTIVITIES.has(node.kind) || (node.kind === 'subProcess' && !node.triggeredByEvent))) {
    const state = standardLoopState(context, fragment, node, (body, activity) => (activity.kind === 'subProcess' ? subProcessState(context, body, activity) : activityState(context, body, activity)));
    attachBoundaryEvents(context, node, state);
    return { state, follow: targets() };
  }
  if (node.multiInstance) {
    const state = multiInstanceState(context, fragment, node);
    attachBoundaryEvents(context, node, state);
    return { state, follow: targets() };
  }
  if (ACTIVITIES.has(node.kind)) {
    const state = activityState(context, fragment, node);
    attachBoundaryEvents(context, node, state);
    return { state, follow: targets() };
  }
  if (EVENTS.has(node.kind)) return { state: eventState(context, fragment, node), follow: targets() };
  switch (node.kind) {
    case 'subProcess': {
      if (node.triggeredByEvent) return unsupported(context, node, 'tiến trình con sự kiện (event sub-process)', 'event sub-processes');
      const state = subProcessState(context, fragment, node);
      attachBoundaryEvents(context, node, state);
      return { state, follow: targets() };
    }
    case 'exclusiveGateway':
      return { state: exclusiveState(context, fragment, node), follow: targets() };
    case 'parallelGateway':
    case 'inclusiveGateway': {
      if (node.outgoing.length <= 1) return { state: joinState(context, fragment, node), follow: targets() };
      const { state, join } = splitState(context, fragment, node, compileFragment);
      return { state, follow: join ? [join] : [] };
    }
    case 'eventBasedGateway':
      return eventBasedState(context, fragment, node);
    case 'complexGateway':
      // BPMN 2.0 §13.3.5: its join fires once its activationCondition holds, then lets the other
      // branches run on and absorbs them while the flow after it already runs: concurrency outside
      // any block, which the block-structured statechart cannot give faithfully (docs/bpmn-coverage.md).
      return unsupported(
        context,
        node,
        'cổng phức hợp (complex gateway: khi activationCondition đúng, cổng cho luồng đi tiếp trong khi các nhánh còn lại vẫn chạy, ngoài mọi khối)',
        'complex gateways (once its activationCondition holds, the gateway lets the flow go on while the remaining branches still run, outside any block)',
      );
    default:
      return unsupported(context, node, node.bpmnType, node.bpmnType);
  }
}

function unsupported(context: CompileContext, node: FlowNode, whatVi: string, whatEn: string): { state: StateConfig; follow: string[] } {
  reject(context, node.id, `${describe(node)}: ${whatVi} chưa được động cơ hỗ trợ`, `${describe(node, 'en')}: ${whatEn} are not supported by the engine yet`);
  return { state: { id: stateId(node.id) }, follow: [] };
}
