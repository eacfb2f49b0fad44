/**
 * Which inputs move the savings most: every figure the analyst entered (incomes, subjects,
 * each step's hours and costs, each branch probability) is moved down and up by the same
 * share, one at a time, and the yearly savings recomputed exactly. Sorted by the width of the
 * swing, that is the tornado table a reviewer reads to see which estimates matter.
 */
import type { ProcessGraph } from '../bpmn/process-graph.ts';
import { analyseProcedureCost } from './procedure-cost.ts';
import { compareModels } from './restructuring.ts';

export interface SensitivityParameter {
  model: 'asIs' | 'toBe' | 'both';
  /** The element carrying the figure: a flow node, a sequence flow, or the process. */
  elementId: string;
  attribute: string;
  base: number;
}

export interface SensitivityRow extends SensitivityParameter {
  low: { value: number; savingsPerYearVnd: number };
  high: { value: number; savingsPerYearVnd: number };
  /** |high − low| of the yearly savings. */
  swingVnd: number;
}

export interface SensitivityAnalysis {
  /** The share each figure is moved by (0.2: ±20 %). */
  variation: number;
  baseSavingsPerYearVnd: number;
  rows: SensitivityRow[];
}

const STEP_ATTRIBUTES = ['applicantHours', 'outOfPocketVnd', 'feeVnd'] as const;
const GATEWAY_SPLITS = new Set(['exclusiveGateway', 'eventBasedGateway', 'inclusiveGateway']);

/** A figure of one model that can be moved, and how to set it on a copy of the graph. */
interface Lever {
  parameter: SensitivityParameter;
  apply: (asIs: ProcessGraph, toBe: ProcessGraph, value: number) => void;
}

export function analyseSensitivity(asIs: ProcessGraph, toBe: ProcessGraph, options: { variation?: number; limit?: number } = {}): SensitivityAnalysis {
  const variation = options.variation ?? 0.2;
  const savings = (before: ProcessGraph, after: ProcessGraph) =>
    compareModels({ graph: before, cost: analyseProcedureCost(before) }, { graph: after, cost: analyseProcedureCost(after) }).savings.perYearVnd;
  const rows = levers(asIs, toBe).map(({ parameter, apply }): SensitivityRow => {
    const outcome = (factor: number) => {
      const before = structuredClone(asIs);
      const after = structuredClone(toBe);
      const value = parameter.attribute === 'qt:probability' ? Math.min(1, parameter.base * factor) : parameter.base * factor;
      apply(before, after, value);
      return { value, savingsPerYearVnd: savings(before, after) };
    };
    const low = outcome(1 - variation);
    const high = outcome(1 + variation);
    return { ...parameter, low, high, swingVnd: Math.abs(high.savingsPerYearVnd - low.savingsPerYearVnd) };
  });
  rows.sort((a, b) => b.swingVnd - a.swingVnd);
  return { variation, baseSavingsPerYearVnd: savings(asIs, toBe), rows: rows.slice(0, options.limit ?? rows.length) };
}

function levers(asIs: ProcessGraph, toBe: ProcessGraph): Lever[] {
  const result: Lever[] = [];
  // Income and subjects describe the same people before and after: moved together when equal.
  for (const attribute of ['hourlyIncomeVnd', 'subjectsPerYear', 'timesPerYear'] as const) {
    const before = asIs.procedure[attribute] ?? (attribute === 'timesPerYear' ? 1 : 0);
    const after = toBe.procedure[attribute] ?? (attribute === 'timesPerYear' ? 1 : 0);
    if (before === 0 && after === 0) continue;
    const set = (graph: ProcessGraph, value: number) => {
      graph.procedure[attribute] = value;
    };
    if (before === after) result.push({ parameter: { model: 'both', elementId: 'process', attribute: `qt:${attribute}`, base: before }, apply: (a, b, value) => (set(a, value), set(b, value)) });
    else {
      result.push({ parameter: { model: 'asIs', elementId: asIs.id, attribute: `qt:${attribute}`, base: before }, apply: (a, _b, value) => set(a, value) });
      result.push({ parameter: { model: 'toBe', elementId: toBe.id, attribute: `qt:${attribute}`, base: after }, apply: (_a, b, value) => set(b, value) });
    }
  }
  for (const [model, graph] of [['asIs', asIs], ['toBe', toBe]] as const) {
    const pick = (a: ProcessGraph, b: ProcessGraph) => (model === 'asIs' ? a : b);
    for (const node of graph.nodes.values()) {
      for (const attribute of STEP_ATTRIBUTES) {
        const base = node.qt[attribute] ?? 0;
        if (base > 0) result.push({ parameter: { model, elementId: node.id, attribute: `qt:${attribute}`, base }, apply: (a, b, value) => void (pick(a, b).nodes.get(node.id)!.qt[attribute] = value) });
      }
      if (!GATEWAY_SPLITS.has(node.kind) || node.outgoing.length < 2) continue;
      for (const flowId of node.outgoing) {
        const base = graph.flows.get(flowId)!.probability;
        if (base === undefined || base <= 0 || base >= 1) continue;
        result.push({ parameter: { model, elementId: flowId, attribute: 'qt:probability', base }, apply: (a, b, value) => setProbability(pick(a, b), node.id, flowId, value) });
      }
    }
  }
  return result;
}

/** Sets one branch's chance; the other branches of an exclusive split share what is left in their proportions. */
function setProbability(graph: ProcessGraph, gatewayId: string, flowId: string, value: number): void {
  const gateway = graph.nodes.get(gatewayId)!;
  const flow = graph.flows.get(flowId)!;
  const before = flow.probability ?? 0;
  flow.probability = value;
  if (gateway.kind === 'inclusiveGateway') return;
  const others = gateway.outgoing.filter((id) => id !== flowId).map((id) => graph.flows.get(id)!);
  const othersTotal = 1 - before;
  for (const other of others) {
    // A blank probability takes the remainder on its own; a given one is scaled.
    if (other.probability !== undefined) other.probability = othersTotal > 0 ? (other.probability / othersTotal) * (1 - value) : 0;
  }
}
