/**
 * The compliance cost of a procedure from its BPMN model, by the Standard Cost Model
 * (Circular 02/2017/TT-VPCP Art. 27, applied to restructuring by Circular 01/2023 Art. 18):
 * per dossier, the applicant's hours at their hourly income, their out-of-pocket costs and the
 * fees; per year, that times the dossiers a year. Every figure is an expected value over the
 * model's branches and loops, element by element, so a report can say where the cost lies.
 */
import { readProcess } from '../bpmn/read-process.ts';
import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';
import { QuyTrinhError, type ErrorDetail } from '../errors.ts';
import { buildCostScope, detail, type CostScope } from './flow-structure.ts';
import { solveScope, type ScopeValues } from './expected-values.ts';

/** The per-dossier figures of the cost model (expected values). */
export interface DossierFigures {
  applicantHours: number;
  timeCostVnd: number;
  outOfPocketVnd: number;
  feesVnd: number;
  totalVnd: number;
  trips: number;
  documents: number;
  manualSteps: number;
  /**
   * Steps a person performs (the applicant or an official): every activity but those a system
   * runs on its own. Not an aim of Circular 01 Art. 17.1 by itself (17.1.d counts the manual ones).
   */
  peopleSteps: number;
  officialHours: number;
  leadTimeWorkingHours: number;
}

export interface YearFigures {
  dossiers: number;
  totalVnd: number;
  applicantHours: number;
}

/** What one element contributes to a dossier: its expected executions times its attributes. */
export interface ElementFigures extends Omit<DossierFigures, 'leadTimeWorkingHours'> {
  elementId: string;
  name: string | undefined;
  kind: FlowNode['kind'];
  lane: string | undefined;
  /** Expected executions per dossier (a multi-instance activity counts each instance). */
  visits: number;
  /** Expected elapsed working hours of the step (visits × qt:durationHours): what it adds to a path's lead time. */
  durationHours: number;
  documentNames: string[];
}

export interface ProcedureCost {
  processId: string;
  name: string | undefined;
  procedureCode: string | undefined;
  hourlyIncomeVnd: number;
  subjectsPerYear: number;
  timesPerYear: number;
  perDossier: DossierFigures;
  perYear: YearFigures;
  elements: ElementFigures[];
  /** Present when the model's figures were measured on executed dossiers (qt:calibrated*, docs/calibration.md). */
  calibration?: { from: string; to: string; dossiers: number } | undefined;
}

export async function analyseProcedureCostXml(xml: string): Promise<ProcedureCost> {
  return analyseProcedureCost(await readProcess(xml));
}

/** Throws one typed error listing every missing or inconsistent attribute, each with its element. */
export function analyseProcedureCost(graph: ProcessGraph): ProcedureCost {
  const problems: ErrorDetail[] = [];
  const { hourlyIncomeVnd, subjectsPerYear, timesPerYear = 1 } = graph.procedure;
  if (hourlyIncomeVnd === undefined) problems.push(missingProcessAttribute(graph, 'qt:hourlyIncomeVnd', { vi: 'Thu nhập bình quân (VNĐ/giờ)', en: 'Average hourly income (VND/h)' }, 'thu nhập bình quân một giờ của đối tượng (VNĐ)', 'the average hourly income of a subject (VND)'));
  if (subjectsPerYear === undefined) problems.push(missingProcessAttribute(graph, 'qt:subjectsPerYear', { vi: 'Số đối tượng mỗi năm', en: 'Subjects per year' }, 'số đối tượng thực hiện thủ tục mỗi năm', 'the number of subjects following the procedure each year'));

  const scope = buildCostScope(graph, undefined, graph.topLevel, problems);
  const values = solveScope(scope, problems);
  if (problems.length > 0) {
    throw new QuyTrinhError('invalid-model', 'cost.invalid-model', {
      vi: `Quy trình${graph.name ? ` “${graph.name}”` : ''} còn ${problems.length} số liệu thiếu hoặc chưa hợp lệ để tính chi phí`,
      en: `Cannot compute the cost of model ${graph.id}: ${problems.length} missing or invalid attribute(s)`,
    }, problems);
  }

  const elements: ElementFigures[] = [];
  collectElements(scope, values, 1, hourlyIncomeVnd!, elements);
  const sum = (pick: (element: ElementFigures) => number) => elements.reduce((total, element) => total + pick(element), 0);
  const perDossier: DossierFigures = {
    applicantHours: sum((element) => element.applicantHours),
    timeCostVnd: sum((element) => element.timeCostVnd),
    outOfPocketVnd: sum((element) => element.outOfPocketVnd),
    feesVnd: sum((element) => element.feesVnd),
    totalVnd: sum((element) => element.totalVnd),
    trips: sum((element) => element.trips),
    documents: sum((element) => element.documents),
    manualSteps: sum((element) => element.manualSteps),
    peopleSteps: sum((element) => element.peopleSteps),
    officialHours: sum((element) => element.officialHours),
    leadTimeWorkingHours: values.leadTime,
  };
  // Circular 02/2017 Art. 27: annual cost = cost of one dossier × times per year × subjects.
  const dossiers = subjectsPerYear! * timesPerYear;
  return {
    processId: graph.id,
    name: graph.name,
    procedureCode: graph.procedure.procedureCode,
    hourlyIncomeVnd: hourlyIncomeVnd!,
    subjectsPerYear: subjectsPerYear!,
    timesPerYear,
    perDossier,
    perYear: { dossiers, totalVnd: perDossier.totalVnd * dossiers, applicantHours: perDossier.applicantHours * dossiers },
    elements,
    ...calibrationOf(graph),
  };
}

/** The activities of a process: the steps someone or something performs. */
export const ACTIVITY_KINDS = new Set<FlowNode['kind']>(['userTask', 'serviceTask', 'sendTask', 'businessRuleTask', 'scriptTask', 'receiveTask', 'manualTask', 'task', 'callActivity']);

/** Steps a system performs on its own: no burden on the applicant or an official. */
const AUTOMATED_KINDS = new Set<FlowNode['kind']>(['serviceTask', 'businessRuleTask', 'scriptTask', 'sendTask']);

/** A step is manual when it says so (qt:manual), and a BPMN manual task is unless it says otherwise. */
export function isManualStep(node: FlowNode): boolean {
  return node.qt.manual ?? node.kind === 'manualTask';
}

function collectElements(scope: CostScope, values: ScopeValues, runs: number, hourlyIncomeVnd: number, into: ElementFigures[]): void {
  scope.nodes.forEach((node, position) => {
    const visits = values.visits[position]! * runs * scope.instances[position]!;
    const { qt } = node;
    const applicantHours = visits * (qt.applicantHours ?? 0);
    const timeCostVnd = applicantHours * hourlyIncomeVnd;
    const outOfPocketVnd = visits * (qt.outOfPocketVnd ?? 0);
    const feesVnd = visits * (qt.feeVnd ?? 0);
    into.push({
      elementId: node.id,
      name: node.name,
      kind: node.kind,
      lane: node.lane,
      visits,
      applicantHours,
      timeCostVnd,
      outOfPocketVnd,
      feesVnd,
      totalVnd: timeCostVnd + outOfPocketVnd + feesVnd,
      trips: visits * (qt.trips ?? 0),
      documents: visits * qt.documents.length,
      manualSteps: isManualStep(node) ? visits : 0,
      peopleSteps: ACTIVITY_KINDS.has(node.kind) && !AUTOMATED_KINDS.has(node.kind) ? visits : 0,
      officialHours: visits * (qt.officialHours ?? 0),
      durationHours: visits * (qt.durationHours ?? 0),
      documentNames: qt.documents.map((document) => document.name),
    });
    const inside = scope.inner.get(position);
    if (inside) collectElements(inside, values.inner.get(position)!, visits, hourlyIncomeVnd, into);
  });
}

function calibrationOf(graph: ProcessGraph): Pick<ProcedureCost, 'calibration'> {
  const { calibratedFrom: from, calibratedTo: to, calibratedDossiers: dossiers } = graph.procedure;
  return from !== undefined && to !== undefined && dossiers !== undefined ? { calibration: { from, to, dossiers } } : {};
}

/**
 * A process figure the cost needs and the model lacks: in Vietnamese by the label of its field in
 * the designer's properties panel (designer/src/modeler/qt-fields.ts), in English by that label and
 * the attribute (for scripts and the CLI); `field` names the attribute.
 */
function missingProcessAttribute(graph: ProcessGraph, attribute: string, label: { vi: string; en: string }, vi: string, en: string): ErrorDetail {
  return { ...detail(graph.id, `Quy trình chưa có “${label.vi}”: ${vi}, cần để tính chi phí`, `Process ${graph.id} has no ${attribute} (“${label.en}”): ${en}`), field: attribute };
}
