import { describe, expect, it } from 'vitest';
import { bpmnProcess, compile, flows, refusal, run } from '../../support/process.ts';
import { openWork, peerCorpusPresent as present, startedPeerModel as started } from '../../support/peer-corpus.ts';

// Paths that merge outside any block, where what follows the merge neither waits nor does
// anything (engine/compile/instant-tails.ts, docs/bpmn-coverage.md "Paths merging outside a
// block"): each path runs its own copy of that tail, and a parallel branch that would only run
// such a tail is consumed at once.


describe('an instant tail reached by several paths', () => {
  it('runs once per path of an implicit parallel split: three flows from a user task to one task of no type', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="review"/><bpmn:task id="stamp"/><bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
      <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="stamp"/>
      <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="stamp"/>
      <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="stamp"/>
      <bpmn:sequenceFlow id="f5" sourceRef="stamp" targetRef="end"/>`));
    expect(instance.activeElementIds).toEqual(['review']);
    instance.send({ type: 'task.complete', elementId: 'review' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('ends a non-interrupting boundary event\'s path at the end event its activity also reaches', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="review"/><bpmn:endEvent id="end"/>
      <bpmn:boundaryEvent id="reminder" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flows('start>review', 'review>end', 'reminder>end')}`);
    const reminded = await run(model);
    reminded.send({ type: 'timer', elementId: 'reminder' });
    expect(reminded.status).toBe('active');
    expect(reminded.activeElementIds).toEqual(['review']);
    reminded.send({ type: 'task.complete', elementId: 'review' });
    expect(reminded.status).toBe('completed');
    const quick = await run(model);
    quick.send({ type: 'task.complete', elementId: 'review' });
    expect(quick.status).toBe('completed');
    expect(quick.open).toEqual([]);
  });

  it('passes each of two parallel paths through an exclusive merge before the end, completing after both', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/><bpmn:userTask id="police"/><bpmn:userTask id="tax"/>
      <bpmn:exclusiveGateway id="merge"/><bpmn:endEvent id="end"/>
      ${flows('start>fork', 'fork>police', 'fork>tax', 'police>merge', 'tax>merge', 'merge>end')}`));
    expect(instance.activeElementIds.sort()).toEqual(['police', 'tax']);
    instance.send({ type: 'task.complete', elementId: 'tax' });
    expect(instance.status).toBe('active');
    expect(instance.activeElementIds).toEqual(['police']);
    instance.send({ type: 'task.complete', elementId: 'police' });
    expect(instance.status).toBe('completed');
  });

  it('lets a parallel branch that only passes an instant tail end at once, beside a branch that loops back', async () => {
    // review splits implicitly: one token ends at once through the merge, the other goes round again.
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="again"/><bpmn:userTask id="review"/>
      <bpmn:exclusiveGateway id="decide" default="toAmend"/><bpmn:task id="accept"/><bpmn:task id="amend"/>
      <bpmn:exclusiveGateway id="merge"/><bpmn:endEvent id="end"/>
      ${flows('start>again', 'again>review', 'review>decide', 'accept>merge', 'amend>merge', 'amend>again', 'merge>end')}
      <bpmn:sequenceFlow id="toAccept" sourceRef="decide" targetRef="accept"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">complete</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toAmend" sourceRef="decide" targetRef="amend"/>`);
    const instance = await run(model);
    instance.send({ type: 'task.complete', elementId: 'review', variables: { complete: false } });
    expect(instance.status).toBe('active');
    expect(instance.activeElementIds).toEqual(['review']);
    instance.send({ type: 'task.complete', elementId: 'review', variables: { complete: true } });
    expect(instance.status).toBe('completed');
  });

  it('compiles a model that deployed as drawn exactly as before (the rewrite runs only on a refusal)', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="decide" default="b"/><bpmn:task id="x"/><bpmn:task id="y"/>
      <bpmn:exclusiveGateway id="merge"/><bpmn:endEvent id="end"/>
      ${flows('start>decide', 'x>merge', 'y>merge', 'merge>end')}
      <bpmn:sequenceFlow id="a" sourceRef="decide" targetRef="x"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">go</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="b" sourceRef="decide" targetRef="y"/>`);
    const states = JSON.stringify((await compile(model)).machine.config);
    expect(states).not.toContain('/via:');
    expect(states).toContain('"el:merge"');
  });
});

describe('joins that stay refused', () => {
  it('reports only what the rewrite leaves: a side path ending at the activity\'s end event is no longer one of the refusals', async () => {
    const error = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:serviceTask id="check"/><bpmn:endEvent id="end"/>
      <bpmn:boundaryEvent id="reminder" attachedToRef="check" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flows('start>check', 'check>end', 'reminder>end')}`));
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'check', message: expect.stringContaining('without qt:jobType') })]);
    expect(error.text.en).toContain('1 error(s)');
  });


  // The boundary event's path and the second alternative below pass a split whose other branch
  // ends elsewhere: the join is not proven to receive one token at most, so it is not read as a
  // merge (dead-path-joins.ts; without the split, test/engine/compile/dead-path-joins.test.ts).
  it('refuses a parallel join after an activity and its own interrupting boundary event, naming the join: it would wait for ever', async () => {
    const error = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="review"/><bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
      <bpmn:parallelGateway id="fork"/><bpmn:userTask id="notify"/><bpmn:endEvent id="notified"/>
      <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flows('start>review', 'review>join', 'late>fork', 'fork>join', 'fork>notify', 'notify>notified', 'join>end')}`));
    expect(error.details).toEqual([
      expect.objectContaining({
        elementId: 'join',
        message: 'Element join waits for a token on each of its incoming flows (BPMN 2.0 §13.3.4, a parallel gateway), but flow review_join and flow fork_join cannot both receive one: Element review either completes or is interrupted by its boundary event (late), never both. The join would wait for ever (bpmn-elements runs such a model by dead-path elimination, which BPMN does not define for the parallel gateway)',
        messages: expect.objectContaining({ vi: expect.stringContaining('Cổng sẽ chờ mãi') }),
      }),
    ]);
    expect(error.text.en).toContain('1 error(s)');
  });

  it('says why a parallel join after the alternatives of an exclusive gateway, or after two start events, would wait for ever', async () => {
    const exclusive = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="decide" default="toB"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/><bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
      <bpmn:parallelGateway id="fork"/><bpmn:userTask id="notify"/><bpmn:endEvent id="notified"/>
      <bpmn:sequenceFlow id="toA" sourceRef="decide" targetRef="a"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">x</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toB" sourceRef="decide" targetRef="b"/>
      ${flows('start>decide', 'a>join', 'b>fork', 'fork>join', 'fork>notify', 'notify>notified', 'join>end')}`));
    expect(exclusive.details).toEqual([expect.objectContaining({ elementId: 'join', message: expect.stringContaining('flow a_join and flow fork_join cannot both receive one: Element decide takes one of its outgoing flows') })]);
    const starts = await refusal(bpmnProcess(`
      <bpmn:startEvent id="online"/><bpmn:startEvent id="counter"/><bpmn:parallelGateway id="join"/><bpmn:userTask id="receive"/>
      ${flows('online>join', 'counter>join', 'join>receive')}`));
    expect(starts.details).toEqual([expect.objectContaining({ elementId: 'join', message: expect.stringContaining('flow online_join receives one only in an instance started by online, and flow counter_join in one started by counter') })]);
  });

  it('says a parallel join after a non-interrupting boundary event\'s path and its activity waits for ever when the activity completes first (followed by a step that waits; before an instant tail it runs, dead-path-joins.test.ts)', async () => {
    const error = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="review"/><bpmn:parallelGateway id="join"/><bpmn:userTask id="sign"/><bpmn:endEvent id="end"/>
      <bpmn:boundaryEvent id="remind" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flows('start>review', 'review>join', 'remind>join', 'join>sign', 'sign>end')}`));
    expect(error.details).toEqual([expect.objectContaining({ elementId: 'join', message: expect.stringContaining('whenever review completes first, the join would wait for ever') })]);
  });

  it('claims nothing of an activity\'s completion and its interrupting boundary event when its non-interrupting one leads to the join too', async () => {
    // remind fires (a token reaches the join through notify), then review completes: the join fires.
    const error = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="review"/><bpmn:exclusiveGateway id="notify"/><bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
      <bpmn:boundaryEvent id="remind" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="late" attachedToRef="review"><bpmn:timerEventDefinition><bpmn:timeDuration>PT9H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flows('start>review', 'review>join', 'remind>notify', 'late>notify', 'notify>join', 'join>end')}`));
    expect(error.details.some((detail) => detail.message.includes('cannot both receive one'))).toBe(false);
  });

  it('claims nothing of a choice that two parallel tokens reach: each may take another flow, and the join may fire', async () => {
    // fork's two tokens each pass decide, so both of decide's flows may be taken.
    const error = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/>
      <bpmn:exclusiveGateway id="decide" default="toD"/><bpmn:userTask id="c"/><bpmn:userTask id="d"/><bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="toC" sourceRef="decide" targetRef="c"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">x</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toD" sourceRef="decide" targetRef="d"/>
      ${flows('start>fork', 'fork>a', 'fork>b', 'a>decide', 'b>decide', 'c>join', 'd>join', 'join>end')}`));
    expect(error.details.some((detail) => detail.message.includes('wait for ever'))).toBe(false);
    expect(error.details).toContainEqual(expect.objectContaining({ elementId: 'join', message: expect.stringContaining('joins parallel paths but does not close a block') }));
  });

  it('refuses a merge of parallel paths followed by a task that waits: it would run once per path', async () => {
    const error = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/><bpmn:userTask id="a"/><bpmn:userTask id="b"/>
      <bpmn:exclusiveGateway id="merge"/><bpmn:userTask id="after"/><bpmn:endEvent id="end"/>
      ${flows('start>fork', 'fork>a', 'fork>b', 'a>merge', 'b>merge', 'merge>after', 'after>end')}`));
    expect(error.details.map((detail) => detail.elementId)).toContain('fork');
  });
});

// The corpus models accepted by these rewrites, run as the peer's own tests expect.
describe.skipIf(!present)('peer models whose paths merge before an instant tail', () => {
  it.each(['inline/bpmn-elements/helpers__factory__L90.bpmn', 'inline/bpmn-engine/helpers__factory__L69.bpmn'])('three flows from a user task to one task run it three times, then complete (%s)', async (name) => {
    const instance = await started(name);
    expect(instance.activeElementIds).toEqual(['userTask']);
    instance.send({ type: 'task.complete', elementId: 'userTask' });
    expect(instance.status).toBe('completed');
  });

  it('a non-interrupting timer\'s path and its service task end at one end event (events__BoundaryEvent-test__L1121)', async () => {
    // The peer's "leaves attached activity running when timeout occur": the timer fires, the service then completes.
    const timedOut = await started('inline/bpmn-elements/events__BoundaryEvent-test__L1121.bpmn', { duration: 'PT0.01S' });
    expect(openWork(timedOut)).toEqual([['service', 'job'], ['timeoutEvent', 'timer']]);
    expect(timedOut.send({ type: 'timer', elementId: 'timeoutEvent' })).toBe(true);
    expect(timedOut.status).toBe('active');
    expect(openWork(timedOut)).toEqual([['service', 'job']]);
    timedOut.send({ type: 'job.complete', elementId: 'service' });
    expect(timedOut.status).toBe('completed');
    // "is discarded if attached activity completes": the service completes first, the timer is disarmed.
    const quick = await started('inline/bpmn-elements/events__BoundaryEvent-test__L1121.bpmn', { duration: 'PT2S' });
    quick.send({ type: 'job.complete', elementId: 'service' });
    expect(quick.status).toBe('completed');
    expect(quick.open).toEqual([]);
  });

  it('an exclusive gateway joining a path and a parallel branch that loops back completes (exclusive-gateway-as-join)', async () => {
    // The script counts its runs (0, then 1): the first run goes to task2, whose other token loops back to the script.
    const instance = await started('resources/bpmn-elements/exclusive-gateway-as-join.bpmn');
    expect(openWork(instance)).toEqual([['script', 'job']]);
    instance.send({ type: 'job.complete', elementId: 'script', variables: { count: 0 } });
    expect(instance.status).toBe('active');
    expect(openWork(instance)).toEqual([['script', 'job']]);
    instance.send({ type: 'job.complete', elementId: 'script', variables: { count: 1 } });
    expect(instance.status).toBe('completed');
  });
});
