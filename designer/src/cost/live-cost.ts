/**
 * The open model's cost, kept current: every change on bpmn-js's command stack (and every import)
 * sends the XML to POST /api/analysis/procedure, 150 ms after the last change, so typing in a
 * field sends one request, not one per key. An answer that a newer request has overtaken is
 * dropped, so the panel never shows the figures of an older model.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { api, type Problem, type ProcedureCost } from '../api.ts';

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

export function watchLiveCost(modeler: Modeler, language: () => string, onChange: (update: (state: LiveCostState) => LiveCostState) => void): () => void {
  const eventBus = modeler.get<EventBus>('eventBus');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: AbortController | undefined;
  let latest = 0;

  const compute = async () => {
    const request = ++latest;
    running?.abort();
    const controller = (running = new AbortController());
    onChange((state) => (state.status === 'computing' ? state : { status: 'computing', previous: state }));
    try {
      const { xml } = await modeler.saveXML();
      if (!xml) return;
      const answer = await api.analyseProcedure(xml, language(), controller.signal);
      if (request !== latest) return;
      onChange(() => (answer.kind === 'cost' ? { status: 'cost', cost: answer.cost } : { status: 'problem', problem: answer.problem }));
    } catch (error) {
      if (request !== latest || controller.signal.aborted) return;
      onChange(() => ({ status: 'failed', message: error instanceof Error ? error.message : String(error) }));
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void compute(), LIVE_COST_DELAY_MS);
  };

  // A newly opened model has no figures yet: none of the last model's may show on it.
  const imported = () => {
    onChange(() => ({ status: 'computing', previous: { status: 'idle' } }));
    schedule();
  };

  eventBus.on('commandStack.changed', schedule);
  eventBus.on('import.done', imported);
  return () => {
    clearTimeout(timer);
    running?.abort();
    latest++;
    eventBus.off('commandStack.changed', schedule);
    eventBus.off('import.done', imported);
  };
}

/** The last figures known, through a computation in progress. */
export function settled(state: LiveCostState): Exclude<LiveCostState, { status: 'computing' }> {
  return state.status === 'computing' ? settled(state.previous) : state;
}
