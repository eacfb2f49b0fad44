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
