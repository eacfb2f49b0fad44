import { describe, expect, it } from 'vitest';
import { analyseProcedureCostXml, type ProcedureCost } from '../../../engine/cost/procedure-cost.ts';
import { QuyTrinhError } from '../../../engine/errors.ts';
import { bpmnProcess, flows } from '../../support/process.ts';

// Hand-computed cases: every expected value below is worked out in the comment beside it.

const PROCEDURE = 'qt:hourlyIncomeVnd="25000" qt:subjectsPerYear="1000" qt:timesPerYear="2"';

async function cost(body: string, attributes = PROCEDURE): Promise<ProcedureCost> {
  return analyseProcedureCostXml(bpmnProcess(body, { attributes }));
}

async function problems(body: string, attributes = PROCEDURE): Promise<Array<{ elementId?: string | undefined; message: string }>> {
  try {
    await cost(body, attributes);
  } catch (error) {
    if (error instanceof QuyTrinhError) return error.details;
    throw error;
  }
  throw new Error('the model was accepted');
}

const visits = (result: ProcedureCost, id: string) => result.elements.find((element) => element.elementId === id)?.visits;

const branch = (source: string, target: string, probability?: number) =>
  `<bpmn:sequenceFlow id="${source}_${target}" sourceRef="${source}" targetRef="${target}"${probability === undefined ? '' : ` qt:probability="${probability}"`}/>`;

describe('the cost of one dossier', () => {
  it('adds up a sequence, and multiplies it out over a year', async () => {
    const result = await cost(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="submit" qt:applicantHours="2" qt:outOfPocketVnd="10000" qt:feeVnd="50000" qt:trips="1" qt:durationHours="4">
        <bpmn:extensionElements><qt:document name="Tờ khai"/><qt:document name="Bản sao CCCD" paper="true"/></bpmn:extensionElements>
      </bpmn:userTask>
      <bpmn:manualTask id="check" qt:applicantHours="1" qt:durationHours="8" qt:officialHours="0.5"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>submit', 'submit>check', 'check>end')}`);
    // 3 h × 25,000 = 75,000; + 10,000 + 50,000 = 135,000 a dossier.
    expect(result.perDossier).toEqual({
      applicantHours: 3, timeCostVnd: 75_000, outOfPocketVnd: 10_000, feesVnd: 50_000, totalVnd: 135_000,
      trips: 1, documents: 2, manualSteps: 1, peopleSteps: 2, officialHours: 0.5, leadTimeWorkingHours: 12,
    });
    // 1,000 subjects × 2 times = 2,000 dossiers × 135,000 = 270,000,000.
    expect(result.perYear).toEqual({ dossiers: 2000, totalVnd: 270_000_000, applicantHours: 6000 });
  });

  it('weighs exclusive branches by their probability; a blank one takes the remainder', async () => {
    const result = await cost(`
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="complete" default="complete_amend"/>
      <bpmn:task id="accept" qt:outOfPocketVnd="100" qt:durationHours="10"/>
      <bpmn:task id="amend" qt:outOfPocketVnd="1000" qt:durationHours="20"/>
      <bpmn:exclusiveGateway id="merge"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>complete', 'accept>merge', 'amend>merge', 'merge>end')}
      ${branch('complete', 'accept', 0.7)}${branch('complete', 'amend')}`);
    // 0.7 × 100 + 0.3 × 1,000 = 370; lead time 0.7 × 10 + 0.3 × 20 = 13.
    expect(result.perDossier.outOfPocketVnd).toBeCloseTo(370, 9);
    expect(result.perDossier.leadTimeWorkingHours).toBeCloseTo(13, 9);
    expect(visits(result, 'amend')).toBeCloseTo(0.3, 12);
    expect(visits(result, 'merge')).toBeCloseTo(1, 12);
  });

  it('counts every parallel branch, and the longest one for the lead time', async () => {
    const result = await cost(`
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      <bpmn:task id="police" qt:outOfPocketVnd="100" qt:durationHours="10"/>
      <bpmn:task id="court" qt:outOfPocketVnd="200" qt:durationHours="30"/>
      <bpmn:parallelGateway id="join"/>
      <bpmn:task id="sign" qt:durationHours="5"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>fork', 'fork>police', 'fork>court', 'police>join', 'court>join', 'join>sign', 'sign>end')}`);
    // 100 + 200 = 300; lead time max(10, 30) + 5 = 35; the join fires once, not twice.
    expect(result.perDossier.outOfPocketVnd).toBe(300);
    expect(result.perDossier.leadTimeWorkingHours).toBe(35);
    expect(visits(result, 'join')).toBe(1);
    expect(visits(result, 'sign')).toBe(1);
  });

  it('takes inclusive branches independently, the default when none is taken', async () => {
    const result = await cost(`
      <bpmn:startEvent id="start"/>
      <bpmn:inclusiveGateway id="consult" default="consult_fallback"/>
      <bpmn:task id="tax" qt:durationHours="10"/>
      <bpmn:task id="land" qt:durationHours="20"/>
      <bpmn:task id="fallback" qt:durationHours="1"/>
      <bpmn:inclusiveGateway id="join"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>consult', 'tax>join', 'land>join', 'fallback>join', 'join>end')}
      ${branch('consult', 'tax', 0.5)}${branch('consult', 'land', 0.4)}${branch('consult', 'fallback')}`);
    // The default runs when neither does: 0.5 × 0.6 = 0.3.
    expect(visits(result, 'tax')).toBeCloseTo(0.5, 12);
    expect(visits(result, 'land')).toBeCloseTo(0.4, 12);
    expect(visits(result, 'fallback')).toBeCloseTo(0.3, 12);
    expect(visits(result, 'join')).toBeCloseTo(1, 12);
    // Both (0.2): 20; land only (0.2): 20; tax only (0.3): 10; neither (0.3): 1 → 4 + 4 + 3 + 0.3 = 11.3.
    expect(result.perDossier.leadTimeWorkingHours).toBeCloseTo(11.3, 12);
  });

  it('goes round an amendment loop 1 / (1 − p) times', async () => {
    const result = await cost(`
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="merge"/>
      <bpmn:userTask id="submit" qt:applicantHours="1" qt:trips="1" qt:durationHours="2"/>
      <bpmn:exclusiveGateway id="complete"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>merge', 'merge>submit', 'submit>complete')}
      ${branch('complete', 'merge', 0.25)}${branch('complete', 'end', 0.75)}`);
    // 1 / 0.75 = 4/3 submissions, each a trip and an hour; lead time 2 × 4/3.
    expect(visits(result, 'submit')).toBeCloseTo(4 / 3, 12);
    expect(result.perDossier.trips).toBeCloseTo(4 / 3, 12);
    expect(result.perDossier.timeCostVnd).toBeCloseTo((4 / 3) * 25_000, 9);
    expect(result.perDossier.leadTimeWorkingHours).toBeCloseTo(8 / 3, 12);
  });

  it('nests a choice in a parallel block in a loop, with a multi-instance sub-process', async () => {
    const result = await cost(`
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="again"/>
      <bpmn:parallelGateway id="fork"/>
      <bpmn:task id="a" qt:outOfPocketVnd="100" qt:durationHours="4"/>
      <bpmn:exclusiveGateway id="choose"/>
      <bpmn:task id="b" qt:outOfPocketVnd="200" qt:durationHours="10"/>
      <bpmn:task id="c" qt:outOfPocketVnd="50" qt:durationHours="2"/>
      <bpmn:exclusiveGateway id="chosen"/>
      <bpmn:parallelGateway id="join"/>
      <bpmn:subProcess id="consult">
        <bpmn:startEvent id="consult_start"/>
        <bpmn:task id="d" qt:outOfPocketVnd="10" qt:durationHours="1">
          <bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:expectedCount="3"/>
        </bpmn:task>
        <bpmn:endEvent id="consult_end"/>
        ${flows('consult_start>d', 'd>consult_end')}
      </bpmn:subProcess>
      <bpmn:exclusiveGateway id="complete"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>again', 'again>fork', 'fork>a', 'fork>choose', 'a>join', 'b>chosen', 'c>chosen', 'chosen>join', 'join>consult', 'consult>complete')}
      ${branch('choose', 'b', 0.5)}${branch('choose', 'c', 0.5)}${branch('complete', 'again', 0.2)}${branch('complete', 'end', 0.8)}`);
    // One round: 100 + 0.5 × 200 + 0.5 × 50 + 3 × 10 = 255; rounds 1 / 0.8 = 1.25 → 318.75.
    expect(result.perDossier.outOfPocketVnd).toBeCloseTo(318.75, 9);
    expect(visits(result, 'd')).toBeCloseTo(3.75, 12);
    // One round: max(4, 0.5 × 10 + 0.5 × 2 = 6) + 1 (the instances run side by side) = 7 → 8.75.
    expect(result.perDossier.leadTimeWorkingHours).toBeCloseTo(8.75, 12);
  });

  it('lets a boundary event take its share of the activity', async () => {
    const result = await cost(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="handle" qt:durationHours="16"/>
      <bpmn:boundaryEvent id="overdue" attachedToRef="handle" qt:probability="0.1"><bpmn:timerEventDefinition qt:workingHours="16"/></bpmn:boundaryEvent>
      <bpmn:task id="apologise" qt:outOfPocketVnd="0" qt:durationHours="1"/>
      <bpmn:task id="deliver" qt:outOfPocketVnd="20000"/>
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="late"/>
      ${flows('start>handle', 'handle>deliver', 'deliver>end', 'overdue>apologise', 'apologise>late')}`);
    expect(visits(result, 'overdue')).toBeCloseTo(0.1, 12);
    expect(visits(result, 'deliver')).toBeCloseTo(0.9, 12);
    expect(result.perDossier.outOfPocketVnd).toBeCloseTo(18_000, 9);
    expect(result.perDossier.leadTimeWorkingHours).toBeCloseTo(16.1, 12);
  });
});

describe('a model the cost model cannot read', () => {
  it('names the process attributes it misses', async () => {
    const found = await problems(`<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>${flows('start>end')}`, '');
    expect(found.map((problem) => problem.message)).toEqual([
      'Process Process_test has no qt:hourlyIncomeVnd (“Average hourly income (VND/h)”): the average hourly income of a subject (VND)',
      'Process Process_test has no qt:subjectsPerYear (“Subjects per year”): the number of subjects following the procedure each year',
    ]);
  });

  it('names the flows without a probability and the splits that do not add up', async () => {
    const found = await problems(`
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="x"/>
      <bpmn:exclusiveGateway id="y"/>
      <bpmn:task id="a"/><bpmn:task id="b"/><bpmn:task id="c"/><bpmn:task id="d"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>x', 'a>y', 'b>y', 'c>end', 'd>end')}
      ${branch('x', 'a')}${branch('x', 'b')}${branch('y', 'c', 0.5)}${branch('y', 'd', 0.6)}`);
    expect(found.map((problem) => problem.elementId)).toEqual(['x_a', 'x_b', 'y']);
    expect(found[2]?.message).toBe('Element y: the qt:probability of its outgoing flows add up to 1.1, they must add up to 1');
  });

  it('refuses a loop that is never left, and a join no split opens', async () => {
    const loop = await problems(`
      <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="m"/><bpmn:task id="a"/><bpmn:exclusiveGateway id="x"/><bpmn:endEvent id="end"/>
      ${flows('start>m', 'm>a', 'a>x')}${branch('x', 'm', 1)}${branch('x', 'end', 0)}`);
    expect(loop.map((problem) => problem.elementId)).toEqual(['x']);
    expect(loop[0]?.message).toMatch(/the loop through .* is never left/);

    const join = await problems(`
      <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="x"/><bpmn:task id="a"/><bpmn:task id="b"/><bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
      ${flows('start>x', 'a>join', 'b>join', 'join>end')}${branch('x', 'a', 0.5)}${branch('x', 'b', 0.5)}`);
    expect(join.map((problem) => problem.elementId)).toEqual(['join']);
  });

  it('asks for the expected count of a multi-instance activity over data', async () => {
    const found = await problems(`
      <bpmn:startEvent id="start"/>
      <bpmn:task id="consult"><bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/></bpmn:task>
      <bpmn:endEvent id="end"/>${flows('start>consult', 'consult>end')}`);
    expect(found.map((problem) => problem.elementId)).toEqual(['consult']);
    expect(found[0]?.message).toContain('qt:expectedCount');
  });
});
