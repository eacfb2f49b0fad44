/**
 * Before and after: what a restructuring saves (Circular 01/2023 Art. 18), which of the aims of
 * Art. 17.1 it meets, and "the contents which have been removed or simplified", element by
 * element with each one's cost effect.
 */
import { readProcess } from '../bpmn/read-process.ts';
import type { CutProcedure, FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';
import { QuyTrinhError, isQuyTrinhError, type ErrorDetail } from '../errors.ts';
import { ACTIVITY_KINDS, analyseProcedureCost, type DossierFigures, type ElementFigures, type ProcedureCost, type YearFigures } from './procedure-cost.ts';

export interface AnalysedModel {
  graph: ProcessGraph;
  cost: ProcedureCost;
}

export interface Savings {
  perDossierVnd: number;
  perYearVnd: number;
  /** Benefit ÷ current annual cost × 100 (Circular 02/2017 Art. 27). */
  ratePercent: number;
  applicantHoursPerYear: number;
  officialHoursPerYear: number;
  /** Reductions per dossier (as-is − to-be): positive means fewer. */
  trips: number;
  documents: number;
  manualSteps: number;
  peopleSteps: number;
  leadTimeWorkingHours: number;
}

export type ChangeKind = 'removed' | 'added' | 'changed';

export interface ElementSide {
  elementId: string;
  name: string | undefined;
  visits: number;
  totalVnd: number;
  applicantHours: number;
  trips: number;
  documents: number;
  manualSteps: number;
  peopleSteps: number;
  officialHours: number;
  durationHours: number;
}

export interface ElementChange {
  change: ChangeKind;
  /** How the two sides were paired: the same id, else the same name. */
  matchedBy?: 'id' | 'name';
  elementId: string;
  name: string | undefined;
  asIs?: ElementSide;
  toBe?: ElementSide;
  /** To-be minus as-is, per dossier and per year: negative is a saving. */
  costEffectVnd: number;
  costEffectPerYearVnd: number;
  /** What differs: qt attribute names, `documents`, `kind`, `name`, `visits`. */
  differences: string[];
}

/**
 * Circular 01 Art. 17.1: the aims a restructuring must reach at least one of. Aim (a) counts
 * administrative procedures: the as-is is this procedure and every one the to-be says it cuts
 * (qt:cutProcedure), the to-be this one alone; it is met only when the to-be names a procedure cut.
 */
export interface RestructuringAim {
  aim: 'a' | 'b' | 'c' | 'd';
  met: boolean;
  measure: 'procedures' | 'trips' | 'documents' | 'manualSteps';
  asIs: number;
  toBe: number;
}

/** A per-dossier figure the restructuring makes worse, with the changed steps that raise it most. */
export interface Worsening {
  measure: WorseningMeasure;
  asIs: number;
  toBe: number;
  /** The steps whose own share of the figure grew, the largest first (at most three). */
  causes: Array<{ elementId: string; name: string | undefined; change: ChangeKind; increase: number }>;
}

/** The per-dossier figures where more is worse for the applicant or the agency. */
export const BURDEN_MEASURES = ['applicantHours', 'timeCostVnd', 'outOfPocketVnd', 'feesVnd', 'totalVnd', 'trips', 'documents', 'manualSteps', 'peopleSteps', 'officialHours', 'leadTimeWorkingHours'] as const satisfies ReadonlyArray<keyof DossierFigures>;
export type WorseningMeasure = (typeof BURDEN_MEASURES)[number];

export interface ModelSummary {
  processId: string;
  name: string | undefined;
  procedureCode: string | undefined;
  perDossier: DossierFigures;
  perYear: YearFigures;
  /** The period and dossiers its figures were measured on, for a calibrated model (docs/calibration.md). */
  calibration?: ProcedureCost['calibration'];
}

export interface RestructuringAnalysis {
  asIs: ModelSummary;
  toBe: ModelSummary;
  savings: Savings;
  aims: RestructuringAim[];
  /** Art. 17.1.a: the administrative procedures the to-be cuts, as its model lists them. */
  cutProcedures: CutProcedure[];
  /** Every burden figure that grows, with why: a report shows these as worse, never as savings. */
  worsenings: Worsening[];
  changes: ElementChange[];
}

/** Reads and analyses both models; the problems of both are reported together, each tagged with its model. */
export async function analyseRestructuringXml(asIsXml: string, toBeXml: string): Promise<RestructuringAnalysis> {
  const [asIs, toBe] = await Promise.allSettled([analyseModelXml(asIsXml), analyseModelXml(toBeXml)]);
  if (asIs.status === 'fulfilled' && toBe.status === 'fulfilled') return compareModels(asIs.value, toBe.value);
  const failures = [['asIs', asIs], ['toBe', toBe]] as const;
  const details: ErrorDetail[] = [];
  for (const [field, outcome] of failures) {
    if (outcome.status === 'fulfilled') continue;
    if (!isQuyTrinhError(outcome.reason)) throw outcome.reason;
    const error = outcome.reason;
    const own = error.details.length > 0 ? error.details : [{ message: error.text.en, messages: error.text }];
    details.push(...own.map((detail) => ({ ...detail, field })));
  }
  const which = failures.filter(([, outcome]) => outcome.status === 'rejected').map(([field]) => field);
  throw new QuyTrinhError('invalid-model', 'cost.invalid-models', {
    vi: `Không phân tích được mô hình ${which.map((field) => (field === 'asIs' ? 'hiện trạng (as-is)' : 'sau tái cấu trúc (to-be)')).join(' và ')}: ${details.length} lỗi`,
    en: `Cannot analyse the ${which.map((field) => (field === 'asIs' ? 'as-is' : 'to-be')).join(' and ')} model: ${details.length} problem(s)`,
  }, details);
}

export async function analyseModelXml(xml: string): Promise<AnalysedModel> {
  const graph = await readProcess(xml);
  return { graph, cost: analyseProcedureCost(graph) };
}

export function compareModels(asIs: AnalysedModel, toBe: AnalysedModel): RestructuringAnalysis {
  const before = asIs.cost;
  const after = toBe.cost;
  const perYearVnd = before.perYear.totalVnd - after.perYear.totalVnd;
  const savings: Savings = {
    perDossierVnd: before.perDossier.totalVnd - after.perDossier.totalVnd,
    perYearVnd,
    ratePercent: before.perYear.totalVnd === 0 ? 0 : (perYearVnd / before.perYear.totalVnd) * 100,
    applicantHoursPerYear: before.perYear.applicantHours - after.perYear.applicantHours,
    officialHoursPerYear: before.perDossier.officialHours * before.perYear.dossiers - after.perDossier.officialHours * after.perYear.dossiers,
    trips: before.perDossier.trips - after.perDossier.trips,
    documents: before.perDossier.documents - after.perDossier.documents,
    manualSteps: before.perDossier.manualSteps - after.perDossier.manualSteps,
    peopleSteps: before.perDossier.peopleSteps - after.perDossier.peopleSteps,
    leadTimeWorkingHours: before.perDossier.leadTimeWorkingHours - after.perDossier.leadTimeWorkingHours,
  };
  const cutProcedures = toBe.graph.procedure.cutProcedures ?? [];
  const changes = elementChanges(asIs, toBe);
  return {
    asIs: summary(before),
    toBe: summary(after),
    savings,
    aims: restructuringAims(before, after, cutProcedures),
    cutProcedures,
    worsenings: worsenings(before, after, changes),
    changes,
  };
}

function summary(cost: ProcedureCost): ModelSummary {
  return { processId: cost.processId, name: cost.name, procedureCode: cost.procedureCode, perDossier: cost.perDossier, perYear: cost.perYear, ...(cost.calibration ? { calibration: cost.calibration } : {}) };
}

function restructuringAims(before: ProcedureCost, after: ProcedureCost, cutProcedures: CutProcedure[]): RestructuringAim[] {
  const aim = (aim: RestructuringAim['aim'], measure: RestructuringAim['measure'], asIs: number, toBe: number): RestructuringAim => ({ aim, measure, asIs, toBe, met: toBe < asIs - 1e-9 });
  return [
    // 17.1.a cuts administrative procedures, not steps: this one and those it cuts, against this one.
    aim('a', 'procedures', 1 + cutProcedures.length, 1),
    aim('b', 'trips', before.perDossier.trips, after.perDossier.trips),
    aim('c', 'documents', before.perDossier.documents, after.perDossier.documents),
    aim('d', 'manualSteps', before.perDossier.manualSteps, after.perDossier.manualSteps),
  ];
}

/** Each step's share of a figure: the lead time by the step's own elapsed hours (a path's sum, before branches overlap). */
function shareOf(side: ElementSide | undefined, measure: WorseningMeasure): number {
  if (!side) return 0;
  switch (measure) {
    case 'leadTimeWorkingHours':
      return side.durationHours;
    case 'timeCostVnd':
    case 'outOfPocketVnd':
    case 'feesVnd':
    case 'totalVnd':
      // The list of changes carries each step's total; its parts move with it.
      return side.totalVnd;
    default:
      return side[measure];
  }
}

function worsenings(before: ProcedureCost, after: ProcedureCost, changes: ElementChange[]): Worsening[] {
  return BURDEN_MEASURES.filter((measure) => after.perDossier[measure] > before.perDossier[measure] + 1e-9).map((measure) => ({
    measure,
    asIs: before.perDossier[measure],
    toBe: after.perDossier[measure],
    causes: changes
      .map((change) => ({ elementId: change.elementId, name: change.name, change: change.change, increase: shareOf(change.toBe, measure) - shareOf(change.asIs, measure) }))
      .filter((cause) => cause.increase > 1e-9)
      .sort((a, b) => b.increase - a.increase)
      .slice(0, 3),
  }));
}

const GATEWAY_KINDS = new Set<FlowNode['kind']>(['exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway', 'complexGateway']);
const COMPARED_ATTRIBUTES = ['applicantHours', 'outOfPocketVnd', 'feeVnd', 'trips', 'officialHours', 'durationHours', 'manual', 'channel', 'payment', 'presence', 'result', 'resultDelivery'] as const;

/**
 * Pairs the elements of the two models by id, then the rest by name (when a name is unique on
 * both sides), and reports each removed, added or changed one with its cost effect. Gateways
 * carry no cost of their own and are left out; so are events with no figures on either side.
 */
function elementChanges(asIs: AnalysedModel, toBe: AnalysedModel): ElementChange[] {
  const before = comparable(asIs);
  const after = comparable(toBe);
  const afterById = new Map(after.map((entry) => [entry.node.id, entry]));
  const pairs: Array<{ before?: Comparable; after?: Comparable; matchedBy?: 'id' | 'name' }> = [];
  const pairedAfter = new Set<string>();
  const unmatchedBefore: Comparable[] = [];
  for (const entry of before) {
    const same = afterById.get(entry.node.id);
    if (same) {
      pairs.push({ before: entry, after: same, matchedBy: 'id' });
      pairedAfter.add(same.node.id);
    } else unmatchedBefore.push(entry);
  }
  const unmatchedAfter = after.filter((entry) => !pairedAfter.has(entry.node.id));
  const afterByName = uniqueByName(unmatchedAfter);
  const beforeByName = uniqueByName(unmatchedBefore);
  for (const entry of unmatchedBefore) {
    const key = nameKey(entry.node);
    const same = key === undefined || beforeByName.get(key) !== entry ? undefined : afterByName.get(key);
    if (same) {
      pairs.push({ before: entry, after: same, matchedBy: 'name' });
      pairedAfter.add(same.node.id);
    } else pairs.push({ before: entry });
  }
  for (const entry of unmatchedAfter) if (!pairedAfter.has(entry.node.id)) pairs.push({ after: entry });

  const dossiersBefore = asIs.cost.perYear.dossiers;
  const dossiersAfter = toBe.cost.perYear.dossiers;
  const changes = pairs.flatMap((pair): ElementChange[] => {
    const differences = pair.before && pair.after ? differencesBetween(pair.before, pair.after) : [];
    if (pair.before && pair.after && differences.length === 0) return [];
    const eventWithoutFigures = (entry: Comparable | undefined) => entry === undefined || (!ACTIVITY_KINDS.has(entry.node.kind) && entry.figures.totalVnd === 0 && entry.figures.trips === 0 && entry.figures.documents === 0 && entry.figures.manualSteps === 0);
    if (!(pair.before && pair.after) && eventWithoutFigures(pair.before) && eventWithoutFigures(pair.after)) return [];
    const costBefore = pair.before?.figures.totalVnd ?? 0;
    const costAfter = pair.after?.figures.totalVnd ?? 0;
    const named = (pair.after ?? pair.before)!;
    return [{
      change: pair.before && pair.after ? 'changed' : pair.before ? 'removed' : 'added',
      ...(pair.matchedBy ? { matchedBy: pair.matchedBy } : {}),
      elementId: named.node.id,
      name: named.node.name,
      ...(pair.before ? { asIs: side(pair.before) } : {}),
      ...(pair.after ? { toBe: side(pair.after) } : {}),
      costEffectVnd: costAfter - costBefore,
      costEffectPerYearVnd: costAfter * dossiersAfter - costBefore * dossiersBefore,
      differences,
    }];
  });
  return changes.sort((a, b) => Math.abs(b.costEffectPerYearVnd) - Math.abs(a.costEffectPerYearVnd));
}

interface Comparable {
  node: FlowNode;
  figures: ElementFigures;
}

function comparable(model: AnalysedModel): Comparable[] {
  return model.cost.elements.filter((figures) => !GATEWAY_KINDS.has(figures.kind)).map((figures) => ({ node: model.graph.nodes.get(figures.elementId)!, figures }));
}

function nameKey(node: FlowNode): string | undefined {
  const key = node.name?.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();
  return key === '' ? undefined : key;
}

/** Name → the one element carrying it; a name two elements share matches nothing. */
function uniqueByName(entries: Comparable[]): Map<string, Comparable> {
  const byName = new Map<string, Comparable | null>();
  for (const entry of entries) {
    const key = nameKey(entry.node);
    if (key !== undefined) byName.set(key, byName.has(key) ? null : entry);
  }
  return new Map([...byName].filter((pair): pair is [string, Comparable] => pair[1] !== null));
}

function differencesBetween(before: Comparable, after: Comparable): string[] {
  const differences: string[] = COMPARED_ATTRIBUTES.filter((attribute) => before.node.qt[attribute] !== after.node.qt[attribute]).map((attribute) => `qt:${attribute}`);
  const documentsOf = (node: FlowNode) => node.qt.documents.map((document) => `${document.name}${document.paper ? ' (paper)' : ''}`).join('\n');
  if (documentsOf(before.node) !== documentsOf(after.node)) differences.push('documents');
  if (before.node.kind !== after.node.kind) differences.push('kind');
  if (nameKey(before.node) !== nameKey(after.node)) differences.push('name');
  if (Math.abs(before.figures.visits - after.figures.visits) > 1e-9) differences.push('visits');
  return differences;
}

function side({ node, figures }: Comparable): ElementSide {
  return {
    elementId: node.id,
    name: node.name,
    visits: figures.visits,
    totalVnd: figures.totalVnd,
    applicantHours: figures.applicantHours,
    trips: figures.trips,
    documents: figures.documents,
    manualSteps: figures.manualSteps,
    peopleSteps: figures.peopleSteps,
    officialHours: figures.officialHours,
    durationHours: figures.durationHours,
  };
}
