import type { ProcessGraph } from '../bpmn/process-graph.ts';
import { copyOf } from './implicit-gateways.ts';
import { alternativeJoins } from './join-diagnosis.ts';

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
  const joins = alternativeJoins(source).filter((join) => join.outgoing.length === 1 && source.flows.get(join.outgoing[0]!)!.condition === undefined);
  if (joins.length === 0) return undefined;
  const graph = copyOf(source);
  for (const join of joins) graph.nodes.get(join.id)!.kind = 'exclusiveGateway';
  return graph;
}
