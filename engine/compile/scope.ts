import { stateIn } from 'xstate';
import { reject, scopeFragment, sideIdleId, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { compileFragment } from './fragment.ts';
import { elementIs, type StateConfig } from './state-config.ts';
import { EXIT, reachableBefore } from './structure.ts';

/**
 * A scope (the process, or the inside of a sub-process): its main flow, plus one side region
 * per non-interrupting boundary event in it. A side region waits idle; when its boundary event
 * fires (the activity stays), it runs the event's path and returns to idle at its end, ready for
 * the next time: one path at a time, so the event is taken only while its region is idle (see
 * attachBoundaryEvents). The scope is done when its main flow has finished and every side region
 * is idle.
 */
export function compileScope(context: CompileContext, nodeIds: string[], entries: string[], ids: { finalId: string; terminateId: string }): Pick<StateConfig, 'type' | 'initial' | 'states'> {
  const main = scopeFragment(context.graph, nodeIds, ids.finalId, ids.terminateId);
  const body = compileFragment(context, main, entries);
  if (!body.initial) {
    // Several start events: the instance enters through the one it was started by (the first by default).
    body.initial = `${ids.finalId}/start`;
    body.states[body.initial] = {
      always: entries.map((id, index) => ({ guard: { type: 'qt.startedBy', params: { elementId: id, fallback: index === 0 } }, target: `#${stateId(id)}` })),
    };
  }
  const sideEvents = nodeIds.filter((id) => {
    const node = context.graph.nodes.get(id)!;
    return node.kind === 'boundaryEvent' && node.interrupting === false && node.trigger?.kind !== 'error';
  });
  if (sideEvents.length === 0) return { initial: body.initial, states: body.states };

  const regions: Record<string, StateConfig> = { main: { initial: body.initial, states: body.states } };
  for (const boundaryId of sideEvents) {
    if (!context.compiled.has(context.graph.nodes.get(boundaryId)!.attachedTo ?? '')) continue; // its activity is unreachable: reported elsewhere
    const idleId = sideIdleId(boundaryId);
    const side: Fragment = { ...main, members: reachableBefore(main.scope, boundaryId, EXIT), finalId: idleId, loopsBackTo: idleId };
    const path = compileFragment(context, side, [boundaryId]);
    if (!path.initial) {
      reject(context, boundaryId, `Không dịch được đường đi của sự kiện biên ${boundaryId}`, `The path of boundary event ${boundaryId} cannot be compiled`);
      continue;
    }
    regions[`side:${boundaryId}`] = {
      initial: idleId,
      states: {
        [idleId]: {
          id: idleId,
          on: { 'qt.boundary': [{ guard: elementIs(boundaryId), target: `#${stateId(boundaryId)}` }] },
          always: [{ guard: stateIn(`#${ids.finalId}`), target: `#${idleId}/done` }],
        },
        [`${idleId}/done`]: { id: `${idleId}/done`, type: 'final' },
        ...path.states,
      },
    };
  }
  return { type: 'parallel', states: regions };
}
