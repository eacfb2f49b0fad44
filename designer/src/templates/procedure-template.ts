/**
 * "Mới từ mẫu": a one-stop procedure to start from, a real procedure under Decree 45/2020, so the
 * live cost and the checks answer at once (no error, no warning) and it deploys and runs as it is;
 * the user adjusts the names and the figures:
 * - a pool with a lane for the applicant (qt:applicant), the information system and each unit
 *   taking part (Circular 01 Art. 16.3.b);
 * - online submission (Art. 9); the system's automatic check of the application against the data
 *   it holds (Art. 11.1, 11.2.a; `datastore.lookup`); the receipt check by the one-stop unit within
 *   08 working hours (Art. 11.2–11.4: the receipt step, `qt:dossierStep="receipt"` due in 8 working
 *   hours), which asks for an amendment once (Art. 11.3: guidance by `notify.applicant`, the
 *   applicant amends, the dossier keeps its number, Art. 12.2.c) or gives the dossier its number;
 * - the fees paid online unless the applicant is exempt (Art. 13; `payment.online`, the amount a
 *   placeholder); the specialist unit's appraisal, which refuses with reasons in writing or passes
 *   the dossier to the management's approval; the result signed digitally (Art. 14.3.b,
 *   `result.sign`, coded KQ(n) by Art. 14.3.d), then issued to the applicant's data store and
 *   notified (Art. 14.1, `result.notify`);
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
  applicant?: boolean;
}

type NodeType = 'startEvent' | 'endEvent' | 'userTask' | 'serviceTask' | 'sendTask' | 'exclusiveGateway';

interface TemplateNode {
  id: string;
  type: NodeType;
  lane: number;
  /** Horizontal centre on the canvas. */
  x: number;
  name?: Bilingual;
  qt?: Record<string, string | number | boolean>;
}

interface TemplateFlow {
  source: string;
  target: string;
  name?: Bilingual;
  /** FEEL, on a gateway's non-default branch. */
  condition?: string;
  probability?: number;
  /** The gateway's default flow. */
  isDefault?: boolean;
}

const lanes: TemplateLane[] = [
  { id: 'Lane_to_chuc_ca_nhan', name: { vi: 'Tổ chức, cá nhân', en: 'Applicant (person or organisation)' }, applicant: true },
  { id: 'Lane_he_thong', name: { vi: 'Hệ thống thông tin giải quyết TTHC', en: 'Administrative procedure information system' } },
  { id: 'Lane_mot_cua', name: { vi: 'Bộ phận Một cửa', en: 'One-stop unit' } },
  { id: 'Lane_chuyen_mon', name: { vi: 'Bộ phận chuyên môn', en: 'Specialist unit' } },
  { id: 'Lane_lanh_dao', name: { vi: 'Lãnh đạo', en: 'Management' } },
];

const nodes: TemplateNode[] = [
  { id: 'Start_nop_ho_so', type: 'startEvent', lane: 0, x: 250, name: { vi: 'Cần giải quyết thủ tục', en: 'Procedure needed' } },
  // Decree 45 Art. 9: the applicant prepares and submits the electronic dossier.
  { id: 'Task_nop_ho_so', type: 'userTask', lane: 0, x: 370, name: { vi: 'Chuẩn bị, nộp hồ sơ trực tuyến', en: 'Prepare and submit the dossier online' }, qt: { applicantHours: 1, channel: 'online', presence: false } },
  { id: 'Gateway_bo_sung_xong', type: 'exclusiveGateway', lane: 1, x: 490 },
  // Art. 11.1, 11.2.a: the system checks the application and its data against the databases it is connected to.
  { id: 'Task_kiem_tra_tu_dong', type: 'serviceTask', lane: 1, x: 600, name: { vi: 'Kiểm tra tự động, đối chiếu dữ liệu', en: 'Automatic check against the data held' }, qt: { jobType: 'datastore.lookup', manual: false, durationHours: 0.1 } },
  // Art. 11.2–11.4: the one-stop unit receives the dossier or asks for an amendment within 08 working hours.
  { id: 'Task_tiep_nhan', type: 'userTask', lane: 2, x: 740, name: { vi: 'Tiếp nhận, kiểm tra hồ sơ', en: 'Receive and check the dossier' }, qt: { dossierStep: 'receipt', dueWorkingHours: 8, officialHours: 0.5, durationHours: 1, manual: false } },
  { id: 'Gateway_hop_le', type: 'exclusiveGateway', lane: 2, x: 880, name: { vi: 'Hồ sơ đầy đủ, hợp lệ?', en: 'Dossier complete and valid?' } },
  // Art. 11.3: the amendment guidance, once, every item in one list.
  { id: 'Task_huong_dan', type: 'sendTask', lane: 1, x: 880, name: { vi: 'Hướng dẫn bổ sung hồ sơ một lần', en: 'Guide the amendment, once' }, qt: { jobType: 'notify.applicant', manual: false, durationHours: 0.1 } },
  // Art. 12: the applicant amends online; the dossier keeps its number (Art. 12.2.c).
  { id: 'Task_bo_sung', type: 'userTask', lane: 0, x: 880, name: { vi: 'Bổ sung hồ sơ trực tuyến', en: 'Amend the dossier online' }, qt: { applicantHours: 0.5, channel: 'online', presence: false } },
  { id: 'Task_ma_ho_so', type: 'serviceTask', lane: 1, x: 1010, name: { vi: 'Cấp mã hồ sơ', en: 'Give the dossier its number' }, qt: { jobType: 'dossier.number', manual: false } },
  { id: 'Gateway_co_phi', type: 'exclusiveGateway', lane: 1, x: 1140, name: { vi: 'Được miễn phí, lệ phí?', en: 'Exempt from fees?' } },
  // Art. 13: fees paid online (the amount is a placeholder for the procedure's own).
  { id: 'Task_thanh_toan', type: 'serviceTask', lane: 0, x: 1260, name: { vi: 'Nộp phí, lệ phí trực tuyến', en: 'Pay the fees online' }, qt: { jobType: 'payment.online', applicantHours: 0.1, feeVnd: 50000, payment: 'online' } },
  { id: 'Gateway_da_nop', type: 'exclusiveGateway', lane: 1, x: 1380 },
  { id: 'Task_giai_quyet', type: 'userTask', lane: 3, x: 1500, name: { vi: 'Thẩm định, giải quyết hồ sơ', en: 'Examine and decide the dossier' }, qt: { officialHours: 2, durationHours: 16, manual: false } },
  { id: 'Gateway_du_dieu_kien', type: 'exclusiveGateway', lane: 3, x: 1630, name: { vi: 'Đủ điều kiện?', en: 'Requirements met?' } },
  { id: 'Task_tu_choi', type: 'userTask', lane: 3, x: 1760, name: { vi: 'Trả lời bằng văn bản, nêu rõ lý do từ chối', en: 'Refuse in writing, giving the reasons' }, qt: { officialHours: 0.3, durationHours: 1, manual: false } },
  { id: 'End_tu_choi', type: 'endEvent', lane: 3, x: 1900, name: { vi: 'Hồ sơ bị từ chối', en: 'Dossier refused' } },
  { id: 'Task_phe_duyet', type: 'userTask', lane: 4, x: 1760, name: { vi: 'Phê duyệt kết quả', en: 'Approve the result' }, qt: { officialHours: 0.25, durationHours: 4, manual: false } },
  // Art. 14.3.b, 14.3.d: the result bears the authority's digital signature and its code <dossier no.>-KQ(n).
  { id: 'Task_ky_so', type: 'serviceTask', lane: 4, x: 1900, name: { vi: 'Ký số kết quả, gán mã kết quả', en: 'Digitally sign the result and give it its code' }, qt: { jobType: 'result.sign', manual: false, durationHours: 0.1 } },
  // Art. 14.1: the result goes to the applicant's electronic data store, and the applicant is told.
  { id: 'Task_tra_ket_qua', type: 'sendTask', lane: 2, x: 2040, name: { vi: 'Trả kết quả điện tử, thông báo cho tổ chức, cá nhân', en: 'Issue the electronic result and notify the applicant' }, qt: { jobType: 'result.notify', manual: false, durationHours: 0.1, result: 'electronic', resultDelivery: 'online' } },
  { id: 'End_nhan_ket_qua', type: 'endEvent', lane: 0, x: 2170, name: { vi: 'Đã nhận kết quả', en: 'Result received' } },
];

const flows: TemplateFlow[] = [
  { source: 'Start_nop_ho_so', target: 'Task_nop_ho_so' },
  { source: 'Task_nop_ho_so', target: 'Gateway_bo_sung_xong' },
  { source: 'Gateway_bo_sung_xong', target: 'Task_kiem_tra_tu_dong' },
  { source: 'Task_kiem_tra_tu_dong', target: 'Task_tiep_nhan' },
  { source: 'Task_tiep_nhan', target: 'Gateway_hop_le' },
  // The receipt decision sets canBoSung (docs/dossiers.md).
  { source: 'Gateway_hop_le', target: 'Task_huong_dan', name: { vi: 'Cần bổ sung', en: 'Amendment needed' }, condition: 'canBoSung = true', probability: 0.1 },
  { source: 'Gateway_hop_le', target: 'Task_ma_ho_so', name: { vi: 'Hợp lệ', en: 'Valid' }, probability: 0.9, isDefault: true },
  { source: 'Task_huong_dan', target: 'Task_bo_sung' },
  { source: 'Task_bo_sung', target: 'Gateway_bo_sung_xong' },
  { source: 'Task_ma_ho_so', target: 'Gateway_co_phi' },
  { source: 'Gateway_co_phi', target: 'Gateway_da_nop', name: { vi: 'Được miễn', en: 'Exempt' }, condition: 'mienPhi = true', probability: 0.1 },
  { source: 'Gateway_co_phi', target: 'Task_thanh_toan', name: { vi: 'Phải nộp', en: 'Fees due' }, probability: 0.9, isDefault: true },
  { source: 'Task_thanh_toan', target: 'Gateway_da_nop' },
  { source: 'Gateway_da_nop', target: 'Task_giai_quyet' },
  { source: 'Task_giai_quyet', target: 'Gateway_du_dieu_kien' },
  { source: 'Gateway_du_dieu_kien', target: 'Task_tu_choi', name: { vi: 'Không đủ', en: 'Not met' }, condition: 'duDieuKien = false', probability: 0.05 },
  { source: 'Gateway_du_dieu_kien', target: 'Task_phe_duyet', name: { vi: 'Đủ', en: 'Met' }, probability: 0.95, isDefault: true },
  { source: 'Task_tu_choi', target: 'End_tu_choi' },
  { source: 'Task_phe_duyet', target: 'Task_ky_so' },
  { source: 'Task_ky_so', target: 'Task_tra_ket_qua' },
  { source: 'Task_tra_ket_qua', target: 'End_nhan_ket_qua' },
];

const PROCESS_QT = { subjectsPerYear: 1000, timesPerYear: 1, hourlyIncomeVnd: 28000, publishedOnline: true, formsDownloadable: true };

const POOL = { x: 160, y: 80, width: 2080, header: 30 };
const LANE_HEIGHT = 125;
const TASK = { width: 120, height: 80 };
const EVENT = 36;
const GATEWAY = 50;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const qtAttributes = (values: Record<string, string | number | boolean> = {}) =>
  Object.entries(values)
    .map(([name, value]) => ` qt:${name}="${escapeXml(String(value))}"`)
    .join('');

const sizeOf = (node: TemplateNode) => (node.type.endsWith('Task') ? TASK : node.type === 'exclusiveGateway' ? { width: GATEWAY, height: GATEWAY } : { width: EVENT, height: EVENT });

function bounds(node: TemplateNode) {
  const size = sizeOf(node);
  const centreY = POOL.y + node.lane * LANE_HEIGHT + LANE_HEIGHT / 2;
  return { x: node.x - size.width / 2, y: centreY - size.height / 2, width: size.width, height: size.height };
}

const nodeById = new Map(nodes.map((node) => [node.id, node]));
const flowId = (flow: TemplateFlow) => `Flow_${flow.source}_${flow.target}`;

/**
 * Forward: out of the source's right side, down or up between the two, into the target's left
 * side. One above the other: straight up or down. Back (the amendment loop): out of the source's
 * left side, along its lane, into the target from the facing side.
 */
function waypoints(source: TemplateNode, target: TemplateNode): Array<[number, number]> {
  const from = bounds(source);
  const to = bounds(target);
  const middleOf = (box: typeof from): [number, number] => [box.x + box.width / 2, box.y + box.height / 2];
  const [sourceX, sourceY] = middleOf(from);
  const [targetX, targetY] = middleOf(to);
  if (sourceX === targetX) return sourceY > targetY ? [[sourceX, from.y], [targetX, to.y + to.height]] : [[sourceX, from.y + from.height], [targetX, to.y]];
  if (targetX < sourceX) return [[from.x, sourceY], [targetX, sourceY], [targetX, targetY > sourceY ? to.y : to.y + to.height]];
  const start: [number, number] = [from.x + from.width, sourceY];
  const end: [number, number] = [to.x, targetY];
  if (start[1] === end[1]) return [start, end];
  const middle = Math.round((start[0] + end[0]) / 2);
  return [start, [middle, start[1]], [middle, end[1]], end];
}

/** The template's BPMN XML, its names in `language`. */
export function procedureTemplateXml(language: Language): string {
  const incoming = (node: TemplateNode) => flows.filter((flow) => flow.target === node.id).map((flow) => `\n      <bpmn:incoming>${flowId(flow)}</bpmn:incoming>`);
  const outgoing = (node: TemplateNode) => flows.filter((flow) => flow.source === node.id).map((flow) => `\n      <bpmn:outgoing>${flowId(flow)}</bpmn:outgoing>`);
  const poolHeight = lanes.length * LANE_HEIGHT;
  const name = { vi: 'Thủ tục hành chính (mẫu một cửa)', en: 'Administrative procedure (one-stop template)' }[language];

  const laneXml = lanes
    .map((lane, index) => {
      const refs = nodes.filter((node) => node.lane === index).map((node) => `\n        <bpmn:flowNodeRef>${node.id}</bpmn:flowNodeRef>`);
      return `\n      <bpmn:lane id="${lane.id}" name="${escapeXml(lane.name[language])}"${lane.applicant ? ' qt:applicant="true"' : ''}>${refs.join('')}\n      </bpmn:lane>`;
    })
    .join('');
  const nodeXml = nodes
    .map((node) => {
      const defaultFlow = flows.find((flow) => flow.source === node.id && flow.isDefault);
      const attributes = `${node.name ? ` name="${escapeXml(node.name[language])}"` : ''}${defaultFlow ? ` default="${flowId(defaultFlow)}"` : ''}${qtAttributes(node.qt)}`;
      return `\n    <bpmn:${node.type} id="${node.id}"${attributes}>${incoming(node).join('')}${outgoing(node).join('')}\n    </bpmn:${node.type}>`;
    })
    .join('');
  const flowXml = flows
    .map((flow) => {
      const attributes = `${flow.name ? ` name="${escapeXml(flow.name[language])}"` : ''}${flow.probability === undefined ? '' : ` qt:probability="${flow.probability}"`}`;
      const head = `\n    <bpmn:sequenceFlow id="${flowId(flow)}" sourceRef="${flow.source}" targetRef="${flow.target}"${attributes}`;
      return flow.condition ? `${head}>\n      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= ${escapeXml(flow.condition)}</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>` : `${head} />`;
    })
    .join('');

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
      const points = waypoints(nodeById.get(flow.source)!, nodeById.get(flow.target)!).map(([x, y]) => `\n        <di:waypoint x="${x}" y="${y}" />`);
      return `\n      <bpmndi:BPMNEdge id="${flowId(flow)}_di" bpmnElement="${flowId(flow)}">${points.join('')}\n      </bpmndi:BPMNEdge>`;
    })
    .join('');

  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_mau_mot_cua" targetNamespace="urn:quytrinh:processes">
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
