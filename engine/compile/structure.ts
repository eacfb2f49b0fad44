import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';

/**
 * Structure analysis of one scope (the process or one sub-process): which nodes follow which,
 * and, for a splitting gateway, the block it opens. Block-structured BPMN (every real procedure
 * is) compiles to native statecharts: a parallel or inclusive block becomes a parallel state
 * with one region per branch, closed by its join.
 */
export interface Scope {
  graph: ProcessGraph;
  /** Ids of the nodes directly in this scope. */
  nodeIds: ReadonlySet<string>;
  /** The interrupting boundary events of the scope by the activity they are attached to, in scope order. */
  interruptingBoundaries: ReadonlyMap<string, readonly string[]>;
}

export const EXIT = '(exit)';

/** A scope over the given nodes, its boundary events indexed once so that `successors` costs what the node has. */
export function scopeOf(graph: ProcessGraph, nodeIds: Iterable<string>): Scope {
  const ids = new Set(nodeIds);
  const interruptingBoundaries = new Map<string, string[]>();
  for (const id of ids) {
    const node = graph.nodes.get(id)!;
    // A compensation boundary event starts no path: it names its activity's handler (compensation.ts).
    if (node.attachedTo === undefined || node.interrupting === false || node.trigger?.kind === 'compensate') continue;
    const attached = interruptingBoundaries.get(node.attachedTo);
    if (attached) attached.push(id);
    else interruptingBoundaries.set(node.attachedTo, [id]);
  }
  return { graph, nodeIds: ids, interruptingBoundaries };
}

/**
 * Successors of a node inside its scope: targets of its outgoing flows, then its interrupting
 * boundary events. A non-interrupting boundary event's path runs beside the main flow (a side
 * region of the scope), so it is no successor here.
 */
export function successors(scope: Scope, node: FlowNode): string[] {
  const targets = node.outgoing.map((flowId) => scope.graph.flows.get(flowId)!.target);
  return [...targets, ...(scope.interruptingBoundaries.get(node.id) ?? [])];
}

/**
 * Immediate post-dominators of every node in the scope: the first node every path from it to
 * the scope's end must pass through (EXIT when the paths meet only at the end). A node with no
 * successor in the scope leads to EXIT.
 *
 * These are the immediate dominators of the reversed graph rooted at EXIT, computed with
 * Lengauer and Tarjan's algorithm (path compression, O(E log N)) on integer indexes, with
 * explicit stacks instead of recursion: models of tens of thousands of nodes are accepted for
 * deployment, and both the cubic set data-flow this replaces and a recursive depth-first search
 * would stall or overflow on them.
 */
export function immediatePostDominators(scope: Scope): Map<string, string> {
  const ids = [...scope.nodeIds];
  const n = ids.length;
  const exit = n; // EXIT's index
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  // Forward successors inside the scope (EXIT for a node with none), as a compressed adjacency list.
  const nextStart = new Int32Array(n + 2);
  const nextList: number[] = [];
  for (let v = 0; v < n; v++) {
    nextStart[v] = nextList.length;
    for (const s of successors(scope, scope.graph.nodes.get(ids[v]!)!)) {
      const index = indexOf.get(s);
      if (index !== undefined) nextList.push(index);
    }
    if (nextList.length === nextStart[v]) nextList.push(exit);
  }
  nextStart[n] = nextList.length;
  nextStart[n + 1] = nextList.length; // EXIT has no successor
  // Forward predecessors: the edges of the reversed graph, which is searched from EXIT.
  const prevStart = new Int32Array(n + 2);
  for (const target of nextList) prevStart[target + 1]!++;
  for (let v = 0; v <= n; v++) prevStart[v + 1]! += prevStart[v]!;
  const prevList = new Int32Array(nextList.length);
  const fill = prevStart.slice(0, n + 1);
  for (let v = 0; v < n; v++) {
    for (let e = nextStart[v]!; e < nextStart[v + 1]!; e++) prevList[fill[nextList[e]!]!++] = v;
  }

  // Depth-first search of the reversed graph from EXIT: preorder numbers, DFS-tree parents.
  const UNSEEN = -1;
  const number = new Int32Array(n + 1).fill(UNSEEN);
  const vertex = new Int32Array(n + 1);
  const parent = new Int32Array(n + 1);
  const edgeCursor = new Int32Array(n + 1);
  let count = 0;
  const stack = [exit];
  number[exit] = count;
  vertex[count++] = exit;
  edgeCursor[exit] = prevStart[exit]!;
  while (stack.length > 0) {
    const v = stack[stack.length - 1]!;
    if (edgeCursor[v]! === prevStart[v + 1]!) {
      stack.pop();
      continue;
    }
    const w = prevList[edgeCursor[v]!++]!;
    if (number[w] !== UNSEEN) continue;
    number[w] = count;
    vertex[count++] = w;
    parent[w] = v;
    edgeCursor[w] = prevStart[w]!;
    stack.push(w);
  }

  // Semi-dominators and immediate dominators (Lengauer & Tarjan 1979, the simple version).
  const semi = new Int32Array(n + 1);
  const label = new Int32Array(n + 1);
  const ancestor = new Int32Array(n + 1).fill(UNSEEN);
  const idom = new Int32Array(n + 1).fill(UNSEEN);
  const bucket = new Map<number, number[]>();
  for (let v = 0; v <= n; v++) {
    semi[v] = number[v]!;
    label[v] = v;
  }
  const path: number[] = [];
  const evaluate = (v: number): number => {
    if (ancestor[v] === UNSEEN) return v;
    // Compress the forest path from v, iteratively: collect it, then relabel from the top down.
    for (let u = v; ancestor[ancestor[u]!] !== UNSEEN; u = ancestor[u]!) path.push(u);
    while (path.length > 0) {
      const u = path.pop()!;
      const a = ancestor[u]!;
      if (semi[label[a]!]! < semi[label[u]!]!) label[u] = label[a]!;
      ancestor[u] = ancestor[a]!;
    }
    return label[v]!;
  };
  for (let i = count - 1; i > 0; i--) {
    const w = vertex[i]!;
    // The reversed graph's predecessors of w are w's forward successors.
    for (let e = nextStart[w]!; e < nextStart[w + 1]!; e++) {
      const v = nextList[e]!;
      if (number[v] === UNSEEN) continue;
      const u = evaluate(v);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    const semiVertex = vertex[semi[w]!]!;
    const waiting = bucket.get(semiVertex);
    if (waiting) waiting.push(w);
    else bucket.set(semiVertex, [w]);
    const p = parent[w]!;
    ancestor[w] = p;
    for (const v of bucket.get(p) ?? []) {
      const u = evaluate(v);
      idom[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucket.delete(p);
  }
  for (let i = 1; i < count; i++) {
    const w = vertex[i]!;
    if (idom[w] !== vertex[semi[w]!]) idom[w] = idom[idom[w]!]!;
  }

  const immediate = new Map<string, string>();
  const name = (v: number) => (v === exit ? EXIT : ids[v]!);
  const cannotEnd: number[] = [];
  for (let v = 0; v < n; v++) {
    if (number[v] === UNSEEN) cannotEnd.push(v);
    else immediate.set(ids[v]!, name(idom[v]!));
  }
  if (cannotEnd.length > 0) setNeverEnding(immediate, ids, cannotEnd, { number, vertex, idom, count });
  // In scope order, as callers may list the map.
  return new Map(ids.map((id) => [id, immediate.get(id)!]));
}

/**
 * Nodes that cannot reach the scope's end (a loop with no way out) have no post-dominator in the
 * proper sense. The set formulation this algorithm replaced (every node post-dominates them, the
 * immediate one being the first node, in scope order, that all the others' sets contain) gave
 * them a definite answer, which the compiler then checks like any other (such a split is refused
 * unless it names a join of its kind); it is kept exactly, so that no model compiles differently:
 * with two or more such nodes, the first other one of them; with one, the first node whose
 * post-dominators are every node but it, else EXIT.
 */
function setNeverEnding(immediate: Map<string, string>, ids: string[], cannotEnd: number[], tree: { number: Int32Array; vertex: Int32Array; idom: Int32Array; count: number }): void {
  if (cannotEnd.length >= 2) {
    for (const v of cannotEnd) immediate.set(ids[v]!, ids[v === cannotEnd[0] ? cannotEnd[1]! : cannotEnd[0]!]!);
    return;
  }
  // Depth in the post-dominator tree (EXIT at 0): a node's post-dominator set has depth + 1 members.
  const depth = new Int32Array(ids.length + 1);
  for (let i = 1; i < tree.count; i++) {
    const w = tree.vertex[i]!;
    depth[w] = depth[tree.idom[w]!]! + 1;
  }
  const whole = ids.findIndex((_, v) => tree.number[v] !== -1 && depth[v] === ids.length - 1);
  immediate.set(ids[cannotEnd[0]!]!, whole === -1 ? EXIT : ids[whole]!);
}

/** Nodes reachable from `from` inside the scope without passing through `stop`. */
export function reachableBefore(scope: Scope, from: string, stop: string): Set<string> {
  const seen = new Set<string>();
  const pending = [from];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (id === stop || seen.has(id) || !scope.nodeIds.has(id)) continue;
    seen.add(id);
    // successors(), without its arrays: each block level walks its branches again.
    for (const flowId of scope.graph.nodes.get(id)!.outgoing) pending.push(scope.graph.flows.get(flowId)!.target);
    for (const boundary of scope.interruptingBoundaries.get(id) ?? []) pending.push(boundary);
  }
  return seen;
}
