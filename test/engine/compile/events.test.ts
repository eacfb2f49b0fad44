import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, run } from '../../support/process.ts';

describe('intermediate catch events', () => {
  it('arms a working-hours timer on the working calendar: Friday 16:00 + 8 h is Monday 16:00', async () => {
    const wait = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="receiptDeadline"><bpmn:timerEventDefinition qt:workingHours="8"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>receiptDeadline', 'receiptDeadline>end')}
    `);
    const instance = await run(wait, {}, new Date('2025-03-07T16:00:00+07:00'));
    expect(instance.open).toMatchObject([{ elementId: 'receiptDeadline', kind: 'timer', dueAt: '2025-03-10T09:00:00.000Z' }]);
    instance.send({ type: 'timer', elementId: 'receiptDeadline' });
    expect(instance.status).toBe('completed');
  });

  it('arms an ISO 8601 duration in clock time and a date as written', async () => {
    const wait = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="oneMonth"><bpmn:timerEventDefinition><bpmn:timeDuration>P1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="newYear"><bpmn:timerEventDefinition><bpmn:timeDate>2026-01-01T08:00:00+07:00</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>oneMonth', 'oneMonth>newYear', 'newYear>end')}
    `);
    const instance = await run(wait, {}, new Date('2025-01-31T10:00:00+07:00'));
    expect(instance.open[0]?.dueAt).toBe('2025-02-28T03:00:00.000Z'); // a calendar month, clamped to February's end
    instance.send({ type: 'timer', elementId: 'oneMonth' });
    expect(instance.open[0]?.dueAt).toBe('2026-01-01T01:00:00.000Z');
  });
});

describe('end events', () => {
  it('terminate ends every branch of the instance at once', async () => {
    const terminate = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="split"/>
      <bpmn:userTask id="review"/>
      <bpmn:userTask id="withdraw"/>
      <bpmn:endEvent id="withdrawn"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      <bpmn:endEvent id="reviewed"/>
      ${flows('start>split', 'split>review', 'split>withdraw', 'withdraw>withdrawn', 'review>reviewed')}
    `);
    const instance = await run(terminate);
    instance.send({ type: 'task.complete', elementId: 'withdraw' });
    expect(instance.status).toBe('terminated');
    expect(instance.open).toEqual([]); // the review task was closed with it
  });

  it('an error end event nobody catches fails the instance', async () => {
    const error = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:endEvent id="broken"><bpmn:errorEventDefinition errorRef="Error_fee"/></bpmn:endEvent>
      ${flows('start>broken')}
    `, { outside: '<bpmn:error id="Error_fee" errorCode="FEE_UNPAID"/>' });
    const instance = await run(error);
    expect(instance.status).toBe('failed');
    expect(instance.failure).toMatchObject({ errorCode: 'FEE_UNPAID' });
  });
});
