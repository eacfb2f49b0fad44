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
 * transaction that has a cancel boundary event (§10.4.3: it triggers that event), or that is left
 * the same way however it ends (endsWhenCancelled), on the transaction's flow (not on the
 * path of a non-interrupting boundary event, which runs beside it).
 */
export function cancelEnd(context: CompileContext, fragment: Fragment, node: FlowNode, state: StateConfig): void {
  const transaction = node.parentId === undefined ? undefined : context.graph.nodes.get(node.parentId);
  if (!transaction?.transaction) {
    reject(context, node.id, `${describe(node)}: sự kiện kết thúc hủy chỉ dùng được bên trong một giao dịch (transaction)`, `${describe(node, 'en')}: a cancel end event may only be used inside a transaction`);
    return;
  }
  if (!hasCancelBoundary(context, transaction) && !endsWhenCancelled(transaction)) {
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

function hasCancelBoundary(context: CompileContext, transaction: FlowNode): boolean {
  return (context.boundaryEvents.get(transaction.id) ?? []).some((boundary) => boundary.trigger?.kind === 'cancel');
}

/**
 * A transaction without a cancel boundary event that can still be cancelled: one that runs once
 * (neither multi-instance nor looping) and has no outgoing sequence flow. BPMN 2.0 says where a
 * cancelled transaction goes only through its cancel boundary event (§10.3.2, §10.4.3); without
 * one it is silent. bpmn-elements then discards the transaction once its compensation is done:
 * its outgoing flows are not taken (transaction-feature.js "a transaction without cancel listener",
 * Transaction-test.js "compensation completes when transaction is cancelled by cancel event
 * definition"). With no outgoing flow, not taking them and taking them are the same: the path
 * ends at the transaction either way, which is the reading we chose; one with outgoing flows would
 * need a path that stops without reaching an end event, and stays refused.
 */
function endsWhenCancelled(transaction: FlowNode): boolean {
  return transaction.outgoing.length === 0 && !transaction.multiInstance && !transaction.loop;
}

/**
 * On a transaction with no cancel boundary event (endsWhenCancelled): once cancelled and
 * compensated, everything inside is left and its path ends, as after its completion.
 */
export function leaveWhenCancelled(context: CompileContext, transaction: FlowNode, state: StateConfig, target: string | undefined): void {
  const cancelled = (transaction.children ?? []).some((id) => context.graph.nodes.get(id)!.trigger?.kind === 'cancel');
  if (!transaction.transaction || !cancelled || hasCancelBoundary(context, transaction) || !endsWhenCancelled(transaction)) return;
  addTransition(state, 'bpmn.cancel', { guard: elementIs(transaction.id), target });
}
