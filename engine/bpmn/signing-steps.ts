/**
 * The steps of a model that sign: a service task with qt:jobType="result.sign" (the digital
 * signature on the electronic result, Decree 45/2020 Art. 14.3.b) or a user task marked
 * qt:dossierStep="approval" (the competent person's approval, Circular 01/2023 Art. 16.3.b's
 * "phê duyệt"). Deploying a model that no longer has one the deployed model had must not pass
 * silently (docs/models.md "Deployment"): the server and the designer both ask for a confirmation.
 */
import { parseBpmn } from './parse.ts';

export interface SigningStep {
  id: string;
  name: string;
  type: 'bpmn:ServiceTask' | 'bpmn:UserTask';
}

interface StepElement {
  $type: string;
  id?: string;
  name?: string;
  jobType?: string;
  dossierStep?: string;
}

function isSigning(element: StepElement): element is StepElement & { id: string; $type: SigningStep['type'] } {
  if (!element.id) return false;
  if (element.$type === 'bpmn:ServiceTask') return element.jobType === 'result.sign';
  return element.$type === 'bpmn:UserTask' && element.dossierStep === 'approval';
}

export async function signingSteps(xml: string): Promise<SigningStep[]> {
  const { elementsById } = await parseBpmn(xml);
  return (Object.values(elementsById) as StepElement[]).filter(isSigning).map((element) => ({ id: element.id, name: element.name ?? '', type: element.$type }));
}

/** The signing steps of `before` that `after` no longer has (by element id). */
export async function removedSigningSteps(before: string, after: string): Promise<SigningStep[]> {
  const [was, is] = await Promise.all([signingSteps(before), signingSteps(after)]);
  const kept = new Set(is.map((step) => step.id));
  return was.filter((step) => !kept.has(step.id));
}
