import { describe, expect, it } from 'vitest';
import { bpmnProcess, compile, flows, refusal, run } from '../../support/process.ts';
import { openWork, peerCorpusPresent, startedPeerModel } from '../../support/peer-corpus.ts';

// Compensation (BPMN 2.0 §10.7, §13.5.5) and transactions (§10.3.2), run to their end in memory.

/** A user task `id` with a compensation boundary event `id_comp` whose handler is the user task `undo_<id>`. */
function compensable(id: string): string {
  return `
    <bpmn:userTask id="${id}"/>
    <bpmn:boundaryEvent id="${id}_comp" attachedToRef="${id}"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
    <bpmn:userTask id="undo_${id}" isForCompensation="true"/>
    <bpmn:association id="${id}_assoc" sourceRef="${id}_comp" targetRef="undo_${id}"/>`;
}

function compensateThrow(id: string, attributes = ''): string {
  return `<bpmn:intermediateThrowEvent id="${id}"><bpmn:compensateEventDefinition ${attributes}/></bpmn:intermediateThrowEvent>`;
}

describe('compensation throw (broadcast)', () => {
  const model = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    ${compensable('collectFee')}
    ${compensable('reserveSlot')}
    ${compensateThrow('undoAll')}
    <bpmn:userTask id="notify"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>collectFee', 'collectFee>reserveSlot', 'reserveSlot>undoAll', 'undoAll>notify', 'notify>end')}
  `);

  it('runs the handlers of the completed activities, the last completed first, and waits for them', async () => {
    const instance = await run(model);
    instance.send({ type: 'task.complete', elementId: 'collectFee', variables: { receipt: 'BL-1' } });
    instance.send({ type: 'task.complete', elementId: 'reserveSlot', variables: { receipt: 'BL-2' } });
    // The throw waits while reserveSlot's handler, then collectFee's, runs.
    expect(instance.activeElementIds.sort()).toEqual(['undoAll', 'undo_reserveSlot']);
    instance.send({ type: 'task.complete', elementId: 'undo_reserveSlot' });
    expect(instance.activeElementIds.sort()).toEqual(['undoAll', 'undo_collectFee']);
    // The handler has its activity's data back: the receipt collectFee set, not the later one.
    expect(instance.variables.receipt).toBe('BL-1');
    instance.send({ type: 'task.complete', elementId: 'undo_collectFee' });
    expect(instance.activeElementIds).toEqual(['notify']);
    instance.send({ type: 'task.complete', elementId: 'notify' });
    expect(instance.status).toBe('completed');
  });

  it('compensates an activity once: a second throw finds nothing left to compensate', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      ${compensable('collectFee')}
      ${compensateThrow('first')}
      ${compensateThrow('second')}
      <bpmn:userTask id="notify"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>collectFee', 'collectFee>first', 'first>second', 'second>notify', 'notify>end')}
    `));
    instance.send({ type: 'task.complete', elementId: 'collectFee' });
    expect(instance.activeElementIds.sort()).toEqual(['first', 'undo_collectFee']);
    instance.send({ type: 'task.complete', elementId: 'undo_collectFee' });
    expect(instance.activeElementIds).toEqual(['notify']);
  });

  it('compensates only activities that completed: one not reached has no handler run', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      ${compensable('collectFee')}
      ${compensable('reserveSlot')}
      <bpmn:exclusiveGateway id="paid" default="paid_reserve"/>
      <bpmn:endEvent id="undone"><bpmn:compensateEventDefinition/></bpmn:endEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>collectFee', 'collectFee>paid', 'reserveSlot>end')}
      <bpmn:sequenceFlow id="paid_reserve" sourceRef="paid" targetRef="reserveSlot"/>
      <bpmn:sequenceFlow id="paid_undone" sourceRef="paid" targetRef="undone"><bpmn:conditionExpression>refused</bpmn:conditionExpression></bpmn:sequenceFlow>
    `));
    instance.send({ type: 'task.complete', elementId: 'collectFee', variables: { refused: true } });
    // The end event waits for the one handler; the process ends after it.
    expect(instance.activeElementIds.sort()).toEqual(['undo_collectFee', 'undone']);
    instance.send({ type: 'task.complete', elementId: 'undo_collectFee' });
    expect(instance.status).toBe('completed');
  });

  it('with waitForCompletion="false" goes on at once; the process ends only after the handlers', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      ${compensable('collectFee')}
      ${compensateThrow('undoAll', 'waitForCompletion="false"')}
      <bpmn:userTask id="notify"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>collectFee', 'collectFee>undoAll', 'undoAll>notify', 'notify>end')}
    `));
    instance.send({ type: 'task.complete', elementId: 'collectFee' });
    expect(instance.activeElementIds.sort()).toEqual(['notify', 'undo_collectFee']);
    instance.send({ type: 'task.complete', elementId: 'notify' });
    expect(instance.status).toBe('active');
    instance.send({ type: 'task.complete', elementId: 'undo_collectFee' });
    expect(instance.status).toBe('completed');
  });

  it('with activityRef compensates that activity only', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      ${compensable('collectFee')}
      ${compensable('reserveSlot')}
      ${compensateThrow('undoFee', 'activityRef="collectFee"')}
      <bpmn:userTask id="notify"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>collectFee', 'collectFee>reserveSlot', 'reserveSlot>undoFee', 'undoFee>notify', 'notify>end')}
    `));
    instance.send({ type: 'task.complete', elementId: 'collectFee' });
    instance.send({ type: 'task.complete', elementId: 'reserveSlot' });
    expect(instance.activeElementIds.sort()).toEqual(['undoFee', 'undo_collectFee']);
    instance.send({ type: 'task.complete', elementId: 'undo_collectFee' });
    expect(instance.activeElementIds).toEqual(['notify']);
  });

  it('a service task handler runs as a job of its qt:jobType', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      ${compensable('collectFee')}
      <bpmn:serviceTask id="refund" isForCompensation="true" qt:jobType="refund-fee"/>
      ${compensateThrow('undoAll')}
      <bpmn:endEvent id="end"/>
      ${flows('start>collectFee', 'collectFee>undoAll', 'undoAll>end')}
    `).replace('targetRef="undo_collectFee"', 'targetRef="refund"').replace('<bpmn:userTask id="undo_collectFee" isForCompensation="true"/>', ''));
    instance.send({ type: 'task.complete', elementId: 'collectFee' });
    expect(instance.open.map((work) => [work.elementId, work.kind])).toEqual([['refund', 'job']]);
    instance.send({ type: 'job.complete', elementId: 'refund' });
    expect(instance.status).toBe('completed');
  });
});

describe('compensable sub-processes and interrupted activities', () => {
  it('a completed sub-process with its own handler is compensated by that handler, itself a sub-process', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="payment">
        <bpmn:startEvent id="payStart"/><bpmn:userTask id="pay"/><bpmn:endEvent id="paid"/>
        ${flows('payStart>pay', 'pay>paid')}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="payment_comp" attachedToRef="payment"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
      <bpmn:subProcess id="refund" isForCompensation="true">
        <bpmn:startEvent id="refundStart"/><bpmn:userTask id="approveRefund"/><bpmn:userTask id="transfer"/><bpmn:endEvent id="refunded"/>
        ${flows('refundStart>approveRefund', 'approveRefund>transfer', 'transfer>refunded')}
      </bpmn:subProcess>
      <bpmn:association id="payment_refund" sourceRef="payment_comp" targetRef="refund"/>
      <bpmn:endEvent id="undone"><bpmn:compensateEventDefinition/></bpmn:endEvent>
      ${flows('start>payment', 'payment>undone')}
    `));
    instance.send({ type: 'task.complete', elementId: 'pay' });
    expect(instance.activeElementIds.sort()).toEqual(['approveRefund', 'refund', 'undone']);
    instance.send({ type: 'task.complete', elementId: 'approveRefund' });
    instance.send({ type: 'task.complete', elementId: 'transfer' });
    expect(instance.status).toBe('completed');
  });

  it('an activity left by an interrupting boundary event did not complete, so is not compensated', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      ${compensable('collectFee')}
      <bpmn:boundaryEvent id="late" attachedToRef="collectFee"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${compensateThrow('undoAll')}
      <bpmn:userTask id="notify"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>collectFee', 'collectFee>notify', 'late>undoAll', 'undoAll>notify', 'notify>end')}
    `));
    instance.send({ type: 'timer', elementId: 'late' });
    expect(instance.activeElementIds).toEqual(['notify']);
  });
});

describe('compensation thrown in an event sub-process', () => {
  it('an interrupting error event sub-process compensates what its scope completed, then ends the scope', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="handle">
        <bpmn:startEvent id="handleStart"/>
        ${compensable('collectFee')}
        ${compensable('reserveSlot')}
        <bpmn:serviceTask id="publish" qt:jobType="publish"/>
        <bpmn:endEvent id="handled"/>
        ${flows('handleStart>collectFee', 'collectFee>reserveSlot', 'reserveSlot>publish', 'publish>handled')}
        <bpmn:subProcess id="onFailure" triggeredByEvent="true">
          <bpmn:startEvent id="failed"><bpmn:errorEventDefinition/></bpmn:startEvent>
          <bpmn:endEvent id="undoAll"><bpmn:compensateEventDefinition/></bpmn:endEvent>
          ${flows('failed>undoAll')}
        </bpmn:subProcess>
      </bpmn:subProcess>
      <bpmn:userTask id="after"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>handle', 'handle>after', 'after>end')}
    `));
    instance.send({ type: 'task.complete', elementId: 'collectFee' });
    instance.send({ type: 'task.complete', elementId: 'reserveSlot' });
    instance.send({ type: 'job.error', elementId: 'publish', errorCode: 'DOWN' });
    // The failed job is left; the handlers run, the last completed first, while the end event waits.
    expect(instance.activeElementIds.sort()).toEqual(['handle', 'onFailure', 'undoAll', 'undo_reserveSlot']);
    instance.send({ type: 'task.complete', elementId: 'undo_reserveSlot' });
    expect(instance.activeElementIds.sort()).toEqual(['handle', 'onFailure', 'undoAll', 'undo_collectFee']);
    instance.send({ type: 'task.complete', elementId: 'undo_collectFee' });
    expect(instance.activeElementIds).toEqual(['after']);
  });
});

describe('compensation within a sub-process', () => {
  const model = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    ${compensable('register')}
    <bpmn:subProcess id="inner">
      <bpmn:startEvent id="innerStart"/>
      ${compensable('collectFee')}
      <bpmn:endEvent id="innerUndo"><bpmn:compensateEventDefinition/></bpmn:endEvent>
      ${flows('innerStart>collectFee', 'collectFee>innerUndo')}
    </bpmn:subProcess>
    <bpmn:userTask id="after"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>register', 'register>inner', 'inner>after', 'after>end')}
  `);

  it('a throw inside compensates the sub-process\'s activities, not those outside it', async () => {
    const instance = await run(model);
    instance.send({ type: 'task.complete', elementId: 'register' });
    instance.send({ type: 'task.complete', elementId: 'collectFee' });
    expect(instance.activeElementIds.sort()).toEqual(['inner', 'innerUndo', 'undo_collectFee']);
    instance.send({ type: 'task.complete', elementId: 'undo_collectFee' });
    expect(instance.activeElementIds).toEqual(['after']);
    instance.send({ type: 'task.complete', elementId: 'after' });
    expect(instance.status).toBe('completed');
  });
});

describe('transactions', () => {
  const transaction = (inside: string, outside: string) => bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:transaction id="payment">
      <bpmn:startEvent id="txStart"/>
      ${inside}
    </bpmn:transaction>
    <bpmn:userTask id="issue"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>payment', 'payment>issue', 'issue>end')}
    ${outside}
  `);
  const cancellable = transaction(`
    ${compensable('collectFee')}
    <bpmn:parallelGateway id="fork"/>
    <bpmn:userTask id="verify"/>
    <bpmn:userTask id="confirm"/>
    <bpmn:exclusiveGateway id="ok" default="ok_done"/>
    <bpmn:endEvent id="done"/>
    <bpmn:endEvent id="cancelled"><bpmn:cancelEventDefinition/></bpmn:endEvent>
    ${flows('txStart>collectFee', 'collectFee>fork', 'fork>verify', 'fork>confirm', 'verify>ok')}
    <bpmn:sequenceFlow id="ok_done" sourceRef="ok" targetRef="done"/>
    <bpmn:sequenceFlow id="ok_cancelled" sourceRef="ok" targetRef="cancelled"><bpmn:conditionExpression>fraud</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:endEvent id="confirmed"/>
    ${flows('confirm>confirmed')}
  `, `
    <bpmn:boundaryEvent id="onCancel" attachedToRef="payment"><bpmn:cancelEventDefinition/></bpmn:boundaryEvent>
    <bpmn:userTask id="apologise"/>
    <bpmn:endEvent id="cancelEnd"/>
    ${flows('onCancel>apologise', 'apologise>cancelEnd')}
  `);

  it('a cancel end event leaves what still runs, compensates what completed, then leaves through the cancel boundary event', async () => {
    const instance = await run(cancellable);
    instance.send({ type: 'task.complete', elementId: 'collectFee' });
    expect(instance.activeElementIds.sort()).toEqual(['confirm', 'payment', 'verify']);
    instance.send({ type: 'task.complete', elementId: 'verify', variables: { fraud: true } });
    // confirm is closed; collectFee's handler runs before the transaction is left.
    expect(instance.activeElementIds.sort()).toEqual(['payment', 'undo_collectFee']);
    expect(instance.open.map((work) => work.elementId)).toEqual(['undo_collectFee']);
    instance.send({ type: 'task.complete', elementId: 'undo_collectFee' });
    expect(instance.activeElementIds).toEqual(['apologise']);
    instance.send({ type: 'task.complete', elementId: 'apologise' });
    expect(instance.status).toBe('completed');
  });

  it('completes as a sub-process when no cancel end event is reached, compensating nothing', async () => {
    const instance = await run(cancellable);
    instance.send({ type: 'task.complete', elementId: 'collectFee' });
    instance.send({ type: 'task.complete', elementId: 'verify', variables: { fraud: false } });
    instance.send({ type: 'task.complete', elementId: 'confirm' });
    expect(instance.activeElementIds).toEqual(['issue']);
  });

  it('a transaction without cancel paths runs as an embedded sub-process', async () => {
    const instance = await run(transaction(`<bpmn:userTask id="pay"/><bpmn:endEvent id="paid"/>${flows('txStart>pay', 'pay>paid')}`, ''));
    expect(instance.activeElementIds.sort()).toEqual(['pay', 'payment']);
    instance.send({ type: 'task.complete', elementId: 'pay' });
    instance.send({ type: 'task.complete', elementId: 'issue' });
    expect(instance.status).toBe('completed');
  });
});

describe('models without compensation', () => {
  it('compile exactly as before: no compensation region, no bookkeeping', async () => {
    const compiled = await compile(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="inner"><bpmn:startEvent id="innerStart"/><bpmn:userTask id="t"/><bpmn:endEvent id="innerEnd"/>${flows('innerStart>t', 't>innerEnd')}</bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${flows('start>inner', 'inner>end')}
    `));
    expect(JSON.stringify(compiled.machine.config)).not.toMatch(/compensat|cancel/);
  });
});

describe('compensation and cancel refusals', () => {
  it('refuses what cannot be executed faithfully, naming the element', async () => {
    const error = await refusal(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="orphanActivity"/>
      <bpmn:boundaryEvent id="noHandler" attachedToRef="orphanActivity"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="withFlow" attachedToRef="orphanActivity"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
      <bpmn:userTask id="undoByFlow" isForCompensation="true"/>
      <bpmn:association id="withFlow_assoc" sourceRef="withFlow" targetRef="undoByFlow"/>
      <bpmn:endEvent id="afterFlow"/>
      <bpmn:userTask id="unusedHandler" isForCompensation="true"/>
      ${compensateThrow('wrongRef', 'activityRef="start"')}
      <bpmn:endEvent id="cancelOutside"><bpmn:cancelEventDefinition/></bpmn:endEvent>
      <bpmn:subProcess id="plain">
        <bpmn:startEvent id="plainStart"/><bpmn:endEvent id="plainEnd"/>${flows('plainStart>plainEnd')}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="cancelOnPlain" attachedToRef="plain"><bpmn:cancelEventDefinition/></bpmn:boundaryEvent>
      <bpmn:endEvent id="afterCancel"/>
      <bpmn:transaction id="noBoundary">
        <bpmn:startEvent id="txStart"/><bpmn:endEvent id="txCancel"><bpmn:cancelEventDefinition/></bpmn:endEvent>${flows('txStart>txCancel')}
      </bpmn:transaction>
      ${flows('start>orphanActivity', 'orphanActivity>wrongRef', 'wrongRef>plain', 'plain>noBoundary', 'noBoundary>cancelOutside', 'cancelOnPlain>afterCancel', 'withFlow>afterFlow')}
    `));
    // A flow out of a compensation boundary event leads nowhere the engine goes: its target is unreachable too.
    // A compensation boundary event with no handler (noHandler) is not refused: compensating its activity runs nothing.
    expect(error.details.map((detail) => detail.elementId).sort()).toEqual(['afterFlow', 'cancelOnPlain', 'cancelOutside', 'txCancel', 'unusedHandler', 'withFlow', 'wrongRef']);
  });

});

describe('compensating a multi-instance activity, instance by instance', () => {
  it('runs the handler once per instance that completed, the last first, each with its own data', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="consult"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
      <bpmn:boundaryEvent id="consult_comp" attachedToRef="consult"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
      <bpmn:userTask id="undo_consult" isForCompensation="true"/>
      <bpmn:association id="consult_assoc" sourceRef="consult_comp" targetRef="undo_consult"/>
      ${compensateThrow('undoAll')}
      <bpmn:endEvent id="end"/>
      ${flows('start>consult', 'consult>undoAll', 'undoAll>end')}
    `));
    for (const [index, agency] of [[1, 'thuế'], [0, 'công an'], [2, 'bảo hiểm']] as const) instance.send({ type: 'task.complete', elementId: 'consult', index, variables: { agency } });
    const undone: unknown[] = [];
    for (let round = 0; round < 3; round++) {
      expect(instance.activeElementIds.sort()).toEqual(['undoAll', 'undo_consult']);
      undone.push(instance.variables.agency);
      instance.send({ type: 'task.complete', elementId: 'undo_consult' });
    }
    expect(undone).toEqual(['bảo hiểm', 'công an', 'thuế']);
    expect(instance.status).toBe('completed');
  });
});

describe('compensating a multi-instance activity: what is not an instance\'s completion', () => {
  /** Runs the throw's handlers to the end; how many ran. */
  const handlersRun = (instance: Awaited<ReturnType<typeof run>>, handler: string) => {
    let ran = 0;
    while (instance.activeElementIds.includes(handler)) {
      instance.send({ type: 'task.complete', elementId: handler });
      ran++;
    }
    return ran;
  };

  it('does not remember a non-interrupting boundary message as a completed instance', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="consult"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
      <bpmn:boundaryEvent id="reminded" attachedToRef="consult" cancelActivity="false"><bpmn:messageEventDefinition messageRef="Message_remind"/></bpmn:boundaryEvent>
      <bpmn:endEvent id="remindEnd"/>
      <bpmn:boundaryEvent id="consult_comp" attachedToRef="consult"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
      <bpmn:userTask id="undo_consult" isForCompensation="true"/>
      <bpmn:association id="consult_assoc" sourceRef="consult_comp" targetRef="undo_consult"/>
      ${compensateThrow('undoAll')}
      <bpmn:endEvent id="end"/>
      ${flows('start>consult', 'reminded>remindEnd', 'consult>undoAll', 'undoAll>end')}
    `, { outside: '<bpmn:message id="Message_remind" name="nhacViec"/>' }));
    instance.send({ type: 'message', elementId: 'reminded' });
    instance.send({ type: 'message', elementId: 'reminded' });
    for (const index of [0, 1]) instance.send({ type: 'task.complete', elementId: 'consult', index });
    expect(handlersRun(instance, 'undo_consult')).toBe(2);
    expect(instance.status).toBe('completed');
  });

  it('remembers only the instances of a task of no type run before its completionCondition held', async () => {
    const instance = await run(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:task id="notify"><bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:loopCardinality>5</bpmn:loopCardinality><bpmn:completionCondition>= nrOfCompletedInstances &gt;= 2</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:task>
      <bpmn:boundaryEvent id="notify_comp" attachedToRef="notify"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
      <bpmn:userTask id="undo_notify" isForCompensation="true"/>
      <bpmn:association id="notify_assoc" sourceRef="notify_comp" targetRef="undo_notify"/>
      ${compensateThrow('undoAll')}
      <bpmn:endEvent id="end"/>
      ${flows('start>notify', 'notify>undoAll', 'undoAll>end')}
    `));
    expect(handlersRun(instance, 'undo_notify')).toBe(2);
    expect(instance.status).toBe('completed');
  });
});

describe.skipIf(!peerCorpusPresent)('peer models compensating a multi-instance activity', () => {
  it('compensation-feature L482: two of three service calls complete, the third fails; the error path compensates the two that completed, one handler each', async () => {
    const instance = await startedPeerModel('inline/bpmn-elements/feature__compensation-feature__L482.bpmn');
    expect(openWork(instance)).toEqual([['service', 'job'], ['service', 'job'], ['service', 'job']]);
    instance.send({ type: 'job.complete', elementId: 'service', index: 0 });
    instance.send({ type: 'job.complete', elementId: 'service', index: 1 });
    instance.send({ type: 'job.error', elementId: 'service', index: 2, errorCode: 'volatile' });
    // The peer: the compensation service waits for the first iteration, then the second; then the run ends.
    expect(openWork(instance)).toEqual([['undoService', 'job']]);
    instance.send({ type: 'job.complete', elementId: 'undoService' });
    expect(openWork(instance)).toEqual([['undoService', 'job']]);
    instance.send({ type: 'job.complete', elementId: 'undoService' });
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });

  it('Transaction-test L141: a cancelled transaction compensates each of its multi-instance task\'s three instances, one after another', async () => {
    const instance = await startedPeerModel('inline/bpmn-elements/tasks__Transaction-test__L141.bpmn');
    for (let round = 0; round < 3; round++) {
      expect(openWork(instance)).toEqual([['compensate', 'job']]);
      instance.send({ type: 'job.complete', elementId: 'compensate' });
    }
    expect(instance.status).toBe('completed');
    expect(instance.open).toEqual([]);
  });
});
