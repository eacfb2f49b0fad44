/**
 * Calibration (issue 14, docs/calibration.md): the cost model's figures measured on the dossiers a
 * procedure actually ran, each with its sample size, so that the restructuring report (Circular 01
 * Art. 18) can cite measured figures next to the analyst's estimates.
 *
 * Per step: the elapsed working hours from entering it to leaving it (what it adds to the lead
 * time, qt:durationHours), and for a step an official performs, the part of that time they worked
 * on it (qt:officialHours) and the part the dossier waited in their queue. The history records
 * when a step opened and when it was completed, not when an official took it up, so the start of
 * the work is estimated as process mining does: an official works on one dossier at a time, so
 * they start this one when it opened or when they completed their previous step, whichever is later.
 * Hours are counted on the working calendar of the step's lane (engine/calendar; Decree 45 Art.
 * 11.4: deadlines run in working time).
 *
 * Per split gateway: how often each outgoing flow was taken (qt:probability); a flow that leads
 * back to its gateway is an amendment loop (Decree 45 Art. 11.3), whose rate is reported apart.
 *
 * Sorting the steps by official is the one O(n log n) part; everything else is linear in the history.
 */
import { candidateGroupOf, APPLICANT_CANDIDATE_GROUP, type FlowNode, type ProcessGraph } from '../bpmn/process-graph.ts';
import { workingHoursBetween, type WorkingCalendar } from '../calendar/index.ts';
import { ACTIVITY_KINDS } from '../cost/procedure-cost.ts';
import type { DossierBurden } from './burden.ts';
import { executedPath, type Deviation, type HistoryStep, type StepVisit } from './executed-path.ts';

export interface ExecutedInstance {
  instanceId: string;
  dossierCode?: string | undefined;
  steps: readonly HistoryStep[];
  /** What its dossier's records say of documents and trips (burden.ts); absent for an instance without a dossier. */
  burden?: DossierBurden | undefined;
}

export type Performer = 'official' | 'applicant' | 'system';

export interface StepMeasure {
  elementId: string;
  name: string | undefined;
  performedBy: Performer;
  /** Stays measured: the sample size of every mean here. */
  sampleSize: number;
  /** Instances that stayed at the step at least once. */
  dossiers: number;
  /** Mean working hours from entering the step to leaving it (qt:durationHours). */
  meanElapsedHours: number;
  /** Mean working hours the dossier waited before an official took it up (0 unless an official performs it). */
  meanWaitingHours: number;
  /** Mean working hours an official worked on it (qt:officialHours); only for an official's step. */
  meanWorkingHours: number | undefined;
}

export interface BranchMeasure {
  gatewayId: string;
  name: string | undefined;
  /** Times the gateway decided: the sample size of its flows' frequencies. */
  decisions: number;
  flows: Array<{ flowId: string; name: string | undefined; taken: number; probability: number; loop: boolean }>;
}

/** A flow leading back to its gateway (the amendment loop): how often it was taken. */
export interface LoopMeasure {
  gatewayId: string;
  flowId: string;
  decisions: number;
  taken: number;
  /** taken ÷ decisions: the chance the loop is taken at each decision. */
  rate: number;
  /** Instances that took it at least once. */
  dossiers: number;
}

export interface Calibration {
  processId: string;
  /** Instances measured: those that followed the model. */
  dossiers: number;
  /** Instances left out because they did not follow the model (listed by the conformance check). */
  excluded: number;
  steps: StepMeasure[];
  branches: BranchMeasure[];
  loops: LoopMeasure[];
}

export interface NonConformingInstance {
  instanceId: string;
  dossierCode: string | undefined;
  deviations: Deviation[];
}

export interface Measured {
  calibration: Calibration;
  /** The instances that did not follow the model, in the order given. */
  nonConforming: NonConformingInstance[];
}

/** Steps whose measured figures the model takes: activities, sub-processes and the events that wait. */
const MEASURED_KINDS = new Set<FlowNode['kind']>([...ACTIVITY_KINDS, 'subProcess', 'intermediateCatchEvent']);
/** Steps an official (or the applicant) performs by hand; the others run on their own. */
const PEOPLE_KINDS = new Set<FlowNode['kind']>(['userTask', 'manualTask', 'task']);
const SPLITS = new Set<FlowNode['kind']>(['exclusiveGateway', 'inclusiveGateway']);

export function performerOf(node: FlowNode): Performer {
  if (!PEOPLE_KINDS.has(node.kind)) return 'system';
  return candidateGroupOf(node) === APPLICANT_CANDIDATE_GROUP ? 'applicant' : 'official';
}

/**
 * Measures the instances' histories against the model. `calendarOf` gives the working calendar a
 * step's hours count on (the server: the agency calendar of its lane).
 */
export function measureExecutions(graph: ProcessGraph, instances: readonly ExecutedInstance[], calendarOf: (node: FlowNode) => WorkingCalendar): Measured {
  const flowCounts = new Map<string, number>();
  const flowDossiers = new Map<string, number>();
  const visits: Array<StepVisit & { instance: number }> = [];
  const nonConforming: NonConformingInstance[] = [];
  instances.forEach((instance, position) => {
    const path = executedPath(graph, instance.steps);
    // A dossier that left the model is listed, not measured: its path says nothing of the model's branches.
    if (path.deviations.length > 0) {
      nonConforming.push({ instanceId: instance.instanceId, dossierCode: instance.dossierCode, deviations: path.deviations });
      return;
    }
    for (const visit of path.visits) if (MEASURED_KINDS.has(graph.nodes.get(visit.elementId)?.kind ?? 'unsupported')) visits.push({ ...visit, instance: position });
    for (const flow of path.flowsTaken) flowCounts.set(flow, (flowCounts.get(flow) ?? 0) + 1);
    for (const flow of new Set(path.flowsTaken)) flowDossiers.set(flow, (flowDossiers.get(flow) ?? 0) + 1);
  });
  const started = estimatedStarts(visits, graph);
  const steps = stepMeasures(graph, visits, started, calendarOf);
  const onLoop = flowsOnCycles(graph);
  const branches = branchMeasures(graph, flowCounts, onLoop);
  const loops = branches.flatMap((branch) =>
    branch.flows.filter((flow) => flow.loop).map((flow) => ({ gatewayId: branch.gatewayId, flowId: flow.flowId, decisions: branch.decisions, taken: flow.taken, rate: flow.probability, dossiers: flowDossiers.get(flow.flowId) ?? 0 })),
  );
  return { calibration: { processId: graph.id, dossiers: instances.length - nonConforming.length, excluded: nonConforming.length, steps, branches, loops }, nonConforming };
}

/**
 * When work on each official's step began: the later of its opening and the same official's
 * previous completion (the steps of one official sorted by completion).
 */
function estimatedStarts(visits: ReadonlyArray<StepVisit>, graph: ProcessGraph): Date[] {
  const started = visits.map((visit) => visit.entered);
  const byOfficial = visits
    .map((visit, position) => ({ visit, position }))
    .filter(({ visit }) => visit.actor !== undefined && performerOf(graph.nodes.get(visit.elementId)!) === 'official')
    .sort((a, b) => (a.visit.actor! < b.visit.actor! ? -1 : a.visit.actor! > b.visit.actor! ? 1 : a.visit.ended.getTime() - b.visit.ended.getTime()));
  byOfficial.forEach(({ visit, position }, index) => {
    const previous = byOfficial[index - 1]?.visit;
    if (previous === undefined || previous.actor !== visit.actor || previous.ended <= visit.entered) return;
    started[position] = previous.ended < visit.ended ? previous.ended : visit.ended;
  });
  return started;
}

function stepMeasures(graph: ProcessGraph, visits: ReadonlyArray<StepVisit & { instance: number }>, started: readonly Date[], calendarOf: (node: FlowNode) => WorkingCalendar): StepMeasure[] {
  const sums = new Map<string, { count: number; instances: Set<number>; elapsed: number; waiting: number; working: number }>();
  visits.forEach((visit, position) => {
    const node = graph.nodes.get(visit.elementId)!;
    const calendar = calendarOf(node);
    const sum = sums.get(node.id) ?? { count: 0, instances: new Set<number>(), elapsed: 0, waiting: 0, working: 0 };
    sums.set(node.id, sum);
    sum.count++;
    sum.instances.add(visit.instance);
    sum.elapsed += workingHoursBetween(calendar, visit.entered, visit.ended);
    if (performerOf(node) === 'official') {
      sum.waiting += workingHoursBetween(calendar, visit.entered, started[position]!);
      sum.working += workingHoursBetween(calendar, started[position]!, visit.ended);
    }
  });
  return [...sums].map(([elementId, sum]) => {
    const node = graph.nodes.get(elementId)!;
    const performedBy = performerOf(node);
    return {
      elementId,
      name: node.name,
      performedBy,
      sampleSize: sum.count,
      dossiers: sum.instances.size,
      meanElapsedHours: sum.elapsed / sum.count,
      meanWaitingHours: sum.waiting / sum.count,
      meanWorkingHours: performedBy === 'official' ? sum.working / sum.count : undefined,
    };
  });
}

/**
 * Frequencies of the flows leaving each exclusive or inclusive split. An exclusive split decides
 * once per pass, so its decisions are the flows it passed on; an inclusive one may take several
 * flows at once, so its decisions are the times a flow led into it. Splits never passed are left out.
 */
function branchMeasures(graph: ProcessGraph, counts: ReadonlyMap<string, number>, onLoop: ReadonlySet<string>): BranchMeasure[] {
  const measures: BranchMeasure[] = [];
  for (const node of graph.nodes.values()) {
    if (!SPLITS.has(node.kind) || node.outgoing.length < 2) continue;
    const taken = (ids: readonly string[]) => ids.reduce((sum, id) => sum + (counts.get(id) ?? 0), 0);
    const decisions = node.kind === 'exclusiveGateway' ? taken(node.outgoing) : taken(node.incoming);
    if (decisions === 0) continue;
    measures.push({
      gatewayId: node.id,
      name: node.name,
      decisions,
      flows: node.outgoing.map((flowId) => ({ flowId, name: graph.flows.get(flowId)?.name, taken: counts.get(flowId) ?? 0, probability: (counts.get(flowId) ?? 0) / decisions, loop: onLoop.has(flowId) })),
    });
  }
  return measures;
}

/** The flows whose ends lie on one cycle (the same strongly connected component): Tarjan's algorithm, iterative. */
function flowsOnCycles(graph: ProcessGraph): Set<string> {
  const ids = [...graph.nodes.keys()];
  const index = new Map(ids.map((id, position) => [id, position]));
  const successors = ids.map((id) => graph.nodes.get(id)!.outgoing.map((flowId) => index.get(graph.flows.get(flowId)?.target ?? '')).filter((target): target is number => target !== undefined));
  const order = new Int32Array(ids.length).fill(-1);
  const low = new Int32Array(ids.length);
  const component = new Int32Array(ids.length).fill(-1);
  const stack: number[] = [];
  const onStack = new Uint8Array(ids.length);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < ids.length; root++) {
    if (order[root] !== -1) continue;
    const frames: Array<{ node: number; next: number }> = [{ node: root, next: 0 }];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const target = successors[frame.node]![frame.next++];
      if (target !== undefined) {
        if (order[target] === -1) {
          order[target] = low[target] = counter++;
          stack.push(target);
          onStack[target] = 1;
          frames.push({ node: target, next: 0 });
        } else if (onStack[target]) {
          low[frame.node] = Math.min(low[frame.node]!, order[target]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] === order[frame.node]) {
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component[member] = components;
        } while (member !== frame.node);
        components++;
      }
    }
  }
  const onCycle = new Set<string>();
  for (const flow of graph.flows.values()) {
    const [source, target] = [index.get(flow.source), index.get(flow.target)];
    if (source !== undefined && target !== undefined && component[source] === component[target]) onCycle.add(flow.id);
  }
  return onCycle;
}
