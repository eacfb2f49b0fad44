import { describe, expect, it } from 'vitest';
import { lintModelXml, refusesDeployment, type LintFinding } from '../../../engine/rules/lint.ts';
import { bpmnProcess, flows } from '../../support/process.ts';

const ours = (findings: LintFinding[]) => findings.filter((finding) => finding.rule.startsWith('quytrinh/')).map((finding) => `${finding.rule} ${finding.elementId}`);

const lanes = (...members: string[][]) =>
  `<bpmn:laneSet id="lanes">${members.map((ids, index) => `<bpmn:lane id="lane${index}" name="Đơn vị ${index}">${ids.map((id) => `<bpmn:flowNodeRef>${id}</bpmn:flowNodeRef>`).join('')}</bpmn:lane>`).join('')}</bpmn:laneSet>`;

describe('the procedure rules', () => {
  it('wants every step in the lane of the agency doing it (Circular 01 Art. 16.3.b)', async () => {
    const body = `${lanes(['start', 'receive'], ['end'])}<bpmn:startEvent id="start" name="Bắt đầu"/><bpmn:userTask id="receive" name="Xem hồ sơ"/><bpmn:userTask id="decide" name="Quyết định"/><bpmn:endEvent id="end" name="Xong"/>${flows('start>receive', 'receive>decide', 'decide>end')}`;
    expect(ours(await lintModelXml(bpmnProcess(body)))).toEqual(['quytrinh/task-in-lane decide']);
    const unlaned = `<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>${flows('start>end')}`;
    expect(ours(await lintModelXml(bpmnProcess(unlaned)))).toEqual(['quytrinh/task-in-lane Process_test']);
  });

  it('wants the branches of a split to carry probabilities adding up to 1', async () => {
    const split = (first: string, second: string, third = '') => bpmnProcess(`${lanes(['start', 'x', 'a', 'b', 'end'])}
      <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="x"/><bpmn:task id="a"/><bpmn:task id="b"/><bpmn:endEvent id="end"/>
      ${flows('start>x', 'a>end', 'b>end')}
      <bpmn:sequenceFlow id="xa" sourceRef="x" targetRef="a" ${first}/><bpmn:sequenceFlow id="xb" sourceRef="x" targetRef="b" ${second}/>${third}`);
    // bpmn-js writes the gateway's outgoing list, which bpmnlint reads.
    const outgoing = (xml: string) => xml.replace('<bpmn:exclusiveGateway id="x"/>', '<bpmn:exclusiveGateway id="x"><bpmn:outgoing>xa</bpmn:outgoing><bpmn:outgoing>xb</bpmn:outgoing></bpmn:exclusiveGateway>');
    expect(ours(await lintModelXml(outgoing(split('qt:probability="0.7"', ''))))).toEqual([]);
    const overOne = await lintModelXml(outgoing(split('qt:probability="0.7"', 'qt:probability="0.7"')));
    expect(ours(overOne)).toEqual(['quytrinh/split-probabilities x']);
    expect(overOne.find((finding) => finding.rule === 'quytrinh/split-probabilities')?.message).toEqual({
      vi: 'Tổng xác suất các nhánh là 1,4, phải bằng 1',
      en: "The branches' probabilities add up to 1.4, they must add up to 1",
    });
    const messages = (await lintModelXml(outgoing(split('', '')))).filter((finding) => finding.rule === 'quytrinh/split-probabilities');
    expect(messages[0]?.message.vi).toBe('2 nhánh chưa có xác suất đi theo (chỉ được để trống một nhánh, nhận phần còn lại)');
  });

  it('wants an online receipt within 08 working hours (Decree 45 Art. 11.4) and a signed electronic result (Art. 14.3.b)', async () => {
    const procedure = (receipt: string, signing: string) => bpmnProcess(`${lanes(['start', 'receive', 'sign', 'issue', 'end'])}
      <bpmn:startEvent id="start" name="Nộp hồ sơ"/>
      <bpmn:userTask id="receive" name="Tiếp nhận hồ sơ" ${receipt}/>
      ${signing}
      <bpmn:userTask id="issue" name="Trả kết quả" qt:result="electronic"/>
      <bpmn:endEvent id="end" name="Xong"/>
      ${flows('start>receive', 'receive>sign', 'sign>issue', 'issue>end')}`);
    const signed = '<bpmn:serviceTask id="sign" name="Ký số kết quả" qt:jobType="result.sign"/>';
    const unsigned = '<bpmn:userTask id="sign" name="Phê duyệt"/>';
    expect(ours(await lintModelXml(procedure('qt:dueWorkingHours="8"', signed)))).toEqual([]);
    expect(ours(await lintModelXml(procedure('qt:dueWorkingHours="16"', unsigned)))).toEqual(['quytrinh/receipt-due-time receive', 'quytrinh/result-signed issue']);
    expect(ours(await lintModelXml(procedure('', signed)))).toEqual(['quytrinh/receipt-due-time receive']);
  });

  it('speaks Vietnamese for bpmnlint’s own rules too', async () => {
    const findings = await lintModelXml(bpmnProcess(`${lanes(['start', 'end'])}<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>${flows('start>end')}`));
    const unnamed = findings.find((finding) => finding.rule === 'bpmnlint/label-required');
    expect(unnamed).toEqual({ rule: 'bpmnlint/label-required', severity: 'error', elementId: 'start', message: { vi: 'Phần tử chưa có tên', en: 'Element is missing label/name' } });
    expect(findings.some((finding) => finding.rule === 'bpmnlint/no-bpmndi' && finding.message.vi === 'Phần tử chưa có hình trên sơ đồ')).toBe(true);
  });
});

describe('the deploy gate on flow the engine executes as BPMN 2.0 defines it', () => {
  it('does not refuse a model without start or end events whose activity splits implicitly, while still reporting it', async () => {
    // Two starting tasks (no start event); "check" splits on a condition and a default flow; no end events.
    const xml = bpmnProcess(`
      <bpmn:userTask id="receive" name="Xem đơn"/><bpmn:userTask id="archive" name="Lưu trữ"/>
      <bpmn:userTask id="check" name="Kiểm tra" default="toSign"/><bpmn:userTask id="amend" name="Bổ sung"/><bpmn:userTask id="sign" name="Ký"/>
      <bpmn:sequenceFlow id="toAmend" sourceRef="check" targetRef="amend"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">incomplete</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toSign" sourceRef="check" targetRef="sign"/>
      ${flows('receive>check')}
    `);
    const findings = await lintModelXml(xml);
    const rules = new Set(findings.map((finding) => finding.rule));
    for (const rule of ['bpmnlint/start-event-required', 'bpmnlint/no-implicit-start', 'bpmnlint/no-disconnected', 'bpmnlint/no-implicit-end']) expect(rules).toContain(rule);
    expect(findings.filter(refusesDeployment)).toEqual([]);
  });
});

describe('warnings of the product', () => {
  const restarting = (throwAttributes: string) =>
    bpmnProcess(
      `<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="Message_again"/></bpmn:startEvent>
      <bpmn:intermediateThrowEvent id="again" name="Gửi lại"><bpmn:messageEventDefinition messageRef="Message_again"/></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="end"/>${flows('start>again', 'again>end')}`.replace('<bpmn:intermediateThrowEvent id="again"', `<bpmn:intermediateThrowEvent id="again" ${throwAttributes}`),
      { outside: '<bpmn:message id="Message_again" name="lapLai"/>' },
    );

  it('warns, without refusing the deployment, of a message the process publishes and starts on itself', async () => {
    const findings = (await lintModelXml(restarting(''))).filter((finding) => finding.rule === 'quytrinh/message-restarts-process');
    expect(findings).toEqual([expect.objectContaining({ elementId: 'again', severity: 'warn', message: expect.objectContaining({ vi: expect.stringContaining('nối tiếp không dừng') }) })]);
    expect(findings.some(refusesDeployment)).toBe(false);
  });

  it('says nothing when the throw is a job for an outside system, which publishes nothing here', async () => {
    expect((await lintModelXml(restarting('qt:jobType="lien-thong.gui"'))).filter((finding) => finding.rule === 'quytrinh/message-restarts-process')).toEqual([]);
  });
});
