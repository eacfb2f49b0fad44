/**
 * A fixture history of the catalogue's birth registration (processes/dang-ky-khai-sinh/to-be.bpmn),
 * four dossiers whose every step time is chosen so that the calibrated figures can be worked out by
 * hand (test/engine/calibration/calibration.test.ts shows the sums), and a fifth that skips a step.
 * Times are Vietnam time; the default working calendar is Mon–Fri 08:00–12:00, 13:00–17:00, and
 * 2–9 March 2026 has no holiday.
 */
import type { HistoryStep } from '../../engine/calibration/executed-path.ts';

type Row = [at: string, eventType: string, elementId: string | null, actor: string | null, activeAfter: string[]];

const at = (day: string, time: string) => `2026-03-${day}T${time}:00+07:00`;
const steps = (rows: Row[]): HistoryStep[] => rows.map(([when, eventType, elementId, actor, activeAfter]) => ({ at: new Date(when), eventType, elementId, actor, activeAfter }));

/** Submission: the start, the applicant's online filing and the automatic check, all at once. */
const submitted = (day: string, time: string, applicant: string): Row[] => [
  [at(day, time), 'start', 'Start_can_khai_sinh', applicant, ['Task_nop_truc_tuyen']],
  [at(day, time), 'task.complete', 'Task_nop_truc_tuyen', applicant, ['Task_doi_chieu']],
  [at(day, time), 'job.complete', 'Task_doi_chieu', 'worker', ['Task_tiep_nhan']],
];

export const DESK = 'account:mot-cua';
export const REGISTRAR = 'account:tu-phap';
export const CHAIR = 'account:chu-tich';

export const birthHistories: Array<{ instanceId: string; dossierCode: string; steps: HistoryStep[] }> = [
  {
    instanceId: 'd1',
    dossierCode: 'UBND-260302-0001',
    steps: steps([
      ...submitted('02', '08:00', 'account:dan-1'),
      [at('02', '09:00'), 'task.complete', 'Task_tiep_nhan', DESK, ['Task_ma_ho_so']],
      [at('02', '09:00'), 'job.complete', 'Task_ma_ho_so', 'worker', ['Task_xac_minh']],
      [at('02', '11:00'), 'task.complete', 'Task_xac_minh', REGISTRAR, ['Task_phe_duyet']],
      [at('02', '14:00'), 'task.complete', 'Task_phe_duyet', CHAIR, ['Task_ky_so']],
      [at('02', '14:00'), 'job.complete', 'Task_ky_so', 'worker', ['Task_gui_ban_chinh']],
      [at('02', '16:00'), 'job.complete', 'Task_gui_ban_chinh', 'worker', []],
    ]),
  },
  {
    // Opened while the desk and the registrar were busy with d1: it waits for them.
    instanceId: 'd4',
    dossierCode: 'UBND-260302-0002',
    steps: steps([
      ...submitted('02', '08:30', 'account:dan-4'),
      [at('02', '10:00'), 'task.complete', 'Task_tiep_nhan', DESK, ['Task_ma_ho_so']],
      [at('02', '10:00'), 'job.complete', 'Task_ma_ho_so', 'worker', ['Task_xac_minh']],
      [at('02', '13:30'), 'task.complete', 'Task_xac_minh', REGISTRAR, ['Task_phe_duyet']],
      [at('02', '16:00'), 'task.complete', 'Task_phe_duyet', CHAIR, ['Task_ky_so']],
      [at('02', '16:00'), 'job.complete', 'Task_ky_so', 'worker', ['Task_gui_ban_chinh']],
      [at('03', '09:00'), 'job.complete', 'Task_gui_ban_chinh', 'worker', []],
    ]),
  },
  {
    // Asked to amend once (Decree 45 Art. 11.3): the loop through Task_huong_dan and Task_bo_sung.
    instanceId: 'd2',
    dossierCode: 'UBND-260303-0001',
    steps: steps([
      ...submitted('03', '08:00', 'account:dan-2'),
      [at('03', '09:00'), 'task.complete', 'Task_tiep_nhan', DESK, ['Task_huong_dan']],
      [at('03', '09:00'), 'job.complete', 'Task_huong_dan', 'worker', ['Task_bo_sung']],
      [at('04', '09:00'), 'task.complete', 'Task_bo_sung', 'account:dan-2', ['Task_doi_chieu']],
      [at('04', '09:00'), 'job.complete', 'Task_doi_chieu', 'worker', ['Task_tiep_nhan']],
      [at('04', '10:00'), 'task.complete', 'Task_tiep_nhan', DESK, ['Task_ma_ho_so']],
      [at('04', '10:00'), 'job.complete', 'Task_ma_ho_so', 'worker', ['Task_xac_minh']],
      [at('04', '11:00'), 'task.complete', 'Task_xac_minh', REGISTRAR, ['Task_phe_duyet']],
      [at('04', '14:00'), 'task.complete', 'Task_phe_duyet', CHAIR, ['Task_ky_so']],
      [at('04', '14:00'), 'job.complete', 'Task_ky_so', 'worker', ['Task_gui_ban_chinh']],
      [at('04', '15:00'), 'job.complete', 'Task_gui_ban_chinh', 'worker', []],
    ]),
  },
  {
    // Filed late on a Friday, registered late (the fee), then refused.
    instanceId: 'd3',
    dossierCode: 'UBND-260306-0001',
    steps: steps([
      ...submitted('06', '16:00', 'account:dan-3'),
      [at('09', '09:00'), 'task.complete', 'Task_tiep_nhan', DESK, ['Task_ma_ho_so']],
      [at('09', '09:00'), 'job.complete', 'Task_ma_ho_so', 'worker', ['Task_thanh_toan']],
      [at('09', '09:30'), 'job.complete', 'Task_thanh_toan', 'worker', ['Task_xac_minh']],
      [at('09', '10:30'), 'task.complete', 'Task_xac_minh', REGISTRAR, ['Task_tu_choi']],
      [at('09', '11:30'), 'task.complete', 'Task_tu_choi', REGISTRAR, []],
    ]),
  },
];

/** A dossier whose verification was skipped outside the engine: after the receipt it stood at the approval. */
export const skippedStep = {
  instanceId: 'd5',
  dossierCode: 'UBND-260305-0001',
  steps: steps([
    ...submitted('05', '08:00', 'account:dan-5'),
    [at('05', '09:00'), 'task.complete', 'Task_tiep_nhan', DESK, ['Task_phe_duyet']],
    [at('05', '10:00'), 'task.complete', 'Task_phe_duyet', CHAIR, ['Task_ky_so']],
    [at('05', '10:00'), 'job.complete', 'Task_ky_so', 'worker', ['Task_gui_ban_chinh']],
    [at('05', '11:00'), 'job.complete', 'Task_gui_ban_chinh', 'worker', []],
  ]),
};
