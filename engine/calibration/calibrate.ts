/**
 * One calibration, from a deployed model and its executed instances to the calibrated copy and the
 * figures predicted and as executed (issue 14, docs/calibration.md). Plain data in and out, so
 * the server runs it in the analysis pool's threads and the CLI in its own process.
 */
import { readProcess } from '../bpmn/read-process.ts';
import { candidateGroupOf } from '../bpmn/process-graph.ts';
import { createWorkingCalendar, type CalendarSettings } from '../calendar/index.ts';
import { analyseProcedureCost, type ProcedureCost } from '../cost/procedure-cost.ts';
import { isQuyTrinhError, type ErrorDetail } from '../errors.ts';
import { applyCalibration, type CalibrationPeriod } from './apply.ts';
import { measureBurden, type BurdenMeasure } from './burden.ts';
import { measureExecutions, type BranchMeasure, type Calibration, type ExecutedInstance, type NonConformingInstance, type StepMeasure } from './measure.ts';

export interface CalibrationRequest {
  xml: string;
  /** The process of the file the deployed definition is (its key); the file's only deployable one when absent. */
  processId?: string | undefined;
  instances: readonly ExecutedInstance[];
  /** Working calendars by candidate group (the lane), as the agency calendars are kept; the default elsewhere. */
  calendars: ReadonlyArray<CalendarSettings & { agency: string }>;
  period: CalibrationPeriod;
}

/** The figures compared: per dossier, and the cost per year. */
export interface CompareFigures {
  totalVnd: number;
  perYearVnd: number;
  leadTimeWorkingHours: number;
  officialHours: number;
  applicantHours: number;
  documents: number;
  trips: number;
}

export interface CalibrationResult {
  calibration: Omit<Calibration, 'steps' | 'branches'> & {
    steps: Array<StepMeasure & { modelDurationHours: number | undefined; modelOfficialHours: number | undefined }>;
    branches: Array<Omit<BranchMeasure, 'flows'> & { flows: Array<BranchMeasure['flows'][number] & { modelProbability: number | undefined }> }>;
    /** Documents and trips per dossier, measured on the conforming dossiers' records beside the model's; reported, not written back. */
    burden: BurdenMeasure | undefined;
  };
  nonConforming: NonConformingInstance[];
  /** The calibrated copy of the model. */
  xml: string;
  /** The model as deployed beside the calibrated copy; the problems instead when the model lacks the process's figures (income, subjects). */
  comparison: { predicted: CompareFigures; asExecuted: CompareFigures } | { problems: ErrorDetail[] };
}

export async function calibrateModel(request: CalibrationRequest): Promise<CalibrationResult> {
  const graph = await readProcess(request.xml, request.processId);
  const defaultCalendar = createWorkingCalendar();
  const byGroup = new Map(request.calendars.map((settings) => [settings.agency, createWorkingCalendar(settings)]));
  const { calibration, nonConforming } = measureExecutions(graph, request.instances, (node) => byGroup.get(candidateGroupOf(node) ?? '') ?? defaultCalendar);
  const xml = await applyCalibration(request.xml, calibration, request.period);
  const steps = calibration.steps.map((step) => ({ ...step, modelDurationHours: graph.nodes.get(step.elementId)?.qt.durationHours, modelOfficialHours: graph.nodes.get(step.elementId)?.qt.officialHours }));
  const branches = calibration.branches.map((branch) => ({ ...branch, flows: branch.flows.map((flow) => ({ ...flow, modelProbability: graph.flows.get(flow.flowId)?.probability })) }));
  const excluded = new Set(nonConforming.map((instance) => instance.instanceId));
  const dossiers = request.instances.flatMap((instance) => (instance.burden && !excluded.has(instance.instanceId) ? [instance.burden] : []));
  const comparison = await compare(graph, xml, request.processId);
  const burden = measureBurden(dossiers, 'predicted' in comparison ? comparison.predicted : undefined);
  return { calibration: { ...calibration, steps, branches, burden }, nonConforming, xml, comparison };
}

async function compare(graph: Awaited<ReturnType<typeof readProcess>>, calibratedXml: string, processId: string | undefined): Promise<CalibrationResult['comparison']> {
  try {
    return { predicted: figures(analyseProcedureCost(graph)), asExecuted: figures(analyseProcedureCost(await readProcess(calibratedXml, processId))) };
  } catch (error) {
    if (isQuyTrinhError(error) && error.kind === 'invalid-model') return { problems: error.details };
    throw error;
  }
}

const figures = (cost: ProcedureCost): CompareFigures => ({
  totalVnd: cost.perDossier.totalVnd,
  perYearVnd: cost.perYear.totalVnd,
  leadTimeWorkingHours: cost.perDossier.leadTimeWorkingHours,
  officialHours: cost.perDossier.officialHours,
  applicantHours: cost.perDossier.applicantHours,
  documents: cost.perDossier.documents,
  trips: cost.perDossier.trips,
});
