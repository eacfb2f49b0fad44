import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

// Standard loop characteristics (BPMN 2.0 §10.2.8): the activity runs again while its loopCondition holds.

function looping(loop: string, activity = (characteristics: string) => `<bpmn:userTask id="revise">${characteristics}</bpmn:userTask>`, extra = ''): string {
  return bpmnProcess(`
    <bpmn:startEvent id="start"/>
    ${activity(`<bpmn:standardLoopCharacteristics ${loop}</bpmn:standardLoopCharacteristics>`)}
    ${extra}
    <bpmn:userTask id="after"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>revise', 'revise>after', 'after>end')}
  `);
}
const untilApproved = '><bpmn:loopCondition xsi:type="bpmn:tFormalExpression">not(approved)</bpmn:loopCondition>';

describe('standard loops', () => {
  it('runs the activity, then again while the condition holds, tested after each run', async () => {
    const instance = await run(looping(untilApproved), { variables: { approved: true } });
    // tested after: it runs once even though the condition does not hold at the start
    expect(instance.activeElementIds).toEqual(['revise']);
    instance.send({ type: 'task.complete', elementId: 'revise', variables: { approved: false } });
    expect(instance.activeElementIds).toEqual(['revise']);
    instance.send({ type: 'task.complete', elementId: 'revise', variables: { approved: false } });
    expect(instance.activeElementIds).toEqual(['revise']);
    instance.send({ type: 'task.complete', elementId: 'revise', variables: { approved: true } });
    expect(instance.activeElementIds).toEqual(['after']);
  });

  it('with testBefore tests before each run, so it may not run at all', async () => {
    const model = looping(`testBefore="true"${untilApproved}`);
    const skipped = await run(model, { variables: { approved: true } });
    expect(skipped.activeElementIds).toEqual(['after']);
    const once = await run(model, { variables: { approved: false } });
    expect(once.activeElementIds).toEqual(['revise']);
    once.send({ type: 'task.complete', elementId: 'revise', variables: { approved: true } });
    expect(once.activeElementIds).toEqual(['after']);
  });

  it('runs at most loopMaximum times, even while the condition holds, and as often with no condition', async () => {
    const capped = await run(looping(`loopMaximum="2"${untilApproved}`), { variables: { approved: false } });
    capped.send({ type: 'task.complete', elementId: 'revise' });
    expect(capped.activeElementIds).toEqual(['revise']);
    capped.send({ type: 'task.complete', elementId: 'revise' });
    expect(capped.activeElementIds).toEqual(['after']);

    const counted = await run(looping('loopMaximum="3">'));
    for (let i = 0; i < 3; i++) {
      expect(counted.activeElementIds).toEqual(['revise']);
      counted.send({ type: 'task.complete', elementId: 'revise' });
    }
    expect(counted.activeElementIds).toEqual(['after']);
  });

  it('loops an automated task and a sub-process', async () => {
    const job = await run(looping(`loopMaximum="2">`, (characteristics) => `<bpmn:serviceTask id="revise" qt:jobType="records.fetch">${characteristics}</bpmn:serviceTask>`));
    job.send({ type: 'job.complete', elementId: 'revise' });
    expect(job.open.map((w) => [w.elementId, w.kind])).toEqual([['revise', 'job']]); // a new job for the second run
    job.send({ type: 'job.complete', elementId: 'revise' });
    expect(job.activeElementIds).toEqual(['after']);

    const inside = await run(looping(untilApproved, (characteristics) => `<bpmn:subProcess id="revise">${characteristics}<bpmn:startEvent id="s"/><bpmn:userTask id="edit"/><bpmn:endEvent id="e"/>${flows('s>edit', 'edit>e')}</bpmn:subProcess>`), { variables: { approved: false } });
    inside.send({ type: 'task.complete', elementId: 'edit' });
    expect(inside.activeElementIds.sort()).toEqual(['edit', 'revise']);
    inside.send({ type: 'task.complete', elementId: 'edit', variables: { approved: true } });
    expect(inside.activeElementIds).toEqual(['after']);
  });

  it('an interrupting boundary event ends the whole loop', async () => {
    const instance = await run(looping(untilApproved, undefined, `
      <bpmn:boundaryEvent id="tooLong" attachedToRef="revise"><bpmn:timerEventDefinition><bpmn:timeDuration>P10D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="abandoned"/>${flows('tooLong>abandoned')}`), { variables: { approved: false } });
    instance.send({ type: 'task.complete', elementId: 'revise' });
    expect(instance.open.map((w) => w.elementId).sort()).toEqual(['revise', 'tooLong']); // the timer runs across the runs
    instance.send({ type: 'timer', elementId: 'tooLong' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('refuses a loop that would never end, or whose condition is not FEEL, naming the activity', async () => {
    expect((await refusal(looping('>'))).details).toEqual([expect.objectContaining({ elementId: 'revise', message: expect.stringContaining('neither a loopCondition nor a loopMaximum') })]);
    expect((await refusal(looping('><bpmn:loopCondition xsi:type="bpmn:tFormalExpression" language="groovy">stop</bpmn:loopCondition>'))).details)
      .toEqual([expect.objectContaining({ elementId: 'revise', message: expect.stringContaining('loop condition of revise is written in groovy') })]);
    expect((await refusal(looping('><bpmn:loopCondition xsi:type="bpmn:tFormalExpression">${environment.services.stop()}</bpmn:loopCondition>'))).details)
      .toEqual([expect.objectContaining({ elementId: 'revise', message: expect.stringContaining('loop condition of revise written for bpmn-engine cannot be translated to FEEL: it calls a function') })]);
    expect((await refusal(looping('><bpmn:loopCondition xsi:type="bpmn:tFormalExpression">not a FEEL (</bpmn:loopCondition>'))).details)
      .toEqual([expect.objectContaining({ elementId: 'revise', message: expect.stringContaining('loop condition of revise is not valid FEEL') })]);
  });
});
