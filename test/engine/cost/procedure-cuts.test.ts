import { describe, expect, it } from 'vitest';
import { isQuyTrinhError } from '../../../engine/errors.ts';
import { analyseRestructuringXml } from '../../../engine/cost/restructuring.ts';
import { bpmnProcess, flows } from '../../support/process.ts';
import { smallRestructuring } from '../../support/restructuring.ts';

const { asIs, toBe } = smallRestructuring();

/** The small to-be with process-level extension elements added (qt:cutProcedure children). */
function toBeCutting(extensions: string): string {
  return toBe.replace(/(<bpmn:process\b[^>]*>)/, `$1<bpmn:extensionElements>${extensions}</bpmn:extensionElements>`);
}

describe('Circular 01 Art. 17.1.a: cutting unnecessary administrative procedures', () => {
  it('is not met by fewer steps: the small to-be has one step done by people fewer, and cuts no procedure', async () => {
    const analysis = await analyseRestructuringXml(asIs, toBe);
    expect(analysis.savings.peopleSteps).toBe(1);
    expect(analysis.cutProcedures).toEqual([]);
    expect(analysis.aims[0]).toEqual({ aim: 'a', measure: 'procedures', asIs: 1, toBe: 1, met: false });
  });

  it('is met when the to-be names the procedures it merges or makes unnecessary, counted as procedures', async () => {
    const analysis = await analyseRestructuringXml(asIs, toBeCutting(`
      <qt:cutProcedure code="1.000656" name="Xác nhận thông tin về cư trú" how="not-required"/>
      <qt:cutProcedure name="Cấp bản sao trích lục" how="merged"/>`));
    expect(analysis.cutProcedures).toEqual([
      { code: '1.000656', name: 'Xác nhận thông tin về cư trú', how: 'not-required' },
      { name: 'Cấp bản sao trích lục', how: 'merged' },
    ]);
    expect(analysis.aims[0]).toEqual({ aim: 'a', measure: 'procedures', asIs: 3, toBe: 1, met: true });
  });

  it('refuses a cut procedure without a name or with an unknown way of cutting, naming the process', async () => {
    const failure = await analyseRestructuringXml(asIs, toBeCutting('<qt:cutProcedure how="merged"/><qt:cutProcedure name="X" how="renamed"/>')).catch((error: unknown) => error);
    expect(isQuyTrinhError(failure)).toBe(true);
    const details = (failure as { details: Array<{ field?: string; elementId?: string; messages?: { vi: string } }> }).details;
    expect(details.map((detail) => [detail.field, detail.elementId])).toEqual([['toBe', 'Process_test'], ['toBe', 'Process_test']]);
    expect(details[0]!.messages!.vi).toContain('phải có tên thủ tục hành chính');
    expect(details[1]!.messages!.vi).toContain('how = "renamed" không hợp lệ');
  });
});

describe('a figure the restructuring makes worse', () => {
  it('is reported with the changed steps that raise it, never as a saving', async () => {
    const slow = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="submit" name="Nộp hồ sơ" qt:applicantHours="1" qt:durationHours="1"/>
      <bpmn:userTask id="post" name="Gửi bản chính qua bưu chính" qt:durationHours="8"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>submit', 'submit>post', 'post>end')}`, { attributes: 'qt:hourlyIncomeVnd="25000" qt:subjectsPerYear="1000"' });
    const fast = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="submit" name="Nộp hồ sơ" qt:applicantHours="2" qt:durationHours="2"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>submit', 'submit>end')}`, { attributes: 'qt:hourlyIncomeVnd="25000" qt:subjectsPerYear="1000"' });
    const analysis = await analyseRestructuringXml(fast, slow);
    expect(analysis.savings.leadTimeWorkingHours).toBe(-7);
    const lead = analysis.worsenings.find((worsening) => worsening.measure === 'leadTimeWorkingHours')!;
    expect(lead).toMatchObject({ asIs: 2, toBe: 9 });
    expect(lead.causes).toEqual([{ elementId: 'post', name: 'Gửi bản chính qua bưu chính', change: 'added', increase: 8 }]);
    // The applicant's time went down: not a worsening.
    expect(analysis.worsenings.map((worsening) => worsening.measure)).not.toContain('applicantHours');
  });
});
