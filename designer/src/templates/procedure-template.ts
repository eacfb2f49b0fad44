/**
 * "Mới từ mẫu": a one-stop procedure to start from, already shaped as the law asks, so the live
 * cost and the lint rules answer at once and the user only adjusts the figures:
 * - a pool with a lane for the applicant and for each unit taking part (Circular 01 Art. 16.3.b);
 * - the steps of Decree 45: submission (Art. 9), receipt within 08 working hours (Art. 11.4),
 *   handling, approval with the digital signature of the result (Art. 14.3.b), return of the
 *   electronic result (Art. 14.1);
 * - the process's qt figures (Circular 02/2017 Art. 27: subjects and times a year, hourly income)
 *   set to placeholders the user replaces. The national procedure code is left for the user:
 *   a made-up code could pass for a real one.
 */
import type { Language } from '../i18n.ts';

interface Bilingual {
  vi: string;
  en: string;
}

interface TemplateLane {
  id: string;
  name: Bilingual;
}

interface TemplateNode {
  id: string;
  type: 'startEvent' | 'endEvent' | 'userTask';
  lane: number;
  /** Horizontal centre on the canvas. */
  x: number;
  name: Bilingual;
  qt?: Record<string, string | number | boolean>;
}

const lanes: TemplateLane[] = [
  { id: 'Lane_to_chuc_ca_nhan', name: { vi: 'Tổ chức, cá nhân', en: 'Applicant (person or organisation)' } },
  { id: 'Lane_mot_cua', name: { vi: 'Bộ phận Một cửa', en: 'One-stop unit' } },
  { id: 'Lane_chuyen_mon', name: { vi: 'Bộ phận chuyên môn', en: 'Specialist unit' } },
  { id: 'Lane_lanh_dao', name: { vi: 'Lãnh đạo', en: 'Management' } },
];

/** In order: each flows into the next. */
const nodes: TemplateNode[] = [
  { id: 'Start_nop_ho_so', type: 'startEvent', lane: 0, x: 250, name: { vi: 'Cần giải quyết thủ tục', en: 'Procedure needed' } },
  {
    id: 'Task_nop_ho_so',
    type: 'userTask',
    lane: 0,
    x: 370,
    name: { vi: 'Chuẩn bị, nộp hồ sơ trực tuyến', en: 'Prepare and submit the dossier online' },
    // Decree 45 Art. 9: the applicant prepares and submits the electronic dossier.
    qt: { applicantHours: 1, channel: 'online', presence: false },
  },
  {
    id: 'Task_tiep_nhan',
    type: 'userTask',
    lane: 1,
    x: 530,
    name: { vi: 'Tiếp nhận, kiểm tra hồ sơ', en: 'Receive and check the dossier' },
    // Decree 45 Art. 11.4: receipt confirmed or amendment asked for within 08 working hours.
    qt: { dueWorkingHours: 8, officialHours: 0.5, durationHours: 1, manual: false },
  },
  {
    id: 'Task_giai_quyet',
    type: 'userTask',
    lane: 2,
    x: 690,
    name: { vi: 'Thẩm định, giải quyết hồ sơ', en: 'Examine and decide the dossier' },
    qt: { officialHours: 2, durationHours: 16, manual: false },
  },
  {
    id: 'Task_phe_duyet',
    type: 'userTask',
    lane: 3,
    x: 850,
    name: { vi: 'Phê duyệt, ký số kết quả', en: 'Approve and digitally sign the result' },
    // Decree 45 Art. 14.3.b: the electronic result bears the competent authority's digital signature.
    qt: { officialHours: 0.25, durationHours: 4, manual: false },
  },
  {
    id: 'Task_tra_ket_qua',
    type: 'userTask',
    lane: 1,
    x: 1010,
    name: { vi: 'Trả kết quả', en: 'Issue the result' },
    // Decree 45 Art. 14.1: the result goes to the applicant's electronic data store.
    qt: { officialHours: 0.1, durationHours: 0.5, manual: false, result: 'electronic', resultDelivery: 'online' },
  },
  { id: 'End_nhan_ket_qua', type: 'endEvent', lane: 0, x: 1150, name: { vi: 'Đã nhận kết quả', en: 'Result received' } },
];

const PROCESS_QT = { subjectsPerYear: 1000, timesPerYear: 1, hourlyIncomeVnd: 28000, publishedOnline: true, formsDownloadable: true };

const POOL = { x: 160, y: 80, width: 1080, header: 30 };
const LANE_HEIGHT = 125;
const TASK = { width: 120, height: 80 };
const EVENT = 36;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const qtAttributes = (values: Record<string, string | number | boolean> = {}) =>
  Object.entries(values)
    .map(([name, value]) => ` qt:${name}="${escapeXml(String(value))}"`)
    .join('');

function bounds(node: TemplateNode) {
  const size = node.type === 'userTask' ? TASK : { width: EVENT, height: EVENT };
  const centreY = POOL.y + node.lane * LANE_HEIGHT + LANE_HEIGHT / 2;
  return { x: node.x - size.width / 2, y: centreY - size.height / 2, width: size.width, height: size.height };
}

/** Out of the source's right side, down or up between the two, into the target's left side. */
function waypoints(source: TemplateNode, target: TemplateNode): Array<[number, number]> {
  const from = bounds(source);
  const to = bounds(target);
  const start: [number, number] = [from.x + from.width, from.y + from.height / 2];
  const end: [number, number] = [to.x, to.y + to.height / 2];
  if (start[1] === end[1]) return [start, end];
  const middle = Math.round((start[0] + end[0]) / 2);
  return [start, [middle, start[1]], [middle, end[1]], end];
}

/** The template's BPMN XML, its names in `language`. */
export function procedureTemplateXml(language: Language): string {
  const flows = nodes.slice(1).map((target, index) => ({ id: `Flow_${nodes[index]!.id}_${target.id}`, source: nodes[index]!, target }));
  const incoming = (node: TemplateNode) => flows.filter((flow) => flow.target === node).map((flow) => `\n      <bpmn:incoming>${flow.id}</bpmn:incoming>`);
  const outgoing = (node: TemplateNode) => flows.filter((flow) => flow.source === node).map((flow) => `\n      <bpmn:outgoing>${flow.id}</bpmn:outgoing>`);
  const poolHeight = lanes.length * LANE_HEIGHT;
  const name = { vi: 'Thủ tục hành chính (mẫu một cửa)', en: 'Administrative procedure (one-stop template)' }[language];

  const laneXml = lanes
    .map((lane, index) => {
      const refs = nodes.filter((node) => node.lane === index).map((node) => `\n        <bpmn:flowNodeRef>${node.id}</bpmn:flowNodeRef>`);
      return `\n      <bpmn:lane id="${lane.id}" name="${escapeXml(lane.name[language])}">${refs.join('')}\n      </bpmn:lane>`;
    })
    .join('');
  const nodeXml = nodes
    .map((node) => `\n    <bpmn:${node.type} id="${node.id}" name="${escapeXml(node.name[language])}"${qtAttributes(node.qt)}>${incoming(node).join('')}${outgoing(node).join('')}\n    </bpmn:${node.type}>`)
    .join('');
  const flowXml = flows.map((flow) => `\n    <bpmn:sequenceFlow id="${flow.id}" sourceRef="${flow.source.id}" targetRef="${flow.target.id}" />`).join('');

  const laneShapes = lanes
    .map(
      (lane, index) =>
        `\n      <bpmndi:BPMNShape id="${lane.id}_di" bpmnElement="${lane.id}" isHorizontal="true">\n        <dc:Bounds x="${POOL.x + POOL.header}" y="${POOL.y + index * LANE_HEIGHT}" width="${POOL.width - POOL.header}" height="${LANE_HEIGHT}" />\n      </bpmndi:BPMNShape>`,
    )
    .join('');
  const nodeShapes = nodes
    .map((node) => {
      const box = bounds(node);
      return `\n      <bpmndi:BPMNShape id="${node.id}_di" bpmnElement="${node.id}">\n        <dc:Bounds x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" />\n      </bpmndi:BPMNShape>`;
    })
    .join('');
  const flowEdges = flows
    .map((flow) => {
      const points = waypoints(flow.source, flow.target).map(([x, y]) => `\n        <di:waypoint x="${x}" y="${y}" />`);
      return `\n      <bpmndi:BPMNEdge id="${flow.id}_di" bpmnElement="${flow.id}">${points.join('')}\n      </bpmndi:BPMNEdge>`;
    })
    .join('');

  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_mau_mot_cua" targetNamespace="urn:quytrinh:processes">
  <bpmn:collaboration id="Collaboration_mau_mot_cua">
    <bpmn:participant id="Participant_mau_mot_cua" name="${escapeXml(name)}" processRef="Process_mau_mot_cua" />
  </bpmn:collaboration>
  <bpmn:process id="Process_mau_mot_cua" name="${escapeXml(name)}" isExecutable="true"${qtAttributes(PROCESS_QT)}>
    <bpmn:laneSet id="LaneSet_mau_mot_cua">${laneXml}
    </bpmn:laneSet>${nodeXml}${flowXml}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_mau_mot_cua">
    <bpmndi:BPMNPlane id="BPMNPlane_mau_mot_cua" bpmnElement="Collaboration_mau_mot_cua">
      <bpmndi:BPMNShape id="Participant_mau_mot_cua_di" bpmnElement="Participant_mau_mot_cua" isHorizontal="true">
        <dc:Bounds x="${POOL.x}" y="${POOL.y}" width="${POOL.width}" height="${poolHeight}" />
      </bpmndi:BPMNShape>${laneShapes}${nodeShapes}${flowEdges}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
