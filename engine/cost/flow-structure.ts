/**
 * The shape of a process as the cost model walks it: for every scope (the process, each
 * sub-process) its nodes, the transitions between them with the chance each is taken, and
 * its parallel and inclusive blocks (a split and the join that closes it).
 *
 * The cost model reads as-is models too, which are drawn to be read, not run: it accepts what
 * BPMN means (an activity with two outgoing flows forks them) and refuses only what has no
 * expected value (probabilities that do not add up, a join no split opens), naming the element.
 */
import { describe } from '../bpmn/describe.ts';
import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';
import type { ErrorDetail } from '../errors.ts';

export interface Transition {
  target: number;
  /** Expected tokens passed to the target per visit of the source. */
  factor: number;
  /** A boundary event that does not interrupt: its path runs beside the activity. */
  beside?: boolean;
}

export type BlockKind = 'parallel' | 'inclusive';

export interface Block {
  kind: BlockKind;
  /** The node closing the block, or -1 when the branches end on their own. */
  join: number;
  /** Chance each branch is taken (1 for parallel), by branch target; `defaultBranch` is taken when no other is. */
  branches: Array<{ target: number; probability: number; isDefault: boolean }>;
}

export interface CostScope {
  /** The sub-process this scope is the inside of, or undefined for the process. */
  ownerId: string | undefined;
  nodes: FlowNode[];
  out: Transition[][];
  /** Where a run of this scope begins: its start events (weight 1 in all), and event sub-processes by their chance. */
  entries: Array<{ node: number; weight: number; beside: boolean }>;
  /** The block a split opens, by split index. */
  blocks: Map<number, Block>;
  /** For each node, the split of the innermost block it lies in (-1: the scope itself). */
  enclosingSplit: Int32Array;
  /** For each join, the split whose block it closes. */
  splitOfJoin: Map<number, number>;
  /** The inside of each sub-process node. */
  inner: Map<number, CostScope>;
  /** Instances per execution of a multi-instance node (1 elsewhere). */
  instances: Float64Array;
}

const GATEWAYS = new Set(['exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway', 'complexGateway']);
const PROBABILITY_TOLERANCE = 1e-6;

export function buildCostScope(graph: ProcessGraph, ownerId: string | undefined, memberIds: string[], problems: ErrorDetail[]): CostScope {
  const nodes = memberIds.map((id) => graph.nodes.get(id)!);
  const index = new Map(nodes.map((node, position) => [node.id, position]));
  const scope: CostScope = {
    ownerId,
    nodes,
    out: nodes.map(() => []),
    entries: [],
    blocks: new Map(),
    enclosingSplit: new Int32Array(nodes.length).fill(-1),
    splitOfJoin: new Map(),
    inner: new Map(),
    instances: new Float64Array(nodes.length).fill(1),
  };
  const boundariesOf = new Map<number, number[]>();
  nodes.forEach((node, position) => {
    if (node.kind !== 'boundaryEvent' || node.attachedTo === undefined) return;
    const host = index.get(node.attachedTo);
    if (host !== undefined) boundariesOf.set(host, [...(boundariesOf.get(host) ?? []), position]);
  });

  nodes.forEach((node, position) => {
    const flowTargets = branchProbabilities(graph, node, problems).flatMap(({ target, probability }) => {
      const targetIndex = index.get(target);
      return targetIndex === undefined ? [] : [{ target: targetIndex, factor: probability }];
    });
    const boundaries = (boundariesOf.get(position) ?? []).map((boundary) => ({ boundary, event: nodes[boundary]! }));
    const interruptingChance = boundaries.filter(({ event }) => event.interrupting !== false).reduce((sum, { event }) => sum + (event.probability ?? 0), 0);
    if (interruptingChance > 1 + PROBABILITY_TOLERANCE) {
      problems.push(detail(node.id, `${describe(node)}: tổng qt:probability của các sự kiện biên ngắt là ${round(interruptingChance)}, vượt quá 1`, `${describe(node, 'en')}: the interrupting boundary events' qt:probability add up to ${round(interruptingChance)}, more than 1`));
    }
    // An interrupting boundary event takes the token away: the normal path carries what is left.
    const normalShare = Math.max(0, 1 - interruptingChance);
    scope.out[position] = [
      ...flowTargets.map((transition) => ({ ...transition, factor: transition.factor * normalShare })),
      ...boundaries.map(({ boundary, event }) => ({ target: boundary, factor: event.probability ?? 0, ...(event.interrupting === false ? { beside: true } : {}) })),
    ];
    scope.instances[position] = instanceCount(node, problems);
  });

  nodes.forEach((node, position) => {
    if (node.children) scope.inner.set(position, buildCostScope(graph, node.id, node.children, problems));
  });
  scope.entries = scopeEntries(graph, scope, problems);
  findBlocks(graph, scope, index, problems);
  return scope;
}

/** What is wrong with the chances on a split's flows, if anything. */
export type SplitFault = { kind: 'missing'; flowIds: string[]; inclusive: boolean } | { kind: 'sum'; sum: number };

/**
 * The chance each outgoing flow of a node is taken. Exclusive and event-based splits must add
 * up to 1 (one flow may be left blank: it takes the remainder); inclusive flows are independent
 * chances, the default taken when no other is; anything else passes its token on every flow.
 * The lint rule on splits (engine/rules/procedure-rules.ts) reads the same answer, so a split the
 * cost model refuses is never one the checks let through.
 */
export function splitChances(graph: ProcessGraph, node: FlowNode): { chances: Array<{ target: string; probability: number; flowId: string }>; fault?: SplitFault } {
  const flows = node.outgoing.map((id) => graph.flows.get(id)!);
  const all = (probability: number) => flows.map((flow) => ({ target: flow.target, probability, flowId: flow.id }));
  if (flows.length <= 1 || !GATEWAYS.has(node.kind) || node.kind === 'parallelGateway') return { chances: all(1) };

  if (node.kind === 'inclusiveGateway') {
    const missing = flows.filter((flow) => flow.id !== node.defaultFlow && flow.probability === undefined);
    const noneTaken = flows.filter((flow) => flow.id !== node.defaultFlow).reduce((product, flow) => product * (1 - (flow.probability ?? 0)), 1);
    const chances = flows.map((flow) => ({ target: flow.target, flowId: flow.id, probability: flow.id === node.defaultFlow ? noneTaken : (flow.probability ?? 0) }));
    return missing.length > 0 ? { chances, fault: { kind: 'missing', flowIds: missing.map((flow) => flow.id), inclusive: true } } : { chances };
  }

  const missing = flows.filter((flow) => flow.probability === undefined);
  const given = flows.reduce((sum, flow) => sum + (flow.probability ?? 0), 0);
  if (missing.length > 1) return { chances: all(0), fault: { kind: 'missing', flowIds: missing.map((flow) => flow.id), inclusive: false } };
  const remainder = 1 - given;
  const chances = flows.map((flow) => ({ target: flow.target, flowId: flow.id, probability: flow.probability ?? Math.max(0, remainder) }));
  if (missing.length === 0 ? Math.abs(remainder) > PROBABILITY_TOLERANCE : remainder < -PROBABILITY_TOLERANCE) return { chances, fault: { kind: 'sum', sum: given } };
  return { chances };
}

function branchProbabilities(graph: ProcessGraph, node: FlowNode, problems: ErrorDetail[]): Array<{ target: string; probability: number; flowId: string }> {
  const { chances, fault } = splitChances(graph, node);
  if (fault?.kind === 'missing') for (const flowId of fault.flowIds) problems.push(missingProbability(node, flowId));
  if (fault?.kind === 'sum') {
    problems.push(detail(node.id, `${describe(node)}: tổng qt:probability của các luồng ra là ${round(fault.sum)}, phải bằng 1`, `${describe(node, 'en')}: the qt:probability of its outgoing flows add up to ${round(fault.sum)}, they must add up to 1`));
  }
  return chances;
}

function missingProbability(gateway: FlowNode, flowId: string): ErrorDetail {
  return detail(flowId, `Luồng ${flowId} ra khỏi cổng ${gateway.id} thiếu qt:probability (xác suất 0–1)`, `Flow ${flowId} leaving gateway ${gateway.id} has no qt:probability (a chance 0–1)`);
}

/** A multi-instance activity runs once per item: a literal loopCardinality, else qt:expectedCount. */
function instanceCount(node: FlowNode, problems: ErrorDetail[]): number {
  const multiInstance = node.multiInstance;
  if (!multiInstance) return 1;
  if (multiInstance.expectedCount !== undefined) return multiInstance.expectedCount;
  const literal = Number(multiInstance.cardinality);
  if (multiInstance.cardinality !== undefined && Number.isFinite(literal) && literal >= 0) return literal;
  problems.push(detail(node.id, `${describe(node)} lặp nhiều phiên bản theo dữ liệu: hãy ghi số phiên bản trung bình vào qt:expectedCount`, `${describe(node, 'en')} is multi-instance over data: give the average number of instances as qt:expectedCount`));
  return 1;
}

/**
 * Where one run of the scope begins. One start event gets the whole run; with several, each
 * says by qt:probability how often it is the one. An event sub-process happens beside the
 * scope with the chance on its start event.
 */
function scopeEntries(graph: ProcessGraph, scope: CostScope, problems: ErrorDetail[]): CostScope['entries'] {
  const starts = scope.nodes.flatMap((node, position) => (node.kind === 'startEvent' ? [{ node, position }] : []));
  const entries: CostScope['entries'] = [];
  if (starts.length === 1) entries.push({ node: starts[0]!.position, weight: 1, beside: false });
  else if (starts.length > 1) {
    const missing = starts.filter(({ node }) => node.probability === undefined);
    for (const { node } of missing) problems.push(detail(node.id, `${describe(node)}: quy trình có ${starts.length} sự kiện bắt đầu, hãy ghi qt:probability cho mỗi sự kiện`, `${describe(node, 'en')}: the scope has ${starts.length} start events; give each a qt:probability`));
    for (const { node, position } of starts) entries.push({ node: position, weight: node.probability ?? 0, beside: false });
  }
  scope.nodes.forEach((node, position) => {
    if (node.kind !== 'subProcess' || !node.triggeredByEvent) return;
    const start = (node.children ?? []).map((id) => graph.nodes.get(id)!).find((child) => child.kind === 'startEvent');
    entries.push({ node: position, weight: start?.probability ?? 0, beside: true });
  });
  return entries;
}

function isJoin(node: FlowNode): boolean {
  return (node.kind === 'parallelGateway' || node.kind === 'inclusiveGateway' || node.kind === 'complexGateway') && node.incoming.length > 1;
}

/** A parallel or inclusive gateway with several outgoing flows, or an activity or event forking its token. */
function isBlockSplit(node: FlowNode): boolean {
  if (node.outgoing.length <= 1) return false;
  return !GATEWAYS.has(node.kind) || node.kind === 'parallelGateway' || node.kind === 'inclusiveGateway' || node.kind === 'complexGateway';
}

/**
 * Pairs every split with its join by walking each block's branches once (a nested block is
 * stepped over through its own join), which also records the block every node lies in.
 */
function findBlocks(graph: ProcessGraph, scope: CostScope, index: Map<string, number>, problems: ErrorDetail[]): void {
  const { nodes } = scope;
  const UNSEEN = -2;
  scope.enclosingSplit.fill(UNSEEN);
  const state = new Uint8Array(nodes.length); // 0 unmatched, 1 matching, 2 matched
  const flowTargets = (position: number) => nodes[position]!.outgoing.flatMap((flowId) => {
    const target = index.get(graph.flows.get(flowId)!.target);
    return target === undefined ? [] : [target];
  });
  const boundaryTargets = (position: number) => scope.out[position]!.filter(({ target }) => nodes[target]!.kind === 'boundaryEvent').map(({ target }) => target);

  // Walks a block from its starts; returns the joins its branches run into.
  const walk = (owner: number, starts: number[]): Set<number> => {
    const joinsReached = new Set<number>();
    // A join entered from its own split (the block it closes was stepped over) is encoded as ~join.
    const pending = [...starts];
    while (pending.length > 0) {
      const encoded = pending.pop()!;
      const afterBlock = encoded < 0;
      const position = afterBlock ? ~encoded : encoded;
      const node = nodes[position]!;
      if (!afterBlock && isJoin(node)) {
        joinsReached.add(position);
        continue;
      }
      const seenIn = scope.enclosingSplit[position]!;
      if (seenIn !== UNSEEN) {
        if (seenIn !== owner) problems.push(detail(node.id, `${describe(node)} được đi tới từ hai khối song song khác nhau: mô hình không có cấu trúc khối`, `${describe(node, 'en')} is reached from two different parallel blocks: the model is not block-structured`));
        continue;
      }
      scope.enclosingSplit[position] = owner;
      pending.push(...boundaryTargets(position));
      if (!isBlockSplit(node)) {
        pending.push(...flowTargets(position));
        continue;
      }
      const join = matchJoin(position);
      if (join >= 0) pending.push(~join);
    }
    return joinsReached;
  };

  const matchJoin = (split: number): number => {
    if (state[split] === 2) return scope.blocks.get(split)?.join ?? -1;
    const node = nodes[split]!;
    if (state[split] === 1) {
      problems.push(detail(node.id, `${describe(node)}: một nhánh quay lại trước cổng tách mà chưa qua cổng gộp`, `${describe(node, 'en')}: a branch loops back before the split without passing its join`));
      return -1;
    }
    state[split] = 1;
    const joins = [...walk(split, flowTargets(split))];
    state[split] = 2;
    if (joins.length > 1) {
      problems.push(detail(node.id, `${describe(node)}: các nhánh kết thúc ở ${joins.length} cổng gộp khác nhau (${joins.map((join) => nodes[join]!.id).join(', ')})`, `${describe(node, 'en')}: its branches end at ${joins.length} different joins (${joins.map((join) => nodes[join]!.id).join(', ')})`));
    }
    const join = joins[0] ?? -1;
    if (join >= 0) {
      const other = scope.splitOfJoin.get(join);
      if (other !== undefined && other !== split) problems.push(detail(nodes[join]!.id, `${describe(nodes[join]!)} gộp nhánh của hai cổng tách (${nodes[other]!.id}, ${node.id})`, `${describe(nodes[join]!, 'en')} joins the branches of two splits (${nodes[other]!.id}, ${node.id})`));
      scope.splitOfJoin.set(join, split);
    }
    const probabilities = new Map(scope.out[split]!.map(({ target, factor }) => [target, factor]));
    scope.blocks.set(split, {
      kind: node.kind === 'inclusiveGateway' ? 'inclusive' : 'parallel',
      join,
      branches: node.outgoing.flatMap((flowId) => {
        const target = index.get(graph.flows.get(flowId)!.target);
        return target === undefined ? [] : [{ target, probability: probabilities.get(target) ?? 1, isDefault: flowId === node.defaultFlow }];
      }),
    });
    return join;
  };

  const unmatched = walk(-1, scope.entries.map(({ node }) => node));
  for (const join of unmatched) {
    problems.push(detail(nodes[join]!.id, `${describe(nodes[join]!)} là cổng gộp nhưng không có cổng tách tương ứng`, `${describe(nodes[join]!, 'en')} is a join that no split opens`));
  }
  // Nodes no start reaches (a dangling fragment) are visited zero times; they belong to the scope.
  for (let position = 0; position < nodes.length; position++) {
    if (scope.enclosingSplit[position] === UNSEEN) scope.enclosingSplit[position] = -1;
  }
}

export function detail(elementId: string, vi: string, en: string): ErrorDetail {
  return { elementId, message: en, messages: { vi, en } };
}

function round(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}
