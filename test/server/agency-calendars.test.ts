import { describe, expect, it } from 'vitest';
import { addWorkingHours, createWorkingCalendar } from '../../engine/calendar/index.ts';
import { deployDefinition } from '../../server/execution/definitions.ts';
import { startProcessInstance } from '../../server/execution/instances.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const fixture = useApiOverTestDatabase();

const ONE_STOP = 'Bộ phận một cửa';
// One-stop shop open Monday to Saturday, 07:30–11:30 and 13:30–17:00 (7.5 hours a day).
const saturdays = { officeHours: [{ start: '07:30', end: '11:30' }, { start: '13:30', end: '17:00' }], workingWeekdays: [1, 2, 3, 4, 5, 6] };

const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);

const agencyPath = `/api/calendars/${encodeURIComponent(ONE_STOP)}`;

describe('working calendars per agency', () => {
  it('counts a task’s due date and its timer in the office hours of the agency in whose lane it lies', async () => {
    const saved = await call('PUT', agencyPath, saturdays);
    expect({ status: saved.status, body: saved.body }).toEqual({ status: 200, body: { agency: ONE_STOP, ...saturdays } });
    const { db } = fixture.database;
    await deployDefinition(db, bpmnProcess(`
      <bpmn:laneSet id="lanes">
        <bpmn:lane id="oneStop" name="${ONE_STOP}"><bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>receive</bpmn:flowNodeRef><bpmn:flowNodeRef>late</bpmn:flowNodeRef></bpmn:lane>
        <bpmn:lane id="justice" name="Công chức tư pháp"><bpmn:flowNodeRef>check</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef><bpmn:flowNodeRef>lateEnd</bpmn:flowNodeRef></bpmn:lane>
      </bpmn:laneSet>
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="receive" name="Tiếp nhận" qt:dueWorkingHours="8"/>
      <bpmn:boundaryEvent id="late" attachedToRef="receive" cancelActivity="false"><bpmn:timerEventDefinition qt:workingHours="16"/></bpmn:boundaryEvent>
      <bpmn:userTask id="check" name="Kiểm tra" qt:dueWorkingHours="8"/>
      <bpmn:endEvent id="end"/><bpmn:endEvent id="lateEnd"/>
      ${flows('start>receive', 'receive>check', 'check>end', 'late>lateEnd')}`, { id: 'Process_calendars' }));

    // Received on Friday 7 March 2025 at 16:00.
    const friday = new Date('2025-03-07T16:00:00+07:00');
    const { id } = await startProcessInstance(db, 'Process_calendars', {}, { at: friday });
    const receive = await db('user_tasks').where({ instance_id: id, element_id: 'receive' }).first<{ id: string; due_at: Date }>();
    // 1 h on Friday, then 7 h of Saturday: 07:30–11:30 and 13:30–16:30 (the default calendar would say Monday 16:00).
    expect(receive.due_at.toISOString()).toBe(new Date('2025-03-08T16:30:00+07:00').toISOString());
    const timer = await db.raw<{ rows: Array<{ run_at: Date }> }>('select run_at from graphile_worker.jobs where key = ?', [`timer:${id}:late`]);
    // 16 h: Friday 1, Saturday 7.5, Monday 7.5, ending at Monday's close.
    expect(timer.rows[0]!.run_at.toISOString()).toBe(new Date('2025-03-10T17:00:00+07:00').toISOString());

    // The justice officer's lane has no calendar of its own: the default one (Mon–Fri 08:00–17:00 with lunch).
    const { status } = await call('POST', `/api/tasks/${receive.id}/complete`, {});
    expect(status).toBe(200);
    const check = await db('user_tasks').where({ instance_id: id, element_id: 'check' }).first<{ created_at: Date; due_at: Date }>();
    const byDefault = addWorkingHours(createWorkingCalendar(), check.created_at, 8);
    // The completion's clock and the row's created_at are a few milliseconds apart.
    expect(Math.abs(check.due_at.getTime() - byDefault.getTime())).toBeLessThan(5000);
  });

  it('refuses office hours that do not make a calendar, naming the field, and keeps the stored one', async () => {
    const backwards = await call('PUT', agencyPath, { officeHours: [{ start: '13:00', end: '12:00' }] });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('body.officeHours.0');
    const sunday8 = await call('PUT', agencyPath, { workingWeekdays: [7] });
    expect(sunday8.status).toBe(400);
    expect(sunday8.body.errors[0].field).toBe('body.workingWeekdays.0');
    expect((await call('GET', '/api/calendars')).body).toEqual({ items: [{ agency: ONE_STOP, ...saturdays }], next: null, total: 1 });
  });

  it('goes back to the default calendar when an agency’s own is removed', async () => {
    expect((await call('DELETE', agencyPath)).status).toBe(204);
    expect((await call('GET', '/api/calendars')).body).toEqual({ items: [], next: null, total: 0 });
    const again = await call('DELETE', agencyPath);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('calendar.not-found');
  });
});
