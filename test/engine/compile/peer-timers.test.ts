import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, timerDueAt, timerProblem, timerRounds } from '../../../engine/calendar/index.ts';
import { peerCorpusPresent, peerModel } from '../../support/peer-corpus.ts';
import { compile, refusal, run } from '../../support/process.ts';

// bpmn-elements' timers-feature.js and activity-status-feature.js models (the corpus file names the
// test and its line), run as that test expects them to run.
const elements = (name: string) => peerModel(`inline/bpmn-elements/${name}.bpmn`);
const at = new Date('2025-03-05T09:00:00+07:00');
const timers = (instance: Awaited<ReturnType<typeof run>>) => instance.open.filter((waiting) => waiting.kind === 'timer');

describe('timer expressions the peer runs', () => {
  it('reads a timeCycle with no repetition (P1Y) as one round a calendar year later, in Vietnam', () => {
    const timer = { kind: 'cycle', expression: 'P1Y' } as const;
    expect(timerProblem(timer)).toBeUndefined();
    expect(timerRounds(timer)).toBe(1);
    expect(timerDueAt(createWorkingCalendar(), new Date('2023-05-23T09:00:00+07:00'), timer)).toEqual(new Date('2024-05-23T09:00:00+07:00'));
    // A month counts the calendar month: 31 January plus one month is the last day of February.
    expect(timerDueAt(createWorkingCalendar(), new Date('2024-01-31T09:00:00+07:00'), { kind: 'duration', expression: 'P1M' })).toEqual(new Date('2024-02-29T09:00:00+07:00'));
  });

  it('reads a timeDuration written as a repeating interval (R3/PT0.01S) as its duration, due once', () => {
    const timer = { kind: 'duration', expression: 'R3/PT0.01S' } as const;
    expect(timerProblem(timer)).toBeUndefined();
    expect(timerRounds(timer)).toBe(1);
    expect(timerDueAt(createWorkingCalendar(), at, timer).getTime()).toBe(at.getTime() + 10);
  });

  it.each(['2023-01-32', 'R-3/2023-01-32', 'R3/PT0.01S/extra', 'P'])('still refuses %s', (expression) => {
    expect(timerProblem({ kind: 'date', expression })).toBeDefined();
    expect(timerProblem({ kind: 'cycle', expression })).toBeDefined();
    if (expression !== 'P') expect(timerProblem({ kind: 'duration', expression })).toBeDefined();
  });
});

describe.skipIf(!peerCorpusPresent)('peer timer models', () => {
  it('deploys the one-year timer start cycle (timers-feature L1221, L1286) with start-cycle as its start', async () => {
    for (const name of ['feature__timers-feature__L1221', 'feature__timers-feature__L1286']) {
      expect((await compile(elements(name))).startEventIds).toEqual(['start-cycle']);
    }
  });

  it('deploys the start timer R3/PT0.01S written as a duration (timers-feature L872); the started run completes', async () => {
    const xml = elements('feature__timers-feature__L872');
    expect((await compile(xml)).startEventIds).toEqual(['start']);
    expect((await run(xml)).status).toBe('completed');
  });

  it('waits at a timer drawn on a throw event, once, then completes (timers-feature L909)', async () => {
    const instance = await run(elements('feature__timers-feature__L909'), {}, at);
    expect(timers(instance)).toEqual([expect.objectContaining({ elementId: 'timer', dueAt: new Date(at.getTime() + 10).toISOString() })]);
    expect(instance.send({ type: 'timer', elementId: 'timer' }, new Date(at.getTime() + 10))).toBe(true);
    // Only one timer event: the repetitions of a timeDuration are not run.
    expect(timers(instance)).toEqual([]);
    expect(instance.status).toBe('completed');
  });

  it('waits at three parallel timer throws, and completes when the third expires (activity-status L837)', async () => {
    const instance = await run(elements('feature__activity-status-feature__L837'), {}, at);
    expect(timers(instance).map((timer) => [timer.elementId, timer.dueAt])).toEqual([
      ['timer1', '2025-03-05T02:01:00.000Z'],
      ['timer2', '2025-03-05T02:01:00.000Z'],
      ['timer3', '2025-03-05T02:02:00.000Z'],
    ]);
    for (const elementId of ['timer1', 'timer2']) {
      instance.send({ type: 'timer', elementId });
      expect(instance.status).toBe('active');
    }
    instance.send({ type: 'timer', elementId: 'timer3' });
    expect(instance.status).toBe('completed');
  });

  it('waits at the timer in sub1, then runs the sequential and parallel multi-instance sub-processes (activity-status L569)', async () => {
    const instance = await run(elements('feature__activity-status-feature__L569'), {}, at);
    expect(timers(instance).map((timer) => timer.elementId)).toEqual(['timer']);
    instance.send({ type: 'timer', elementId: 'timer' });
    for (let round = 0; round < 3; round += 1) {
      expect(instance.open.map((waiting) => [waiting.kind, waiting.elementId])).toEqual([['task', 'utask1']]);
      instance.send({ type: 'task.complete', elementId: 'utask1' });
    }
    // sub3: three parallel runs, each at its service task.
    expect(instance.open.map((waiting) => [waiting.kind, waiting.elementId, waiting.run])).toEqual([0, 1, 2].map((index) => ['job', 'service1', [index]]));
  });

  it('refuses an invalid date in a timer, naming the event', async () => {
  const error = await refusal(peerModel('inline/bpmn-engine/feature__timers-feature__L362.bpmn'));
  expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'bound-timer-2', message: expect.stringContaining('2023-01-32') })]));
  });
});
