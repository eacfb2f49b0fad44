import type { FlowNode, NodeKind, ProcessGraph, SequenceFlow } from '../bpmn/process-graph.ts';

/**
 * What BPMN 2.0 gives a token where the model draws no gateway, made explicit as gateways the
 * compiler already executes, on a copy of the graph (the graph as read stays what the model says):
 *
 * - A process or sub-process without a start event instantiates every flow node without incoming
 *   flows (BPMN 2.0 §10.5.2, §13.1; boundary events and event sub-processes excepted): one such
 *   node is the scope's entry; several are the branches of an implicit parallel split.
 * - An activity's outgoing flows (§13.2.1): unconditional ones are all taken (a parallel
 *   split), conditional ones when their condition holds, and its default flow when no other flow
 *   is taken; no flow taken fails the instance, as a gateway with no way out does. With at most
 *   one flow besides the default, at most one is taken: an exclusive choice, whose paths may meet
 *   anywhere; otherwise a parallel split (no condition) or an inclusive one, whose paths must be
 *   block-structured like those of an explicit split. An event's several outgoing flows are all
 *   taken (a condition on a flow out of an event is refused, engine/compile/model-checks.ts).
 *
 * Each added gateway is named `<element>/start` or `<element>/split` (a slash cannot occur in a
 * BPMN id, an NCName) and its flows likewise; a refusal naming one is reported on the element it
 * stands for (`owners`).
 */
export interface ImplicitGateways {
  graph: ProcessGraph;
  /** Each added gateway's id, with the element (process, sub-process, activity or event) it stands for. */
  owners: ReadonlyMap<string, string>;
  /** For each scope (the process id, or a sub-process id) without a start event: the node(s) it is entered at. */
  entries: ReadonlyMap<string, readonly string[]>;
}

const ACTIVITIES = new Set<NodeKind>(['userTask', 'serviceTask', 'sendTask', 'businessRuleTask', 'scriptTask', 'receiveTask', 'manualTask', 'task', 'subProcess', 'callActivity']);
const SPLITTING_EVENTS = new Set<NodeKind>(['startEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent']);

export function implicitGateways(source: ProcessGraph): ImplicitGateways {
  const owners = new Map<string, string>();
  const entries = new Map<string, string[]>();
  const scopes: Array<{ id: string; members: string[] }> = [
    { id: source.id, members: source.topLevel },
    ...[...source.nodes.values()].filter((node) => node.kind === 'subProcess' && !node.triggeredByEvent).map((node) => ({ id: node.id, members: node.children ?? [] })),
  ];
  const splits = [...source.nodes.values()].filter((node) => splitKind(source, node) !== undefined);
  const startless = scopes.filter((scope) => !scope.members.some((id) => source.nodes.get(id)!.kind === 'startEvent'));
  if (splits.length === 0 && startless.length === 0) return { graph: source, owners, entries };

  const graph = copyOf(source);
  // Added gateways by the node they follow, and by the scope they start.
  const added = new Map<string, string>();
  const startOf = new Map<string, string>();
  for (const node of splits) {
    const kind = splitKind(source, node)!;
    const split = addGateway(graph, `${node.id}/split`, kind, node);
    owners.set(split.id, node.id);
    added.set(node.id, split.id);
    split.defaultFlow = node.defaultFlow;
    const copy = graph.nodes.get(node.id)!;
    for (const flowId of copy.outgoing) {
      const flow = { ...graph.flows.get(flowId)! };
      flow.source = split.id;
      // An unconditional flow out of an activity is taken whenever the activity completes.
      if (kind !== 'parallelGateway' && flowId !== node.defaultFlow && flow.condition === undefined) flow.condition = 'true';
      graph.flows.set(flowId, flow);
      split.outgoing.push(flowId);
    }
    copy.outgoing = [];
    copy.defaultFlow = undefined;
    connect(graph, copy, split, `${node.id}/split`);
  }
  for (const scope of startless) {
    const starts = scope.members.filter((id) => {
      const node = source.nodes.get(id)!;
      // A compensation handler runs only when its activity is compensated (compensation.ts).
      return node.incoming.length === 0 && node.kind !== 'boundaryEvent' && !node.triggeredByEvent && !node.forCompensation;
    });
    if (starts.length <= 1) {
      entries.set(scope.id, starts);
      continue;
    }
    const first = graph.nodes.get(starts[0]!)!;
    const start = addGateway(graph, `${scope.id}/start`, 'parallelGateway', { id: scope.id, parentId: scope.id === source.id ? undefined : scope.id, lane: first.lane });
    owners.set(start.id, scope.id);
    startOf.set(scope.id, start.id);
    for (const id of starts) connect(graph, start, graph.nodes.get(id)!, `${scope.id}/start/${id}`);
    entries.set(scope.id, [start.id]);
  }
  // The scopes' node lists, with each added gateway after the node it follows (a start gateway first).
  const withAdded = (members: string[], scopeId: string) => [
    ...(startOf.has(scopeId) ? [startOf.get(scopeId)!] : []),
    ...members.flatMap((id) => (added.has(id) ? [id, added.get(id)!] : [id])),
  ];
  graph.topLevel = withAdded(source.topLevel, source.id);
  for (const node of graph.nodes.values()) {
    if (node.children) node.children = withAdded(node.children, node.id);
  }
  return { graph, owners, entries };
}

/** The gateway an element's outgoing flows amount to, or undefined when they are a plain sequence (one unconditional flow, or none). */
function splitKind(graph: ProcessGraph, node: FlowNode): NodeKind | undefined {
  const flows = node.outgoing.map((id) => graph.flows.get(id)!);
  const conditional = flows.some((flow) => flow.condition !== undefined);
  if (SPLITTING_EVENTS.has(node.kind)) return flows.length > 1 && !conditional ? 'parallelGateway' : undefined;
  if (!ACTIVITIES.has(node.kind)) return undefined;
  if (flows.length === 0 || (flows.length === 1 && !conditional)) return undefined;
  const others = flows.filter((flow) => flow.id !== node.defaultFlow);
  if (others.length <= 1) return 'exclusiveGateway';
  return conditional || node.defaultFlow !== undefined ? 'inclusiveGateway' : 'parallelGateway';
}

/** A copy of a graph whose nodes, their flow lists and the scopes' member lists can be changed without touching the original. */
export function copyOf(graph: ProcessGraph): ProcessGraph {
  const nodes = new Map([...graph.nodes].map(([id, node]) => [id, { ...node, incoming: [...node.incoming], outgoing: [...node.outgoing], ...(node.children ? { children: [...node.children] } : {}) }]));
  return { ...graph, nodes, flows: new Map(graph.flows), topLevel: [...graph.topLevel] };
}

function addGateway(graph: ProcessGraph, id: string, kind: NodeKind, near: Pick<FlowNode, 'id' | 'parentId' | 'lane'>): FlowNode {
  const gateway: FlowNode = { id, kind, bpmnType: `qt:Implicit(${kind})`, parentId: near.parentId, incoming: [], outgoing: [], lane: near.lane, qt: { documents: [] } };
  graph.nodes.set(id, gateway);
  return gateway;
}

function connect(graph: ProcessGraph, from: FlowNode, to: FlowNode, flowId: string): void {
  const flow: SequenceFlow = { id: flowId, source: from.id, target: to.id };
  graph.flows.set(flowId, flow);
  from.outgoing.push(flowId);
  to.incoming.push(flowId);
}
