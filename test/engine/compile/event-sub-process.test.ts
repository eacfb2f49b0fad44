import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// A dossier is handled (handle), with an event sub-process beside it.
const procedure = (eventSubProcess: string, outside = '') =>
  bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="handle" name="Giải quyết hồ sơ"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>handle', 'handle>end')}
    ${eventSubProcess}`, { outside });

const eventSubProcess = (id: string, start: string, task: string) => `
  <bpmn:subProcess id="${id}" triggeredByEvent="true">
    ${start}
    <bpmn:userTask id="${task}"/>
    <bpmn:endEvent id="${id}_end"/>
    ${flows(`${id}_start>${task}`, `${task}>${id}_end`)}
  </bpmn:subProcess>`;

const MESSAGE = '<bpmn:message id="supplement" name="bo-sung"/>';

describe('event sub-processes', () => {
  it('runs a non-interrupting one beside the main flow each time its message comes, and ends when both are done', async () => {
    const instance = await run(procedure(eventSubProcess('note', '<bpmn:startEvent id="note_start" isInterrupting="false"><bpmn:messageEventDefinition messageRef="supplement"/></bpmn:startEvent>', 'record'), MESSAGE));
    expect(instance.open.map((w) => `${w.kind} ${w.elementId}`).sort()).toEqual(['message note_start', 'task handle']);
    expect(instance.send({ type: 'message', elementId: 'note_start', variables: { note: 'đã bổ sung' } })).toBe(true);
    expect(instance.activeElementIds.sort()).toEqual(['handle', 'note', 'record']);
    expect(instance.variables.note).toBe('đã bổ sung');
    // One run at a time: while it runs, the message is not taken.
    expect(instance.send({ type: 'message', elementId: 'note_start' })).toBe(false);
    instance.send({ type: 'task.complete', elementId: 'record' });
    expect(instance.send({ type: 'message', elementId: 'note_start' })).toBe(true); // armed again
    instance.send({ type: 'task.complete', elementId: 'handle' });
    expect(instance.status).toBe('active'); // the second run is still going
    instance.send({ type: 'task.complete', elementId: 'record' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('lets an interrupting timer one close everything running and take over the scope', async () => {
    const instance = await run(procedure(eventSubProcess('overdue', '<bpmn:startEvent id="overdue_start"><bpmn:timerEventDefinition qt:workingHours="40"/></bpmn:startEvent>', 'escalate')));
    expect(instance.open.map((w) => `${w.kind} ${w.elementId}`).sort()).toEqual(['task handle', 'timer overdue_start']);
    instance.send({ type: 'timer', elementId: 'overdue_start' });
    expect(instance.activeElementIds.sort()).toEqual(['escalate', 'overdue']);
    expect(instance.open.map((w) => w.elementId)).toEqual(['escalate']);
    expect(instance.send({ type: 'task.complete', elementId: 'handle' })).toBe(false);
    instance.send({ type: 'task.complete', elementId: 'escalate' });
    expect(instance.status).toBe('completed');
  });

  it('catches a BPMN error inside a sub-process with an interrupting error one, and the sub-process then ends normally', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="verify">
        <bpmn:startEvent id="verify_start"/>
        <bpmn:serviceTask id="lookup" qt:jobType="datastore.lookup"/>
        <bpmn:endEvent id="verify_end"/>
        ${flows('verify_start>lookup', 'lookup>verify_end')}
        ${eventSubProcess('refused', '<bpmn:startEvent id="refused_start"><bpmn:errorEventDefinition errorRef="notFound"/></bpmn:startEvent>', 'explain')}
      </bpmn:subProcess>
      <bpmn:userTask id="decide"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>verify', 'verify>decide', 'decide>end')}`, { outside: '<bpmn:error id="notFound" errorCode="NOT_FOUND"/>' }));
    instance.send({ type: 'job.error', elementId: 'lookup', errorCode: 'NOT_FOUND' });
    expect(instance.activeElementIds.sort()).toEqual(['explain', 'refused', 'verify']);
    instance.send({ type: 'task.complete', elementId: 'explain' });
    expect(instance.activeElementIds).toEqual(['decide']);
  });

  it('refuses one without a start event it can arm, naming it', async () => {
    const error = await refusal(procedure(eventSubProcess('plain', '<bpmn:startEvent id="plain_start"/>', 'work')));
    expect(error.details.map((detail) => detail.elementId)).toEqual(['plain']);
    expect(error.details[0]?.messages?.en).toContain('an event sub-process needs a message, timer, signal or escalation start event');
  });
});
