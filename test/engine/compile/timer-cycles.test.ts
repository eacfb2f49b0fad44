import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// While the dossier is handled, a reminder every day, at most three times.
const reminders = (cycle: string, cancelActivity = 'false') => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="handle"/>
  <bpmn:boundaryEvent id="daily" attachedToRef="handle" cancelActivity="${cancelActivity}">
    <bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition>
  </bpmn:boundaryEvent>
  <bpmn:userTask id="remind"/>
  <bpmn:endEvent id="end"/><bpmn:endEvent id="reminded"/>
  ${flows('start>handle', 'handle>end', 'daily>remind', 'remind>reminded')}`);

const armed = (instance: Awaited<ReturnType<typeof run>>) => instance.open.filter((waiting) => waiting.kind === 'timer');

describe('timer cycles', () => {
  it('fire round after round on a non-interrupting boundary event, as many times as the cycle says', async () => {
    const instance = await run(reminders('R3/PT24H'));
    expect(armed(instance).map((timer) => timer.dueAt)).toEqual([new Date('2025-03-06T09:00:00+07:00').toISOString()]);
    for (let round = 1; round <= 3; round++) {
      expect(instance.send({ type: 'timer', elementId: 'daily' }, new Date(`2025-03-0${5 + round}T09:00:00+07:00`))).toBe(true);
      instance.send({ type: 'task.complete', elementId: 'remind' });
      // Armed again for the next day after the first two rounds, not after the third.
      expect(armed(instance).map((timer) => timer.dueAt)).toEqual(round < 3 ? [new Date(`2025-03-0${6 + round}T09:00:00+07:00`).toISOString()] : []);
    }
    expect(instance.activeElementIds).toEqual(['handle']);
    instance.send({ type: 'task.complete', elementId: 'handle' });
    expect(instance.status).toBe('completed');
  });

  it('fire as long as the activity lasts without a count, and stop when it ends', async () => {
    const instance = await run(reminders('R/PT24H'));
    for (let round = 1; round <= 5; round++) {
      instance.send({ type: 'timer', elementId: 'daily' });
      instance.send({ type: 'task.complete', elementId: 'remind' });
    }
    expect(armed(instance)).toHaveLength(1);
    instance.send({ type: 'task.complete', elementId: 'handle' });
    expect(armed(instance)).toEqual([]);
  });

  it('fire once on an interrupting event, after the first interval', async () => {
    const instance = await run(reminders('R3/PT24H', 'true'));
    instance.send({ type: 'timer', elementId: 'daily' });
    expect(instance.activeElementIds).toEqual(['remind']);
    expect(armed(instance)).toEqual([]);
  });

  it.each([['R0/PT24H'], ['R3/PT0S'], ['R3/2025-03-01T00:00:00Z/P1D'], ['every day']])('refuses the cycle %s at deployment, naming the event', async (cycle) => {
    const error = await refusal(reminders(cycle));
    expect(error.details.map((detail) => detail.elementId)).toEqual(['daily']);
  });
});
