/**
 * The open model's checks, kept current: each change (debounced, see modeler/watch-model.ts) sends
 * the XML to POST /api/analysis/lint, which runs bpmnlint's recommended rules and the procedure
 * rules (engine/rules/lint.ts), the same set the server applies; every finding comes in both languages.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { api, type LintFinding } from '../api.ts';
import { watchModel } from '../modeler/watch-model.ts';

export interface ChecksState {
  /** The findings about the model as it was last checked; undefined before a newly opened model's first answer. */
  findings: readonly LintFinding[] | undefined;
  /** The model changed since: the findings may be out of date. */
  checking: boolean;
  failure?: string;
  /** Counts the models opened, so what belongs to one model (a deployment's outcome) is dropped with it. */
  opened: number;
}

export const initialChecks: ChecksState = { findings: undefined, checking: false, opened: 0 };

export function watchChecks(modeler: Modeler, language: () => string, onChange: (update: (state: ChecksState) => ChecksState) => void): () => void {
  return watchModel(modeler, {
    analyse: (xml, signal) => api.lint(xml, language(), signal),
    pending: (imported) => onChange((state) => (imported ? { findings: undefined, checking: true, opened: state.opened + 1 } : { ...state, checking: true })),
    answered: (findings) => onChange((state) => ({ findings, checking: false, opened: state.opened })),
    failed: (failure) => onChange((state) => ({ ...state, checking: false, failure })),
  });
}

export const errorsOf = (findings: readonly LintFinding[] | undefined) => (findings ?? []).filter((finding) => finding.severity === 'error');
export const warningsOf = (findings: readonly LintFinding[] | undefined) => (findings ?? []).filter((finding) => finding.severity === 'warn');
