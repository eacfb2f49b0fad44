/**
 * Writes measured figures back into a copy of a model (issue 14, docs/calibration.md): the `qt:`
 * attributes the cost model reads (engine/bpmn/read-process.ts: qt:durationHours, qt:officialHours,
 * qt:probability), each element's sample size beside them (qt:sampleSize) and the period measured
 * on the process (qt:calibratedFrom, qt:calibratedTo, qt:calibratedDossiers). Everything else of
 * the model, its diagram included, is kept as it was; elements nothing was measured for keep the
 * analyst's estimates.
 */
import { BpmnModdle } from 'bpmn-moddle';
import { parseBpmn } from '../bpmn/parse.ts';
import { qtModdleDescriptor } from '../bpmn/qt-extension.ts';
import type { Calibration } from './measure.ts';

export interface CalibrationPeriod {
  /** First and last day measured (YYYY-MM-DD, Vietnam time). */
  from: string;
  to: string;
}

/** Hours are written to the hundredth of an hour (36 seconds), probabilities to the millionth. */
const hours = (value: number) => Math.round(value * 100) / 100;
const chance = (value: number) => Math.round(value * 1e6) / 1e6;

export async function applyCalibration(xml: string, calibration: Calibration, period: CalibrationPeriod): Promise<string> {
  const { definitions, elementsById } = await parseBpmn(xml);
  const process = elementsById[calibration.processId];
  if (process) Object.assign(process, { calibratedFrom: period.from, calibratedTo: period.to, calibratedDossiers: calibration.dossiers });
  for (const step of calibration.steps) {
    const element = elementsById[step.elementId];
    if (!element) continue;
    element.durationHours = hours(step.meanElapsedHours);
    if (step.meanWorkingHours !== undefined) element.officialHours = hours(step.meanWorkingHours);
    element.sampleSize = step.sampleSize;
  }
  for (const branch of calibration.branches) {
    // The flows of a split add up to 1 exactly as written: the last takes what the rounding of the others left.
    const written = branch.flows.map((flow) => chance(flow.probability));
    const largest = written.indexOf(Math.max(...written));
    written[largest] = chance(1 - written.reduce((sum, value, position) => (position === largest ? sum : sum + value), 0));
    branch.flows.forEach((flow, position) => {
      const element = elementsById[flow.flowId];
      if (!element) return;
      element.probability = isExclusive(elementsById[branch.gatewayId]) ? written[position] : chance(flow.probability);
      element.sampleSize = branch.decisions;
    });
  }
  const { xml: calibrated } = await BpmnModdle({ qt: qtModdleDescriptor }).toXML(definitions, { format: true });
  return calibrated;
}

const isExclusive = (element: { $type: string } | undefined) => element?.$type === 'bpmn:ExclusiveGateway';
