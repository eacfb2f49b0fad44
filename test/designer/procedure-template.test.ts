import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { compileProcess } from '../../engine/compile/index.ts';
import { lintModelXml } from '../../engine/rules/lint.ts';
import { InMemoryInstance } from '../../engine/runtime/memory-runtime.ts';
import type { RunEvent } from '../../engine/runtime/run-events.ts';
import { procedureTemplateXml } from '../../designer/src/templates/procedure-template.ts';

/** Runs the template in memory on `events`, from a Monday morning; returns the instance and the events it refused. */
async function drive(events: RunEvent[]) {
  let now = new Date('2026-11-23T08:00:00+07:00');
  const instance = new InMemoryInstance(compileProcess(await readProcess(procedureTemplateXml('vi'))), {}, now);
  const refused: string[] = [];
  for (const { at, ...event } of events) {
    if (at) now = new Date(at);
    if (!instance.send(event, now)) refused.push(`${event.type} ${event.elementId}`);
  }
  return { instance, refused };
}

const submitted: RunEvent[] = [
  { type: 'task.complete', elementId: 'Task_nop_ho_so', variables: { hoTen: 'Nguyễn Văn An' }, at: '2026-11-23T08:30:00+07:00' },
  { type: 'job.complete', elementId: 'Task_kiem_tra_tu_dong' },
];

describe('the one-stop procedure template (Decree 45/2020)', () => {
  it('is a real procedure: automatic check, receipt within 08 working hours, one amendment loop, fees, approval, signature, result and notice, refusal with reasons', async () => {
    const graph = await readProcess(procedureTemplateXml('vi'));
    const node = (id: string) => graph.nodes.get(id)!;
    expect(node('Task_kiem_tra_tu_dong').qt.jobType).toBe('datastore.lookup');
    expect(node('Task_tiep_nhan')).toMatchObject({ kind: 'userTask', lane: 'Bộ phận Một cửa', qt: { dossierStep: 'receipt', dueWorkingHours: 8 } });
    expect(node('Task_huong_dan').qt.jobType).toBe('notify.applicant');
    expect(node('Task_bo_sung').applicantLane).toBe(true);
    expect(node('Task_thanh_toan').qt).toMatchObject({ jobType: 'payment.online', payment: 'online' });
    expect(node('Task_phe_duyet').lane).toBe('Lãnh đạo');
    expect(node('Task_ky_so').qt.jobType).toBe('result.sign');
    expect(node('Task_tra_ket_qua').qt).toMatchObject({ jobType: 'result.notify', result: 'electronic', resultDelivery: 'online' });
    expect(node('Task_tu_choi').name).toBe('Trả lời bằng văn bản, nêu rõ lý do từ chối');
    for (const language of ['vi', 'en'] as const) {
      const xml = procedureTemplateXml(language);
      expect(await lintModelXml(xml)).toEqual([]);
      expect((await parseBpmn(xml)).warnings).toEqual([]);
    }
  });

  it('runs to a signed result after one amendment and the payment', async () => {
    const { instance, refused } = await drive([
      ...submitted,
      { type: 'task.complete', elementId: 'Task_tiep_nhan', variables: { canBoSung: true, noiDungBoSung: '1. Bản chụp giấy tờ bị mờ' }, at: '2026-11-23T10:00:00+07:00' },
      { type: 'job.complete', elementId: 'Task_huong_dan' },
      { type: 'task.complete', elementId: 'Task_bo_sung', at: '2026-11-23T14:00:00+07:00' },
      { type: 'job.complete', elementId: 'Task_kiem_tra_tu_dong' },
      { type: 'task.complete', elementId: 'Task_tiep_nhan', variables: { canBoSung: false }, at: '2026-11-23T15:00:00+07:00' },
      { type: 'job.complete', elementId: 'Task_ma_ho_so', variables: { applicationNumber: 'H29-261123-0001' } },
      { type: 'job.complete', elementId: 'Task_thanh_toan' },
      { type: 'task.complete', elementId: 'Task_giai_quyet', variables: { duDieuKien: true }, at: '2026-11-24T09:00:00+07:00' },
      { type: 'task.complete', elementId: 'Task_phe_duyet', at: '2026-11-24T11:00:00+07:00' },
      { type: 'job.complete', elementId: 'Task_ky_so', variables: { resultCode: 'H29-261123-0001-KQ1' } },
      { type: 'job.complete', elementId: 'Task_tra_ket_qua' },
    ]);
    expect(refused).toEqual([]);
    expect(instance.failure).toBeUndefined();
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
    expect(instance.variables).toMatchObject({ resultCode: 'H29-261123-0001-KQ1', canBoSung: false });
  });

  it('skips the payment for an exempt applicant and ends refused, with reasons, when the requirements are not met', async () => {
    const { instance, refused } = await drive([
      ...submitted,
      { type: 'task.complete', elementId: 'Task_tiep_nhan', variables: { canBoSung: false, mienPhi: true } },
      { type: 'job.complete', elementId: 'Task_ma_ho_so' },
      // Exempt: no payment step is open, the appraisal is.
      { type: 'job.complete', elementId: 'Task_thanh_toan' },
      { type: 'task.complete', elementId: 'Task_giai_quyet', variables: { duDieuKien: false } },
      { type: 'task.complete', elementId: 'Task_tu_choi', variables: { lyDoTuChoi: 'Không thuộc đối tượng được giải quyết' } },
    ]);
    expect(refused).toEqual(['job.complete Task_thanh_toan']);
    expect(instance.status).toBe('completed');
    expect(instance.variables).toMatchObject({ lyDoTuChoi: 'Không thuộc đối tượng được giải quyết' });
  });
});
