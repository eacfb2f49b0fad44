import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowNode, ProcessGraph, SequenceFlow } from '../../../engine/bpmn/process-graph.ts';
import { EXIT, immediatePostDominators, scopeOf, successors, type Scope } from '../../../engine/compile/structure.ts';

/**
 * The reference: post-dominator sets by the textbook iterative data-flow (every node starts
 * post-dominated by all, each set shrinks to the node plus the meet of its successors' sets),
 * the immediate one being the strict post-dominator all the others post-dominate. Cubic, but
 * obviously right; the compiler's near-linear version must agree with it on every graph.
 */
function referencePostDominators(scope: Scope): Map<string, string> {
  const ids = [...scope.nodeIds];
  const next = new Map(ids.map((id) => [id, successors(scope, scope.graph.nodes.get(id)!).filter((s) => scope.nodeIds.has(s))]));
  const all = new Set([...ids, EXIT]);
  const sets = new Map<string, Set<string>>(ids.map((id) => [id, new Set(all)]));
  sets.set(EXIT, new Set([EXIT]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of ids) {
      const outs = next.get(id)!;
      const following = (outs.length === 0 ? [EXIT] : outs).map((s) => sets.get(s)!);
      const meet = new Set([...following[0]!].filter((candidate) => following.every((set) => set.has(candidate))));
      meet.add(id);
      if (meet.size !== sets.get(id)!.size) {
        sets.set(id, meet);
        changed = true;
      }
    }
  }
  const immediate = new Map<string, string>();
  for (const id of ids) {
    const strict = [...sets.get(id)!].filter((candidate) => candidate !== id);
    const closest = strict.find((candidate) => strict.every((other) => other === candidate || sets.get(candidate)!.has(other)));
    immediate.set(id, closest ?? EXIT);
  }
  return immediate;
}

interface GeneratedGraph {
  nodes: number;
  /** [source, target] pairs; a target ≥ nodes lies outside the scope. */
  edges: Array<[number, number]>;
  /** [boundary node, activity node, interrupting]. */
  boundaries: Array<[number, number, boolean]>;
  /** Nodes left out of the scope (a sub-process's inside, say). */
  outside: number[];
}

function graphOf(generated: GeneratedGraph): Scope {
  const name = (index: number) => `n${index}`;
  const nodes = new Map<string, FlowNode>();
  for (let index = 0; index < generated.nodes + 2; index++) {
    nodes.set(name(index), { id: name(index), kind: 'task', bpmnType: 'bpmn:Task', incoming: [], outgoing: [], qt: { documents: [] } });
  }
  const flows = new Map<string, SequenceFlow>();
  generated.edges.forEach(([source, target], index) => {
    const flow: SequenceFlow = { id: `f${index}`, source: name(source), target: name(target) };
    flows.set(flow.id, flow);
    nodes.get(flow.source)!.outgoing.push(flow.id);
    nodes.get(flow.target)!.incoming.push(flow.id);
  });
  for (const [boundary, activity, interrupting] of generated.boundaries) {
    if (boundary === activity) continue;
    Object.assign(nodes.get(name(boundary))!, { attachedTo: name(activity), interrupting });
  }
  const graph: ProcessGraph = { id: 'Process_generated', isExecutable: true, nodes, flows, topLevel: [...nodes.keys()], procedure: {} };
  const outside = new Set(generated.outside.map(name));
  return scopeOf(graph, [...nodes.keys()].slice(0, generated.nodes).filter((id) => !outside.has(id)));
}

/** Arbitrary graphs: loops, self-loops, dead ends, nodes that never reach the end, flows leaving the scope, boundary events. */
const generatedGraph = fc.integer({ min: 1, max: 14 }).chain((nodes) =>
  fc.record({
    nodes: fc.constant(nodes),
    edges: fc.array(fc.tuple(fc.nat(nodes - 1), fc.nat(nodes + 1)), { maxLength: nodes * 3 }),
    boundaries: fc.array(fc.tuple(fc.nat(nodes - 1), fc.nat(nodes - 1), fc.boolean()), { maxLength: 3 }),
    outside: fc.array(fc.nat(nodes - 1), { maxLength: 2 }),
  }),
);

describe('immediate post-dominators', () => {
  it('agree with the iterative set data-flow on arbitrary graphs', () => {
    fc.assert(
      fc.property(generatedGraph, (generated) => {
        const scope = graphOf(generated);
        expect(immediatePostDominators(scope)).toEqual(referencePostDominators(scope));
      }),
      { numRuns: 2000 },
    );
  });

  it('agree with it on block-structured graphs: nested splits and joins, loops back', () => {
    // A random series-parallel graph with back edges, as procedures are drawn.
    const block: fc.Memo<Array<'task' | 'loop' | ['split', Array<Array<unknown>>]>> = fc.memo((depth) =>
      fc.array(
        depth <= 1 ? fc.constantFrom<'task' | 'loop'>('task', 'loop') : fc.oneof(fc.constantFrom<'task' | 'loop'>('task', 'loop'), fc.tuple(fc.constant('split' as const), fc.array(block(depth - 1), { minLength: 1, maxLength: 3 }))),
        { minLength: 1, maxLength: 3 },
      ) as fc.Arbitrary<Array<'task' | 'loop' | ['split', Array<Array<unknown>>]>>,
    );
    fc.assert(
      fc.property(block(3), (shape) => {
        const edges: Array<[number, number]> = [];
        let count = 0;
        const emit = (items: unknown[], from: number): number => {
          let previous = from;
          for (const item of items) {
            if (item === 'task') {
              const node = count++;
              edges.push([previous, node]);
              previous = node;
            } else if (item === 'loop') {
              const merge = count++;
              const decide = count++;
              edges.push([previous, merge], [decide, merge]);
              const body = count++;
              edges.push([merge, body], [body, decide]);
              previous = decide;
            } else {
              const split = count++;
              const join = count++;
              edges.push([previous, split]);
              for (const branch of (item as ['split', unknown[][]])[1]) edges.push([emit(branch, split), join]);
              previous = join;
            }
          }
          return previous;
        };
        const start = count++;
        const last = emit(shape, start);
        edges.push([last, count++]); // the end event
        const scope = graphOf({ nodes: count, edges, boundaries: [], outside: [] });
        expect(immediatePostDominators(scope)).toEqual(referencePostDominators(scope));
      }),
      { numRuns: 300 },
    );
  });

  it('handle a sequence of 80,000 nodes without recursion', () => {
    const nodes = 80_000;
    const edges = Array.from({ length: nodes - 1 }, (_, i): [number, number] => [i, i + 1]);
    const result = immediatePostDominators(graphOf({ nodes, edges, boundaries: [], outside: [] }));
    expect(result.get('n0')).toBe('n1');
    expect(result.get(`n${nodes - 2}`)).toBe(`n${nodes - 1}`);
    expect(result.get(`n${nodes - 1}`)).toBe(EXIT);
  });
});

describe('successors', () => {
  it('lists the flows’ targets, then the interrupting boundary events of the scope, in scope order', () => {
    const scope = graphOf({ nodes: 5, edges: [[0, 1]], boundaries: [[3, 0, true], [2, 0, true], [4, 0, false]], outside: [] });
    expect(successors(scope, scope.graph.nodes.get('n0')!)).toEqual(['n1', 'n2', 'n3']);
  });
});
