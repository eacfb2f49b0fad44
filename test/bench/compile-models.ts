/**
 * Generated models for the compile benchmark, each of about the asked number of flow nodes and
 * all executable: a plain sequence of user tasks, and a chain of nested blocks as procedures are
 * drawn (an amendment loop, then a parallel consultation whose branches hold an inclusive block
 * and a nested parallel block).
 */
const header = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_compile_bench" targetNamespace="urn:quytrinh:bench">`;

const condition = (expression: string) => `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${expression}</bpmn:conditionExpression>`;

/** A start event, `tasks` user tasks in a row, an end event. */
export function userTaskSequence(tasks: number, processId = `Process_sequence_${tasks}`): string {
  const ids = ['start', ...Array.from({ length: tasks }, (_, i) => `task${i + 1}`), 'end'];
  const body = ids.slice(1, -1).map((id) => `<bpmn:userTask id="${id}" name="Bước ${id}"/>`).join('');
  const flows = ids.slice(1).map((target, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${target}"/>`).join('');
  return `${header}<bpmn:process id="${processId}" isExecutable="true"><bpmn:startEvent id="start"/>${body}<bpmn:endEvent id="end"/>${flows}</bpmn:process></bpmn:definitions>`;
}

const MOTIF_NODES = 20;

/** Nested blocks repeated until the model has about `nodes` flow nodes (20 per stretch). */
export function nestedBlocks(nodes: number): string {
  const parts: string[] = ['<bpmn:startEvent id="start"/>'];
  const flows: string[] = [];
  let count = 0;
  const flow = (source: string, target: string, expression?: string, id = `f${count++}`) =>
    flows.push(`<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${expression ? condition(expression) : ''}</bpmn:sequenceFlow>`);
  let previous = 'start';
  for (let m = 0; m < Math.max(1, Math.round(nodes / MOTIF_NODES)); m++) {
    const id = (name: string) => `${name}_${m}`;
    for (const task of ['check', 'amend', 'police', 'tax', 'land', 'other', 'report', 'court', 'x', 'y', 'decide']) parts.push(`<bpmn:userTask id="${id(task)}"/>`);
    parts.push(`<bpmn:serviceTask id="${id('notify')}" qt:jobType="notify"/>`);
    parts.push(`<bpmn:exclusiveGateway id="${id('again')}"/>`, `<bpmn:exclusiveGateway id="${id('complete')}" default="toAmend_${m}"/>`);
    parts.push(`<bpmn:parallelGateway id="${id('consult')}"/>`, `<bpmn:parallelGateway id="${id('consulted')}"/>`, `<bpmn:parallelGateway id="${id('inner')}"/>`, `<bpmn:parallelGateway id="${id('innerJoin')}"/>`);
    parts.push(`<bpmn:inclusiveGateway id="${id('extra')}" default="toOther_${m}"/>`, `<bpmn:inclusiveGateway id="${id('extraJoin')}"/>`);
    flow(previous, id('again'));
    flow(id('again'), id('check'));
    flow(id('check'), id('complete'));
    flow(id('complete'), id('consult'), 'complete');
    flow(id('complete'), id('amend'), undefined, id('toAmend'));
    flow(id('amend'), id('again'));
    // Branch 1: an inclusive block.
    flow(id('consult'), id('police'));
    flow(id('police'), id('extra'));
    flow(id('extra'), id('tax'), 'needsTax');
    flow(id('extra'), id('land'), 'needsLand');
    flow(id('extra'), id('other'), undefined, id('toOther'));
    for (const branch of ['tax', 'land', 'other']) flow(id(branch), id('extraJoin'));
    flow(id('extraJoin'), id('report'));
    flow(id('report'), id('consulted'));
    // Branch 2: a nested parallel block.
    flow(id('consult'), id('court'));
    flow(id('court'), id('inner'));
    flow(id('inner'), id('x'));
    flow(id('inner'), id('y'));
    flow(id('x'), id('innerJoin'));
    flow(id('y'), id('innerJoin'));
    flow(id('innerJoin'), id('consulted'));
    // Branch 3: an automated step.
    flow(id('consult'), id('notify'));
    flow(id('notify'), id('consulted'));
    flow(id('consulted'), id('decide'));
    previous = id('decide');
  }
  parts.push('<bpmn:endEvent id="end"/>');
  flow(previous, 'end');
  return `${header}<bpmn:process id="Process_nested_${nodes}" isExecutable="true">${parts.join('')}${flows.join('')}</bpmn:process></bpmn:definitions>`;
}
