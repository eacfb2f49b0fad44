import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, run } from '../../support/process.ts';

const dossier = bpmnProcess(`
  <bpmn:laneSet id="lanes">
    <bpmn:lane id="Lane_receipt" name="Bộ phận một cửa"><bpmn:flowNodeRef>receive</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="Lane_specialist" name="Chuyên viên"><bpmn:flowNodeRef>appraise</bpmn:flowNodeRef></bpmn:lane>
  </bpmn:laneSet>
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="receive" name="Tiếp nhận hồ sơ" qt:dueWorkingHours="8"/>
  <bpmn:serviceTask id="register" name="Cấp mã hồ sơ" qt:jobType="dossier.number"/>
  <bpmn:userTask id="appraise" name="Thẩm định"/>
  <bpmn:manualTask id="stamp" name="Đóng dấu"/>
  <bpmn:receiveTask id="paid" name="Nhận kết quả thanh toán" messageRef="Message_paid"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>receive', 'receive>register', 'register>appraise', 'appraise>stamp', 'stamp>paid', 'paid>end')}
`, { outside: '<bpmn:message id="Message_paid" name="payment.settled"/>' });

describe('tasks', () => {
  it('opens a user task for its lane with a working-time due date (Decree 45 Art. 11.4: 08 working hours)', async () => {
    // Given a dossier submitted on a Friday at 16:00
    const instance = await run(dossier, {}, new Date('2025-03-07T16:00:00+07:00'));
    expect(instance.activeElementIds).toEqual(['receive']);
    expect(instance.open).toEqual([
      { elementId: 'receive', kind: 'task', detail: { elementId: 'receive', name: 'Tiếp nhận hồ sơ', candidateGroup: 'Bộ phận một cửa', dueWorkingHours: 8 }, dueAt: '2025-03-10T09:00:00.000Z' },
    ]);
  });

  it('carries variables from completions and jobs, and passes manual tasks straight through', async () => {
    const instance = await run(dossier, { variables: { applicant: 'Nguyễn Văn A' } });
    expect(instance.send({ type: 'task.complete', elementId: 'receive', variables: { complete: true } })).toBe(true);
    expect(instance.open.map((w) => [w.elementId, w.kind, w.detail.jobType])).toEqual([['register', 'job', 'dossier.number']]);
    instance.send({ type: 'job.complete', elementId: 'register', variables: { dossierNumber: 'H01.01-250305-0001' } });
    instance.send({ type: 'task.complete', elementId: 'appraise' });
    // the manual stamp was passed; the instance waits for the payment message
    expect(instance.activeElementIds).toEqual(['paid']);
    expect(instance.open).toMatchObject([{ elementId: 'paid', kind: 'message', detail: { messageName: 'payment.settled' } }]);
    instance.send({ type: 'message', elementId: 'paid', variables: { amount: 50_000 } });
    expect(instance.status).toBe('completed');
    expect(instance.variables).toEqual({ applicant: 'Nguyễn Văn A', complete: true, dossierNumber: 'H01.01-250305-0001', amount: 50_000 });
    expect(instance.open).toEqual([]);
  });

  it('refuses events for work that is not open, changing nothing', async () => {
    const instance = await run(dossier);
    expect(instance.send({ type: 'task.complete', elementId: 'appraise' })).toBe(false);
    expect(instance.send({ type: 'job.complete', elementId: 'receive' })).toBe(false);
    instance.send({ type: 'task.complete', elementId: 'receive' });
    // completing the same task twice: the second is refused
    expect(instance.send({ type: 'task.complete', elementId: 'receive' })).toBe(false);
    expect(instance.activeElementIds).toEqual(['register']);
  });
});
