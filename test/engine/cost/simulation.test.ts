import { describe, expect, it } from 'vitest';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { analyseProcedureCost } from '../../../engine/cost/procedure-cost.ts';
import { simulateProcedure } from '../../../engine/cost/simulation.ts';
import { QuyTrinhError } from '../../../engine/errors.ts';
import { bpmnProcess, flows } from '../../support/process.ts';

const PROCEDURE = 'qt:hourlyIncomeVnd="25000" qt:subjectsPerYear="1000"';
const branch = (source: string, target: string, probability: number) => `<bpmn:sequenceFlow id="${source}_${target}" sourceRef="${source}" targetRef="${target}" qt:probability="${probability}"/>`;

// An amendment loop (p = 0.3) around a submission, then a consultation whose second branch is a coin toss.
const consultation = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:exclusiveGateway id="again"/>
  <bpmn:userTask id="submit" qt:applicantHours="1.5" qt:outOfPocketVnd="20000" qt:trips="1" qt:durationHours="2"/>
  <bpmn:exclusiveGateway id="complete"/>
  <bpmn:parallelGateway id="fork"/>
  <bpmn:task id="police" qt:durationHours="4"/>
  <bpmn:exclusiveGateway id="choose"/>
  <bpmn:task id="court" qt:feeVnd="100000" qt:durationHours="10"/>
  <bpmn:task id="registry" qt:feeVnd="10000" qt:durationHours="2"/>
  <bpmn:exclusiveGateway id="chosen"/>
  <bpmn:parallelGateway id="join"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>again', 'again>submit', 'submit>complete', 'fork>police', 'fork>choose', 'police>join', 'court>chosen', 'registry>chosen', 'chosen>join', 'join>end')}
  ${branch('complete', 'again', 0.3)}${branch('complete', 'fork', 0.7)}${branch('choose', 'court', 0.5)}${branch('choose', 'registry', 0.5)}`, { attributes: PROCEDURE });

describe('the Monte Carlo simulation of dossiers', () => {
  it('is reproducible from its seed, and another seed draws other dossiers', async () => {
    const graph = await readProcess(consultation);
    const first = simulateProcedure(graph, { dossiers: 2000, seed: 7 });
    expect(simulateProcedure(graph, { dossiers: 2000, seed: 7 })).toEqual(first);
    expect(simulateProcedure(graph, { dossiers: 2000, seed: 8 }).totalVnd.mean).not.toBe(first.totalVnd.mean);
  });

  it('agrees in the mean with the exact figures', async () => {
    const graph = await readProcess(consultation);
    const exact = analyseProcedureCost(graph).perDossier;
    const simulated = simulateProcedure(graph, { dossiers: 100_000, seed: 2026 });
    // Per dossier: 1/0.7 submissions of 1.5 h × 25,000 + 20,000, then 0.5 × 100,000 + 0.5 × 10,000.
    expect(exact.totalVnd).toBeCloseTo((1 / 0.7) * (1.5 * 25_000 + 20_000) + 55_000, 6);
    expect(simulated.totalVnd.mean).toBeGreaterThan(exact.totalVnd * 0.99);
    expect(simulated.totalVnd.mean).toBeLessThan(exact.totalVnd * 1.01);
    expect(simulated.trips.mean).toBeCloseTo(exact.trips, 1);
    // The loop's share of the lead time is linear; the parallel block is not: the exact critical
    // path takes max(4, E[court or registry] = 6) = 6, the simulation E[max(4, 10 or 2)] = 7.
    expect(exact.leadTimeWorkingHours).toBeCloseTo(2 / 0.7 + 6, 9);
    expect(simulated.leadTimeWorkingHours.mean).toBeGreaterThan(2 / 0.7 + 7 - 0.05);
    expect(simulated.leadTimeWorkingHours.mean).toBeLessThan(2 / 0.7 + 7 + 0.05);
    expect(simulated.totalVnd.p50).toBeLessThanOrEqual(simulated.totalVnd.p90);
  });

  it('counts calendar days on the working-time calendar: weekends and Tết stretch a 16-hour procedure', async () => {
    const graph = await readProcess(bpmnProcess(`
      <bpmn:startEvent id="start"/><bpmn:userTask id="handle" qt:durationHours="16"/><bpmn:endEvent id="end"/>
      ${flows('start>handle', 'handle>end')}`, { attributes: PROCEDURE }));
    const result = simulateProcedure(graph, { dossiers: 5000, seed: 1, submittedFrom: new Date('2025-01-01T00:00:00+07:00') });
    expect(result.leadTimeWorkingHours).toMatchObject({ mean: 16, p50: 16, p90: 16 });
    // Two working days: most dossiers take 2 calendar days, those across a weekend 4, and the
    // ones submitted just before Tết At Ty (28 Jan 2025, off 25 Jan – 2 Feb) more than a week.
    expect(result.leadTimeCalendarDays.p50).toBe(2);
    expect(result.leadTimeCalendarDays.p90).toBe(4);
    expect(result.leadTimeCalendarDays.max).toBeGreaterThan(9);
  });

  it('refuses a number of dossiers it cannot run', async () => {
    const graph = await readProcess(consultation);
    for (const dossiers of [0, 1.5, 10_000_000]) {
      expect(() => simulateProcedure(graph, { dossiers, seed: 1 })).toThrow(QuyTrinhError);
    }
  });
});
