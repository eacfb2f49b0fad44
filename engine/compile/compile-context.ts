import { describe } from '../bpmn/describe.ts';
import type { Conditions } from './conditions.ts';
import type { ErrorDetail } from '../errors.ts';
import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';
import type { CompiledProcess } from './index.ts';
import { EXIT, immediatePostDominators, scopeOf, type Scope } from './structure.ts';

/** What the compiler carries while it walks one process. */
export interface CompileContext {
  /** The graph compiled: the model's, with its implicit gateways made explicit (implicit-gateways.ts). */
  graph: ProcessGraph;
  /** The graph as read from the model. */
  model: ProcessGraph;
  /** Each implicit gateway of `graph`, with the element it stands for (refusals and failures name that element). */
  owners: ReadonlyMap<string, string>;
  /** For each scope without a start event: the node(s) it is entered at. */
  entries: ReadonlyMap<string, readonly string[]>;
  errors: ErrorDetail[];
  /** Nodes already given a state: a second visit means the model is not block-structured. */
  compiled: Set<string>;
  /** Joins that close a block opened by a split: only these may merge parallel paths. */
  closingJoins: Set<string>;
  /** The insides of parallel multi-instance sub-processes, compiled to run as child instances. */
  runs: Map<string, CompiledProcess>;
  /** The FEEL conditions of the process, each compiled once here for every evaluation. */
  conditions: Conditions;
  /** Every boundary event of the process by the activity it is attached to, in model order. */
  boundaryEvents: ReadonlyMap<string, readonly FlowNode[]>;
  /** How many fragments (scopes, block regions) enclose the one being compiled. */
  depth: number;
}

/**
 * A fragment: the part of a scope compiled into one XState compound state (a whole scope, or
 * one region of a parallel block). `stop` is the join closing the region; reaching it, or an
 * end event, finishes the fragment.
 */
export interface Fragment {
  scope: Scope;
  postDominators: Map<string, string>;
  members: ReadonlySet<string>;
  stop?: string | undefined;
  /** XState id of this fragment's final state. */
  finalId: string;
  /** XState id of the state a terminate end event goes to (the scope's end). */
  terminateId: string;
  /**
   * For the path of a non-interrupting boundary event: where its end events lead back to (the
   * side region's idle state) instead of finishing; such a fragment has no final state.
   */
  loopsBackTo?: string | undefined;
}

/** The boundary events of a graph by the activity they are attached to, indexed once per compilation. */
export function boundaryEventsByActivity(graph: ProcessGraph): Map<string, FlowNode[]> {
  const byActivity = new Map<string, FlowNode[]>();
  for (const node of graph.nodes.values()) {
    if (node.attachedTo === undefined) continue;
    const attached = byActivity.get(node.attachedTo);
    if (attached) attached.push(node);
    else byActivity.set(node.attachedTo, [node]);
  }
  return byActivity;
}

export function reject(context: CompileContext, elementId: string, vi: string, en: string): void {
  context.errors.push({ elementId: elementOf(context, elementId), message: en, messages: { vi, en } });
}

/** The model's element a compiled node stands for: itself, or, for an implicit gateway, the element whose flows it splits or the scope it starts. */
export function elementOf(context: CompileContext, nodeId: string): string {
  return context.owners.get(nodeId) ?? nodeId;
}

/** After refusing a sub-process, its inside is not reported again as unreachable. */
export function markInsideCompiled(context: CompileContext, node: FlowNode): void {
  const pending = [...(node.children ?? [])];
  while (pending.length > 0) {
    const child = pending.pop()!;
    context.compiled.add(child);
    pending.push(...(context.graph.nodes.get(child)!.children ?? []));
  }
}

/**
 * XState state ids are addressed as `#id`, where a dot would mean a child: BPMN ids (NCNames) may
 * contain dots, so every BPMN id that goes into a state id (an element's, a flow's) is escaped.
 */
export function escapeId(bpmnId: string): string {
  return bpmnId.replaceAll('.', '%2E');
}

export function stateId(elementId: string): string {
  return `el:${escapeId(elementId)}`;
}

/** XState id of the idle state of a non-interrupting boundary event's side region (see compileScope). */
export function sideIdleId(boundaryId: string): string {
  return `${stateId(boundaryId)}/idle`;
}

export function scopeFragment(graph: ProcessGraph, nodeIds: Iterable<string>, finalId: string, terminateId: string): Fragment {
  const scope = scopeOf(graph, nodeIds);
  return { scope, postDominators: immediatePostDominators(scope), members: scope.nodeIds, finalId, terminateId };
}

/** The XState target (`#id`) a sequence flow leads to from inside a fragment, or undefined (and an error) when it leaves it. */
export function flowTarget(context: CompileContext, fragment: Fragment, flowId: string): string | undefined {
  const flow = context.graph.flows.get(flowId)!;
  if (flow.target === fragment.stop) return `#${fragment.finalId}`;
  if (!fragment.members.has(flow.target)) {
    reject(
      context,
      flow.id,
      `Luồng ${flow.id} đi ra khỏi khối song song chứa nó (mô hình không có cấu trúc khối, động cơ không thực thi chính xác được)`,
      `Flow ${flow.id} leaves the parallel block it is in (the model is not block-structured, so the engine cannot execute it faithfully)`,
    );
    return undefined;
  }
  return `#${stateId(flow.target)}`;
}

/** Where a node goes when it is done: its single outgoing flow, or the fragment's end when it has none (implicit end). */
export function nextTarget(context: CompileContext, fragment: Fragment, node: FlowNode): string | undefined {
  if (node.outgoing.length === 0) return `#${fragment.finalId}`;
  if (node.outgoing.length > 1) {
    // Left unsplit only for an event whose flows carry conditions, which the model checks refuse by flow.
    if (node.outgoing.some((flowId) => context.graph.flows.get(flowId)!.condition !== undefined)) return undefined;
    reject(
      context,
      node.id,
      `${describe(node)} có ${node.outgoing.length} luồng ra: hãy dùng một cổng (gateway) để tách luồng`,
      `${describe(node, 'en')} has ${node.outgoing.length} outgoing flows: split them with a gateway`,
    );
    return undefined;
  }
  return flowTarget(context, fragment, node.outgoing[0]!);
}


export { EXIT, describe };
