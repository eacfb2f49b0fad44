/**
 * What one executed instance did, read from its history against its model (issue 14,
 * docs/calibration.md): each step it stayed at (entered, left, who acted), the sequence flows it
 * took, and where it did not follow the model.
 *
 * The engine writes one history row per step (Circular 01 Art. 23.4: every step recorded in real
 * time) with the elements active after it; gateways and events it passes through without stopping
 * never appear. So the flows taken are found on the model: from the element the step acted on,
 * through elements that do not wait (gateways, throw and end events), to each element the step
 * entered. An entered element no such path reaches was put there outside the model: a step skipped
 * or moved by hand. A history row of a kind the engine's own events do not write is a manual
 * intervention too, and so is an operator's termination.
 *
 * Each step costs a breadth-first walk over the non-waiting elements next to the acted one, so an
 * instance is read in time linear in its history for real models.
 */
import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';

/** One row of an instance's history (server: `instance_history`), oldest first. */
export interface HistoryStep {
  eventType: string;
  /** The element the step acted on (the task completed, the timer or message caught); none for some starts. */
  elementId: string | null;
  actor: string | null;
  at: Date;
  /** The elements waiting after the step. */
  activeAfter: readonly string[];
}

/** One stay of the instance at an element: from entering it to leaving it. */
export interface StepVisit {
  elementId: string;
  entered: Date;
  ended: Date;
  /** Who completed it (an official's account, the applicant, a worker); undefined when it was left without being acted on. */
  actor: string | undefined;
}

export type DeviationKind = 'unreachable-step' | 'manual-move' | 'stopped';

/** Where an instance did not follow its model. */
export interface Deviation {
  kind: DeviationKind;
  at: Date;
  eventType: string;
  /** The element entered that no flow reaches (unreachable-step), or the one the row names. */
  elementId: string | undefined;
  /** The element the step acted on, when the entered one was unreachable from it. */
  fromElementId: string | undefined;
  actor: string | undefined;
}

export interface ExecutedPath {
  visits: StepVisit[];
  /** Sequence flow ids, once per time taken. */
  flowsTaken: string[];
  deviations: Deviation[];
}

/** The event types the engine writes when it runs the model (engine/compile/effects.ts ProcessEvent, the start, a called run's outcome). */
const MODEL_EVENTS = new Set(['start', 'task.complete', 'job.complete', 'job.error', 'message', 'signal', 'timer', 'call.complete', 'call.error']);
/** An operator's end of the instance (server/monitoring cancellation) or its caller's. */
const STOP_EVENTS = new Set(['terminate']);

/** Elements a token passes through in the step that reaches them: they never wait. */
const PASS_THROUGH = new Set<FlowNode['kind']>(['exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'complexGateway', 'eventBasedGateway', 'intermediateThrowEvent', 'endEvent', 'startEvent', 'boundaryEvent']);

export function executedPath(graph: ProcessGraph, steps: readonly HistoryStep[]): ExecutedPath {
  const visits: StepVisit[] = [];
  const flowsTaken: string[] = [];
  const deviations: Deviation[] = [];
  const enteredAt = new Map<string, Date>();
  const topStarts = graph.topLevel.filter((id) => graph.nodes.get(id)?.kind === 'startEvent');

  for (const step of steps) {
    const after = new Set(step.activeAfter);
    const acted = step.elementId ?? undefined;
    const actor = step.actor ?? undefined;
    // An element completed and entered again in the same step (a loop onto itself) stays active: it is left and entered.
    const reentered = acted !== undefined && enteredAt.has(acted) && after.has(acted) && step.eventType !== 'start' && MODEL_EVENTS.has(step.eventType);
    const left = [...enteredAt.keys()].filter((id) => !after.has(id) || (reentered && id === acted));
    for (const id of left) {
      visits.push({ elementId: id, entered: enteredAt.get(id)!, ended: step.at, actor: id === acted ? actor : undefined });
      enteredAt.delete(id);
    }
    const entered = step.activeAfter.filter((id) => !enteredAt.has(id));
    for (const id of entered) enteredAt.set(id, step.at);

    if (STOP_EVENTS.has(step.eventType)) {
      deviations.push({ kind: 'stopped', at: step.at, eventType: step.eventType, elementId: acted, fromElementId: undefined, actor });
      continue;
    }
    if (!MODEL_EVENTS.has(step.eventType)) {
      deviations.push({ kind: 'manual-move', at: step.at, eventType: step.eventType, elementId: acted ?? entered[0], fromElementId: undefined, actor });
      continue;
    }
    const sources = acted !== undefined && graph.nodes.has(acted) ? [acted] : step.eventType === 'start' ? topStarts : [];
    const paths = walkFrom(graph, sources, new Set(entered), new Set(left));
    for (const id of entered) {
      const flows = paths.get(id);
      if (flows === undefined) deviations.push({ kind: 'unreachable-step', at: step.at, eventType: step.eventType, elementId: id, fromElementId: acted, actor });
      else flowsTaken.push(...flows);
    }
  }
  return { visits, flowsTaken, deviations };
}

/**
 * Breadth first from the acted elements over their outgoing flows, through elements that do not
 * wait, stopping at each element the step entered; answers, per entered element reached, the flows
 * of the path. Entering a sub-process enters its start; a sub-process that ended in this step
 * passes its end on to its own outgoing flows.
 */
function walkFrom(graph: ProcessGraph, sources: readonly string[], entered: ReadonlySet<string>, left: ReadonlySet<string>): Map<string, string[]> {
  const via = new Map<string, { from: string; flow: string | undefined }>();
  const reached = new Map<string, string[]>();
  const queue: string[] = [];
  const sourceSet = new Set(sources);
  for (const source of sourceSet) {
    via.set(source, { from: '', flow: undefined });
    queue.push(source);
  }
  const visit = (target: string, from: string, flow: string | undefined) => {
    if (via.has(target)) return;
    via.set(target, { from, flow });
    queue.push(target);
  };
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    const node = graph.nodes.get(id);
    if (!node) continue;
    const isSource = sourceSet.has(id);
    if (!isSource && entered.has(id)) {
      reached.set(id, pathTo(via, id));
      // A sub-process entered starts its inside in the same step.
      if (node.kind !== 'subProcess') continue;
    } else if (!isSource && !PASS_THROUGH.has(node.kind)) {
      continue;
    }
    for (const flowId of node.outgoing) {
      const flow = graph.flows.get(flowId);
      if (flow) visit(flow.target, id, flowId);
    }
    if (node.kind === 'subProcess') {
      for (const child of node.children ?? []) if (graph.nodes.get(child)?.kind === 'startEvent' && graph.nodes.get(child)?.incoming.length === 0) visit(child, id, undefined);
    }
    // The end of a sub-process that finished in this step continues after the sub-process.
    if (node.kind === 'endEvent' && node.parentId !== undefined && left.has(node.parentId)) {
      const parent = graph.nodes.get(node.parentId)!;
      for (const flowId of parent.outgoing) {
        const flow = graph.flows.get(flowId);
        if (flow) visit(flow.target, id, flowId);
      }
    }
  }
  return reached;
}

function pathTo(via: Map<string, { from: string; flow: string | undefined }>, id: string): string[] {
  const flows: string[] = [];
  for (let at = via.get(id); at !== undefined && at.from !== ''; at = via.get(at.from)) if (at.flow !== undefined) flows.push(at.flow);
  return flows.reverse();
}
