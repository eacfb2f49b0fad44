/**
 * The open model's cost, kept current. Computed in the page, on the model bpmn-js holds, by the
 * engine's own reader and cost model (the code behind POST /api/analysis/procedure, so the
 * figures are the server's): a change shows after one computation, not after writing the XML,
 * sending it and parsing it again, which took most of the time on a large model (docs/benchmarks.md,
 * Designer). After an edit the figures follow at the end of the current task, so the changes of
 * one task are counted once; after an import, LIVE_COST_DELAY_MS later, so that a large diagram
 * is drawn before its cost is computed.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type { ModdleElement } from 'bpmn-moddle';
import { processGraphOf } from '../../../engine/bpmn/read-process.ts';
import { analyseProcedureCost } from '../../../engine/cost/procedure-cost.ts';
import { isQuyTrinhError } from '../../../engine/errors.ts';
import type { Problem, ProcedureCost } from '../api.ts';

export type LiveCostState =
  | { status: 'idle' }
  | { status: 'computing'; previous: LiveCostState }
  | { status: 'cost'; cost: ProcedureCost }
  | { status: 'problem'; problem: Problem }
  | { status: 'failed'; message: string };

interface EventBus {
  on(event: string, callback: () => void): void;
  off(event: string, callback: () => void): void;
}

export const LIVE_COST_DELAY_MS = 150;

/** The cost of a model as bpmn-moddle holds it, or the problems that keep it from being computed, as the server would list them. */
export function liveCostOf(definitions: ModdleElement): Exclude<LiveCostState, { status: 'idle' | 'computing' }> {
  try {
    return { status: 'cost', cost: analyseProcedureCost(processGraphOf(definitions)) };
  } catch (error) {
    if (isQuyTrinhError(error)) return { status: 'problem', problem: { title: error.text.en, status: 422, code: error.code, messages: error.text, errors: error.details } };
    return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

export function watchLiveCost(modeler: Modeler, onChange: (update: (state: LiveCostState) => LiveCostState) => void): () => void {
  const eventBus = modeler.get<EventBus>('eventBus');
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const state = liveCostOf(modeler.getDefinitions() as ModdleElement);
      onChange(() => state);
    }, delay);
  };
  const changed = () => schedule(0);
  // A newly opened model has no figures yet: none of the last model's may show on it.
  const imported = () => {
    onChange(() => ({ status: 'computing', previous: { status: 'idle' } }));
    schedule(LIVE_COST_DELAY_MS);
  };

  eventBus.on('commandStack.changed', changed);
  eventBus.on('import.done', imported);
  return () => {
    clearTimeout(timer);
    eventBus.off('commandStack.changed', changed);
    eventBus.off('import.done', imported);
  };
}

/** The last figures known, through a computation in progress. */
export function settled(state: LiveCostState): Exclude<LiveCostState, { status: 'computing' }> {
  return state.status === 'computing' ? settled(state.previous) : state;
}
