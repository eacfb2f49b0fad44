import { describe, expect, it } from 'vitest';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { classifyOnlineService } from '../../../engine/rules/online-service-level.ts';
import { bpmnProcess, flows } from '../../support/process.ts';

interface Variant {
  process?: string;
  submit?: string;
  paper?: boolean;
  pay?: string;
  issue?: string;
}

// A to-be procedure: submit online with the forms, pay the fee, receive an electronic result.
function procedure(variant: Variant = {}) {
  return readProcess(bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="submit" name="Nộp hồ sơ" ${variant.submit ?? 'qt:channel="online"'}>
      <bpmn:extensionElements><qt:document name="Tờ khai"/><qt:document name="Giấy chứng sinh" paper="${variant.paper ?? false}"/></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:serviceTask id="pay" name="Nộp lệ phí" qt:jobType="payment" qt:feeVnd="8000" ${variant.pay ?? 'qt:payment="online"'}/>
    <bpmn:userTask id="issue" name="Trả kết quả" ${variant.issue ?? 'qt:result="electronic" qt:resultDelivery="online"'}/>
    <bpmn:endEvent id="end"/>
    ${flows('start>submit', 'submit>pay', 'pay>issue', 'issue>end')}`, { attributes: variant.process ?? 'qt:publishedOnline="true" qt:formsDownloadable="true"' }));
}

const unmet = (classification: ReturnType<typeof classifyOnlineService>) =>
  Object.fromEntries(classification.criteria.filter((result) => !result.met).map((result) => [result.criterion, result.breaches.map((breach) => breach.elementId)]));

describe('the online-service level of a to-be model (Circular 01 Art. 13)', () => {
  it('is wholly online when every criterion a–h is met', async () => {
    const classification = classifyOnlineService(await procedure());
    expect(classification.level).toBe('wholly-online');
    expect(unmet(classification)).toEqual({});
  });

  it('is partially online when only the payment (dd) or the delivery (h) falls short', async () => {
    const classification = classifyOnlineService(await procedure({ pay: 'qt:payment="in-person"', issue: 'qt:result="both" qt:resultDelivery="in-person"' }));
    expect(classification.level).toBe('partially-online');
    expect(unmet(classification)).toEqual({ dd: ['pay'], h: ['issue'] });
    expect(classification.criteria.find((result) => result.criterion === 'dd')?.breaches[0]?.reason.en).toBe('Element "Nộp lệ phí" (pay): fees are paid by "in-person", not online');
  });

  it('is online information only when a paper document must still be handed in', async () => {
    const classification = classifyOnlineService(await procedure({ paper: true, submit: 'qt:channel="online" qt:presence="true"' }));
    expect(classification.level).toBe('information-only');
    expect(unmet(classification)).toEqual({ d: ['submit'], e: ['submit'] });
  });

  it('is not online at all when the procedure is not even published, and says which attribute is missing', async () => {
    const classification = classifyOnlineService(await procedure({ process: '', submit: 'qt:channel="in-person" qt:trips="1"', issue: 'qt:result="paper"' }));
    expect(classification.level).toBe('not-online');
    expect(unmet(classification)).toEqual({ a: ['Process_test'], b: ['Process_test'], c: ['submit'], d: ['submit'], e: ['submit'], g: ['issue'], h: ['issue'] });
    expect(classification.criteria[0]?.breaches[0]?.reason.vi).toBe('Quy trình Process_test chưa khai báo qt:publishedOnline="true"');
  });

  it('does not apply the payment criterion to a procedure without fees', async () => {
    const graph = await procedure();
    graph.nodes.get('pay')!.qt.feeVnd = 0;
    const dd = classifyOnlineService(graph).criteria.find((result) => result.criterion === 'dd');
    expect(dd).toMatchObject({ applicable: false, met: true });
  });
});
