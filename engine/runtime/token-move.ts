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
function stateOf(compiled: CompiledProcess, elementId: string, field: string): AnyStateNode {
  const role = field.endsWith('from') ? 'from' : 'to';
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

/** The field of a request that named an element: `body.from` for one move, `body.moves.2.to` for the third of several. */
export type MoveField = (index: number, role: 'from' | 'to') => string;
const singleField: MoveField = (_index, role) => `body.${role}`;
export const pairField: MoveField = (index, role) => `body.moves.${index}.${role}`;

/**
 * The step of moving the token of a running instance from one active element to another of the
 * same scope (or back into the same element, which restarts it: its task or job opens again).
 * Pure: the snapshot and its effects, stored by the caller as any other step.
 */
export function moveToken(compiled: CompiledProcess, stored: StoredSnapshot, move: TokenMove): Step {
  return moveTokens(compiled, stored, [move], singleField);
}

/** The element a state stands for (XState's meta, as the active elements are read). */
const elementOf = (state: AnyStateNode) => (state.meta as { elementId?: string } | undefined)?.elementId;
const isInside = (state: AnyStateNode, around: AnyStateNode) => state !== around && state.path.length > around.path.length && around.path.every((key, i) => state.path[i] === key);

/**
 * Several tokens moved in one step (issue 14: a parallel instance with a stuck branch). The pairs
 * going to one target are one transition: from a single element of the target's scope as above,
 * or out of the block around several (a parallel gateway's branches, a sub-process) when the
 * target stands in the block's own scope: the transition leaves the whole block, so XState exits
 * every element in it (their tasks, jobs, timers closed as when a flow leaves them) and enters the
 * target, as if the block had completed into it. Every element the instance stands at inside the
 * block must be named, or the move is refused naming those left (a token silently dropped is not a
 * faithful move). The groups are taken one after the other, each on the snapshot the previous one
 * gave; each must be possible on its own. Entering a block at given inner steps (one source, several
 * targets) is refused (`move.other-scope`): its other branches would be entered from nowhere.
 */
export function moveTokens(compiled: CompiledProcess, stored: StoredSnapshot, moves: readonly TokenMove[], field: MoveField = pairField): Step {
  const snapshot = resolveStored(compiled.machine, stored);
  if (snapshot.status !== 'active') {
    throw new QuyTrinhError('conflict', 'instance.not-active', { vi: 'Hồ sơ quy trình đã kết thúc, không chuyển bước được', en: 'The process instance has ended; no token can be moved' });
  }
  const active = getStateNodes(compiled.machine.root, snapshot.value);
  const lefts = moves.map((move, index) => {
    const left = stateOf(compiled, move.from, field(index, 'from'));
    if (!active.includes(left)) {
      throw refused('move.not-active', { vi: `Hồ sơ không đang ở ${move.from}: chỉ chuyển được từ bước đang chờ`, en: `The instance is not at ${move.from}: a token is moved only from where it waits` }, [{ elementId: move.from, field: field(index, 'from') }]);
    }
    return left;
  });
  const targets = moves.map((move, index) => stateOf(compiled, move.to, field(index, 'to')));
  // One transition per target, taken in the order the targets are first named.
  const groups = new Map<AnyStateNode, number[]>();
  targets.forEach((target, index) => groups.set(target, [...(groups.get(target) ?? []), index]));
  const transitions = [...groups].map(([target, indexes]) => {
    // The state the transition leaves: the sources themselves, or the block around them in the target's scope.
    const leaving = indexes.map((index) => {
      let around: AnyStateNode | undefined = lefts[index];
      while (around && around.parent !== target.parent) around = around.parent;
      return around;
    });
    const source = leaving[0];
    if (!source || leaving.some((state) => state !== source) || (indexes.length > 1 && indexes.some((index) => lefts[index] === source))) {
      const elements = indexes.flatMap((index) => [{ elementId: moves[index]!.from, field: field(index, 'from') }]);
      const from = elements.map((element) => element.elementId).join(', ');
      const to = moves[indexes[0]!]!.to;
      throw refused(
        'move.other-scope',
        {
          vi: `${to} không cùng phạm vi với ${from} (khác nhánh song song hoặc khác tiến trình con): chuyển sang đó sẽ bỏ qua việc vào hoặc ra khỏi phạm vi ấy, không làm chính xác được`,
          en: `${to} is not in the same scope as ${from} (another parallel branch or sub-process): moving there would skip entering or leaving that scope, which cannot be done faithfully`,
        },
        [...elements, { elementId: to, field: field(indexes[0]!, 'to') }],
      );
    }
    if (source !== lefts[indexes[0]!]) {
      // Out of a block: every element it stands at inside the block is named, itself, around or within a named one.
      const named = indexes.map((index) => lefts[index]!);
      const left = active.filter((state) => elementOf(state) !== undefined && isInside(state, source) && !named.some((name) => name === state || isInside(state, name) || isInside(name, state)));
      if (left.length > 0) {
        const ids = left.map((state) => elementOf(state)!);
        throw refused(
          'move.branches-left',
          {
            vi: `Hồ sơ còn đang ở ${ids.join(', ')} trong cùng khối với ${moves[indexes[0]!]!.from}: rời khối sang ${moves[indexes[0]!]!.to} thì phải chuyển cả các bước này`,
            en: `The instance also stands at ${ids.join(', ')} in the same block as ${moves[indexes[0]!]!.from}: leaving the block for ${moves[indexes[0]!]!.to} moves those too, so name them`,
          },
          ids.map((elementId) => ({ elementId, field: 'body.moves' })),
        );
      }
    }
    return { source, target, indexes, pair: moves[indexes[0]!]! };
  });
  // A source another transition leaves as well (an element inside a sub-process left as a whole) would be gone when its turn came.
  for (const { source, indexes } of transitions) {
    const other = moves.findIndex((_, index) => !indexes.includes(index) && (lefts[index] === source || isInside(lefts[index]!, source)));
    if (other >= 0) {
      const [outer, inner] = [moves[indexes[0]!]!.from, moves[other]!.from];
      throw refused(
        'move.overlapping',
        { vi: `${inner} nằm trong ${outer}, đã được chuyển đi cùng với nó: không chuyển riêng được`, en: `${inner} lies within ${outer}, which is moved as a whole: it cannot be moved on its own as well` },
        [{ elementId: outer, field: field(indexes[0]!, 'from') }, { elementId: inner, field: field(other, 'from') }],
      );
    }
  }
  let step: Step | undefined;
  for (const { source, target, pair } of transitions) {
    // Re-entering the target even when it is the left element itself: its task or job opens anew.
    const config = withTransition(compiled.machine.config, source.id, MOVE_EVENT, { target: `#${target.id}`, reenter: true });
    const machine = createMachine(config as never, compiled.machine.implementations as never) as unknown as CompiledProcess['machine'];
    const next = transitionOn(machine, step?.snapshot ?? stored, { type: MOVE_EVENT });
    if (!next) throw new Error(`the move from ${pair.from} to ${pair.to} was not taken`);
    step = step ? { ...next, effects: [...step.effects, ...next.effects] } : next;
  }
  return step!;
}
