/**
 * The benchmark's two models, written once and rendered for each engine (only the condition
 * syntax differs: FEEL for ours, bpmn-engine's `${...}` expressions for the peer).
 */
export type Dialect = 'feel' | 'bpmn-engine';

const header = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_bench" targetNamespace="urn:quytrinh:bench">`;

const flow = (id: string, source: string, target: string, condition?: string) =>
  condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`;

/**
 * Ten user tasks in a row; with `lane`, all ten in a lane of that name, so each task's candidate
 * group is the lane and an official is authorised for it by the agency the lane is mapped to.
 */
export function sequenceOfTenTasks(lane?: string): string {
  const taskIds = Array.from({ length: 10 }, (_, i) => `task${i + 1}`);
  const tasks = taskIds.map((id) => `<bpmn:userTask id="${id}"/>`).join('');
  const ids = ['start', ...taskIds, 'end'];
  const flows = ids.slice(1).map((target, i) => flow(`f${i}`, ids[i]!, target)).join('');
  const lanes = lane === undefined ? '' : `<bpmn:laneSet id="lanes"><bpmn:lane id="lane" name="${lane}">${ids.map((id) => `<bpmn:flowNodeRef>${id}</bpmn:flowNodeRef>`).join('')}</bpmn:lane></bpmn:laneSet>`;
  return `${header}<bpmn:process id="Process_sequence" isExecutable="true">${lanes}<bpmn:startEvent id="start"/>${tasks}<bpmn:endEvent id="end"/>${flows}</bpmn:process></bpmn:definitions>`;
}

/**
 * A procedure: receive, check (returned once for amendment, then complete), a parallel
 * consultation of three agencies, a decision. Seven task completions per instance.
 */
export function consultationWithAmendment(dialect: Dialect): string {
  const complete = dialect === 'feel' ? 'complete' : '${environment.variables.complete}';
  return `${header}<bpmn:process id="Process_consultation" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="receive"/>
    <bpmn:exclusiveGateway id="merge"/>
    <bpmn:userTask id="check"/>
    <bpmn:exclusiveGateway id="isComplete" default="toAmend"/>
    <bpmn:userTask id="amend"/>
    <bpmn:parallelGateway id="split"/>
    <bpmn:userTask id="police"/>
    <bpmn:userTask id="tax"/>
    <bpmn:userTask id="land"/>
    <bpmn:parallelGateway id="join"/>
    <bpmn:userTask id="decide"/>
    <bpmn:endEvent id="end"/>
    ${flow('f1', 'start', 'receive')}${flow('f2', 'receive', 'merge')}${flow('f3', 'merge', 'check')}${flow('f4', 'check', 'isComplete')}
    ${flow('toSplit', 'isComplete', 'split', complete)}${flow('toAmend', 'isComplete', 'amend')}${flow('f5', 'amend', 'merge')}
    ${flow('f6', 'split', 'police')}${flow('f7', 'split', 'tax')}${flow('f8', 'split', 'land')}
    ${flow('f9', 'police', 'join')}${flow('f10', 'tax', 'join')}${flow('f11', 'land', 'join')}${flow('f12', 'join', 'decide')}${flow('f13', 'decide', 'end')}
  </bpmn:process></bpmn:definitions>`;
}

/** The variables a completion of `elementId` sets: the first check finds the dossier incomplete. */
export function completionVariables(elementId: string, checksSoFar: number): Record<string, unknown> | undefined {
  return elementId === 'check' ? { complete: checksSoFar > 0 } : undefined;
}
