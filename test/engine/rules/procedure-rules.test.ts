import { describe, expect, it } from 'vitest';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { analyseProcedureCostXml } from '../../../engine/cost/procedure-cost.ts';
import { QuyTrinhError } from '../../../engine/errors.ts';
import { lintModelXml, refusesDeployment, type LintFinding } from '../../../engine/rules/lint.ts';
import { bpmnProcess, flows } from '../../support/process.ts';

const PROCEDURE = 'qt:hourlyIncomeVnd="25000" qt:subjectsPerYear="1000"';
const lane = (ids: string[], name = 'Bộ phận Một cửa', applicant = false) =>
  `<bpmn:lane id="lane_${ids[0]}" name="${name}"${applicant ? ' qt:applicant="true"' : ''}>${ids.map((id) => `<bpmn:flowNodeRef>${id}</bpmn:flowNodeRef>`).join('')}</bpmn:lane>`;
const laneSet = (...lanes: string[]) => `<bpmn:laneSet id="lanes">${lanes.join('')}</bpmn:laneSet>`;
const branch = (source: string, target: string, probability?: number) =>
  `<bpmn:sequenceFlow id="${source}_${target}" sourceRef="${source}" targetRef="${target}"${probability === undefined ? '' : ` qt:probability="${probability}"`}/>`;

const ours = (findings: LintFinding[], rule?: string) => findings.filter((finding) => finding.rule.startsWith('quytrinh/') && (rule === undefined || finding.rule === `quytrinh/${rule}`)).map((finding) => `${finding.rule} ${finding.elementId}`);

/** The gateways whose chances the lint rule faults, and those the cost model refuses (a flow named stands for its gateway). */
async function verdicts(body: string): Promise<{ lint: string[]; cost: string[] }> {
  const xml = bpmnProcess(body, { attributes: PROCEDURE });
  const graph = await readProcess(xml);
  const gatewayOf = (elementId: string) => graph.flows.get(elementId)?.source ?? elementId;
  const lint = [...new Set((await lintModelXml(xml)).filter((finding) => finding.rule === 'quytrinh/split-probabilities').map((finding) => gatewayOf(finding.elementId)))].sort();
  let cost: string[] = [];
  try {
    await analyseProcedureCostXml(xml);
  } catch (error) {
    if (!(error instanceof QuyTrinhError)) throw error;
    cost = [...new Set(error.details.map((detail) => gatewayOf(detail.elementId ?? '')))].sort();
  }
  return { lint, cost };
}

describe('the checks and the cost model read one process graph', () => {
  const around = (gateway: string, ...branches: string[]) => `
    <bpmn:startEvent id="start"/>${gateway}<bpmn:task id="a"/><bpmn:task id="b"/><bpmn:endEvent id="end"/>
    ${flows('start>x', 'a>end', 'b>end')}${branches.join('')}`;

  it('faults a split without <bpmn:outgoing> whose chances add up to 1.4 in both (it used to pass the checks)', async () => {
    const body = around('<bpmn:exclusiveGateway id="x"/>', branch('x', 'a', 0.7), branch('x', 'b', 0.7));
    expect(body).not.toContain('outgoing');
    expect(await verdicts(body)).toEqual({ lint: ['x'], cost: ['x'] });
    const findings = await lintModelXml(bpmnProcess(body, { attributes: PROCEDURE }));
    expect(findings.find((finding) => finding.rule === 'quytrinh/split-probabilities')?.message).toEqual({ vi: 'Tổng xác suất các nhánh là 1,4, phải bằng 1', en: "The branches' probabilities add up to 1.4, they must add up to 1" });
  });

  it.each([
    ['the same split written with its <bpmn:outgoing> list', '<bpmn:exclusiveGateway id="x"><bpmn:outgoing>x_a</bpmn:outgoing><bpmn:outgoing>x_b</bpmn:outgoing></bpmn:exclusiveGateway>', [branch('x', 'a', 0.7), branch('x', 'b', 0.7)], ['x']],
    ['one branch left blank, taking the remainder', '<bpmn:exclusiveGateway id="x"/>', [branch('x', 'a', 0.3), branch('x', 'b')], []],
    ['two branches left blank', '<bpmn:exclusiveGateway id="x"/>', [branch('x', 'a'), branch('x', 'b')], ['x']],
    ['a blank branch after chances already above 1', '<bpmn:exclusiveGateway id="x"/>', [branch('x', 'a', 1), branch('x', 'b')], []],
    ['an inclusive split with a branch without chance', '<bpmn:inclusiveGateway id="x" default="x_b"/>', [branch('x', 'a'), branch('x', 'b')], ['x']],
    ['an inclusive split whose non-default branch has its chance', '<bpmn:inclusiveGateway id="x" default="x_b"/>', [branch('x', 'a', 0.4), branch('x', 'b')], []],
    ['a parallel split (every branch taken)', '<bpmn:parallelGateway id="x"/>', [branch('x', 'a'), branch('x', 'b')], []],
    ['an activity forking its token', '<bpmn:task id="x"/>', [branch('x', 'a'), branch('x', 'b')], []],
  ])('agrees on %s', async (_shape, gateway, branches, faulted) => {
    const body = around(gateway, ...branches);
    const { lint, cost } = await verdicts(body.includes('parallelGateway') || body.includes('<bpmn:task id="x"/>') ? body.replace('<bpmn:endEvent id="end"/>', '<bpmn:parallelGateway id="j"/><bpmn:endEvent id="end"/>').replace(flows('a>end', 'b>end'), flows('a>j', 'b>j', 'j>end')) : body);
    expect(lint).toEqual(faulted);
    expect(cost).toEqual(lint);
  });
});

/** An online procedure: submission in the applicant's lane, receipt in the one-stop unit's, the result signed then issued. */
function procedure(options: { receiptLane?: 'one-stop' | 'applicant'; signing?: 'before' | 'after' | 'bypassed' | 'none'; fee?: 'before' | 'after'; secondRequest?: boolean } = {}) {
  const { receiptLane = 'one-stop', signing = 'before', fee = 'before', secondRequest = false } = options;
  const nodes = `
    <bpmn:startEvent id="start" name="Nộp hồ sơ" qt:form="to-khai"/>
    <bpmn:exclusiveGateway id="resubmitted"/>
    <bpmn:userTask id="receive" name="Tiếp nhận hồ sơ" qt:dossierStep="receipt" qt:dueWorkingHours="8"/>
    <bpmn:exclusiveGateway id="complete" name="Đủ?"/>
    <bpmn:sendTask id="guide" name="Hướng dẫn bổ sung" qt:jobType="notify.applicant"/>
    <bpmn:userTask id="amend" name="Bổ sung hồ sơ"/>
    <bpmn:userTask id="decide" name="Thẩm định"/>
    ${secondRequest ? '<bpmn:exclusiveGateway id="again" name="Thiếu nữa?"/><bpmn:userTask id="amendAgain" name="Bổ sung lần hai"/>' : ''}
    <bpmn:serviceTask id="pay" name="Thanh toán lệ phí" qt:jobType="payment.online" qt:feeVnd="50000"/>
    <bpmn:serviceTask id="sign" name="Ký số kết quả" qt:jobType="result.sign"/>
    <bpmn:userTask id="issue" name="Trả kết quả" qt:result="electronic"/>
    <bpmn:exclusiveGateway id="shortcut"/>
    <bpmn:endEvent id="end" name="Xong"/>`;
  const path = {
    before: ['decide>pay', 'pay>sign', 'sign>shortcut', 'shortcut>issue'],
    after: ['decide>pay', 'pay>shortcut', 'shortcut>issue', 'issue>sign'],
    bypassed: ['decide>pay', 'pay>shortcut', 'shortcut>sign', 'sign>issue'],
    none: ['decide>pay', 'pay>shortcut', 'shortcut>issue'],
  }[signing];
  const feePath = fee === 'before' ? path : ['decide>sign', 'sign>shortcut', 'shortcut>issue', 'issue>pay'];
  const end = signing === 'after' ? 'sign>end' : fee === 'after' ? 'pay>end' : 'issue>end';
  const shortcutOut = signing === 'bypassed' ? [branch('shortcut', 'issue', 0.1)] : [];
  const secondLoop = secondRequest ? [branch('decide', 'again'), branch('again', 'amendAgain', 0.1), branch('again', 'pay', 0.9), branch('amendAgain', 'resubmitted')] : [];
  const main = secondRequest ? feePath.filter((pair) => pair !== 'decide>pay') : feePath;
  const edges = `${flows('start>resubmitted', 'resubmitted>receive', 'receive>complete', 'guide>amend', 'amend>resubmitted', ...main, end)}
    ${branch('complete', 'guide', 0.1)}${branch('complete', 'decide', 0.9)}${secondLoop.join('')}${signing === 'bypassed' ? shortcutOut.join('') : ''}`;
  const officials = ['resubmitted', 'complete', 'guide', 'decide', 'pay', 'sign', 'issue', 'shortcut', 'end', ...(secondRequest ? ['again'] : [])];
  const applicant = ['start', 'amend', ...(secondRequest ? ['amendAgain'] : [])];
  const lanes = receiptLane === 'one-stop' ? laneSet(lane(applicant, 'Người nộp', true), lane(['receive', ...officials])) : laneSet(lane([...applicant, 'receive'], 'Người nộp', true), lane(officials));
  return bpmnProcess(`${lanes}${nodes}${edges}`, { attributes: `${PROCEDURE} qt:procedureCode="1.000001"` });
}

describe('the legal rules (Decree 45/2020)', () => {
  it('pass a procedure that receives in the agency’s lane, asks for amendment once, takes the fee and signs before issuing', async () => {
    const findings = await lintModelXml(procedure());
    expect(ours(findings)).toEqual([]);
  });

  it('want the signing step before the electronic result on every path (Art. 14.3.b), and refuse the deployment otherwise', async () => {
    expect(ours(await lintModelXml(procedure({ signing: 'after' })), 'result-signed')).toEqual(['quytrinh/result-signed issue']);
    // Signed on the main path, but a branch reaches the issuing step around the signature.
    const bypassed = (await lintModelXml(procedure({ signing: 'bypassed' }))).filter((finding) => finding.rule === 'quytrinh/result-signed');
    expect(bypassed.map((finding) => finding.elementId)).toEqual(['issue']);
    expect(bypassed[0]?.message.vi).toBe('Có đường đi tới bước trả kết quả điện tử “Trả kết quả” mà chưa qua bước ký số: bước ký số phải đứng trước trên mọi đường đi (Điều 14.3.b Nghị định 45/2020)');
    expect(bypassed.every(refusesDeployment)).toBe(true);
    const unsigned = (await lintModelXml(procedure({ signing: 'none' }).replace(' qt:jobType="result.sign"', ''))).filter((finding) => finding.rule === 'quytrinh/result-signed');
    expect(unsigned.map((finding) => finding.message.en)).toEqual(['An electronic result must be digitally signed: add a step signing the result (the “Sign the result” service task) before it is issued (Decree 45 Art. 14.3.b)']);
  });

  it('want one amendment request at receipt (Art. 11.3)', async () => {
    const findings = (await lintModelXml(procedure({ secondRequest: true }))).filter((finding) => finding.rule === 'quytrinh/one-amendment-request');
    // The second return to the applicant (from "Thiếu nữa?") goes round the receipt loop again.
    expect(findings.map((finding) => finding.elementId)).toEqual(['again']);
    expect(findings[0]?.message.vi).toContain('chỉ được hướng dẫn bổ sung một lần');
    expect(findings[0]?.message.vi).toContain('Điều 11.3 Nghị định 45/2020');
    expect(findings.every(refusesDeployment)).toBe(true);
  });

  it('leave alone a loop that does not pass the receipt (an adjustment asked during appraisal under the specialised law)', async () => {
    const xml = procedure().replace('<bpmn:userTask id="decide" name="Thẩm định"/>', '<bpmn:userTask id="decide" name="Thẩm định"/><bpmn:exclusiveGateway id="adjust"/><bpmn:userTask id="redraw" name="Điều chỉnh bản vẽ"/>')
      .replace(flows('decide>pay'), `${branch('decide', 'adjust')}${branch('adjust', 'redraw', 0.2)}${branch('adjust', 'pay', 0.8)}${branch('redraw', 'decide')}`)
      .replace('<bpmn:flowNodeRef>amend</bpmn:flowNodeRef>', '<bpmn:flowNodeRef>amend</bpmn:flowNodeRef><bpmn:flowNodeRef>redraw</bpmn:flowNodeRef>')
      .replace('<bpmn:flowNodeRef>decide</bpmn:flowNodeRef>', '<bpmn:flowNodeRef>decide</bpmn:flowNodeRef><bpmn:flowNodeRef>adjust</bpmn:flowNodeRef>');
    expect(ours(await lintModelXml(xml))).toEqual([]);
  });

  it('want the fee paid before the result is issued (Art. 13.1, 13.4)', async () => {
    const findings = (await lintModelXml(procedure({ fee: 'after' }))).filter((finding) => finding.rule === 'quytrinh/payment-before-result');
    expect(findings.map((finding) => finding.elementId)).toEqual(['pay']);
    expect(findings[0]?.message).toEqual({
      vi: 'Bước thu phí, lệ phí “Thanh toán lệ phí” có thể diễn ra sau khi đã trả kết quả: phí, lệ phí phải được nộp trước khi trả kết quả (Điều 13.1, 13.4 Nghị định 45/2020)',
      en: 'The fee step “Thanh toán lệ phí” can come after the result is issued: fees are paid before the result is issued (Decree 45 Art. 13.1, 13.4)',
    });
  });

  it('want the receipt in the receiving agency’s lane, not the applicant’s (Art. 11.2–11.3)', async () => {
    expect(ours(await lintModelXml(procedure({ receiptLane: 'applicant' })), 'receipt-lane')).toEqual(['quytrinh/receipt-lane receive']);
    // An online procedure (an application form, a procedure code) without a receipt step.
    const withoutReceipt = procedure().replace('qt:dossierStep="receipt" ', '').replace('name="Tiếp nhận hồ sơ"', 'name="Xem hồ sơ"');
    expect(ours(await lintModelXml(withoutReceipt), 'receipt-lane')).toEqual(['quytrinh/receipt-lane Process_test']);
  });

  it('leave an as-is (not executable) diagram to describe the procedure as it is', async () => {
    const asIs = procedure({ signing: 'none', fee: 'after', secondRequest: true, receiptLane: 'applicant' }).replace('isExecutable="true"', 'isExecutable="false"');
    expect(ours(await lintModelXml(asIs))).toEqual([]);
  });

  it('speak without BPMN type names or product attribute names', async () => {
    const findings = [
      ...(await lintModelXml(procedure({ signing: 'none', fee: 'after', secondRequest: true, receiptLane: 'applicant' }))),
      ...(await lintModelXml(bpmnProcess(`<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="x"/><bpmn:task id="a"/><bpmn:endEvent id="end"/>${flows('start>x', 'a>end')}${branch('x', 'a')}${branch('x', 'end')}`))),
    ].filter((finding) => finding.rule.startsWith('quytrinh/'));
    expect(findings.length).toBeGreaterThan(5);
    for (const { message } of findings) {
      expect(`${message.vi} ${message.en}`).not.toMatch(/qt:|bpmn:|Process_|UserTask|ServiceTask|Gateway\b/);
    }
  });
});
