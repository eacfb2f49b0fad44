/**
 * Generated procedure models with a diagram, for the designer bench: a chain of one stretch
 * (a choice between two steps with qt:probability, then a step on the common path), laid out in
 * rows, every step with cost attributes and a document, so that the designer's properties panel,
 * live cost and badges have a real model to work on. `elements` counts flow nodes and sequence
 * flows, the shapes and connections a user sees.
 */
const STRETCH_ELEMENTS = 11; // choice, two steps, merge, common step + six flows
const STRETCHES_PER_ROW = 8;
const STRETCH_WIDTH = 500;
const ROW_HEIGHT = 260;
const TASK = { width: 100, height: 80 };
const GATEWAY = 50;
const EVENT = 36;

interface Node {
  id: string;
  xml: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const centre = (node: Node) => ({ x: node.x + node.width / 2, y: node.y + node.height / 2 });

export function generatedDiagram(elements: number): string {
  const stretches = Math.max(1, Math.round((elements - 3) / STRETCH_ELEMENTS));
  const nodes: Node[] = [];
  const flows: Array<{ id: string; source: Node; target: Node; probability?: number }> = [];
  const node = (id: string, xml: string, x: number, y: number, size: { width: number; height: number }) => {
    const created = { id, xml, x, y, ...size };
    nodes.push(created);
    return created;
  };
  const task = (id: string, hours: number, x: number, y: number) =>
    node(
      id,
      `<bpmn:userTask id="${id}" name="Bước ${id}" qt:applicantHours="${hours}" qt:outOfPocketVnd="${hours * 10_000}" qt:trips="${hours > 1 ? 1 : 0}" qt:durationHours="${hours * 2}"><bpmn:extensionElements><qt:document name="Giấy tờ ${id}"/></bpmn:extensionElements></bpmn:userTask>`,
      x,
      y,
      TASK,
    );
  const flow = (source: Node, target: Node, probability?: number) => flows.push({ id: `Flow_${flows.length}`, source, target, probability });

  let previous = node('Start', '<bpmn:startEvent id="Start" name="Nộp hồ sơ"/>', 100, 100 + (TASK.height - EVENT) / 2, { width: EVENT, height: EVENT });
  for (let s = 0; s < stretches; s++) {
    const left = 200 + (s % STRETCHES_PER_ROW) * STRETCH_WIDTH;
    const top = 100 + Math.floor(s / STRETCHES_PER_ROW) * ROW_HEIGHT;
    const gatewayTop = top + (TASK.height - GATEWAY) / 2;
    const choice = node(`Choice_${s}`, `<bpmn:exclusiveGateway id="Choice_${s}" name="Đủ hồ sơ?"/>`, left, gatewayTop, { width: GATEWAY, height: GATEWAY });
    const complete = task(`Check_${s}`, 1, left + 90, top);
    const amend = task(`Amend_${s}`, 2, left + 90, top + 120);
    const merge = node(`Merge_${s}`, `<bpmn:exclusiveGateway id="Merge_${s}"/>`, left + 230, gatewayTop, { width: GATEWAY, height: GATEWAY });
    const common = task(`Step_${s}`, 0.5, left + 320, top);
    flow(previous, choice);
    flow(choice, complete, 0.7);
    flow(choice, amend, 0.3);
    flow(complete, merge);
    flow(amend, merge);
    flow(merge, common);
    previous = common;
  }
  const end = node('End', '<bpmn:endEvent id="End" name="Trả kết quả"/>', previous.x + 150, previous.y + (TASK.height - EVENT) / 2, { width: EVENT, height: EVENT });
  flow(previous, end);

  const waypoints = (source: Node, target: Node) => {
    const from = centre(source);
    const to = centre(target);
    if (Math.abs(from.y - to.y) < 1) return [{ x: source.x + source.width, y: from.y }, { x: target.x, y: to.y }];
    if (target.x > source.x && source.width === GATEWAY) {
      // From the choice down (or up) to the second step.
      return [{ x: from.x, y: to.y > from.y ? source.y + source.height : source.y }, { x: from.x, y: to.y }, { x: target.x, y: to.y }];
    }
    if (target.x > source.x) {
      // From the second step back up (or down) into the merge.
      return [{ x: source.x + source.width, y: from.y }, { x: to.x, y: from.y }, { x: to.x, y: from.y > to.y ? target.y + target.height : target.y }];
    }
    // The end of a row to the start of the next one: down between the rows, back to the left.
    const between = source.y + source.height + 150;
    return [{ x: from.x, y: source.y + source.height }, { x: from.x, y: between }, { x: to.x, y: between }, { x: to.x, y: target.y }];
  };

  const semantic = [
    ...nodes.map((n) => n.xml),
    ...flows.map((f) => `<bpmn:sequenceFlow id="${f.id}" sourceRef="${f.source.id}" targetRef="${f.target.id}"${f.probability === undefined ? '' : ` qt:probability="${f.probability}"`}/>`),
  ].join('\n');
  const shapes = nodes.map((n) => `<bpmndi:BPMNShape id="${n.id}_di" bpmnElement="${n.id}"><dc:Bounds x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}"/></bpmndi:BPMNShape>`);
  const edges = flows.map(
    (f) => `<bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}">${waypoints(f.source, f.target).map((point) => `<di:waypoint x="${point.x}" y="${point.y}"/>`).join('')}</bpmndi:BPMNEdge>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_designer_bench" targetNamespace="urn:quytrinh:bench">
<bpmn:process id="Process_designer_bench" name="Thủ tục sinh tự động" isExecutable="false" qt:hourlyIncomeVnd="28000" qt:subjectsPerYear="100000">
${semantic}
</bpmn:process>
<bpmndi:BPMNDiagram id="Diagram_designer_bench"><bpmndi:BPMNPlane id="Plane_designer_bench" bpmnElement="Process_designer_bench">
${[...shapes, ...edges].join('\n')}
</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

/** Shapes and connections in a generated diagram (for the report). */
export function elementCount(xml: string): number {
  return (xml.match(/<bpmndi:BPMN(Shape|Edge) /g) ?? []).length;
}
