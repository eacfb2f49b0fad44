/**
 * Every number a model carries in its qt attributes must have its source in the catalogue entry's
 * `procedure.json` (Circular 01 Art. 18: the savings are computed from these figures, so each one
 * has to be traceable). These functions list the numbers of a model and match them with the figures.
 */
import type { ProcessGraph } from '../bpmn/process-graph.ts';
import type { Figure, ModelName } from './procedure.ts';

/** One qt number in a model: the element carrying it (`process` for the process), the attribute as written, the value. */
export interface NumericAttribute {
  element: string;
  attribute: string;
  value: number;
}

const PROCESS_NUMBERS = ['subjectsPerYear', 'timesPerYear', 'hourlyIncomeVnd'] as const;
const STEP_NUMBERS = ['dueWorkingHours', 'applicantHours', 'outOfPocketVnd', 'feeVnd', 'trips', 'officialHours', 'durationHours'] as const;

/** Every qt number of a process graph, in document order of the elements. */
export function numericAttributes(graph: ProcessGraph): NumericAttribute[] {
  const found: NumericAttribute[] = [];
  const add = (element: string, attribute: string, value: number | undefined): void => {
    if (value !== undefined) found.push({ element, attribute: `qt:${attribute}`, value });
  };
  for (const attribute of PROCESS_NUMBERS) add('process', attribute, graph.procedure[attribute]);
  for (const node of graph.nodes.values()) {
    for (const attribute of STEP_NUMBERS) add(node.id, attribute, node.qt[attribute]);
    add(node.id, 'probability', node.probability);
    add(node.id, 'expectedCount', node.multiInstance?.expectedCount);
    if (node.trigger?.kind === 'timer' && node.trigger.timer.kind === 'workingHours') add(node.id, 'workingHours', node.trigger.timer.hours);
  }
  for (const flow of graph.flows.values()) add(flow.id, 'probability', flow.probability);
  return found;
}

function appliesTo(figure: Figure, model: ModelName): boolean {
  return figure.model === model || figure.model === 'both';
}

/** The numbers of a model that no figure of `procedure.json` accounts for (missing, or recorded with another value). */
export function unsourcedNumbers(figures: Figure[], model: ModelName, graph: ProcessGraph): NumericAttribute[] {
  return numericAttributes(graph).filter(
    (number) => !figures.some((figure) => appliesTo(figure, model) && figure.element === number.element && figure.attribute === number.attribute && figure.value === number.value),
  );
}

/** The figures recorded for a model that the model does not (or no longer) carry. */
export function staleFigures(figures: Figure[], model: ModelName, graph: ProcessGraph): Figure[] {
  const numbers = numericAttributes(graph);
  return figures.filter(
    (figure) => appliesTo(figure, model) && !numbers.some((number) => figure.element === number.element && figure.attribute === number.attribute && figure.value === number.value),
  );
}
