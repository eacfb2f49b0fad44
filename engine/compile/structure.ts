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
}

export const EXIT = '(exit)';

/**
 * Successors of a node inside its scope: targets of its outgoing flows, then its interrupting
 * boundary events. A non-interrupting boundary event's path runs beside the main flow (a side
 * region of the scope), so it is no successor here.
 */
export function successors(scope: Scope, node: FlowNode): string[] {
  const targets = node.outgoing.map((flowId) => scope.graph.flows.get(flowId)!.target);
  const boundaries = [...scope.nodeIds].filter((id) => {
    const candidate = scope.graph.nodes.get(id)!;
    return candidate.attachedTo === node.id && candidate.interrupting !== false;
  });
  return [...targets, ...boundaries];
}

/**
 * Immediate post-dominators of every node in the scope: the first node every path from it to
 * the scope's end must pass through (EXIT when the paths meet only at the end). Iterative
 * data-flow on the reversed graph; scopes are small (hundreds of nodes).
 */
export function immediatePostDominators(scope: Scope): Map<string, string> {
  const ids = [...scope.nodeIds];
  const next = new Map(ids.map((id) => [id, successors(scope, scope.graph.nodes.get(id)!).filter((s) => scope.nodeIds.has(s))]));
  const all = new Set([...ids, EXIT]);
  const postDominators = new Map<string, Set<string>>(ids.map((id) => [id, new Set(all)]));
  postDominators.set(EXIT, new Set([EXIT]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of ids) {
      const outs = next.get(id)!;
      const sets = (outs.length === 0 ? [EXIT] : outs).map((s) => postDominators.get(s)!);
      const meet = new Set([...sets[0]!].filter((candidate) => sets.every((set) => set.has(candidate))));
      meet.add(id);
      if (meet.size !== postDominators.get(id)!.size) {
        postDominators.set(id, meet);
        changed = true;
      }
    }
  }
  // The immediate one is the strict post-dominator that all the others post-dominate.
  const immediate = new Map<string, string>();
  for (const id of ids) {
    const strict = [...postDominators.get(id)!].filter((candidate) => candidate !== id);
    const closest = strict.find((candidate) => strict.every((other) => other === candidate || (postDominators.get(candidate)?.has(other) ?? other === EXIT)));
    immediate.set(id, closest ?? EXIT);
  }
  return immediate;
}

/** Nodes reachable from `from` inside the scope without passing through `stop`. */
export function reachableBefore(scope: Scope, from: string, stop: string): Set<string> {
  const seen = new Set<string>();
  const pending = [from];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (id === stop || seen.has(id) || !scope.nodeIds.has(id)) continue;
    seen.add(id);
    pending.push(...successors(scope, scope.graph.nodes.get(id)!));
  }
  return seen;
}
