import { describe, expect, it } from 'vitest';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const fixture = useApiOverTestDatabase();
const deploy = (xml: string) => callApi(fixture.api, 'POST', '/api/definitions', xml, 'application/xml');
const storedVersions = async (key: string) => Number((await fixture.database.db('process_definitions').where({ key }).count<Array<{ count: string }>>('* as count'))[0]!.count);

describe('the deploy gate: the designer’s checks on the server', () => {
  it('refuses a model a check faults as an error, naming the element in both languages, and stores nothing', async () => {
    // A receipt step with no due time breaks Decree 45 Art. 11.4 (quytrinh/receipt-due-time); the model compiles.
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" name="Nộp hồ sơ"/>
      <bpmn:userTask id="receive" name="Tiếp nhận hồ sơ"/>
      <bpmn:endEvent id="end" name="Xong"/>
      ${flows('start>receive', 'receive>end')}`, { id: 'Process_gate_error' });
    const answer = await deploy(xml);
    expect(answer.status).toBe(422);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body.code).toBe('definition.lint-errors');
    expect(answer.body.errors).toEqual([
      {
        elementId: 'receive',
        message: expect.stringContaining('Decree 45 Art. 11.4'),
        messages: { vi: expect.stringContaining('Điều 11.4 Nghị định 45'), en: expect.stringContaining('Decree 45 Art. 11.4') },
      },
    ]);
    expect(await storedVersions('Process_gate_error')).toBe(0);

    // The same model with the receipt due within 8 working hours passes.
    const fixed = await deploy(xml.replace('name="Tiếp nhận hồ sơ"', 'name="Tiếp nhận hồ sơ" qt:dueWorkingHours="8"'));
    expect(fixed.status).toBe(201);
    expect(await storedVersions('Process_gate_error')).toBe(1);
  });

  it('deploys a model with warnings only and returns them, the drawing rules among them', async () => {
    // A gateway with one flow in and one out is superfluous (a bpmnlint warning); no diagram is
    // an error in the designer but does not refuse a deployment (engine/rules/lint.ts).
    const answer = await deploy(bpmnProcess(`
      <bpmn:startEvent id="start" name="Bắt đầu"/>
      <bpmn:exclusiveGateway id="gw"/>
      <bpmn:endEvent id="end" name="Xong"/>
      ${flows('start>gw', 'gw>end')}`, { id: 'Process_gate_warning' }));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ key: 'Process_gate_warning', version: 1 });
    expect(answer.body.warnings).toContainEqual({
      rule: 'bpmnlint/superfluous-gateway',
      severity: 'warn',
      elementId: 'gw',
      message: expect.any(String),
      messages: { vi: expect.any(String), en: expect.any(String) },
    });
    expect(answer.body.warnings).toContainEqual(expect.objectContaining({ rule: 'bpmnlint/no-bpmndi', severity: 'error', elementId: 'start' }));
    // Flows given only by sourceRef and targetRef connect their nodes, as the engine reads them.
    expect(answer.body.warnings.map((warning: { rule: string }) => warning.rule)).not.toContain('bpmnlint/no-disconnected');
    expect(await storedVersions('Process_gate_warning')).toBe(1);
  });

  it('refuses a flow the checks find wrong though it compiles: a gateway that both joins and forks', async () => {
    const answer = await deploy(bpmnProcess(`
      <bpmn:startEvent id="start" name="Bắt đầu"/>
      <bpmn:task id="a" name="A"/><bpmn:task id="b" name="B"/>
      <bpmn:parallelGateway id="both"/>
      <bpmn:task id="c" name="C"/><bpmn:task id="d" name="D"/>
      <bpmn:parallelGateway id="join"/>
      <bpmn:parallelGateway id="fork"/>
      <bpmn:endEvent id="end" name="Xong"/>
      ${flows('start>fork', 'fork>a', 'fork>b', 'a>both', 'b>both', 'both>c', 'both>d', 'c>join', 'd>join', 'join>end')}`, { id: 'Process_gate_join_fork' }));
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('definition.lint-errors');
    expect(answer.body.errors).toContainEqual(expect.objectContaining({ elementId: 'both' }));
    expect(await storedVersions('Process_gate_join_fork')).toBe(0);
  });

  it('deploys a model as another engine writes it: no start event, an activity splitting on a condition, no end event', async () => {
    const xml = bpmnProcess(`
      <bpmn:userTask id="review" name="Xem đơn" default="toSign"/><bpmn:userTask id="amend" name="Bổ sung"/><bpmn:userTask id="sign" name="Ký"/>
      <bpmn:sequenceFlow id="toAmend" sourceRef="review" targetRef="amend"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">incomplete</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toSign" sourceRef="review" targetRef="sign"/>`, { id: 'Process_gate_implicit' });
    const answer = await deploy(xml);
    expect(answer.status).toBe(201);
    expect(answer.body.warnings.map((warning: { rule: string }) => warning.rule)).toEqual(expect.arrayContaining(['bpmnlint/start-event-required', 'bpmnlint/no-implicit-end']));
    expect(await storedVersions('Process_gate_implicit')).toBe(1);
  });
});
