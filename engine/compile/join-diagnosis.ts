import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';
import { describe } from '../bpmn/describe.ts';
import { QuyTrinhError, type Bilingual, type ErrorDetail } from '../errors.ts';

/**
 * Why a refused parallel join can never fire, when it is certain: BPMN 2.0 §13.3.4 fires a
 * parallel gateway when there is a token on every incoming flow, and two of its flows follow
 * different alternatives of one choice taken once (an exclusive or event-based gateway, an
 * inclusive gateway's default and another of its flows, an activity and its interrupting boundary
 * event, two start events), or one follows a non-interrupting boundary event and the other its
 * activity's completion, after which the event no longer occurs. bpmn-elements runs such joins
 * by dead-path elimination (a flow not taken is "discarded", and the join fires once every flow
 * is taken or discarded), which BPMN 2.0 does not give the parallel gateway; the engine refuses
 * them, and says so in place of the general "does not close a block".
 *
 * Certain, because the choice is made once: no split, non-interrupting boundary event or second
 * entry can send two tokens to it, and it lies on no loop; and each alternative lies on every
 * path from the scope's entry to its flow into the join (it dominates that flow).
 */
export function explainJoins(graph: ProcessGraph, refusal: QuyTrinhError): QuyTrinhError {
  if (graph.nodes.size > MAX_NODES) return refusal;
  const explained = new Map<string, Bilingual>();
  const scopes = new Map<string | undefined, ScopeGraph>();
  for (const node of graph.nodes.values()) {
    if (node.kind !== 'parallelGateway' || node.incoming.length < 2) continue;
    if (!refusal.details.some((detail) => generalAbout(detail, node.id) !== undefined)) continue;
    if (!scopes.has(node.parentId)) scopes.set(node.parentId, new ScopeGraph(graph, node.parentId));
    const reason = neverFires(scopes.get(node.parentId)!, node);
    if (reason) explained.set(node.id, reason);
  }
  if (explained.size === 0) return refusal;
  const details: ErrorDetail[] = [];
  for (const detail of refusal.details) {
    const join = [...explained.keys()].find((id) => generalAbout(detail, id) !== undefined);
    if (join === undefined) {
      details.push(detail);
      continue;
    }
    const reason = explained.get(join)!;
    if (!details.some((kept) => kept.elementId === join && kept.message === reason.en)) details.push({ elementId: join, message: reason.en, messages: reason });
  }
  const vi = `Mô hình ${graph.id} không thực thi được: ${details.length} lỗi`;
  const en = `Model ${graph.id} cannot be executed: ${details.length} error(s)`;
  return new QuyTrinhError(refusal.kind, refusal.code, { vi, en }, details);
}

/**
 * Whether a refusal is one of the general ones about a join outside a block (gateways.ts,
 * fragment.ts) that a certain reason replaces: the join's own ("does not close a block", "reached
 * from outside its block"), or its split's ("its branches meet again at <join> (parallelGateway)").
 */
function generalAbout(detail: ErrorDetail, joinId: string): string | undefined {
  if (detail.elementId === joinId && (detail.message.includes('joins parallel paths but does not close a block') || detail.message.includes('is reached from outside its block'))) return joinId;
  return detail.message.includes(`splits, but its branches meet again at ${joinId} (parallelGateway)`) ? joinId : undefined;
}

/**
 * Past this size a refused model keeps its general reasons: each join looks at every choice
 * before it, and each alternative costs a walk of the scope (a quarter of a second at this size).
 */
const MAX_NODES = 400;

/**
 * A choice's alternative: a flow it may take, or an interrupting boundary event it may leave by
 * (`attach:<boundary>`); as what a walk avoids, also a whole node (`node:<id>`).
 */
type Edge = string;

/** One scope's flow graph, with each interrupting boundary event an edge from its activity. */
class ScopeGraph {
  readonly members: FlowNode[];
  constructor(
    readonly graph: ProcessGraph,
    readonly parentId: string | undefined,
  ) {
    this.members = [...graph.nodes.values()].filter((node) => node.parentId === parentId && !node.triggeredByEvent);
    for (const node of this.members) {
      if (node.attachedTo === undefined) continue;
      const attached = this.boundaries.get(node.attachedTo);
      if (attached) attached.push(node);
      else this.boundaries.set(node.attachedTo, [node]);
    }
  }

  private multiplied: Set<string> | undefined;

  /**
   * Whether a node is entered at most once in an instance: no node that may send more than one
   * token on (a split, an activity with a non-interrupting boundary event) leads to it, and it
   * lies on no loop.
   */
  onceOnly(node: FlowNode): boolean {
    this.multiplied ??= this.reach(this.members.filter((member) => multiplies(this, member)).flatMap((member) => this.out(member).map(({ to }) => to)));
    return !this.multiplied.has(node.id) && !this.reach(this.out(node).map(({ to }) => to)).has(node.id);
  }

  /** The boundary events of the scope by the activity they are attached to. */
  readonly boundaries = new Map<string, FlowNode[]>();

  /** Where a scope's tokens come from: its start events, or its nodes without incoming flows. */
  entries(): FlowNode[] {
    const starts = this.members.filter((node) => node.kind === 'startEvent');
    return starts.length > 0 ? starts : this.members.filter((node) => node.incoming.length === 0 && node.attachedTo === undefined && !node.forCompensation);
  }

  /** Each edge out of a node, with the node it leads to. */
  out(node: FlowNode): Array<{ edge: Edge; to: FlowNode }> {
    const edges = node.outgoing.map((flowId) => ({ edge: flowId, to: this.graph.nodes.get(this.graph.flows.get(flowId)!.target)! }));
    for (const boundary of this.boundaries.get(node.id) ?? []) edges.push({ edge: `attach:${boundary.id}`, to: boundary });
    return edges;
  }

  private readonly walks = new Map<string, Set<string>>();

  /** The nodes reached from the given ones without passing `avoid` (an edge), each walk made once. */
  reach(from: readonly FlowNode[], avoid?: Edge): Set<string> {
    const key = `${from.map((node) => node.id).join('\n')}\t${avoid ?? ''}`;
    let seen = this.walks.get(key);
    if (seen === undefined) {
      seen = this.walk(from, avoid);
      this.walks.set(key, seen);
    }
    return seen;
  }

  private walk(from: readonly FlowNode[], avoid: Edge | undefined): Set<string> {
    const seen = new Set<string>();
    const pending = [...from];
    while (pending.length > 0) {
      const node = pending.pop()!;
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      if (avoid === `node:${node.id}`) continue;
      for (const { edge, to } of this.out(node)) if (edge !== avoid) pending.push(to);
    }
    return seen;
  }
}

/** Whether a node may send more than one token on (a split, an activity whose non-interrupting boundary event starts a side path). */
function multiplies(scope: ScopeGraph, node: FlowNode): boolean {
  if ((node.kind === 'parallelGateway' || node.kind === 'inclusiveGateway') && node.outgoing.length > 1) return true;
  if (node.kind !== 'exclusiveGateway' && node.kind !== 'eventBasedGateway' && node.outgoing.length > 1) return true;
  // A multi-instance activity or a standard loop is one activity to the flows around it: it
  // completes once, after all its instances or rounds (BPMN 2.0 §13.2.7, §13.2.6), sending one
  // token on, and an interrupting boundary event ends it whole (§10.4.3).
  return (scope.boundaries.get(node.id) ?? []).some((boundary) => boundary.interrupting === false);
}

/** The alternatives of a choice taken once, each with what the refusal says of it; undefined for a node that is no such choice. */
function alternatives(scope: ScopeGraph, node: FlowNode): { edges: Edge[]; exclusive: (a: Edge, b: Edge) => boolean; say: Bilingual } | undefined {
  const name = describe(node);
  const nameEn = describe(node, 'en');
  switch (node.kind) {
    case 'exclusiveGateway':
      return { edges: node.outgoing, exclusive: () => true, say: { vi: `${name} chỉ đi một trong các luồng ra`, en: `${nameEn} takes one of its outgoing flows` } };
    case 'eventBasedGateway':
      return { edges: node.outgoing, exclusive: () => true, say: { vi: `sau ${name} chỉ sự kiện đến trước được đi tiếp`, en: `after ${nameEn} only the first event to occur goes on` } };
    case 'inclusiveGateway':
      if (node.defaultFlow === undefined) return undefined;
      return {
        edges: node.outgoing,
        exclusive: (a, b) => a === node.defaultFlow || b === node.defaultFlow,
        say: { vi: `luồng mặc định của ${name} chỉ được đi khi không luồng nào khác được đi`, en: `the default flow of ${nameEn} is taken only when no other flow is` },
      };
    default: {
      const interrupting = (scope.boundaries.get(node.id) ?? []).filter((boundary) => boundary.interrupting !== false && boundary.trigger?.kind !== 'compensate');
      if (interrupting.length === 0 || node.outgoing.length > 1) return undefined;
      const names = interrupting.map((boundary) => boundary.id).join(', ');
      return {
        edges: [...node.outgoing, ...interrupting.map((boundary) => `attach:${boundary.id}`)],
        exclusive: () => true,
        say: { vi: `${name} hoặc hoàn thành, hoặc bị sự kiện biên ngắt (${names}) dừng lại, không thể cả hai`, en: `${nameEn} either completes or is interrupted by its boundary event (${names}), never both` },
      };
    }
  }
}

/** Where a choice's alternative leads: its flow's target, or its boundary event. */
function edgeTarget(scope: ScopeGraph, choice: FlowNode, edge: Edge): FlowNode {
  return scope.out(choice).find((out) => out.edge === edge)!.to;
}

/** A flow into a join, with the node it comes from. */
interface Incoming {
  flowId: string;
  source: FlowNode;
}

/** The flows into a join whose source the scope's entries reach. */
function reachedSources(scope: ScopeGraph, join: FlowNode, reachable: Set<string>): Incoming[] {
  return join.incoming.map((flowId) => ({ flowId, source: scope.graph.nodes.get(scope.graph.flows.get(flowId)!.source)! })).filter(({ source }) => reachable.has(source.id));
}

/** A choice made once, with the alternatives that lead to a flow when the choice lies on every path to it and nothing else of it does. */
interface Choice {
  exclusive: (a: Edge, b: Edge) => boolean;
  say: Bilingual;
  leadingTo: (incoming: Incoming) => Edge[];
}

function choicesMadeOnce(scope: ScopeGraph, entries: FlowNode[], reachable: Set<string>): Choice[] {
  const found: Choice[] = [];
  for (const choice of scope.members) {
    // An implicit gateway (implicit-gateways.ts) stands for an activity's flows, which the activity's own reason names.
    if (!reachable.has(choice.id) || choice.bpmnType.startsWith('qt:Implicit')) continue;
    const choices = alternatives(scope, choice);
    if (choices === undefined || !scope.onceOnly(choice)) continue;
    const avoided = scope.reach(entries, `node:${choice.id}`);
    // Ways on from the choice that are no alternative (a non-interrupting boundary event's path).
    const beside = scope.out(choice).filter(({ edge }) => !choices.edges.includes(edge));
    const leadingTo = (incoming: Incoming): Edge[] => {
      if (incoming.source === choice) return [incoming.flowId];
      if (avoided.has(incoming.source.id) || beside.some(({ to }) => scope.reach([to]).has(incoming.source.id))) return [];
      return choices.edges.filter((edge) => scope.reach([edgeTarget(scope, choice, edge)]).has(incoming.source.id));
    };
    found.push({ exclusive: choices.exclusive, say: choices.say, leadingTo });
  }
  return found;
}

/** Whether two flows follow different alternatives of the choice, never both taken. */
function apart(choice: Choice, a: Incoming, b: Incoming): boolean {
  const viaA = choice.leadingTo(a);
  const viaB = choice.leadingTo(b);
  return viaA.length > 0 && viaB.length > 0 && viaA.every((edgeA) => viaB.every((edgeB) => edgeA !== edgeB && choice.exclusive(edgeA, edgeB)));
}

/**
 * The parallel joins at most one of whose incoming flows can ever carry a token: each two of the
 * flows its scope's entries reach follow different alternatives of a choice made once (as above),
 * and the join itself is entered at most once (nothing that sends several tokens on leads to it,
 * and it lies on no loop), so no flow carries two. BPMN 2.0 §13.3.4 would have such a join wait
 * for ever; bpmn-elements' dead-path elimination fires it on the one token that arrives, as an
 * exclusive merge does (dead-path-joins.ts). A scope without start events, entered at several
 * nodes at once, and several start events (each of which the peer starts, §10.5.2 notwithstanding)
 * are left out: the proof counts the tokens of one entry.
 */
export function alternativeJoins(graph: ProcessGraph): FlowNode[] {
  if (graph.nodes.size > MAX_NODES) return [];
  const found: FlowNode[] = [];
  const scopes = new Map<string | undefined, { scope: ScopeGraph; entries: FlowNode[]; reachable: Set<string>; choices: Choice[] } | undefined>();
  for (const node of graph.nodes.values()) {
    if (node.kind !== 'parallelGateway' || node.incoming.length < 2) continue;
    if (!scopes.has(node.parentId)) {
      const scope = new ScopeGraph(graph, node.parentId);
      const entries = scope.entries();
      const reachable = scope.reach(entries);
      scopes.set(node.parentId, entries.length === 1 ? { scope, entries, reachable, choices: choicesMadeOnce(scope, entries, reachable) } : undefined);
    }
    const inScope = scopes.get(node.parentId);
    if (inScope === undefined || !inScope.reachable.has(node.id) || !inScope.scope.onceOnly(node)) continue;
    const sources = reachedSources(inScope.scope, node, inScope.reachable);
    if (sources.length < 2) continue;
    const pairwise = sources.every((a, i) => sources.slice(i + 1).every((b) => inScope.choices.some((choice) => apart(choice, a, b))));
    if (pairwise) found.push(node);
  }
  return found;
}

function neverFires(scope: ScopeGraph, join: FlowNode): Bilingual | undefined {
  const entries = scope.entries();
  if (entries.length === 0) return undefined;
  const reachable = scope.reach(entries);
  const sources = reachedSources(scope, join, reachable);
  // Whether every path from the entries to a flow into the join passes `edge`.
  const dominates = (edge: Edge, incoming: Incoming) => edge === incoming.flowId || !scope.reach(entries, edge).has(incoming.source.id);
  const head = (flow: { flowId: string }) => `${describe(join)} chờ một token trên mọi luồng vào (BPMN 2.0 §13.3.4, cổng song song), nhưng luồng ${flow.flowId}`;
  const headEn = (flow: { flowId: string }) => `${describe(join, 'en')} waits for a token on each of its incoming flows (BPMN 2.0 §13.3.4, a parallel gateway), but flow ${flow.flowId}`;

  // Several start events: each starts an instance of its own (BPMN 2.0 §10.5.2).
  const starts = entries.filter((node) => node.kind === 'startEvent');
  if (starts.length > 1) {
    for (const a of sources) {
      for (const b of sources) {
        const startA = starts.find((start) => !scope.reach(starts.filter((other) => other !== start)).has(a.source.id));
        const startB = starts.find((start) => !scope.reach(starts.filter((other) => other !== start)).has(b.source.id));
        if (startA && startB && startA !== startB) {
          return {
            vi: `${head(a)} chỉ nhận token trong thể hiện do ${startA.id} bắt đầu, và luồng ${b.flowId} trong thể hiện do ${startB.id} bắt đầu (mỗi sự kiện bắt đầu bắt đầu một thể hiện riêng, §10.5.2): cổng sẽ chờ mãi`,
            en: `${headEn(a)} receives one only in an instance started by ${startA.id}, and flow ${b.flowId} in one started by ${startB.id} (each start event starts an instance of its own, §10.5.2): the join would wait for ever`,
          };
        }
      }
    }
  }

  // A choice made once, that lies on every path to two flows into the join, each of which only
  // some of its alternatives lead to, none of them both, and none taken with another.
  for (const choice of choicesMadeOnce(scope, entries, reachable)) {
    for (const a of sources) {
      for (const b of sources) {
        if (a === b || !apart(choice, a, b)) continue;
        return {
          vi: `${head(a)} và luồng ${b.flowId} không thể cùng có token: ${choice.say.vi}. Cổng sẽ chờ mãi (bpmn-elements chạy mô hình như vậy bằng cách loại bỏ đường chết, điều BPMN không quy định cho cổng song song)`,
          en: `${headEn(a)} and flow ${b.flowId} cannot both receive one: ${choice.say.en}. The join would wait for ever (bpmn-elements runs such a model by dead-path elimination, which BPMN does not define for the parallel gateway)`,
        };
      }
    }
  }

  // A non-interrupting boundary event's path, and its activity's completion, after which the event no longer occurs.
  for (const boundary of scope.members) {
    if (boundary.interrupting !== false || boundary.attachedTo === undefined) continue;
    const activity = scope.graph.nodes.get(boundary.attachedTo)!;
    if (activity.outgoing.length !== 1 || !reachable.has(activity.id)) continue;
    if (!scope.onceOnly(activity)) continue;
    const onPath = sources.find((incoming) => dominates(`attach:${boundary.id}`, incoming));
    const completed = sources.find((incoming) => incoming !== onPath && dominates(activity.outgoing[0]!, incoming) && !scope.reach([boundary]).has(incoming.source.id));
    if (onPath === undefined || completed === undefined) continue;
    return {
      vi: `${head(onPath)} chỉ nhận token khi sự kiện biên không ngắt ${boundary.id} xảy ra trước khi ${activity.id} hoàn thành, còn luồng ${completed.flowId} khi ${activity.id} hoàn thành: nếu ${activity.id} hoàn thành trước, cổng sẽ chờ mãi (bpmn-elements chạy mô hình như vậy bằng cách loại bỏ đường chết, điều BPMN không quy định cho cổng song song)`,
      en: `${headEn(onPath)} receives one only if the non-interrupting boundary event ${boundary.id} occurs before ${activity.id} completes, and flow ${completed.flowId} when ${activity.id} completes: whenever ${activity.id} completes first, the join would wait for ever (bpmn-elements runs such a model by dead-path elimination, which BPMN does not define for the parallel gateway)`,
    };
  }
  return undefined;
}
