import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { compensationScope } from './compensation.ts';
import { addTransition, elementIs, type StateConfig } from './state-config.ts';

/**
 * Transactions (BPMN 2.0 §10.3.2): a sub-process (read as one, with `transaction`) whose cancel
 * end event cancels it: everything still running inside is left, the activities completed inside
 * are compensated (every handler, the last completed first, waited for: compensation.ts), and the
 * transaction is left through its cancel boundary event. A transaction without a cancel end event
 * runs as an embedded sub-process. The transaction protocol's hazards (an error boundary event)
 * are caught as on any sub-process; no distributed transaction is coordinated.
 */

/** XState id of the state a transaction's cancel end events lead to (in the main region of its inside). */
function cancelId(transactionId: string): string {
  return `${stateId(transactionId)}/cancel`;
}

/**
 * A cancel end event: it leads to its transaction's cancel state. It must lie directly in a
 * transaction that has a cancel boundary event (§10.4.3: it triggers that event; without one a
 * cancelled transaction has no way out), on the transaction's flow (not on the
 * path of a non-interrupting boundary event, which runs beside it).
 */
export function cancelEnd(context: CompileContext, fragment: Fragment, node: FlowNode, state: StateConfig): void {
  const transaction = node.parentId === undefined ? undefined : context.graph.nodes.get(node.parentId);
  if (!transaction?.transaction) {
    reject(context, node.id, `${describe(node)}: sự kiện kết thúc hủy chỉ dùng được bên trong một giao dịch (transaction)`, `${describe(node, 'en')}: a cancel end event may only be used inside a transaction`);
    return;
  }
  if (!(context.boundaryEvents.get(transaction.id) ?? []).some((boundary) => boundary.trigger?.kind === 'cancel')) {
    reject(context, node.id, `${describe(node)}: giao dịch ${transaction.id} không có sự kiện biên hủy để rời đi khi bị hủy`, `${describe(node, 'en')}: transaction ${transaction.id} has no cancel boundary event to leave through when cancelled`);
    return;
  }
  if (fragment.loopsBackTo !== undefined) {
    reject(context, node.id, `${describe(node)}: hủy giao dịch từ đường đi của một sự kiện biên không ngắt chưa được thực thi`, `${describe(node, 'en')}: cancelling a transaction from the path of a non-interrupting boundary event is not executed yet`);
    return;
  }
  state.always = [{ target: `#${cancelId(transaction.id)}` }];
}

/**
 * The states of a transaction's inside that cancel it (none for another scope, or a transaction
 * without cancel end events): compensating every activity completed inside, then raising the
 * cancellation its cancel boundary event takes.
 */
export function cancelStates(context: CompileContext, nodeIds: string[]): Record<string, StateConfig> {
  const first = nodeIds[0] === undefined ? undefined : context.graph.nodes.get(nodeIds[0]);
  const transaction = first?.parentId === undefined ? undefined : context.graph.nodes.get(first.parentId);
  if (!transaction?.transaction || !nodeIds.some((id) => context.graph.nodes.get(id)!.trigger?.kind === 'cancel')) return {};
  const scope = compensationScope(context, first!);
  const id = cancelId(transaction.id);
  return {
    [id]: {
      id,
      entry: [{ type: 'qt.compensation.throw', params: { scope } }],
      always: [{ guard: { type: 'qt.compensation.idle', params: { scope } }, target: `#${id}/cancelled` }],
    },
    [`${id}/cancelled`]: { id: `${id}/cancelled`, entry: [{ type: 'qt.raiseCancel', params: { elementId: transaction.id } }] },
  };
}

/** A cancel boundary event: it leaves its transaction once the transaction has been cancelled and compensated. */
export function cancelBoundary(context: CompileContext, activity: FlowNode, boundary: FlowNode, state: StateConfig): void {
  if (!activity.transaction || boundary.interrupting === false || activity.multiInstance) {
    reject(
      context,
      boundary.id,
      `${describe(boundary)}: sự kiện biên hủy chỉ gắn được (loại ngắt) vào một giao dịch (transaction) không nhiều thể hiện`,
      `${describe(boundary, 'en')}: a cancel boundary event may only be attached (interrupting) to a transaction that is not multi-instance`,
    );
    return;
  }
  addTransition(state, 'bpmn.cancel', { guard: elementIs(activity.id), target: `#${stateId(boundary.id)}` });
}
