/**
 * A sparse linear system x = c + A·x solved one strongly connected component at a time.
 *
 * Expected visits and expected lead times over a process are such systems: every node's value
 * is a constant plus a weighted sum of its neighbours' values, and only loops (an amendment
 * loop, a rework cycle) make a node depend on itself. Tarjan's algorithm orders the components
 * so each is solved after everything it reads; an acyclic stretch costs one pass, and each
 * loop a small dense elimination of its own size. Real procedures are long sequences with
 * small loops, so the whole is linear in the model's size; the results are exact up to
 * floating point, not approximations by iteration or sampling.
 */

export interface LinearTerm {
  variable: number;
  coefficient: number;
}

export interface LinearEquation {
  /** x = constant + Σ coefficient × x[variable]. */
  terms: LinearTerm[];
  /**
   * The constant, or a function of variables already solved (those listed in `after`): the
   * critical path takes the longest of a parallel block's branches, known only once they are.
   */
  constant: number | ((value: (variable: number) => number) => number);
  /** Variables the constant reads; they must not lie on a cycle through this one. */
  after?: number[] | undefined;
}

/** A loop that is never left (probability 1 of going round), or a constant that reads its own cycle. */
export class UnsolvableComponentError extends Error {
  constructor(
    readonly variables: number[],
    readonly reason: 'singular' | 'cyclic-constant',
  ) {
    super(`unsolvable component (${reason}): ${variables.join(', ')}`);
  }
}

const SINGULAR = 1e-12;

export function solveLinearSystem(equations: LinearEquation[]): Float64Array {
  const solution = new Float64Array(equations.length);
  const value = (variable: number) => solution[variable]!;
  for (const component of componentsInDependencyOrder(equations)) {
    if (component.length === 1 && !readsItself(equations[component[0]!]!, component[0]!)) {
      const variable = component[0]!;
      const equation = equations[variable]!;
      let sum = constantOf(equation, value);
      for (const term of equation.terms) sum += term.coefficient * solution[term.variable]!;
      solution[variable] = sum;
    } else {
      solveComponent(equations, component, solution);
    }
  }
  return solution;
}

function readsItself(equation: LinearEquation, variable: number): boolean {
  return equation.terms.some((term) => term.variable === variable) || (equation.after?.includes(variable) ?? false);
}

function constantOf(equation: LinearEquation, value: (variable: number) => number): number {
  return typeof equation.constant === 'number' ? equation.constant : equation.constant(value);
}

/** Dense Gaussian elimination with partial pivoting over one component: (I − A_cc)·x_c = c + A_co·x_o. */
function solveComponent(equations: LinearEquation[], component: number[], solution: Float64Array): void {
  const size = component.length;
  const position = new Map(component.map((variable, index) => [variable, index]));
  const matrix = Array.from({ length: size }, () => new Float64Array(size + 1));
  component.forEach((variable, row) => {
    const equation = equations[variable]!;
    if (equation.after?.some((other) => position.has(other))) throw new UnsolvableComponentError(component, 'cyclic-constant');
    const line = matrix[row]!;
    line[row] = 1;
    let rightHandSide = constantOf(equation, (other) => solution[other]!);
    for (const term of equation.terms) {
      const column = position.get(term.variable);
      if (column === undefined) rightHandSide += term.coefficient * solution[term.variable]!;
      else line[column]! -= term.coefficient;
    }
    line[size] = rightHandSide;
  });
  for (let pivotColumn = 0; pivotColumn < size; pivotColumn++) {
    let pivotRow = pivotColumn;
    for (let row = pivotColumn + 1; row < size; row++) {
      if (Math.abs(matrix[row]![pivotColumn]!) > Math.abs(matrix[pivotRow]![pivotColumn]!)) pivotRow = row;
    }
    if (Math.abs(matrix[pivotRow]![pivotColumn]!) < SINGULAR) throw new UnsolvableComponentError(component, 'singular');
    [matrix[pivotColumn], matrix[pivotRow]] = [matrix[pivotRow]!, matrix[pivotColumn]!];
    const pivot = matrix[pivotColumn]!;
    for (let row = 0; row < size; row++) {
      if (row === pivotColumn) continue;
      const line = matrix[row]!;
      const factor = line[pivotColumn]! / pivot[pivotColumn]!;
      if (factor === 0) continue;
      for (let column = pivotColumn; column <= size; column++) line[column]! -= factor * pivot[column]!;
    }
  }
  component.forEach((variable, row) => {
    solution[variable] = matrix[row]![size]! / matrix[row]![row]!;
  });
}

/**
 * Strongly connected components of the "reads" graph, each listed after every component it
 * reads (Tarjan emits them in exactly that order). Iterative, so a 20,000-step sequence does
 * not exhaust the call stack.
 */
function componentsInDependencyOrder(equations: LinearEquation[]): number[][] {
  const count = equations.length;
  const reads = (variable: number): number[] => {
    const equation = equations[variable]!;
    const targets = equation.terms.map((term) => term.variable);
    return equation.after ? targets.concat(equation.after) : targets;
  };
  const index = new Int32Array(count).fill(-1);
  const lowLink = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  let nextIndex = 0;

  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const frames: Array<{ variable: number; neighbours: number[]; next: number }> = [];
    const enter = (variable: number) => {
      index[variable] = lowLink[variable] = nextIndex++;
      stack.push(variable);
      onStack[variable] = 1;
      frames.push({ variable, neighbours: reads(variable), next: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.next < frame.neighbours.length) {
        const neighbour = frame.neighbours[frame.next++]!;
        if (index[neighbour] === -1) enter(neighbour);
        else if (onStack[neighbour]) lowLink[frame.variable] = Math.min(lowLink[frame.variable]!, index[neighbour]!);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) lowLink[parent.variable] = Math.min(lowLink[parent.variable]!, lowLink[frame.variable]!);
      if (lowLink[frame.variable] === index[frame.variable]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== frame.variable);
        components.push(component);
      }
    }
  }
  return components;
}
