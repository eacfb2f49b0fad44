import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, run } from '../../support/process.ts';

const supervised = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="appraise"/>
  <bpmn:boundaryEvent id="overdue" attachedToRef="appraise"><bpmn:timerEventDefinition qt:workingHours="16"/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="withdrawn" attachedToRef="appraise"><bpmn:messageEventDefinition messageRef="Message_withdraw"/></bpmn:boundaryEvent>
  <bpmn:serviceTask id="sign" qt:jobType="result.sign"/>
  <bpmn:boundaryEvent id="certificateRevoked" attachedToRef="sign"><bpmn:errorEventDefinition errorRef="Error_revoked"/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="anyError" attachedToRef="sign"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
  <bpmn:userTask id="escalate"/>
  <bpmn:userTask id="renewCertificate"/>
  <bpmn:userTask id="investigate"/>
  <bpmn:endEvent id="end"/>
  <bpmn:endEvent id="cancelled"/>
  ${flows('start>appraise', 'appraise>sign', 'sign>end', 'overdue>escalate', 'escalate>end', 'withdrawn>cancelled', 'certificateRevoked>renewCertificate', 'renewCertificate>end', 'anyError>investigate', 'investigate>end')}
`, { outside: '<bpmn:message id="Message_withdraw" name="dossier.withdrawn"/><bpmn:error id="Error_revoked" errorCode="CERT_REVOKED"/>' });

describe('boundary events', () => {
  it('an interrupting timer closes the task it guards and takes its own path', async () => {
    const instance = await run(supervised);
    expect(instance.open.map((w) => w.elementId).sort()).toEqual(['appraise', 'overdue', 'withdrawn']);
    instance.send({ type: 'timer', elementId: 'overdue' });
    expect(instance.activeElementIds).toEqual(['escalate']);
    expect(instance.open.map((w) => w.elementId)).toEqual(['escalate']); // task closed, message unsubscribed
    expect(instance.send({ type: 'task.complete', elementId: 'appraise' })).toBe(false);
  });

  it('an interrupting message withdraws the dossier', async () => {
    const instance = await run(supervised);
    instance.send({ type: 'message', elementId: 'withdrawn', variables: { reason: 'công dân rút hồ sơ' } });
    expect(instance.status).toBe('completed');
    expect(instance.variables).toEqual({ reason: 'công dân rút hồ sơ' });
  });

  it('completing the task first disarms its boundary events', async () => {
    const instance = await run(supervised);
    instance.send({ type: 'task.complete', elementId: 'appraise' });
    expect(instance.open.map((w) => w.elementId)).toEqual(['sign']);
    expect(instance.send({ type: 'timer', elementId: 'overdue' })).toBe(false);
  });

  it.each([
    ['CERT_REVOKED', 'renewCertificate'], // the boundary naming the code wins over the catch-all
    ['HSM_DOWN', 'investigate'],
  ])('a job reporting business error %s is caught by the matching error boundary (%s)', async (errorCode, next) => {
    const instance = await run(supervised);
    instance.send({ type: 'task.complete', elementId: 'appraise' });
    instance.send({ type: 'job.error', elementId: 'sign', errorCode });
    expect(instance.activeElementIds).toEqual([next]);
    expect(instance.open.map((w) => w.elementId)).toEqual([next]); // the job was cancelled
  });
});

describe('non-interrupting boundary events', () => {
  const reminded = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="appraise"/>
    <bpmn:boundaryEvent id="nearDeadline" attachedToRef="appraise" cancelActivity="false"><bpmn:timerEventDefinition qt:workingHours="6"/></bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="askedAboutIt" attachedToRef="appraise" cancelActivity="false"><bpmn:messageEventDefinition messageRef="Message_query"/></bpmn:boundaryEvent>
    <bpmn:userTask id="remind"/>
    <bpmn:serviceTask id="answer" qt:jobType="citizen.notify"/>
    <bpmn:userTask id="decide"/>
    <bpmn:endEvent id="end"/>
    <bpmn:endEvent id="reminded"/>
    <bpmn:endEvent id="answered"/>
    ${flows('start>appraise', 'appraise>decide', 'decide>end', 'nearDeadline>remind', 'remind>reminded', 'askedAboutIt>answer', 'answer>answered')}
  `, { outside: '<bpmn:message id="Message_query" name="citizen.query"/>' });

  it('starts its path beside the activity, which stays open', async () => {
    const instance = await run(reminded);
    instance.send({ type: 'timer', elementId: 'nearDeadline' });
    expect(instance.activeElementIds.sort()).toEqual(['appraise', 'remind']);
    expect(instance.open.map((w) => w.elementId).sort()).toEqual(['appraise', 'askedAboutIt', 'remind']);
  });

  it('lets the main flow go on, and ends the instance only when the side path has ended too', async () => {
    const instance = await run(reminded);
    instance.send({ type: 'timer', elementId: 'nearDeadline' });
    instance.send({ type: 'task.complete', elementId: 'appraise' });
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(instance.status).toBe('active');
    expect(instance.activeElementIds).toEqual(['remind']);
    instance.send({ type: 'task.complete', elementId: 'remind' });
    expect(instance.status).toBe('completed');
  });

  it('can fire again for each message while the activity is open', async () => {
    const instance = await run(reminded);
    instance.send({ type: 'message', elementId: 'askedAboutIt' });
    instance.send({ type: 'job.complete', elementId: 'answer' });
    instance.send({ type: 'message', elementId: 'askedAboutIt' });
    expect(instance.activeElementIds.sort()).toEqual(['answer', 'appraise']);
  });

  it('does not take a message while its path from the previous one is still running: nothing is merged or lost silently', async () => {
    const instance = await run(reminded);
    expect(instance.send({ type: 'message', elementId: 'askedAboutIt', variables: { question: 1 } })).toBe(true);
    expect(instance.send({ type: 'message', elementId: 'askedAboutIt', variables: { question: 2 } })).toBe(false);
    expect(instance.variables).toEqual({ question: 1 });
    expect(instance.open.map((w) => w.elementId).sort()).toEqual(['answer', 'appraise', 'askedAboutIt', 'nearDeadline']);
    instance.send({ type: 'job.complete', elementId: 'answer' });
    expect(instance.send({ type: 'message', elementId: 'askedAboutIt', variables: { question: 3 } })).toBe(true);
    expect(instance.variables).toEqual({ question: 3 });
  });

  it('is disarmed when the activity completes first', async () => {
    const instance = await run(reminded);
    instance.send({ type: 'task.complete', elementId: 'appraise' });
    expect(instance.send({ type: 'timer', elementId: 'nearDeadline' })).toBe(false);
    instance.send({ type: 'task.complete', elementId: 'decide' });
    expect(instance.status).toBe('completed');
  });

  it('works on a sub-process too', async () => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="consult">
        <bpmn:startEvent id="innerStart"/>
        <bpmn:userTask id="ask"/>
        <bpmn:endEvent id="innerEnd"/>
        ${flows('innerStart>ask', 'ask>innerEnd')}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="slow" attachedToRef="consult" cancelActivity="false"><bpmn:timerEventDefinition qt:workingHours="8"/></bpmn:boundaryEvent>
      <bpmn:serviceTask id="warn" qt:jobType="official.warn"/>
      <bpmn:endEvent id="warned"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>consult', 'consult>end', 'slow>warn', 'warn>warned')}
    `);
    const instance = await run(model);
    instance.send({ type: 'timer', elementId: 'slow' });
    expect(instance.activeElementIds.sort()).toEqual(['ask', 'consult', 'warn']);
    instance.send({ type: 'job.complete', elementId: 'warn' });
    instance.send({ type: 'task.complete', elementId: 'ask' });
    expect(instance.status).toBe('completed');
  });

  it('runs every branch of a parallel split on a non-interrupting path to its end before the path is over', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="review"/><bpmn:endEvent id="end"/>
      <bpmn:boundaryEvent id="reminder" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:parallelGateway id="both"/><bpmn:userTask id="remindOfficial"/><bpmn:userTask id="remindApplicant"/><bpmn:endEvent id="remindedOfficial"/><bpmn:endEvent id="remindedApplicant"/>
      ${flows('start>review', 'review>end', 'reminder>both', 'both>remindOfficial', 'both>remindApplicant', 'remindOfficial>remindedOfficial', 'remindApplicant>remindedApplicant')}
    `));
    instance.send({ type: 'timer', elementId: 'reminder' });
    instance.send({ type: 'task.complete', elementId: 'remindOfficial' });
    // The first branch's end event does not end the other branch (it once led straight back to idle).
    expect(instance.activeElementIds.sort()).toEqual(['remindApplicant', 'review']);
    instance.send({ type: 'task.complete', elementId: 'review' });
    expect(instance.status).toBe('active');
    instance.send({ type: 'task.complete', elementId: 'remindApplicant' });
    expect(instance.status).toBe('completed');
  });
});
