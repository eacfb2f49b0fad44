import { createMachine, getStateNodes, type AnyStateNode } from 'xstate';
import type { FlowNode } from '../bpmn/process-graph.ts';
import { stateId } from '../compile/compile-context.ts';
import type { CompiledProcess } from '../compile/index.ts';
import { QuyTrinhError, type Bilingual } from '../errors.ts';
import { resolveStored, transitionOn, type Step, type StoredSnapshot } from './instance.ts';

/**
 * An operator moves a stuck token (issue 14, docs/monitoring.md): the instance leaves one active
 * element for another of the same scope, as if a flow led from the one to the other. The machine
 * itself computes the step (XState's own exit and entry), so the left element's task, job, timers
 * and subscriptions are closed by its exit effects and the target opens what it opens when the
 * flow reaches it; nothing is approximated. The move is one transition added to the left
 * element's state on a machine derived from the compiled one (same states, same actions), so the
 * snapshot it gives is one the compiled machine resolves. What cannot be done that way is refused
 * naming the elements: a target in another scope or parallel branch (its siblings would be entered
 * from nowhere), a multi-instance activity or anything inside one (its progress is counted in the
 * snapshot), an element that is not where the token waits.
 */
export interface TokenMove {
  /** The active element the token leaves. */
  from: string;
  /** The element it is moved to: a user task, an automated task or a catch event of the same scope. */
  to: string;
}

/** The move's own event: taken only by the transition added to the left element's state. */
const MOVE_EVENT = 'qt.operator.move';

const TASKS = new Set(['userTask', 'serviceTask', 'sendTask', 'businessRuleTask', 'scriptTask', 'receiveTask']);
/** Where a token may be moved to: a step that waits (a task, a catch event, an event-based gateway's choice). */
const TARGET_KINDS = new Set([...TASKS, 'intermediateCatchEvent', 'eventBasedGateway']);
/** What a token may leave: anywhere it rests, a called process or a sub-process as a whole included. */
const LEFT_KINDS = new Set([...TARGET_KINDS, 'callActivity', 'subProcess', 'intermediateThrowEvent']);

function refused(code: string, text: Bilingual, elements: Array<{ elementId: string; field: string }>): QuyTrinhError {
  return new QuyTrinhError('unprocessable', code, text, elements.map(({ elementId, field }) => ({ field, elementId, message: text.en, messages: text })));
}

/** The elements around a node, innermost first: itself and the sub-processes containing it. */
function enclosing(compiled: CompiledProcess, node: FlowNode): FlowNode[] {
  const chain: FlowNode[] = [node];
  for (let parent = node.parentId; parent !== undefined; parent = compiled.graph.nodes.get(parent)?.parentId) {
    const container = compiled.graph.nodes.get(parent);
    if (container) chain.push(container);
  }
  return chain;
}

/** The state an element's token rests in (its loop or multi-instance body included), checked for a move. */
function stateOf(compiled: CompiledProcess, elementId: string, role: 'from' | 'to'): AnyStateNode {
  const field = role === 'from' ? 'body.from' : 'body.to';
  const node = compiled.graph.nodes.get(elementId);
  if (!node) {
    throw refused('move.unknown-element', { vi: `Quy trình không có phần tử ${elementId}`, en: `The process has no element ${elementId}` }, [{ elementId, field }]);
  }
  const kinds = role === 'from' ? LEFT_KINDS : TARGET_KINDS;
  if (!kinds.has(node.kind) || node.triggeredByEvent) {
    throw refused(
      role === 'from' ? 'move.cannot-leave' : 'move.not-a-step',
      role === 'from'
        ? { vi: `Không chuyển được mã thông báo ra khỏi ${elementId} (${node.bpmnType}): chỉ rời được một bước đang chờ`, en: `A token cannot be moved out of ${elementId} (${node.bpmnType}): only a waiting step can be left` }
        : { vi: `Không chuyển được tới ${elementId} (${node.bpmnType}): chỉ chuyển tới được tác vụ người dùng, tác vụ tự động hoặc sự kiện bắt`, en: `A token cannot be moved to ${elementId} (${node.bpmnType}): only to a user task, an automated task or a catch event` },
      [{ elementId, field }],
    );
  }
  const multi = enclosing(compiled, node).find((around) => around.multiInstance !== undefined);
  if (multi) {
    throw refused(
      'move.multi-instance',
      {
        vi: `${elementId} ${multi.id === elementId ? 'là' : `nằm trong`} hoạt động nhiều thể hiện ${multi.id}: số thể hiện đã mở và đã xong được đếm trong trạng thái, không chuyển được một cách chính xác`,
        en: `${elementId} ${multi.id === elementId ? 'is' : 'lies inside'} the multi-instance activity ${multi.id}: the instances opened and done are counted in the state, so a move cannot be made faithfully`,
      },
      [{ elementId, field }],
    );
  }
  const state = (() => {
    try {
      return compiled.machine.getStateNodeById(stateId(elementId));
    } catch {
      return undefined;
    }
  })();
  if (!state) {
    // A catch event after an event-based gateway waits in the gateway's state.
    throw refused('move.not-a-step', { vi: `${elementId} không có bước chờ riêng (sự kiện sau cổng sự kiện chờ cùng cổng đó): hãy chọn cổng sự kiện`, en: `${elementId} has no waiting step of its own (an event after an event-based gateway waits with that gateway): choose the gateway` }, [{ elementId, field }]);
  }
  return state;
}

/** The compiled machine's configuration with `transition` added to the state of id `id`: a copy along the path to it, the rest shared. */
function withTransition(config: Record<string, unknown>, id: string, event: string, transition: Record<string, unknown>): Record<string, unknown> | undefined {
  if (config.id === id) {
    const on = (config.on ?? {}) as Record<string, unknown>;
    return { ...config, on: { ...on, [event]: [transition] } };
  }
  const states = config.states as Record<string, Record<string, unknown>> | undefined;
  for (const [key, child] of Object.entries(states ?? {})) {
    const changed = withTransition(child, id, event, transition);
    if (changed) return { ...config, states: { ...states, [key]: changed } };
  }
  return undefined;
}

/**
 * The step of moving the token of a running instance from one active element to another of the
 * same scope (or back into the same element, which restarts it: its task or job opens again).
 * Pure: the snapshot and its effects, stored by the caller as any other step.
 */
export function moveToken(compiled: CompiledProcess, stored: StoredSnapshot, move: TokenMove): Step {
  const snapshot = resolveStored(compiled.machine, stored);
  if (snapshot.status !== 'active') {
    throw new QuyTrinhError('conflict', 'instance.not-active', { vi: 'Hồ sơ quy trình đã kết thúc, không chuyển bước được', en: 'The process instance has ended; no token can be moved' });
  }
  const left = stateOf(compiled, move.from, 'from');
  const active = getStateNodes(compiled.machine.root, snapshot.value);
  if (!active.includes(left)) {
    throw refused('move.not-active', { vi: `Hồ sơ không đang ở ${move.from}: chỉ chuyển được từ bước đang chờ`, en: `The instance is not at ${move.from}: a token is moved only from where it waits` }, [{ elementId: move.from, field: 'body.from' }]);
  }
  const target = stateOf(compiled, move.to, 'to');
  if (target.parent !== left.parent) {
    throw refused(
      'move.other-scope',
      {
        vi: `${move.to} không cùng phạm vi với ${move.from} (khác nhánh song song hoặc khác tiến trình con): chuyển sang đó sẽ bỏ qua việc vào hoặc ra khỏi phạm vi ấy, không làm chính xác được`,
        en: `${move.to} is not in the same scope as ${move.from} (another parallel branch or sub-process): moving there would skip entering or leaving that scope, which cannot be done faithfully`,
      },
      [{ elementId: move.from, field: 'body.from' }, { elementId: move.to, field: 'body.to' }],
    );
  }
  // Re-entering the target even when it is the left element itself: its task or job opens anew.
  const config = withTransition(compiled.machine.config, left.id, MOVE_EVENT, { target: `#${target.id}`, reenter: true });
  const machine = createMachine(config as never, compiled.machine.implementations as never) as unknown as CompiledProcess['machine'];
  const step = transitionOn(machine, stored, { type: MOVE_EVENT });
  if (!step) throw new Error(`the move from ${move.from} to ${move.to} was not taken`);
  return step;
}
