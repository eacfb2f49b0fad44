/**
 * Monte Carlo simulation of dossiers through a procedure model: each dossier takes its own
 * branches and goes round loops as chance decides, with a seeded generator (pure-rand's
 * xoroshiro128+) so a run can be repeated to the last digit. It gives what the exact figures
 * cannot: the spread of cost and lead time (p50, p90), and, on the working-time calendar
 * (engine/calendar), how many calendar days a dossier submitted on a given day really takes
 * across weekends and Tết.
 *
 * The mean cost agrees with the exact analysis (cost is linear in the visits). The mean lead
 * time agrees too, except where a parallel block has random branches: the exact critical path
 * takes the longest expected branch, the simulation the expected longest (never less).
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { createWorkingCalendar, workingTimeline, type WorkingCalendar } from '../calendar/index.ts';
import type { ProcessGraph } from '../bpmn/process-graph.ts';
import { QuyTrinhError, type ErrorDetail } from '../errors.ts';
import { buildCostScope, type CostScope, type Transition } from './flow-structure.ts';
import { analyseProcedureCost, isManualStep } from './procedure-cost.ts';

export interface SimulationOptions {
  dossiers: number;
  seed: number;
  /** Submissions spread evenly over the working hours of the year starting here (default 1 Jan of 2025, Vietnam time). */
  submittedFrom?: Date | undefined;
  calendar?: WorkingCalendar | undefined;
  /** Called every `progressEvery` dossiers, for a progress bar on long runs. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface Distribution {
  mean: number;
  p50: number;
  p90: number;
  min: number;
  max: number;
}

export interface SimulationResult {
  dossiers: number;
  seed: number;
  totalVnd: Distribution;
  applicantHours: Distribution;
  trips: Distribution;
  leadTimeWorkingHours: Distribution;
  /** Calendar days from submission to result on the working-time calendar. */
  leadTimeCalendarDays: Distribution;
  /** The exact expected values, for comparison with the means. */
  exact: { totalVnd: number; applicantHours: number; trips: number; leadTimeWorkingHours: number };
}

export const MAX_SIMULATED_DOSSIERS = 1_000_000;
const PROGRESS_EVERY = 10_000;
const DAY_MS = 86_400_000;

/** One dossier's accumulated figures. */
interface Tally {
  applicantHours: number;
  otherVnd: number;
  trips: number;
  documents: number;
  manualSteps: number;
}

/**
 * Refuses a dossier count outside 1 to MAX_SIMULATED_DOSSIERS, stating the cap in both languages and
 * naming `field` (the CLI's option, or the request field the API checks before queueing the run).
 */
export function checkDossierCount(dossiers: number, field = 'dossiers'): void {
  if (!Number.isInteger(dossiers) || dossiers < 1 || dossiers > MAX_SIMULATED_DOSSIERS) {
    throw new QuyTrinhError('invalid-input', 'simulation.dossiers', {
      vi: `Số hồ sơ mô phỏng phải là số nguyên từ 1 đến ${MAX_SIMULATED_DOSSIERS.toLocaleString('vi-VN')}`,
      en: `The number of dossiers to simulate must be an integer from 1 to ${MAX_SIMULATED_DOSSIERS.toLocaleString('en-GB')}`,
    }, [{ field, message: `an integer 1–${MAX_SIMULATED_DOSSIERS}` }]);
  }
}

export function simulateProcedure(graph: ProcessGraph, options: SimulationOptions): SimulationResult {
  checkDossierCount(options.dossiers);
  // The exact analysis validates the model (and is what the means are checked against).
  const exact = analyseProcedureCost(graph);
  const problems: ErrorDetail[] = [];
  const scope = buildCostScope(graph, undefined, graph.topLevel, problems);
  const random = xoroshiro128plus(options.seed);
  const walker = new DossierWalker(scope, () => uniformFloat64(random));

  const count = options.dossiers;
  const costs = new Float64Array(count);
  const hours = new Float64Array(count);
  const trips = new Float64Array(count);
  const leadTimes = new Float64Array(count);
  for (let dossier = 0; dossier < count; dossier++) {
    const tally = walker.dossier();
    costs[dossier] = tally.applicantHours * exact.hourlyIncomeVnd + tally.otherVnd;
    hours[dossier] = tally.applicantHours;
    trips[dossier] = tally.trips;
    leadTimes[dossier] = walker.lastLeadTime;
    if (options.onProgress && (dossier + 1) % PROGRESS_EVERY === 0) options.onProgress(dossier + 1, count);
  }
  const calendarDays = calendarDaysTaken(leadTimes, options.calendar ?? createWorkingCalendar(), options.submittedFrom ?? new Date('2025-01-01T00:00:00+07:00'));
  return {
    dossiers: count,
    seed: options.seed,
    totalVnd: distribution(costs),
    applicantHours: distribution(hours),
    trips: distribution(trips),
    leadTimeWorkingHours: distribution(leadTimes),
    leadTimeCalendarDays: distribution(calendarDays),
    exact: {
      totalVnd: exact.perDossier.totalVnd,
      applicantHours: exact.perDossier.applicantHours,
      trips: exact.perDossier.trips,
      leadTimeWorkingHours: exact.perDossier.leadTimeWorkingHours,
    },
  };
}

/** Walks one dossier at a time through the scopes, drawing every choice from the generator. */
class DossierWalker {
  lastLeadTime = 0;
  private tally: Tally = emptyTally();

  constructor(
    private readonly scope: CostScope,
    private readonly random: () => number,
  ) {}

  dossier(): Tally {
    this.tally = emptyTally();
    this.lastLeadTime = this.runScope(this.scope);
    return this.tally;
  }

  /** One run of a scope: its entry, plus any event sub-process that happens beside it. */
  private runScope(scope: CostScope): number {
    for (const entry of scope.entries) {
      if (entry.beside && this.happens(entry.weight)) this.runFrom(scope, entry.node, -1);
    }
    const main = scope.entries.filter((entry) => !entry.beside);
    const chosen = this.pick(main.map((entry) => ({ target: entry.node, factor: entry.weight })));
    return chosen === undefined ? 0 : this.runFrom(scope, chosen, -1);
  }

  /** Follows the token from `start` until `stop` (a block's join) or an end; returns the working hours it took. */
  private runFrom(scope: CostScope, start: number, stop: number): number {
    let hours = 0;
    let position = start;
    while (position !== stop) {
      hours += this.perform(scope, position);
      const block = scope.blocks.get(position);
      if (block) {
        let longest = 0;
        const taken = block.branches.filter((branch) => !branch.isDefault && this.happens(branch.probability));
        const fallback = block.branches.find((branch) => branch.isDefault);
        const branches = block.kind === 'parallel' ? block.branches : taken.length > 0 || !fallback ? taken : [fallback];
        for (const branch of branches) longest = Math.max(longest, this.runFrom(scope, branch.target, block.join));
        hours += longest;
        if (block.join < 0 || branches.length === 0) return hours;
        position = block.join;
        continue;
      }
      const transitions = scope.out[position]!;
      for (const side of transitions) {
        if (side.beside && this.happens(side.factor)) this.runFrom(scope, side.target, -1);
      }
      const next = this.pick(transitions.filter((transition) => !transition.beside));
      if (next === undefined) return hours;
      position = next;
    }
    return hours;
  }

  /** Adds a node's figures to the dossier; returns the working hours it takes. */
  private perform(scope: CostScope, position: number): number {
    const node = scope.nodes[position]!;
    const instances = this.instanceCount(scope.instances[position]!);
    const { qt } = node;
    const tally = this.tally;
    tally.applicantHours += instances * (qt.applicantHours ?? 0);
    tally.otherVnd += instances * ((qt.outOfPocketVnd ?? 0) + (qt.feeVnd ?? 0));
    tally.trips += instances * (qt.trips ?? 0);
    tally.documents += instances * qt.documents.length;
    if (isManualStep(node)) tally.manualSteps += instances;
    const inner = scope.inner.get(position);
    let longest = 0;
    let total = 0;
    for (let instance = 0; instance < instances; instance++) {
      const once = (qt.durationHours ?? 0) + (inner ? this.runScope(inner) : 0);
      longest = Math.max(longest, once);
      total += once;
    }
    // Parallel instances run side by side; sequential ones (and a plain activity) one after another.
    return node.multiInstance && !node.multiInstance.sequential ? longest : total;
  }

  /** A fractional expected count (2.4 agencies) becomes 2 or 3 with the right mean. */
  private instanceCount(expected: number): number {
    const whole = Math.floor(expected);
    return whole + (this.happens(expected - whole) ? 1 : 0);
  }

  private happens(probability: number): boolean {
    return probability >= 1 || (probability > 0 && this.random() < probability);
  }

  /** Draws one transition in proportion to its factor (they add up to 1 where the model is valid). */
  private pick(transitions: Array<Pick<Transition, 'target' | 'factor'>>): number | undefined {
    if (transitions.length === 0) return undefined;
    if (transitions.length === 1) return transitions[0]!.factor > 0 ? transitions[0]!.target : undefined;
    const total = transitions.reduce((sum, transition) => sum + transition.factor, 0);
    let draw = this.random() * total;
    for (const transition of transitions) {
      draw -= transition.factor;
      if (draw < 0) return transition.target;
    }
    return transitions[transitions.length - 1]!.target;
  }
}

/**
 * Calendar days each dossier takes when submissions are spread evenly over the working hours
 * of a year: every dossier lands in office hours, and the year's weekends and holidays (Tết)
 * weigh as they really do.
 */
function calendarDaysTaken(leadTimes: Float64Array, calendar: WorkingCalendar, from: Date): Float64Array {
  const longest = leadTimes.reduce((max, hours) => Math.max(max, hours), 0);
  const hoursPerDay = Math.max(1, calendar.minutesPerDay / 60);
  // A year of submissions, then room for the longest dossier: working days stretch to at most
  // twice as many calendar days (weekends), plus the longest holiday.
  const timeline = workingTimeline(calendar, from, 365 + Math.ceil((longest / hoursPerDay) * 2) + 30);
  const year = workingTimeline(calendar, from, 365).totalHours;
  return leadTimes.map((hours, dossier) => {
    const submitted = ((dossier + 0.5) / leadTimes.length) * year;
    return (timeline.instantAfter(submitted + hours) - timeline.instantAfter(submitted)) / DAY_MS;
  });
}

function emptyTally(): Tally {
  return { applicantHours: 0, otherVnd: 0, trips: 0, documents: 0, manualSteps: 0 };
}

/** Mean and nearest-rank percentiles of a sample. */
export function distribution(sample: Float64Array): Distribution {
  const sorted = Float64Array.from(sample).sort();
  const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  let sum = 0;
  for (const value of sorted) sum += value;
  return { mean: sum / sorted.length, p50: percentile(0.5), p90: percentile(0.9), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}
