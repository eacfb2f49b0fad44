/**
 * What the deploy dialog shows before a deployment: the changes of the saved version against the
 * version running (the compare view's semantic diff, bpmn-js-differ) and the signing steps it no
 * longer has (engine/bpmn/signing-steps.ts, the check the server makes too). Loaded with the dialog.
 */
import { removedSigningSteps, type SigningStep } from '../../../engine/bpmn/signing-steps.ts';
import { semanticDiff, type DiffEntry } from '../compare/semantic-diff.ts';

export interface DeployPreview {
  changes: DiffEntry[];
  removedSigning: SigningStep[];
}

export async function deployPreview(runningXml: string | undefined, xml: string): Promise<DeployPreview> {
  if (runningXml === undefined) return { changes: [], removedSigning: [] };
  const [changes, removedSigning] = await Promise.all([semanticDiff(runningXml, xml), removedSigningSteps(runningXml, xml)]);
  return { changes, removedSigning };
}
