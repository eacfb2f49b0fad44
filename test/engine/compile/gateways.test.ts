import { describe, expect, it } from 'vitest';
import { bpmnProcess, flows, refusal, run } from '../../support/process.ts';

const condition = (expression: string) => `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${expression}</bpmn:conditionExpression>`;

describe('exclusive gateway', () => {
  const decision = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:exclusiveGateway id="complete" default="complete_amend"/>
    <bpmn:userTask id="process"/>
    <bpmn:userTask id="refuse"/>
    <bpmn:userTask id="amend"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>complete', 'process>end', 'refuse>end', 'amend>end')}
    <bpmn:sequenceFlow id="complete_process" sourceRef="complete" targetRef="process">${condition('= documents &gt;= 3 and valid')}</bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="complete_refuse" sourceRef="complete" targetRef="refuse">${condition('valid = false')}</bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="complete_amend" sourceRef="complete" targetRef="amend"/>
  `);

  it.each([
    [{ documents: 3, valid: true }, 'process'],
    [{ documents: 5, valid: false }, 'refuse'],
    [{ documents: 1, valid: true }, 'amend'], // the default flow
    [{}, 'amend'], // missing variables make conditions false, not errors
  ])('with %j takes the flow to %s', async (variables, expected) => {
    expect((await run(decision, { variables })).activeElementIds).toEqual([expected]);
  });

  it('fails the instance when no condition holds and there is no default flow', async () => {
    const noDefault = decision.replace(' default="complete_amend"', '').replace('<bpmn:sequenceFlow id="complete_amend" sourceRef="complete" targetRef="amend"/>', '').replace(flows('amend>end'), '').replace('<bpmn:userTask id="amend"/>', '');
    const instance = await run(noDefault, { variables: { documents: 1, valid: true } });
    expect(instance.status).toBe('failed');
    expect(instance.failure).toMatchObject({ elementId: 'complete' });
  });

  it('loops back for amendment (Decree 45 Art. 11: one-time amendment guidance)', async () => {
    const loop = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="merge"/>
      <bpmn:userTask id="check"/>
      <bpmn:exclusiveGateway id="ok" default="ok_amend"/>
      <bpmn:userTask id="amend"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>merge', 'merge>check', 'check>ok', 'amend>merge')}
      <bpmn:sequenceFlow id="ok_end" sourceRef="ok" targetRef="end">${condition('complete')}</bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="ok_amend" sourceRef="ok" targetRef="amend"/>
    `);
    const instance = await run(loop);
    instance.send({ type: 'task.complete', elementId: 'check', variables: { complete: false } });
    instance.send({ type: 'task.complete', elementId: 'amend' });
    expect(instance.activeElementIds).toEqual(['check']);
    instance.send({ type: 'task.complete', elementId: 'check', variables: { complete: true } });
    expect(instance.status).toBe('completed');
  });

  it('refuses a condition that is not FEEL, naming the flow', async () => {
    const error = await refusal(decision.replace('= documents &gt;= 3 and valid', 'documents &gt;=='));
    expect(error.details).toContainEqual(expect.objectContaining({ elementId: 'complete_process' }));
  });
});

describe('parallel gateway', () => {
  const consult = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="split"/>
    <bpmn:userTask id="police"/>
    <bpmn:userTask id="tax"/>
    <bpmn:serviceTask id="registry" qt:jobType="registry.lookup"/>
    <bpmn:parallelGateway id="join"/>
    <bpmn:userTask id="decide"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>split', 'split>police', 'split>tax', 'split>registry', 'police>join', 'tax>join', 'registry>join', 'join>decide', 'decide>end')}
  `);

  it('runs every branch and waits at the join for all of them', async () => {
    const instance = await run(consult);
    expect(instance.activeElementIds.sort()).toEqual(['police', 'registry', 'tax']);
    instance.send({ type: 'task.complete', elementId: 'police' });
    instance.send({ type: 'job.complete', elementId: 'registry' });
    expect(instance.activeElementIds).toEqual(['tax']);
    instance.send({ type: 'task.complete', elementId: 'tax' });
    expect(instance.activeElementIds).toEqual(['decide']);
  });

  it('waits at a join shared by a block nested in one branch and the other branches, ending none of them early', async () => {
    for (const join of ['<bpmn:parallelGateway id="join"/>', '<bpmn:endEvent id="join"/>']) {
      // split → A → inner split → C, D; split → B; C, D and B all flow into one join (or one end event).
      const model = bpmnProcess(`
        <bpmn:startEvent id="start"/><bpmn:parallelGateway id="split"/><bpmn:userTask id="A"/><bpmn:parallelGateway id="inner"/>
        <bpmn:userTask id="C"/><bpmn:userTask id="D"/><bpmn:userTask id="B"/>${join}
        ${flows('start>split', 'split>A', 'split>B', 'A>inner', 'inner>C', 'inner>D', 'C>join', 'D>join', 'B>join')}
      `);
      const instance = await run(model);
      for (const task of ['A', 'C', 'D']) instance.send({ type: 'task.complete', elementId: task });
      expect(instance.activeElementIds).toEqual(['B']);
      instance.send({ type: 'task.complete', elementId: 'B' });
      expect(instance.status).toBe('completed');
    }
  });

  it('refuses a join that does not close the block its split opened, naming the elements', async () => {
    // The tax branch skips the join and goes straight to the decision: not block-structured.
    const unstructured = consult.replace(flows('tax>join'), flows('tax>decide'));
    const error = await refusal(unstructured);
    expect(error.code).toBe('bpmn.not-executable');
    expect(error.details.map((detail) => detail.elementId)).toEqual(expect.arrayContaining(['split']));
    expect(error.details[0]?.messages?.vi).toBeTruthy();
  });
});

describe('inclusive gateway', () => {
  const inclusive = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:inclusiveGateway id="split" default="split_archive"/>
    <bpmn:userTask id="land"/>
    <bpmn:userTask id="construction"/>
    <bpmn:userTask id="archive"/>
    <bpmn:inclusiveGateway id="join"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>split', 'land>join', 'construction>join', 'archive>join', 'join>end')}
    <bpmn:sequenceFlow id="split_land" sourceRef="split" targetRef="land">${condition('needsLand')}</bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="split_construction" sourceRef="split" targetRef="construction">${condition('needsPermit')}</bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="split_archive" sourceRef="split" targetRef="archive"/>
  `);

  it('takes exactly the branches whose conditions hold and joins on them', async () => {
    const instance = await run(inclusive, { variables: { needsLand: true, needsPermit: false } });
    expect(instance.activeElementIds).toEqual(['land']);
    instance.send({ type: 'task.complete', elementId: 'land' });
    expect(instance.status).toBe('completed');
  });

  it('takes both conditional branches together', async () => {
    const instance = await run(inclusive, { variables: { needsLand: true, needsPermit: true } });
    expect(instance.activeElementIds.sort()).toEqual(['construction', 'land']);
  });

  it('takes the default flow when no condition holds', async () => {
    const instance = await run(inclusive, { variables: {} });
    expect(instance.activeElementIds).toEqual(['archive']);
  });

  it('fails the instance when no condition holds and there is no default flow, instead of skipping the block', async () => {
    const noDefault = inclusive
      .replace(' default="split_archive"', '')
      .replace('<bpmn:sequenceFlow id="split_archive" sourceRef="split" targetRef="archive"/>', '')
      .replace('<bpmn:userTask id="archive"/>', '')
      .replace(flows('archive>join'), '');
    const instance = await run(noDefault, { variables: { needsLand: false } });
    expect(instance.status).toBe('failed');
    expect(instance.failure).toMatchObject({ elementId: 'split' });
    expect(instance.open).toEqual([]);
    expect((await run(noDefault, { variables: { needsPermit: true } })).activeElementIds).toEqual(['construction']);
  });
});

describe('ids with dots (NCNames from tools other than bpmn-js)', () => {
  it.each(['parallelGateway', 'inclusiveGateway'])('runs a %s block whose flows and elements have dotted ids', async (kind) => {
    const model = bpmnProcess(`
      <bpmn:startEvent id="start.1"/>
      <bpmn:${kind} id="split.1"/>
      <bpmn:userTask id="check.a"/>
      <bpmn:${kind} id="join.1"/>
      <bpmn:endEvent id="end.1"/>
      <bpmn:sequenceFlow id="f.1" sourceRef="start.1" targetRef="split.1"/>
      <bpmn:sequenceFlow id="f.2" sourceRef="split.1" targetRef="check.a">${kind === 'inclusiveGateway' ? condition('true') : ''}</bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f.3" sourceRef="split.1" targetRef="join.1">${kind === 'inclusiveGateway' ? condition('true') : ''}</bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f.4" sourceRef="check.a" targetRef="join.1"/>
      <bpmn:sequenceFlow id="f.5" sourceRef="join.1" targetRef="end.1"/>
    `);
    const instance = await run(model);
    expect(instance.activeElementIds).toEqual(['check.a']);
    instance.send({ type: 'task.complete', elementId: 'check.a' });
    expect(instance.status).toBe('completed');
  });
});

describe('event-based gateway', () => {
  const race = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:eventBasedGateway id="wait"/>
    <bpmn:intermediateCatchEvent id="amended"><bpmn:messageEventDefinition messageRef="Message_amended"/></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="expired"><bpmn:timerEventDefinition qt:workingHours="40"/></bpmn:intermediateCatchEvent>
    <bpmn:userTask id="recheck"/>
    <bpmn:endEvent id="returned"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>wait', 'wait>amended', 'wait>expired', 'amended>recheck', 'recheck>end', 'expired>returned')}
  `, { outside: '<bpmn:message id="Message_amended" name="dossier.amended"/>' });

  it('arms the message and the timer, and the first to come wins', async () => {
    const instance = await run(race);
    expect(instance.open.map((w) => [w.elementId, w.kind]).sort()).toEqual([['amended', 'message'], ['expired', 'timer']]);
    instance.send({ type: 'message', elementId: 'amended' });
    expect(instance.activeElementIds).toEqual(['recheck']);
    expect(instance.open.map((w) => w.elementId)).toEqual(['recheck']); // the timer was disarmed
    expect(instance.send({ type: 'timer', elementId: 'expired' })).toBe(false);
  });

  it('ends by the timer when no amendment comes', async () => {
    const instance = await run(race);
    instance.send({ type: 'timer', elementId: 'expired' });
    expect(instance.status).toBe('completed');
  });
});
