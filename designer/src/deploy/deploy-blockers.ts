/**
 * What keeps the open model from being deployed. Only a to-be model runs (the as-is diagram of
 * Circular 01 Art. 16 describes the procedure as it is, for analysis), and only once the checks
 * have run on the model as it stands and found no error: a model breaking the procedure rules
 * breaks the law it implements (Decree 45 Art. 11.4, 14.3.b; Circular 01 Art. 16.3.b). The
 * server runs the same checks at deployment and refuses every error but the drawing and analysis
 * rules a model deployed without the designer may lack (engine/rules/lint.ts,
 * NOT_GATING_AT_DEPLOYMENT); the designer is stricter, so what it lets through the server takes.
 */
import type { MessageKey } from '../i18n.ts';
import { errorsOf, type ChecksState } from '../checks/live-checks.ts';

export type Stage = 'as-is' | 'to-be';

/** Where the open model stands against its stored versions. */
export interface SavedState {
  /** An earlier version is on the canvas, read-only until restored. */
  viewingOld: boolean;
  /** The canvas is a stored version, unchanged: a deployment names the version that runs (docs/models.md). */
  saved: boolean;
}

export function deployBlockers(checks: ChecksState, stage: Stage, readOnly = false, state: SavedState = { viewingOld: false, saved: true }): MessageKey[] {
  const blockers: MessageKey[] = [];
  // Deployment is procedure-control staff's (server/access/route-policies.ts): an analyst's role comes first.
  if (readOnly) blockers.push('deployBlockedRole');
  if (stage === 'as-is') blockers.push('deployBlockedAsIs');
  if (state.viewingOld) blockers.push('deployBlockedOldVersion');
  else if (!state.saved) blockers.push('deployBlockedUnsaved');
  if (checks.checking) blockers.push('deployBlockedChecking');
  else if (checks.findings === undefined || checks.failure !== undefined) blockers.push('deployBlockedUnchecked');
  if (errorsOf(checks.findings).length > 0) blockers.push('deployBlockedErrors');
  return blockers;
}
