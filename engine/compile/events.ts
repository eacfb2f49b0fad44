import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, nextTarget, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { addTransition, elementIs, type StateConfig } from './state-config.ts';

/**
 * Events. Start events and boundary events pass straight on (an instance started by a message
 * or a timer is created by the server; the machine starts the same way). A none end event
 * finishes its fragment; a terminate end event ends its whole scope; an error end event raises
 * a BPMN error for the nearest error boundary (uncaught, the instance fails). Intermediate catch
 * events wait for their timer or message.
 */
export function eventState(context: CompileContext, fragment: Fragment, node: FlowNode): StateConfig {
  // Only a state the instance can rest in names its element; passing states (start, end,
  // boundary, throw) are gone by the end of the step.
  const state: StateConfig = { id: stateId(node.id), ...(node.kind === 'intermediateCatchEvent' ? { meta: { elementId: node.id } } : {}) };
  const trigger = node.trigger ?? { kind: 'none' };
  switch (node.kind) {
    case 'startEvent':
    case 'boundaryEvent':
      state.always = [{ target: nextTarget(context, fragment, node) }];
      return state;
    case 'endEvent':
      if (trigger.kind === 'terminate') state.always = [{ target: `#${fragment.terminateId}` }];
      else if (trigger.kind === 'error') state.entry = [{ type: 'qt.raiseError', params: { code: trigger.errorCode, elementId: node.id } }];
      // Every end leads to its fragment's one final state (or, on a side path, back to idle), so
      // that "this flow is done" is one state others can test for.
      else if (trigger.kind === 'none' || trigger.kind === 'message') state.always = [{ target: `#${fragment.loopsBackTo ?? fragment.finalId}` }];
      else unsupportedTrigger(context, node);
      return state;
    case 'intermediateThrowEvent':
      if (trigger.kind !== 'none') unsupportedTrigger(context, node);
      state.always = [{ target: nextTarget(context, fragment, node) }];
      return state;
    case 'intermediateCatchEvent': {
      const next = nextTarget(context, fragment, node);
      armCatchEvent(context, node, state, next);
      return state;
    }
    default:
      throw new Error(`eventState called for ${node.kind}`);
  }
}

/** Arms a catching event (intermediate, or one after an event-based gateway) on `state`, leading to `target`. */
export function armCatchEvent(context: CompileContext, node: FlowNode, state: StateConfig, target: string | undefined): void {
  const trigger = node.trigger;
  if (trigger?.kind === 'timer') {
    (state.entry ??= []).push({ type: 'qt.timer.start', params: { elementId: node.id, timer: trigger.timer, agency: node.lane } });
    (state.exit ??= []).push({ type: 'qt.timer.cancel', params: { elementId: node.id } });
    addTransition(state, 'timer', { guard: elementIs(node.id), target });
  } else if (trigger?.kind === 'message') {
    (state.entry ??= []).push({ type: 'qt.message.subscribe', params: { elementId: node.id, messageName: trigger.messageName, correlationKey: trigger.correlationKey } });
    (state.exit ??= []).push({ type: 'qt.message.unsubscribe', params: { elementId: node.id } });
    addTransition(state, 'message', { guard: elementIs(node.id), target, actions: [{ type: 'qt.mergeVariables' }] });
  } else {
    unsupportedTrigger(context, node);
  }
}

function unsupportedTrigger(context: CompileContext, node: FlowNode): void {
  const kind = node.trigger?.kind === 'unsupported' ? node.trigger.definitionType : (node.trigger?.kind ?? 'none');
  reject(
    context,
    node.id,
    `${describe(node)}: loại sự kiện ${kind} không được hỗ trợ ở vị trí này`,
    `${describe(node, 'en')}: a ${kind} event is not supported here`,
  );
}
