import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../engine/calendar/index.ts';
import { applyEvent, startInstance } from '../../engine/runtime/instance.ts';
import { jobPayload, jobSpec, SERVICE_TASK_JOB, TIMER_JOB, TIMER_START_JOB } from '../../server/execution/job-kinds.ts';
import { planStep, type PlannedWrite } from '../../server/execution/write-plan.ts';
import { bpmnProcess, compile, flows } from '../support/process.ts';

// The write plan is computed without a database: these run on the engine project, no PostgreSQL.
const calendar = createWorkingCalendar();
const calendars = { calendarFor: () => calendar };
const now = new Date('2025-03-05T09:00:00+07:00'); // a Wednesday, office hours
const instanceId = '6f1c2a9e-4b1d-4c3e-9a7b-2d5e8f0a1b2c';
const ids = () => {
  let next = 0;
  return () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
};

const receiveThenCheck = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="receive" name="Tiếp nhận" qt:dueWorkingHours="8"/>
  <bpmn:serviceTask id="number" qt:jobType="dossier.number"/>
  <bpmn:serviceTask id="tax" qt:jobType="tax.land-obligations"/>
  <bpmn:userTask id="check" name="Kiểm tra"/>
  <bpmn:boundaryEvent id="late" attachedToRef="check" cancelActivity="false"><bpmn:timerEventDefinition qt:workingHours="16"/></bpmn:boundaryEvent>
  <bpmn:endEvent id="end"/><bpmn:endEvent id="lateEnd"/>
  ${flows('start>receive', 'receive>number', 'number>tax', 'tax>check', 'check>end', 'late>lateEnd')}`, { id: 'Process_plan' });

const kinds = (writes: PlannedWrite[]) => writes.map((write) => `${write.kind} ${write.elementId}`);

describe('the write plan of a step', () => {
  it('plans the instance row, its history row and a task due in working hours (8 from Wednesday 09:00: Thursday 09:00)', async () => {
    const compiled = await compile(receiveThenCheck);
    const step = startInstance(compiled, { variables: { hoTen: 'Nguyễn Văn A' } });
    const plan = planStep({ instanceId, step, eventType: 'start', elementId: undefined, meta: { eventId: 'start', actor: 'can-bo' }, variablesBefore: {} }, { now, calendars, newId: ids() });
    expect(plan.instance).toMatchObject({ status: 'active', active_element_ids: ['receive'], ended_at: null, failure: null });
    expect(JSON.parse(plan.instance.variables)).toEqual({ hoTen: 'Nguyễn Văn A' });
    expect(plan.history).toMatchObject({ instance_id: instanceId, event_id: 'start', event_type: 'start', actor: 'can-bo', at: now, status_after: 'active' });
    expect(JSON.parse(plan.history.variables_changed)).toEqual({ hoTen: 'Nguyễn Văn A' });
    expect(plan.writes).toEqual([{
      kind: 'task.open',
      elementId: 'receive',
      row: { instance_id: instanceId, element_id: 'receive', name: 'Tiếp nhận', candidate_group: null, created_at: now, due_at: new Date('2025-03-06T09:00:00+07:00'), status: 'open', multi_index: null, item: null },
    }]);
  });

  it('opens a built-in job with its queue job named by the id it gives it, an external one without, and arms a timer from the registry', async () => {
    const compiled = await compile(receiveThenCheck);
    const started = startInstance(compiled);
    const newId = ids();
    const numbered = applyEvent(compiled, started.snapshot, { type: 'task.complete', elementId: 'receive' })!;
    const first = planStep({ instanceId, step: numbered, eventType: 'task.complete', elementId: 'receive', meta: { eventId: 'task:1' }, variablesBefore: {} }, { now, calendars, newId });
    expect(kinds(first.writes)).toEqual(['task.cancel receive', 'job.open number']);
    const serviceJobId = '00000000-0000-4000-8000-000000000001';
    expect(first.writes[1]).toEqual({
      kind: 'job.open',
      elementId: 'number',
      row: { id: serviceJobId, instance_id: instanceId, element_id: 'number', job_type: 'dossier.number', handler: 'builtin', status: 'open', multi_index: null, item: null },
      queued: { task: 'qt.service-task', payload: { serviceJobId }, key: `service:${serviceJobId}`, maxAttempts: 5, runAt: undefined },
    });

    const taxed = applyEvent(compiled, numbered.snapshot, { type: 'job.complete', elementId: 'number' })!;
    const second = planStep({ instanceId, step: taxed, eventType: 'job.complete', elementId: 'number', meta: { eventId: 'job:1' }, variablesBefore: {} }, { now, calendars, newId });
    // The job done was marked so before the event: its cancel finds nothing open.
    expect(kinds(second.writes)).toEqual(['job.cancel number', 'job.open tax']);
    expect(second.writes[1]).toEqual(expect.objectContaining({ row: expect.objectContaining({ job_type: 'tax.land-obligations', handler: 'external' }), queued: undefined }));

    const checking = applyEvent(compiled, taxed.snapshot, { type: 'job.complete', elementId: 'tax' })!;
    const third = planStep({ instanceId, step: checking, eventType: 'job.complete', elementId: 'tax', meta: { eventId: 'job:2' }, variablesBefore: {} }, { now, calendars, newId });
    expect(kinds(third.writes)).toEqual(['job.cancel tax', 'task.open check', 'queue.add late']);
    // Sixteen working hours from Wednesday 09:00: Friday 09:00.
    expect(third.writes[2]).toEqual({
      kind: 'queue.add',
      elementId: 'late',
      instanceId,
      job: { task: 'qt.timer', payload: { instanceId, elementId: 'late' }, key: `timer:${instanceId}:late`, maxAttempts: 10, runAt: new Date('2025-03-07T09:00:00+07:00') },
    });

    const done = applyEvent(compiled, checking.snapshot, { type: 'task.complete', elementId: 'check' })!;
    const last = planStep({ instanceId, step: done, eventType: 'task.complete', elementId: 'check', meta: { eventId: 'task:2' }, variablesBefore: {} }, { now, calendars, newId });
    expect(last.writes).toEqual(expect.arrayContaining([{ kind: 'queue.remove', elementId: 'late', instanceId, key: `timer:${instanceId}:late` }]));
    expect(last.instance).toMatchObject({ status: 'completed', ended_at: now });
  });

  it('starts the runs of a parallel multi-instance sub-process together, each with its item', async () => {
    const compiled = await compile(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="consult">
        <bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/>
        <bpmn:startEvent id="consult_start"/><bpmn:userTask id="answer"/><bpmn:endEvent id="answered"/>
        ${flows('consult_start>answer', 'answer>answered')}
      </bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${flows('start>consult', 'consult>end')}`, { id: 'Process_runs' }));
    const step = startInstance(compiled, { variables: { agencies: ['Sở Xây dựng', 'Sở Tài chính'] } });
    const plan = planStep({ instanceId, step, eventType: 'start', elementId: undefined, meta: { eventId: 'start' }, variablesBefore: {} }, { now, calendars });
    expect(plan.writes).toHaveLength(1);
    const [start] = plan.writes;
    if (start?.kind !== 'children.start') throw new Error(`expected children.start, got ${start?.kind}`);
    expect(start.calledKey).toBeUndefined();
    expect(start.children.map(({ caller, variables }) => [caller, variables.agency])).toEqual([
      [{ instanceId, elementId: 'consult', index: 0 }, 'Sở Xây dựng'],
      [{ instanceId, elementId: 'consult', index: 1 }, 'Sở Tài chính'],
    ]);
  });

  it('subscribes a signal catch while it waits, and plans a throw as a signal row and its broadcast job', async () => {
    const compiled = await compile(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="appraise"/>
      <bpmn:boundaryEvent id="recalled" attachedToRef="appraise"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:boundaryEvent>
      <bpmn:intermediateThrowEvent id="announce"><bpmn:signalEventDefinition signalRef="Signal_recall"/></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="end"/><bpmn:endEvent id="recalledEnd"/>
      ${flows('start>appraise', 'appraise>announce', 'announce>end', 'recalled>recalledEnd')}`, { id: 'Process_signal', outside: '<bpmn:signal id="Signal_recall" name="recall"/>' }));
    const started = startInstance(compiled);
    const first = planStep({ instanceId, step: started, eventType: 'start', elementId: undefined, meta: { eventId: 'start' }, variablesBefore: {} }, { now, calendars, newId: ids() });
    expect(first.writes).toContainEqual({ kind: 'signal.subscribe', elementId: 'recalled', row: { instance_id: instanceId, element_id: 'recalled', signal_name: 'recall' } });
    const done = applyEvent(compiled, started.snapshot, { type: 'task.complete', elementId: 'appraise' })!;
    const plan = planStep({ instanceId, step: done, eventType: 'task.complete', elementId: 'appraise', meta: { eventId: 'task:1' }, variablesBefore: {} }, { now, calendars, newId: ids() });
    const signalId = '00000000-0000-4000-8000-000000000001';
    expect(plan.writes.filter((write) => write.kind.startsWith('signal.'))).toEqual([
      { kind: 'signal.unsubscribe', elementId: 'recalled', instanceId },
      { kind: 'signal.throw', elementId: 'announce', row: { id: signalId, name: 'recall', source_instance_id: instanceId, source_element_id: 'announce' }, job: { task: 'qt.signal', payload: { signalId }, key: `signal:${signalId}`, maxAttempts: 10, runAt: undefined } },
    ]);
  });

  it('plans a message throw with no qt:jobType as a qt.message job with its own message id and its key\'s value, the throw passed', async () => {
    const compiled = await compile(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="decide"/>
      <bpmn:intermediateThrowEvent id="notify"><bpmn:messageEventDefinition messageRef="Message_notice" qt:correlationKey="=dossierNumber"/></bpmn:intermediateThrowEvent>
      <bpmn:userTask id="archive"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>decide', 'decide>notify', 'notify>archive', 'archive>end')}`, { id: 'Process_notice', outside: '<bpmn:message id="Message_notice" name="Thông báo"/>' }));
    const started = startInstance(compiled, { variables: { dossierNumber: 'HS-7' } });
    const done = applyEvent(compiled, started.snapshot, { type: 'task.complete', elementId: 'decide' })!;
    const plan = planStep({ instanceId, step: done, eventType: 'task.complete', elementId: 'decide', meta: { eventId: 'task:1' }, variablesBefore: started.variables }, { now, calendars, newId: ids() });
    const messageId = '00000000-0000-4000-8000-000000000001';
    expect(plan.writes.filter((write) => write.kind === 'queue.add')).toEqual([
      { kind: 'queue.add', elementId: 'notify', instanceId, job: { task: 'qt.message', payload: { messageId, name: 'Thông báo', correlationKey: 'HS-7', instanceId, elementId: 'notify' }, key: `message:${messageId}`, maxAttempts: 10, runAt: undefined } },
    ]);
    expect(plan.instance.active_element_ids).toEqual(['archive']);
  });

  it('checks payloads against their job kind on the way out and on the way in', () => {
    expect(() => jobSpec(TIMER_JOB, { instanceId: 'not-an-id', elementId: 'late' })).toThrow();
    expect(() => jobPayload(SERVICE_TASK_JOB, { serviceJobId: 42 })).toThrow();
    expect(jobPayload(TIMER_START_JOB, { key: 'Process_a', startEventId: 'start' })).toEqual({ key: 'Process_a', startEventId: 'start' }); // armed before rounds were counted
    expect(jobSpec(TIMER_START_JOB, { key: 'Process_a', startEventId: 'start', round: 2 }).key).toBe('timer-start:Process_a:start');
  });
});
