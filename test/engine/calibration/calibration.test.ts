import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { createWorkingCalendar } from '../../../engine/calendar/index.ts';
import { applyCalibration } from '../../../engine/calibration/apply.ts';
import { executedPath } from '../../../engine/calibration/executed-path.ts';
import { measureExecutions } from '../../../engine/calibration/measure.ts';
import { analyseProcedureCost } from '../../../engine/cost/procedure-cost.ts';
import { analyseRestructuringXml } from '../../../engine/cost/restructuring.ts';
import { restructuringReport } from '../../../server/reports/restructuring-report.ts';
import { projectRoot } from '../../../server/paths.ts';
import { birthHistories, skippedStep } from '../../support/calibration-history.ts';

const toBeXml = await readFile(path.join(projectRoot, 'processes/dang-ky-khai-sinh/to-be.bpmn'), 'utf8');
const graph = await readProcess(toBeXml);
const calendar = createWorkingCalendar();
const measured = measureExecutions(graph, [...birthHistories, skippedStep], () => calendar);
const step = (id: string) => measured.calibration.steps.find((each) => each.elementId === id)!;
const branch = (id: string) => measured.calibration.branches.find((each) => each.gatewayId === id)!;

describe('calibration of the birth registration from its history (issue 14)', () => {
  it('reads the flows each dossier took through gateways the history does not show', () => {
    const { flowsTaken, deviations, visits } = executedPath(graph, birthHistories[3]!.steps);
    expect(deviations).toEqual([]);
    expect(flowsTaken).toContain('Flow_Gateway_qua_han_Task_thanh_toan');
    expect(flowsTaken).toContain('Flow_Gateway_du_dieu_kien_Task_tu_choi');
    expect(flowsTaken).not.toContain('Flow_Gateway_qua_han_Gateway_le_phi_xong');
    expect(visits.map((visit) => visit.elementId)).toEqual(['Task_nop_truc_tuyen', 'Task_doi_chieu', 'Task_tiep_nhan', 'Task_ma_ho_so', 'Task_thanh_toan', 'Task_xac_minh', 'Task_tu_choi']);
  });

  it('measures each step’s working hours, waiting and elapsed time with its sample size', () => {
    // Receipt, by the desk: d1 08:00–09:00; d4 opened 08:30 but the desk finished d1 at 09:00, so it
    // waited 0.5 h and took 1 h (to 10:00); d2 09:00 and again after amending 09:00–10:00 (1 h each);
    // d3 Friday 16:00 to Monday 09:00 = 2 working hours. Elapsed 1 + 1.5 + 1 + 1 + 2 = 6.5 over 5.
    expect(step('Task_tiep_nhan')).toMatchObject({ performedBy: 'official', sampleSize: 5, dossiers: 4 });
    expect(step('Task_tiep_nhan').meanElapsedHours).toBeCloseTo(6.5 / 5, 10);
    expect(step('Task_tiep_nhan').meanWorkingHours).toBeCloseTo(6 / 5, 10);
    expect(step('Task_tiep_nhan').meanWaitingHours).toBeCloseTo(0.5 / 5, 10);
    // Verification: d1 09–11 (2 h); d4 opened 10:00, the registrar free at 11:00, done 13:30 (waited
    // 1 h, worked 1.5 h across lunch); d2 10–11; d3 09:30–10:30.
    expect(step('Task_xac_minh').sampleSize).toBe(4);
    expect(step('Task_xac_minh').meanElapsedHours).toBeCloseTo(6.5 / 4, 10);
    expect(step('Task_xac_minh').meanWorkingHours).toBeCloseTo(5.5 / 4, 10);
    expect(step('Task_xac_minh').meanWaitingHours).toBeCloseTo(1 / 4, 10);
    // Approval: d1 11:00–14:00 = 2 working hours; d4 13:30–16:00, the chair free at 14:00; d2 11–14.
    expect(step('Task_phe_duyet').meanElapsedHours).toBeCloseTo(6.5 / 3, 10);
    expect(step('Task_phe_duyet').meanWorkingHours).toBeCloseTo(2, 10);
    // The applicant's amendment: Tuesday 09:00 to Wednesday 09:00 = 8 working hours; not an official's work.
    expect(step('Task_bo_sung')).toMatchObject({ performedBy: 'applicant', sampleSize: 1, meanElapsedHours: 8, meanWorkingHours: undefined, meanWaitingHours: 0 });
    // Posting the result: 2 h, 16:00 Monday to 09:00 Tuesday = 2 h, 1 h.
    expect(step('Task_gui_ban_chinh')).toMatchObject({ performedBy: 'system', sampleSize: 3 });
    expect(step('Task_gui_ban_chinh').meanElapsedHours).toBeCloseTo(5 / 3, 10);
  });

  it('counts the branches at each gateway and the amendment loop', () => {
    expect(measured.calibration.dossiers).toBe(4);
    // Receipt decided 5 times (d2 twice): one amendment asked.
    expect(branch('Gateway_hop_le')).toMatchObject({ decisions: 5 });
    expect(branch('Gateway_hop_le').flows.map((flow) => [flow.flowId, flow.taken, flow.probability, flow.loop])).toEqual([
      ['Flow_Gateway_hop_le_Task_huong_dan', 1, 0.2, true],
      ['Flow_Gateway_hop_le_Task_ma_ho_so', 4, 0.8, false],
    ]);
    expect(measured.calibration.loops).toEqual([{ gatewayId: 'Gateway_hop_le', flowId: 'Flow_Gateway_hop_le_Task_huong_dan', decisions: 5, taken: 1, rate: 0.2, dossiers: 1 }]);
    expect(branch('Gateway_qua_han').flows.map((flow) => flow.probability)).toEqual([0.25, 0.75]);
    expect(branch('Gateway_du_dieu_kien').flows.map((flow) => flow.probability)).toEqual([0.25, 0.75]);
    expect(branch('Gateway_lien_thong').flows.map((flow) => [flow.flowId, flow.probability])).toEqual([
      ['Flow_Gateway_lien_thong_Gateway_vao_xu_ly', 0],
      ['Flow_Gateway_lien_thong_Task_nop_truc_tuyen', 1],
    ]);
  });

  it('lists a dossier whose step was skipped outside the engine, and leaves it out of the figures', () => {
    expect(measured.calibration.excluded).toBe(1);
    expect(measured.nonConforming).toEqual([
      { instanceId: 'd5', dossierCode: 'UBND-260305-0001', deviations: [expect.objectContaining({ kind: 'unreachable-step', elementId: 'Task_phe_duyet', fromElementId: 'Task_tiep_nhan' })] },
    ]);
  });

  it('lists a manual move and an operator’s stop', () => {
    const moved = [
      ...birthHistories[0]!.steps.slice(0, 3),
      { at: new Date('2026-03-02T10:00:00+07:00'), eventType: 'move', elementId: 'Task_phe_duyet', actor: 'account:operator', activeAfter: ['Task_phe_duyet'] },
      { at: new Date('2026-03-02T11:00:00+07:00'), eventType: 'terminate', elementId: null, actor: 'account:operator', activeAfter: [] },
    ];
    expect(executedPath(graph, moved).deviations.map((deviation) => [deviation.kind, deviation.elementId, deviation.actor])).toEqual([
      ['manual-move', 'Task_phe_duyet', 'account:operator'],
      ['stopped', undefined, 'account:operator'],
    ]);
  });

  it('writes the figures into a copy of the model, with sample sizes, that the cost model reads', async () => {
    const xml = await applyCalibration(toBeXml, measured.calibration, { from: '2026-03-01', to: '2026-03-31' });
    expect(xml).toContain('qt:calibratedFrom="2026-03-01"');
    expect(xml).toContain('qt:calibratedDossiers="4"');
    const calibrated = await readProcess(xml);
    expect(calibrated.nodes.get('Task_tiep_nhan')!.qt).toMatchObject({ officialHours: 1.2, durationHours: 1.3 });
    expect(calibrated.nodes.get('Task_phe_duyet')!.qt).toMatchObject({ officialHours: 2, durationHours: 2.17 });
    expect(calibrated.flows.get('Flow_Gateway_hop_le_Task_huong_dan')!.probability).toBe(0.2);
    expect(calibrated.flows.get('Flow_Gateway_qua_han_Task_thanh_toan')!.probability).toBe(0.25);
    expect(xml).toMatch(/id="Task_tiep_nhan"[^>]*qt:sampleSize="5"/);
    expect(xml).toMatch(/id="Flow_Gateway_hop_le_Task_huong_dan"[^>]*qt:sampleSize="5"/);
    // Unmeasured attributes stay the analyst's; the copy keeps its diagram.
    expect(calibrated.nodes.get('Task_nop_truc_tuyen')!.qt.applicantHours).toBe(0.5);
    expect(xml).toContain('bpmndi:BPMNShape');
    // The amendment loop now runs 1 ÷ (1 − 0.2) = 1.25 times: the receipt is visited 1.25 times per dossier.
    const cost = analyseProcedureCost(calibrated);
    expect(cost.elements.find((element) => element.elementId === 'Task_tiep_nhan')!.visits).toBeCloseTo(1.25, 10);
  });

  it('lets the restructuring report cite the measured figures of a calibrated to-be', async () => {
    const xml = await applyCalibration(toBeXml, measured.calibration, { from: '2026-03-01', to: '2026-03-31' });
    const asIsXml = await readFile(path.join(projectRoot, 'processes/dang-ky-khai-sinh/as-is.bpmn'), 'utf8');
    const analysis = await analyseRestructuringXml(asIsXml, xml);
    expect(analysis.toBe.calibration).toEqual({ from: '2026-03-01', to: '2026-03-31', dossiers: 4 });
    expect(analysis.asIs.calibration).toBeUndefined();
    expect(restructuringReport(analysis).legalBasis.vi).toContain('số liệu sau tái cấu trúc đo trên 4 hồ sơ đã giải quyết từ 01/03/2026 đến 31/03/2026');
    // An estimated model's report says nothing of measurement.
    expect(restructuringReport(await analyseRestructuringXml(asIsXml, toBeXml)).legalBasis.vi).not.toContain('đo trên');
  });
});
