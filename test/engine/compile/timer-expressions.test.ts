import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// A timer written as bpmn-engine writes it: its time read from the instance's variables when it is armed.
const waiting = (definition: string) => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="handle"/>
  <bpmn:boundaryEvent id="late" attachedToRef="handle">
    <bpmn:timerEventDefinition>${definition}</bpmn:timerEventDefinition>
  </bpmn:boundaryEvent>
  <bpmn:userTask id="escalate"/>
  <bpmn:endEvent id="end"/><bpmn:endEvent id="escalated"/>
  ${flows('start>handle', 'handle>end', 'late>escalate', 'escalate>escalated')}`);

const duration = waiting('<bpmn:timeDuration>${environment.variables.duration}</bpmn:timeDuration>');
const armed = (instance: Awaited<ReturnType<typeof run>>) => instance.open.filter((each) => each.kind === 'timer').map((each) => ({ elementId: each.elementId, dueAt: each.dueAt }));

describe('timers written as bpmn-engine expressions', () => {
  it('arm the duration the variable holds when the activity starts, and fire to the end', async () => {
    const instance = await run(duration, { variables: { duration: 'PT2H' } });
    expect(armed(instance)).toEqual([{ elementId: 'late', dueAt: new Date('2025-03-05T11:00:00+07:00').toISOString() }]);
    instance.send({ type: 'timer', elementId: 'late' });
    expect(instance.activeElementIds).toEqual(['escalate']);
    instance.send({ type: 'task.complete', elementId: 'escalate' });
    expect(instance.status).toBe('completed');
  });

  it('read a date from a nested field, and a cycle round after round on a non-interrupting event', async () => {
    const date = await run(waiting('<bpmn:timeDate>${variables.deadline.due}</bpmn:timeDate>'), { variables: { deadline: { due: '2025-03-07T08:00:00' } } });
    expect(armed(date)).toEqual([{ elementId: 'late', dueAt: new Date('2025-03-07T08:00:00+07:00').toISOString() }]);
    const cycle = await run(
      waiting('<bpmn:timeCycle>${environment.variables.interval}</bpmn:timeCycle>').replace('attachedToRef="handle"', 'attachedToRef="handle" cancelActivity="false"'),
      { variables: { interval: 'R2/PT24H' } },
    );
    expect(armed(cycle)).toEqual([{ elementId: 'late', dueAt: new Date('2025-03-06T09:00:00+07:00').toISOString() }]);
    cycle.send({ type: 'timer', elementId: 'late' }, new Date('2025-03-06T09:00:00+07:00'));
    cycle.send({ type: 'task.complete', elementId: 'escalate' });
    expect(armed(cycle)).toEqual([{ elementId: 'late', dueAt: new Date('2025-03-07T09:00:00+07:00').toISOString() }]);
    cycle.send({ type: 'timer', elementId: 'late' });
    cycle.send({ type: 'task.complete', elementId: 'escalate' });
    expect(armed(cycle)).toEqual([]);
    cycle.send({ type: 'task.complete', elementId: 'handle' });
    expect(cycle.status).toBe('completed');
  });

  it('arm an intermediate catch event with what the variable holds when the event is reached', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="set"/>
      <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>\${environment.variables.wait}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>set', 'set>pause', 'pause>end')}`);
    const instance = await run(xml);
    instance.send({ type: 'task.complete', elementId: 'set', variables: { wait: 'P1D' } });
    expect(armed(instance)).toEqual([{ elementId: 'pause', dueAt: new Date('2025-03-06T09:00:00+07:00').toISOString() }]);
    instance.send({ type: 'timer', elementId: 'pause' });
    expect(instance.status).toBe('completed');
  });

  it('fail the run at the event when the variable holds no timer, as a BPMN error nothing catches', async () => {
    for (const value of [undefined, 'soon', 8, '-PT1H']) {
      const instance = await run(duration, { variables: value === undefined ? {} : { duration: value } });
      expect(instance.status).toBe('failed');
      expect(instance.failure).toMatchObject({ elementId: 'late', errorCode: 'TIMER_EXPRESSION_INVALID' });
    }
  });

  it.each([
    ['${environment.services.delay()}', 'calls a function'],
    ['${environment.settings.timeout}', 'not an instance variable'],
    ['${"PT1H" + }', 'cannot be read'],
  ])('refuse %s at deployment, naming the event and the reason', async (expression, reason) => {
    const error = await refusal(waiting(`<bpmn:timeDuration>${expression}</bpmn:timeDuration>`));
    expect(error.details.map((detail) => detail.elementId)).toEqual(['late']);
    expect(error.details[0]!.message).toContain(reason);
  });

  it("arm an event sub-process's timer start with the instance's variable, since it is armed within the instance", async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="handle"/>
      <bpmn:endEvent id="end"/>
      <bpmn:subProcess id="overdue" triggeredByEvent="true">
        <bpmn:startEvent id="due"><bpmn:timerEventDefinition><bpmn:timeDuration>\${environment.variables.limit}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
        <bpmn:userTask id="report"/>
        <bpmn:endEvent id="reported"/>
        ${flows('due>report', 'report>reported')}
      </bpmn:subProcess>
      ${flows('start>handle', 'handle>end')}`), { variables: { limit: 'PT8H' } });
    expect(armed(instance)).toEqual([{ elementId: 'due', dueAt: new Date('2025-03-05T17:00:00+07:00').toISOString() }]);
    instance.send({ type: 'timer', elementId: 'due' });
    expect(instance.activeElementIds).toEqual(['overdue', 'report']);
    instance.send({ type: 'task.complete', elementId: 'report' });
    expect(instance.status).toBe('completed');
  });

  it("refuse one on a process's timer start event, armed at deployment before any instance has variables", async () => {
    const error = await refusal(bpmnProcess(`
      <bpmn:startEvent id="daily"><bpmn:timerEventDefinition><bpmn:timeCycle>\${environment.variables.interval}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:endEvent id="end"/>${flows('daily>end')}`));
    expect(error.details.map((detail) => detail.elementId)).toEqual(['daily']);
    expect(error.details[0]!.message).toContain('before any instance has variables');
  });
});
