/**
 * The open model's cost, kept current: each change (debounced, see modeler/watch-model.ts) sends
 * the XML to POST /api/analysis/procedure, and the panel shows the latest answer.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { api, type Problem, type ProcedureCost } from '../api.ts';
import { watchModel } from '../modeler/watch-model.ts';

export type LiveCostState =
  | { status: 'idle' }
  | { status: 'computing'; previous: LiveCostState }
  | { status: 'cost'; cost: ProcedureCost }
  | { status: 'problem'; problem: Problem }
  | { status: 'failed'; message: string };

export function watchLiveCost(modeler: Modeler, language: () => string, onChange: (update: (state: LiveCostState) => LiveCostState) => void): () => void {
  return watchModel(modeler, {
    analyse: (xml, signal) => api.analyseProcedure(xml, language(), signal),
    // A newly opened model has no figures yet: none of the last model's may show on it.
    pending: (imported) =>
      onChange((state) => (imported ? { status: 'computing', previous: { status: 'idle' } } : state.status === 'computing' ? state : { status: 'computing', previous: state })),
    answered: (answer) => onChange(() => (answer.kind === 'cost' ? { status: 'cost', cost: answer.cost } : { status: 'problem', problem: answer.problem })),
    failed: (message) => onChange(() => ({ status: 'failed', message })),
  });
}

/** The last figures known, through a computation in progress. */
export function settled(state: LiveCostState): Exclude<LiveCostState, { status: 'computing' }> {
  return state.status === 'computing' ? settled(state.previous) : state;
}
