import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, nextTarget, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { compileScope } from './scope.ts';
import type { StateConfig } from './state-config.ts';
import { leaveWhenCancelled } from './transaction.ts';

/**
 * An embedded sub-process is a compound state: its inside is a scope of its own, entered at its
 * single none start event; it is done when its inside reaches an end event. Boundary events on
 * it leave the whole inside, closing every task and job in it.
 */
export function subProcessState(context: CompileContext, fragment: Fragment, node: FlowNode): StateConfig {
  const id = stateId(node.id);
  const inside = subProcessInside(context, node, id);
  if (!inside) return { id };
  const state: StateConfig = { id, meta: { elementId: node.id }, ...inside, onDone: [{ target: nextTarget(context, fragment, node) }] };
  leaveWhenCancelled(context, node, state, nextTarget(context, fragment, node));
  return state;
}

/**
 * The inside of a sub-process as the states of `ownerId`, entered at its single none start event,
 * or, without a start event, at every node without incoming flows (BPMN 2.0 §10.5.2, see
 * implicit-gateways.ts); undefined (and reported) with several start events or nowhere to start.
 */
export function subProcessInside(context: CompileContext, node: FlowNode, ownerId: string): Pick<StateConfig, 'type' | 'initial' | 'states'> | undefined {
  const children = node.children ?? [];
  const starts = children.filter((child) => context.graph.nodes.get(child)!.kind === 'startEvent');
  const enteredAt = starts.length > 0 ? starts : [...(context.entries.get(node.id) ?? [])];
  if (starts.length > 1) {
    reject(context, node.id, `${describe(node)} cần đúng một sự kiện bắt đầu bên trong (có ${starts.length})`, `${describe(node, 'en')} needs exactly one start event inside (it has ${starts.length})`);
    return undefined;
  }
  if (enteredAt.length !== 1) {
    reject(context, node.id, `${describe(node)} không có sự kiện bắt đầu bên trong, và mọi phần tử bên trong đều có luồng vào: không có chỗ nào để bắt đầu`, `${describe(node, 'en')} has no start event inside, and every element inside has an incoming flow: there is nowhere to start`);
    return undefined;
  }
  const doneId = `${ownerId}/done`;
  return compileScope(context, children, enteredAt, { finalId: doneId, terminateId: doneId });
}
