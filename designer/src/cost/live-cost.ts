/**
 * The open model's cost, kept current. Computed in the page, on the model bpmn-js holds, by the
 * engine's own reader and cost model (the code behind POST /api/analysis/procedure, so the
 * figures are the server's): a change shows after one computation, not after writing the XML,
 * sending it and parsing it again, which took most of the time on a large model (docs/benchmarks.md,
 * Designer). After an edit the figures follow at the end of the current task, so the changes of
 * one task are counted once; after an import, LIVE_COST_DELAY_MS later, so that a large diagram
 * is drawn before its cost is computed.
 */
import type BaseViewer from 'bpmn-js/lib/BaseViewer';
import type Modeler from 'bpmn-js/lib/Modeler';
import type { ModdleElement } from 'bpmn-moddle';
import type EventBus from 'diagram-js/lib/core/EventBus';
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

/** The event the live cost fires on diagram-js's event bus, carrying the new state. */
export const LIVE_COST_CHANGED = 'qt.liveCost.changed';
export interface LiveCostEvent {
  state: LiveCostState;
}

/** The diagram-js service computing the cost of the model bpmn-js holds, after each import and each change. */
export class LiveCost {
  static $inject = ['eventBus', 'bpmnjs'];

  private current: LiveCostState = { status: 'idle' };
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly eventBus: EventBus,
    private readonly bpmnjs: BaseViewer,
  ) {
    eventBus.on('commandStack.changed', () => this.schedule(0));
    // A newly opened model has no figures yet: none of the last model's may show on it.
    eventBus.on('import.done', () => {
      this.change({ status: 'computing', previous: { status: 'idle' } });
      this.schedule(LIVE_COST_DELAY_MS);
    });
    eventBus.on('diagram.destroy', () => clearTimeout(this.timer));
  }

  get state(): LiveCostState {
    return this.current;
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.change(liveCostOf(this.bpmnjs.getDefinitions() as unknown as ModdleElement)), delay);
  }

  private change(state: LiveCostState): void {
    this.current = state;
    this.eventBus.fire(LIVE_COST_CHANGED, { state } satisfies LiveCostEvent);
  }
}

export const liveCostModule = {
  __init__: ['liveCost'],
  liveCost: ['type', LiveCost],
};

/** Calls `onChange` with each new state of the modeler's live cost; the function returned stops it. */
export function watchLiveCost(modeler: Modeler, onChange: (state: LiveCostState) => void): () => void {
  const eventBus = modeler.get<EventBus>('eventBus');
  const changed = ({ state }: LiveCostEvent) => onChange(state);
  eventBus.on<LiveCostEvent>(LIVE_COST_CHANGED, changed);
  return () => eventBus.off(LIVE_COST_CHANGED, changed as never);
}

/** The last figures known, through a computation in progress. */
export function settled(state: LiveCostState): Exclude<LiveCostState, { status: 'computing' }> {
  return state.status === 'computing' ? settled(state.previous) : state;
}
