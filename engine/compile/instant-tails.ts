import type { FlowNode, ProcessGraph, SequenceFlow } from '../bpmn/process-graph.ts';
import { copyOf } from './implicit-gateways.ts';

/**
 * Equivalence-preserving rewrites for models whose paths merge outside any block (BPMN 2.0
 * §13.2, §13.3), applied only when the block-structured compilation refused the model (index.ts):
 * what deployed before compiles exactly as it did.
 *
 * An instant tail is what follows an element when, from it on, every path passes only elements
 * that neither wait nor do anything (a task of no type, a plain exclusive merge, a none
 * intermediate throw event) and ends at a none end event, without a loop. A token entering it is
 * consumed within the same step, and nothing but its passage happens.
 *
 * - Copied tails. An element with several incoming flows whose tail is instant receives one token
 *   per arriving path (BPMN 2.0 §13.2.1: an activity or event without a gateway is activated by
 *   each token; an exclusive gateway passes each one, §13.3.2): each incoming flow after the
 *   first gets its own copy of the tail, so that paths of a parallel split, or a boundary event's
 *   path beside its activity, each run it in their own branch (userTask → task three times → end;
 *   a non-interrupting boundary event's path and its activity's both ending at one end event).
 * - Dropped branches. A parallel split (a gateway, or an activity's flows, implicit-gateways.ts)
 *   one of whose flows leads into an instant tail reached by nothing else, beside a branch that
 *   is no instant tail, passes that token through the tail and consumes it in the same step: the flow is
 *   dropped with its tail, and the split does the rest. The run is the same, step for step (the
 *   instance completes when its last token is consumed, and that token is consumed at once).
 *
 * A copy is named `<element>/via:<flow>` (a slash cannot occur in a BPMN id, an NCName); its
 * state never rests and emits nothing, so no task, job or history row names it.
 */
export function rewriteInstantTails(source: ProcessGraph): ProcessGraph | undefined {
  const graph = copyOf(source);
  const attached = new Set([...graph.nodes.values()].flatMap((node) => (node.attachedTo === undefined ? [] : [node.attachedTo])));
  const instant = (node: FlowNode) => passesAtOnce(graph, node, attached);
  let changed = false;
  let added = 0;
  // Copied tails, in one pass: a copy has one incoming flow and never merges, and copying a tail
  // leaves a merge further down it as a merge, met later in the pass.
  for (const merging of [...graph.nodes.values()]) {
    if (merging.incoming.length < 2) continue;
    const tail = instantTail(graph, merging.id, instant);
    if (tail === undefined) continue;
    added += tail.length * (merging.incoming.length - 1);
    if (added > MAX_COPIES) return undefined;
    for (const flowId of merging.incoming.slice(1)) copyTail(graph, tail, flowId);
    changed = true;
  }
  for (const split of [...graph.nodes.values()]) {
    if (split.kind !== 'parallelGateway' || split.outgoing.length < 2) continue;
    const isolated = (flowId: string) => {
      const target = graph.nodes.get(graph.flows.get(flowId)!.target)!;
      return target.incoming.length === 1 && instantTail(graph, target.id, instant) !== undefined;
    };
    const dropped = split.outgoing.filter(isolated);
    // Only beside a branch that is no instant tail: a split all of whose branches end at once is a block already.
    if (dropped.length === 0 || dropped.length === split.outgoing.length) continue;
    for (const flowId of dropped) dropBranch(graph, flowId, instant);
    changed = true;
  }
  return changed ? graph : undefined;
}

/** How many copied elements a model may gain; beyond it, the model stays refused as drawn. */
const MAX_COPIES = 1000;

/** Elements a token passes in the same step with no effect: a task of no type, a plain merge, a none throw or end event. */
function passesAtOnce(graph: ProcessGraph, node: FlowNode, attached: ReadonlySet<string>): boolean {
  switch (node.kind) {
    case 'task':
    case 'manualTask':
      return !node.multiInstance && !node.loop && !node.forCompensation && !attached.has(node.id) && node.qt.form === undefined && node.qt.dossierStep === undefined;
    case 'exclusiveGateway': {
      if (node.outgoing.length !== 1 || node.defaultFlow !== undefined) return false;
      return graph.flows.get(node.outgoing[0]!)!.condition === undefined;
    }
    case 'intermediateThrowEvent':
    case 'endEvent':
      return node.trigger === undefined || node.trigger.kind === 'none';
    default:
      return false;
  }
}

/** The elements of an instant tail from `id`, in walking order, or undefined when what follows is not one. */
function instantTail(graph: ProcessGraph, id: string, instant: (node: FlowNode) => boolean): FlowNode[] | undefined {
  const order: FlowNode[] = [];
  const state = new Map<string, 'open' | 'done'>();
  // Depth-first with an explicit stack: a node met again while open closes a loop.
  const stack: Array<{ node: FlowNode; next: number }> = [];
  const enter = (node: FlowNode): boolean => {
    if (!instant(node)) return false;
    state.set(node.id, 'open');
    order.push(node);
    stack.push({ node, next: 0 });
    return true;
  };
  if (!enter(graph.nodes.get(id)!)) return undefined;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === top.node.outgoing.length) {
      state.set(top.node.id, 'done');
      stack.pop();
      continue;
    }
    const target = graph.nodes.get(graph.flows.get(top.node.outgoing[top.next++]!)!.target)!;
    const seen = state.get(target.id);
    if (seen === 'open') return undefined;
    if (seen === undefined && !enter(target)) return undefined;
  }
  return order;
}

/** Gives the flow `via` its own copy of the tail (whose first element is the flow's target). */
function copyTail(graph: ProcessGraph, tail: readonly FlowNode[], via: string): void {
  const copyId = (id: string) => `${id}/via:${via}`;
  const inTail = new Set(tail.map((node) => node.id));
  for (const node of tail) {
    const copy: FlowNode = { ...node, id: copyId(node.id), incoming: [], outgoing: [] };
    graph.nodes.set(copy.id, copy);
    insertAfter(graph, node, copy.id);
  }
  for (const node of tail) {
    for (const flowId of node.outgoing) {
      const flow = graph.flows.get(flowId)!;
      const copy: SequenceFlow = { ...flow, id: copyId(flow.id), source: copyId(flow.source), target: inTail.has(flow.target) ? copyId(flow.target) : flow.target };
      graph.flows.set(copy.id, copy);
      graph.nodes.get(copy.source)!.outgoing.push(copy.id);
      graph.nodes.get(copy.target)!.incoming.push(copy.id);
    }
  }
  const first = tail[0]!;
  const flow = graph.flows.get(via)!;
  graph.flows.set(via, { ...flow, target: copyId(first.id) });
  first.incoming = first.incoming.filter((id) => id !== via);
  graph.nodes.get(copyId(first.id))!.incoming.push(via);
}

/**
 * Removes a split's flow and its tail. Once tails are copied, each element of a tail is reached
 * only from inside it (an element reached also from outside would be a merge with that tail, and
 * copied), so the whole tail goes.
 */
function dropBranch(graph: ProcessGraph, flowId: string, instant: (node: FlowNode) => boolean): void {
  const flow = graph.flows.get(flowId)!;
  const split = graph.nodes.get(flow.source)!;
  split.outgoing = split.outgoing.filter((id) => id !== flowId);
  graph.flows.delete(flowId);
  for (const node of instantTail(graph, flow.target, instant)!) {
    for (const out of node.outgoing) graph.flows.delete(out);
    graph.nodes.delete(node.id);
    removeFromScope(graph, node);
  }
}

function scopeList(graph: ProcessGraph, node: FlowNode): string[] {
  return node.parentId === undefined ? graph.topLevel : graph.nodes.get(node.parentId)!.children!;
}

function insertAfter(graph: ProcessGraph, node: FlowNode, id: string): void {
  const list = scopeList(graph, node);
  list.splice(list.indexOf(node.id) + 1, 0, id);
}

function removeFromScope(graph: ProcessGraph, node: FlowNode): void {
  const list = scopeList(graph, node);
  list.splice(list.indexOf(node.id), 1);
}
