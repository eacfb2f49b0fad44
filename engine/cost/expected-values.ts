/**
 * Expected visits of every node and the expected critical path of a scope, solved exactly as
 * linear systems (engine/cost/linear-system.ts) over the scope's transitions.
 *
 * Visits flow forwards: a node is entered as often as its predecessors pass it tokens, weighted
 * by the chance of each flow; a join fires once per run of its block, not once per branch.
 * Remaining time flows backwards: a node's own duration plus the expected remaining time of
 * what follows it; a parallel block lasts as long as its longest branch, an inclusive block as
 * long as the expected longest of the branches taken.
 */
import { describe } from '../bpmn/describe.ts';
import type { ErrorDetail } from '../errors.ts';
import { detail, type Block, type CostScope } from './flow-structure.ts';
import { solveLinearSystem, UnsolvableComponentError, type LinearEquation } from './linear-system.ts';

export interface ScopeValues {
  /** Expected entries of each node per run of the scope. */
  visits: Float64Array;
  /** Expected working hours from a node's entry to the end of its block (or scope). */
  remaining: Float64Array;
  /** Expected working hours of one run of the scope (its critical path). */
  leadTime: number;
  inner: Map<number, ScopeValues>;
}

export function solveScope(scope: CostScope, problems: ErrorDetail[]): ScopeValues {
  const inner = new Map([...scope.inner].map(([position, child]) => [position, solveScope(child, problems)]));
  const visits = solveOrReport(scope, visitEquations(scope), problems);
  const remaining = solveOrReport(scope, remainingTimeEquations(scope, inner), problems);
  const leadTime = scope.entries.filter((entry) => !entry.beside).reduce((sum, entry) => sum + entry.weight * remaining[entry.node]!, 0);
  return { visits, remaining, leadTime, inner };
}

function solveOrReport(scope: CostScope, equations: LinearEquation[], problems: ErrorDetail[]): Float64Array {
  try {
    return solveLinearSystem(equations);
  } catch (error) {
    if (!(error instanceof UnsolvableComponentError)) throw error;
    const loop = [...error.variables].sort((a, b) => a - b).map((position) => scope.nodes[position]!);
    // Name the split whose chances keep the loop going: that is where the analyst must look.
    const first = loop.find((node) => node.outgoing.length > 1) ?? loop[0]!;
    const ids = loop.map((node) => node.id).join(', ');
    const problem =
      error.reason === 'singular'
        ? detail(first.id, `${describe(first)}: vòng lặp qua ${ids} không bao giờ thoát ra (xác suất quay lại bằng 1)`, `${describe(first, 'en')}: the loop through ${ids} is never left (its chance of going round is 1)`)
        : detail(first.id, `${describe(first)}: vòng lặp qua ${ids} đi ra ngoài khối song song chứa nó`, `${describe(first, 'en')}: the loop through ${ids} leaves the parallel block it lies in`);
    // Visits and remaining time fail on the same loop: say it once.
    if (!problems.some((known) => known.elementId === problem.elementId && known.message === problem.message)) problems.push(problem);
    return new Float64Array(scope.nodes.length);
  }
}

/** v(n) = entry(n) + Σ factor × v(predecessor); a join: v(J) = chance the block runs × v(split). */
function visitEquations(scope: CostScope): LinearEquation[] {
  const equations: LinearEquation[] = scope.nodes.map(() => ({ terms: [], constant: 0 }));
  for (const entry of scope.entries) (equations[entry.node]!.constant as number) += entry.weight;
  scope.out.forEach((transitions, source) => {
    for (const { target, factor } of transitions) {
      if (scope.splitOfJoin.has(target)) continue;
      equations[target]!.terms.push({ variable: source, coefficient: factor });
    }
  });
  for (const [join, split] of scope.splitOfJoin) {
    equations[join]!.terms.push({ variable: split, coefficient: blockRunChance(scope.blocks.get(split)!) });
  }
  return equations;
}

/** A parallel block always runs; an inclusive one runs when at least one branch is taken. */
function blockRunChance(block: Block): number {
  if (block.kind === 'parallel' || block.branches.some((branch) => branch.isDefault)) return 1;
  return 1 - block.branches.reduce((none, branch) => none * (1 - branch.probability), 1);
}

/**
 * R(n) = own duration + Σ factor × R(next), where reaching the join of n's own block ends the
 * block (0); a split: own duration + the block's expected longest branch + R(join).
 */
function remainingTimeEquations(scope: CostScope, inner: Map<number, ScopeValues>): LinearEquation[] {
  const ownHours = (position: number) => {
    const node = scope.nodes[position]!;
    const once = (node.qt.durationHours ?? 0) + (inner.get(position)?.leadTime ?? 0);
    // Parallel instances run side by side: the block takes as long as one of them.
    return node.multiInstance && !node.multiInstance.sequential ? once : once * scope.instances[position]!;
  };
  return scope.nodes.map((_, position) => {
    const block = scope.blocks.get(position);
    if (block) {
      const branchTargets = block.branches.map((branch) => branch.target).filter((target) => target !== block.join);
      return {
        terms: block.join >= 0 ? [{ variable: block.join, coefficient: 1 }] : [],
        after: branchTargets,
        constant: (value: (variable: number) => number) => ownHours(position) + longestBranch(block, (target) => (target === block.join ? 0 : value(target))),
      };
    }
    const blockEnd = scope.blocks.get(scope.enclosingSplit[position]!)?.join ?? -1;
    return {
      terms: scope.out[position]!.filter(({ target, beside }) => !beside && target !== blockEnd).map(({ target, factor }) => ({ variable: target, coefficient: factor })),
      constant: ownHours(position),
    };
  });
}

/**
 * Expected duration of a block: the longest branch of a parallel one; for an inclusive one,
 * E[max over the branches taken] with independent chances: sort the branches longest first;
 * branch i decides the duration when it is taken and no longer one is.
 */
function longestBranch(block: Block, branchHours: (target: number) => number): number {
  if (block.kind === 'parallel') return Math.max(0, ...block.branches.map((branch) => branchHours(branch.target)));
  const conditional = block.branches.filter((branch) => !branch.isDefault).map((branch) => ({ hours: branchHours(branch.target), probability: branch.probability })).sort((a, b) => b.hours - a.hours);
  let noneLonger = 1;
  let expected = 0;
  for (const branch of conditional) {
    expected += noneLonger * branch.probability * branch.hours;
    noneLonger *= 1 - branch.probability;
  }
  const fallback = block.branches.find((branch) => branch.isDefault);
  return expected + (fallback ? noneLonger * branchHours(fallback.target) : 0);
}
