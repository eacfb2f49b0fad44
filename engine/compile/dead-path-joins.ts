import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';
import { copyOf } from './implicit-gateways.ts';
import { alternativeJoins } from './join-diagnosis.ts';
import { EXIT, immediatePostDominators, reachableBefore, scopeOf } from './structure.ts';

/**
 * Parallel joins whose incoming flows are alternatives of choices made once (join-diagnosis.ts,
 * `alternativeJoins`): at most one of the flows ever carries a token. BPMN 2.0 §13.3.4 would have
 * such a join wait for ever; bpmn-elements runs it by dead-path elimination (a flow not taken at
 * the choice is discarded, and the join fires once each flow is taken or discarded), so it fires
 * on the one token that arrives, as an exclusive merge passes it (§13.3.2). The reading we chose
 * (docs/bpmn-coverage.md, "Paths merging outside a block") follows the peer for this provable case
 * only: each such join becomes an exclusive merge. Applied only when the model was refused as
 * drawn (index.ts), so what deployed before compiles as it did. A join that also splits keeps
 * its meaning only as a merge followed by a split, which is not drawn here, and a condition on its
 * flow out is refused on a parallel gateway (gateways.ts) where an exclusive one would evaluate
 * it: both stay refused.
 */
export function rewriteAlternativeJoins(source: ProcessGraph): ProcessGraph | undefined {
  const joins = [...alternativeJoins(source), ...boundaryPathJoins(source)].filter(mergesOnly(source));
  const blocks = blockJoinsOfAnotherKind(source);
  if (joins.length === 0 && blocks.length === 0) return undefined;
  const graph = copyOf(source);
  for (const join of joins) graph.nodes.get(join.id)!.kind = 'exclusiveGateway';
  for (const { join, kind } of blocks) graph.nodes.get(join.id)!.kind = kind;
  return graph;
}

/**
 * Parallel joins of an activity's path and the paths of its non-interrupting boundary events, and
 * of nothing else. BPMN 2.0 §13.3.4 would have the join wait for ever whenever the activity
 * completes before the event occurs; under bpmn-elements' dead-path elimination the event's flow is
 * discarded when the activity completes first, and when the event occurred first its token waits
 * at the join for the activity's: either way the join fires once, when the activity's token comes.
 * Read as an exclusive merge, each token passes on: the same run exactly when what follows the join
 * is an instant tail (instant-tails.ts, tried next with this rewrite), whose copy consumes the
 * event's token at once while the activity's path goes on, and the instance completes when the last
 * token is consumed, as the peer's does when its join fires; followed by anything that waits, the
 * merge is reached from outside its block and the model stays refused as drawn.
 */
function boundaryPathJoins(graph: ProcessGraph): FlowNode[] {
  return [...graph.nodes.values()].filter((join) => {
    if (join.kind !== 'parallelGateway' || join.incoming.length < 2) return false;
    const sources = join.incoming.map((flowId) => graph.nodes.get(graph.flows.get(flowId)!.source)!);
    const activity = sources.find((source) => source.attachedTo === undefined);
    if (activity === undefined) return false;
    const events = sources.filter((source) => source !== activity);
    return events.length > 0 && events.every((event) => event.attachedTo === activity.id && event.interrupting === false && event.outgoing.length === 1);
  });
}

/** A join that only merges: one flow out, with no condition (a parallel gateway refuses one, gateways.ts). */
const mergesOnly = (graph: ProcessGraph) => (join: FlowNode) => join.outgoing.length === 1 && graph.flows.get(join.outgoing[0]!)!.condition === undefined;

/**
 * Blocks closed by a join of another kind than their split, every flow into the join coming from
 * inside the block (a join reached from outside stays refused):
 * - an inclusive split closed by a parallel join: BPMN 2.0 §13.3.4 would have the join wait for
 *   ever once the split took fewer than all its flows; bpmn-elements' dead-path elimination fires
 *   it once each flow is taken or discarded, which is what an inclusive join closing the block does
 *   (gateways.ts: it waits for exactly the branches taken). The peer's reading, as above;
 * - a parallel split closed by an inclusive join: every branch is taken, so the inclusive join
 *   waits for them all (§13.3.3), as a parallel join does: BPMN's own meaning, unchanged.
 * The join is compiled as a gateway of its split's kind; the compiler then checks the block as
 * it checks any other.
 */
function blockJoinsOfAnotherKind(graph: ProcessGraph): Array<{ join: FlowNode; kind: 'inclusiveGateway' | 'parallelGateway' }> {
  const byScope = new Map<string | undefined, string[]>();
  for (const node of graph.nodes.values()) {
    const ids = byScope.get(node.parentId);
    if (ids) ids.push(node.id);
    else byScope.set(node.parentId, [node.id]);
  }
  const found: Array<{ join: FlowNode; kind: 'inclusiveGateway' | 'parallelGateway' }> = [];
  for (const ids of byScope.values()) {
    const scope = scopeOf(graph, ids);
    const postDominators = immediatePostDominators(scope);
    for (const id of ids) {
      const split = graph.nodes.get(id)!;
      if ((split.kind !== 'inclusiveGateway' && split.kind !== 'parallelGateway') || split.outgoing.length < 2) continue;
      const joinId = postDominators.get(id);
      if (joinId === undefined || joinId === EXIT) continue;
      const join = graph.nodes.get(joinId)!;
      const other = split.kind === 'inclusiveGateway' ? 'parallelGateway' : 'inclusiveGateway';
      if (join.kind !== other || join.incoming.length < 2 || !mergesOnly(graph)(join)) continue;
      const inside = reachableBefore(scope, id, joinId);
      if (join.incoming.every((flowId) => inside.has(graph.flows.get(flowId)!.source))) found.push({ join, kind: split.kind });
    }
  }
  return found;
}
