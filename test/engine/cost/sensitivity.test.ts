import { describe, expect, it } from 'vitest';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { analyseSensitivity } from '../../../engine/cost/sensitivity.ts';
import { bpmnProcess, flows } from '../../support/process.ts';

const model = (task: string, attributes = 'qt:hourlyIncomeVnd="25000" qt:subjectsPerYear="1000"') =>
  readProcess(bpmnProcess(`<bpmn:startEvent id="start"/>${task}<bpmn:endEvent id="end"/>${flows('start>submit', 'submit>end')}`, { attributes }));

describe('the sensitivity of the savings (tornado table)', () => {
  it('moves each figure by ±20 % and ranks them by the swing of the yearly savings', async () => {
    const asIs = await model('<bpmn:userTask id="submit" qt:applicantHours="4" qt:outOfPocketVnd="50000"/>');
    const toBe = await model('<bpmn:userTask id="submit" qt:applicantHours="1"/>');
    const result = analyseSensitivity(asIs, toBe);
    // Savings: 1,000 × (4 h × 25,000 + 50,000 − 1 h × 25,000) = 125,000,000 a year.
    expect(result.baseSavingsPerYearVnd).toBe(125_000_000);
    expect(result.rows.map((row) => [row.model, row.elementId, row.attribute, Math.round(row.swingVnd)])).toEqual([
      ['both', 'process', 'qt:subjectsPerYear', 50_000_000], // 0.4 × 125 M
      ['both', 'process', 'qt:timesPerYear', 50_000_000], // the same for times a year (1 by default)
      ['asIs', 'submit', 'qt:applicantHours', 40_000_000], // 1,000 × 1.6 h × 25,000
      ['both', 'process', 'qt:hourlyIncomeVnd', 30_000_000], // 1,000 × 0.4 × 25,000 × (4 − 1)
      ['asIs', 'submit', 'qt:outOfPocketVnd', 20_000_000], // 1,000 × 0.4 × 50,000
      ['toBe', 'submit', 'qt:applicantHours', 10_000_000], // 1,000 × 0.4 h × 25,000
    ]);
    const hours = result.rows[2]!;
    expect(hours.low.value).toBeCloseTo(3.2, 12);
    expect(hours.low.savingsPerYearVnd).toBeCloseTo(105_000_000, 3);
    expect(hours.high.savingsPerYearVnd).toBeCloseTo(145_000_000, 3);
  });

  it('keeps the branches of a split adding up to 1 when it moves one of them', async () => {
    const asIs = await readProcess(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="m"/><bpmn:userTask id="submit" qt:applicantHours="1"/><bpmn:exclusiveGateway id="x"/><bpmn:endEvent id="end"/>
      ${flows('start>m', 'm>submit', 'submit>x')}
      <bpmn:sequenceFlow id="back" sourceRef="x" targetRef="m" qt:probability="0.5"/>
      <bpmn:sequenceFlow id="out" sourceRef="x" targetRef="end" qt:probability="0.5"/>`, { attributes: 'qt:hourlyIncomeVnd="10000" qt:subjectsPerYear="1"' }));
    const toBe = await model('<bpmn:userTask id="submit" qt:applicantHours="1"/>', 'qt:hourlyIncomeVnd="10000" qt:subjectsPerYear="1"');
    const rows = analyseSensitivity(asIs, toBe).rows.filter((row) => row.attribute === 'qt:probability');
    // Going round with 0.4 or 0.6 (the exit takes 0.6 or 0.4): 1/0.6 or 1/0.4 submissions of 10,000, less the to-be's 10,000.
    const back = rows.find((row) => row.elementId === 'back')!;
    expect(back.low.savingsPerYearVnd).toBeCloseTo(10_000 / 0.6 - 10_000, 6);
    expect(back.high.savingsPerYearVnd).toBeCloseTo(10_000 / 0.4 - 10_000, 6);
    const out = rows.find((row) => row.elementId === 'out')!;
    expect(out.low.savingsPerYearVnd).toBeCloseTo(10_000 / 0.4 - 10_000, 6);
  });
});
