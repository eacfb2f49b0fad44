import type { FlowNode } from '../bpmn/process-graph.ts';
import {
  EXIT,
  describe,
  elementOf,
  escapeId,
  flowTarget,
  nextTarget,
  reject,
  stateId,
  type CompileContext,
  type Fragment,
} from './compile-context.ts';
import { armCatchEvent, isMessageWithoutRef } from './events.ts';
import type { CompiledFragment } from './fragment.ts';
import { reachableBefore } from './structure.ts';
import type { StateConfig, Transition } from './state-config.ts';

type CompileFragment = (context: CompileContext, fragment: Fragment, entries: string[]) => CompiledFragment;

/**
 * The condition of a flow leaving a gateway, checked as FEEL; undefined (with an error) when
 * unreadable. A flow with no condition is taken whenever it is reached (`true`): BPMN 2.0 §8.3.13
 * gates a flow only by a condition it has, and bpmn-engine's SequenceFlow.evaluate answers true
 * for one without (an exclusive gateway tries its flows in document order, the default last).
 * A `conditionExpression` with no body is a condition held outside the model, and refused.
 */
function flowCondition(context: CompileContext, gateway: FlowNode, flowId: string): string | undefined {
  const flow = context.graph.flows.get(flowId)!;
  if (flow.conditionWithoutBody) {
    reject(
      context,
      flow.id,
      `Luồng ${flow.id} ra khỏi cổng ${gateway.id} có conditionExpression rỗng (như js:resource của bpmn-engine): điều kiện nằm ngoài mô hình, do máy chủ cung cấp lúc chạy`,
      `Flow ${flow.id} leaving gateway ${gateway.id} has an empty conditionExpression (like bpmn-engine's js:resource): the condition lies outside the model, supplied by the host at run time`,
    );
    return undefined;
  }
  if (flow.condition === undefined || flow.condition.trim() === '') return context.conditions.add('true');
  const problem = context.conditions.problem(flow.condition);
  if (problem) {
    reject(context, flow.id, `Điều kiện của luồng ${flow.id} không phải biểu thức FEEL hợp lệ: ${problem}`, `The condition of flow ${flow.id} is not valid FEEL: ${problem}`);
    return undefined;
  }
  return context.conditions.add(flow.condition);
}

/** Why an instance fails at a choice with no way out, naming the gateway, or the activity whose conditional flows it stands for. */
function noWayOut(context: CompileContext, node: FlowNode, gateway: string): { elementId: string; reason: string } {
  const elementId = elementOf(context, node.id);
  const what = elementId === node.id ? `the ${gateway}` : 'the activity';
  return { elementId, reason: `no outgoing flow of ${what} has a condition that holds, and it has no default flow` };
}

/** The transition failing the instance at a flow whose bpmn-engine condition fails the peer's run (condition-dialects.ts). */
function failingFlow(context: CompileContext, flowId: string): Transition {
  return { target: '#qt:failed', actions: [{ type: 'qt.fail', params: { elementId: flowId, reason: context.graph.flows.get(flowId)!.failure! } }] };
}

/** Exclusive gateway: the first flow whose condition holds, else the default; with neither the instance fails. */
export function exclusiveState(context: CompileContext, fragment: Fragment, node: FlowNode): StateConfig {
  const state: StateConfig = { id: stateId(node.id) };
  // An activity's single conditional flow (implicit-gateways.ts) is taken only when it holds. An
  // explicit gateway's single flow is still taken whatever its condition: changing that would
  // change definitions already deployed, which are compiled again from their XML.
  const conditionalOnly = context.owners.has(node.id) && node.defaultFlow === undefined;
  // A bpmn-engine condition that fails the run or sets variables is evaluated even on a single flow, as the peer does.
  const evaluated = node.outgoing.some((flowId) => context.graph.flows.get(flowId)!.failure !== undefined || context.graph.flows.get(flowId)!.sets !== undefined);
  if (node.outgoing.length === 0 || (node.outgoing.length === 1 && !conditionalOnly && !evaluated)) {
    state.always = [{ target: nextTarget(context, fragment, node) }];
    return state;
  }
  const others = node.outgoing.filter((flowId) => flowId !== node.defaultFlow);
  // bpmn-engine tries the flows in order until one is taken: a failing condition fails the instance there, and the flows after it are never tried.
  const failing = others.findIndex((flowId) => context.graph.flows.get(flowId)!.failure !== undefined);
  const tried = failing === -1 ? others : others.slice(0, failing);
  const choices: Transition[] = tried.map((flowId) => ({ guard: { type: 'qt.feel', params: { expression: flowCondition(context, node, flowId) ?? 'false' } }, target: flowTarget(context, fragment, flowId) }));
  if (failing !== -1) {
    for (const flowId of others.slice(failing)) flowTarget(context, fragment, flowId);
    state.always = settingVariables(context, tried, [...choices, failingFlow(context, others[failing]!)]);
    if (node.defaultFlow) flowTarget(context, fragment, node.defaultFlow);
    return state;
  }
  const fallback: Transition = node.defaultFlow
    ? { target: flowTarget(context, fragment, node.defaultFlow) }
    : { target: '#qt:failed', actions: [{ type: 'qt.fail', params: noWayOut(context, node, 'exclusive gateway') }] };
  state.always = settingVariables(context, tried, [...choices, fallback]);
  return state;
}

/**
 * The choice's transitions (one per flow tried, then the last resort), each also setting the
 * variables that the conditions evaluated before it is taken set (condition-dialects.ts): the
 * peer evaluates a flow's condition only when no flow before it was taken, and sets them then,
 * taken or not. The guards read the variables as they were; the values are set as the transition is taken.
 */
function settingVariables(context: CompileContext, tried: string[], transitions: Transition[]): Transition[] {
  if (!tried.some((flowId) => context.graph.flows.get(flowId)!.sets !== undefined)) return transitions;
  let values: Record<string, string | number | boolean | null> = {};
  return transitions.map((transition, index) => {
    const flowId = tried[index];
    if (flowId !== undefined) values = { ...values, ...context.graph.flows.get(flowId)!.sets };
    if (Object.keys(values).length === 0) return transition;
    return { ...transition, actions: [{ type: 'qt.setVariables', params: { values } }, ...(transition.actions ?? [])] };
  });
}

/**
 * A parallel or inclusive split opens a block closed by its join, the split's immediate
 * post-dominator: a parallel state with one region per outgoing flow. An inclusive region
 * first checks its flow's condition and finishes at once when it does not hold, so the join
 * (the parallel state's onDone) waits exactly for the branches that were taken. An inclusive
 * split with no default flow where no condition holds fails the instance, as an exclusive one
 * does (BPMN 2.0 §13.3.3: the gateway throws an exception), rather than skipping its whole block. A split whose
 * branches all end in end events has no join: the block ends its fragment.
 */
export function splitState(context: CompileContext, fragment: Fragment, node: FlowNode, compileFragment: CompileFragment): { state: StateConfig; join?: string } {
  const id = stateId(node.id);
  const join = fragment.postDominators.get(node.id) ?? EXIT;
  if (join !== EXIT) {
    const joinNode = context.graph.nodes.get(join)!;
    if (joinNode.kind !== node.kind && !endsEachBranch(joinNode)) {
      reject(
        context,
        node.id,
        `${describe(node)} tách luồng nhưng các nhánh gặp lại nhau ở ${join} (${joinNode.kind}), không phải một cổng cùng loại: mô hình không có cấu trúc khối`,
        `${describe(node, 'en')} splits, but its branches meet again at ${join} (${joinNode.kind}), not a gateway of the same kind: the model is not block-structured`,
      );
    }
    context.closingJoins.add(join);
  }
  for (const flowId of node.outgoing) {
    if (context.graph.flows.get(flowId)!.sets === undefined) continue;
    reject(
      context,
      flowId,
      `Điều kiện của luồng ${flowId} viết cho bpmn-engine gán giá trị cho biến, điều chỉ một lựa chọn loại trừ thực hiện được (nó xét các luồng lần lượt); ${node.id} xét mọi luồng cùng lúc`,
      `The condition of flow ${flowId} written for bpmn-engine sets variables, which only an exclusive choice carries out (it evaluates its flows one after another); ${node.id} evaluates every flow at once`,
    );
  }
  const conditions = node.kind === 'inclusiveGateway' ? node.outgoing.filter((f) => f !== node.defaultFlow).map((f) => flowCondition(context, node, f) ?? 'false') : [];
  const regions: Record<string, StateConfig> = {};
  node.outgoing.forEach((flowId, index) => {
    const flow = context.graph.flows.get(flowId)!;
    const regionId = `${id}/branch:${escapeId(flowId)}`;
    const finalId = `${regionId}/done`;
    const members = flow.target === join ? new Set<string>() : reachableBefore(fragment.scope, flow.target, join);
    // A branch ends at its own final state, even on a side path whose ends otherwise lead back to idle (loopsBackTo): the block's end does that.
    const region: Fragment = { ...fragment, members, stop: join === EXIT ? undefined : join, finalId, loopsBackTo: undefined };
    // A flow straight from split to join is a branch with nothing to do.
    const body = flow.target === join ? { initial: undefined, states: { [finalId]: { id: finalId, type: 'final' } satisfies StateConfig } } : compileFragment(context, region, [flow.target]);
    const states: Record<string, StateConfig> = { ...body.states };
    const firstTarget = body.initial ? `#${stateId(flow.target)}` : `#${finalId}`;
    if (node.kind === 'inclusiveGateway') {
      const taken: Transition =
        flowId === node.defaultFlow
          ? { guard: { type: 'qt.noneOf', params: { expressions: conditions } }, target: firstTarget }
          : { guard: { type: 'qt.feel', params: { expression: conditions[node.outgoing.filter((f) => f !== node.defaultFlow).indexOf(flowId)] } }, target: firstTarget };
      // The first region checks that some branch is taken at all; leaving for the failed state ends every region.
      // bpmn-engine evaluates every flow before taking any: one whose condition fails the run fails the instance before any branch is taken.
      const failing = node.outgoing.find((f) => f !== node.defaultFlow && context.graph.flows.get(f)!.failure !== undefined);
      const noBranch: Transition[] =
        index !== 0
          ? []
          : failing !== undefined
            ? [failingFlow(context, failing)]
            : node.defaultFlow === undefined
              ? [{ guard: { type: 'qt.noneOf', params: { expressions: conditions } }, target: '#qt:failed', actions: [{ type: 'qt.fail', params: noWayOut(context, node, 'inclusive gateway') }] }]
              : [];
      states.choose = { always: [...noBranch, taken, { target: `#${finalId}` }] };
      regions[`branch${index}`] = { initial: 'choose', states };
    } else {
      regions[`branch${index}`] = { initial: body.initial ?? finalId, states };
    }
  });
  // A block nested in another's branch whose paths meet at that block's join (S1 → A → S2 → C, D;
  // S1 → B; C, D, B → J) is done when its branches reach J: the branch of S1 is then done, and J
  // waits for the others as before. Leaving for J from inside would end the enclosing block's
  // other branches (B) before they are.
  const closesHere = join !== EXIT && join !== fragment.stop;
  const after = closesHere ? `#${stateId(join)}` : `#${fragment.finalId}`;
  return { state: { id, type: 'parallel', states: regions, onDone: [{ target: after }] }, ...(closesHere ? { join } : {}) };
}

/**
 * Branches that meet at a plain end event (none, or message, which runs as none) each end there
 * (BPMN 2.0 §13.4.6: each token that arrives is consumed): the end is taken once every branch has
 * reached it, as after a join, which is the same to everything after. A terminate or error end
 * event acts on the first token to arrive, so it does not close a block.
 */
function endsEachBranch(node: FlowNode): boolean {
  return node.kind === 'endEvent' && (node.trigger === undefined || node.trigger.kind === 'none' || node.trigger.kind === 'message' || isMessageWithoutRef(node.trigger));
}

/** A join reached on its own passes straight on; merging parallel paths is only allowed where a block closes. */
export function joinState(context: CompileContext, fragment: Fragment, node: FlowNode): StateConfig {
  if (node.incoming.length > 1 && !context.closingJoins.has(node.id)) {
    reject(
      context,
      node.id,
      `${describe(node)} hợp các luồng song song nhưng không đóng khối do một cổng tách cùng loại mở ra`,
      `${describe(node, 'en')} joins parallel paths but does not close a block opened by a split of the same kind`,
    );
  }
  return { id: stateId(node.id), always: [{ target: nextTarget(context, fragment, node) }] };
}

/** Event-based gateway: waits for whichever of the following events comes first (Decree 45: e.g. an amendment or a deadline). */
export function eventBasedState(context: CompileContext, fragment: Fragment, node: FlowNode): { state: StateConfig; consumed: string[]; follow: string[] } {
  const state: StateConfig = { id: stateId(node.id), meta: { elementId: node.id } };
  const consumed: string[] = [];
  const follow: string[] = [];
  for (const flowId of node.outgoing) {
    const target = context.graph.nodes.get(context.graph.flows.get(flowId)!.target)!;
    if (target.kind !== 'intermediateCatchEvent') {
      reject(context, target.id, `Sau cổng sự kiện ${node.id} phải là sự kiện bắt (hẹn giờ, thông điệp hoặc tín hiệu)`, `After event-based gateway ${node.id} there must be catch events (timer, message or signal)`);
      continue;
    }
    armCatchEvent(context, target, state, nextTarget(context, fragment, target));
    consumed.push(target.id);
    follow.push(...target.outgoing.map((f) => context.graph.flows.get(f)!.target));
  }
  return { state, consumed, follow };
}
