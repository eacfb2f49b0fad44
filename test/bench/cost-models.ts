/**
 * Generated procedure models for the cost benchmark: a chain of the same block-structured
 * stretch (an amendment loop, a parallel consultation, an inclusive consultation, a choice),
 * repeated until the model has the asked number of flow nodes, with cost attributes on every task.
 */
const MOTIF_NODES = 16;

export function generatedProcedure(nodes: number): string {
  const motifs = Math.max(1, Math.round(nodes / MOTIF_NODES));
  const parts: string[] = ['<bpmn:startEvent id="start"/>'];
  const flows: string[] = [];
  let previous = 'start';
  let flowCount = 0;
  const flow = (source: string, target: string, probability?: number) =>
    flows.push(`<bpmn:sequenceFlow id="f${flowCount++}" sourceRef="${source}" targetRef="${target}"${probability === undefined ? '' : ` qt:probability="${probability}"`}/>`);
  const task = (id: string, hours: number) =>
    parts.push(`<bpmn:userTask id="${id}" name="Bước ${id}" qt:applicantHours="${hours}" qt:outOfPocketVnd="${hours * 10_000}" qt:trips="${hours > 1 ? 1 : 0}" qt:durationHours="${hours * 2}"><bpmn:extensionElements><qt:document name="Giấy tờ ${id}"/></bpmn:extensionElements></bpmn:userTask>`);
  for (let m = 0; m < motifs; m++) {
    const id = (name: string) => `${name}_${m}`;
    parts.push(`<bpmn:exclusiveGateway id="${id('again')}"/>`, `<bpmn:exclusiveGateway id="${id('complete')}"/>`, `<bpmn:parallelGateway id="${id('fork')}"/>`, `<bpmn:parallelGateway id="${id('join')}"/>`);
    parts.push(`<bpmn:inclusiveGateway id="${id('consult')}" default="${`fd_${m}`}"/>`, `<bpmn:inclusiveGateway id="${id('consulted')}"/>`, `<bpmn:exclusiveGateway id="${id('decide')}"/>`, `<bpmn:exclusiveGateway id="${id('decided')}"/>`);
    for (const [name, hours] of [['submit', 2], ['police', 1], ['court', 3], ['tax', 1], ['land', 2], ['other', 0.5], ['grant', 1], ['refuse', 0.5]] as const) task(id(name), hours);
    flow(previous, id('again'));
    flow(id('again'), id('submit'));
    flow(id('submit'), id('complete'));
    flow(id('complete'), id('again'), 0.25);
    flow(id('complete'), id('fork'), 0.75);
    flow(id('fork'), id('police'));
    flow(id('fork'), id('court'));
    flow(id('police'), id('join'));
    flow(id('court'), id('join'));
    flow(id('join'), id('consult'));
    flow(id('consult'), id('tax'), 0.5);
    flow(id('consult'), id('land'), 0.3);
    flows.push(`<bpmn:sequenceFlow id="fd_${m}" sourceRef="${id('consult')}" targetRef="${id('other')}"/>`);
    for (const branch of ['tax', 'land', 'other']) flow(id(branch), id('consulted'));
    flow(id('consulted'), id('decide'));
    flow(id('decide'), id('grant'), 0.6);
    flow(id('decide'), id('refuse'), 0.4);
    flow(id('grant'), id('decided'));
    flow(id('refuse'), id('decided'));
    previous = id('decided');
  }
  parts.push('<bpmn:endEvent id="end"/>');
  flow(previous, 'end');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_cost_bench" targetNamespace="urn:quytrinh:bench">
<bpmn:process id="Process_generated_${nodes}" qt:hourlyIncomeVnd="28000" qt:subjectsPerYear="100000">${parts.join('')}${flows.join('')}</bpmn:process>
</bpmn:definitions>`;
}
