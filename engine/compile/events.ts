import type { EventTrigger, FlowNode } from '../bpmn/process-graph.ts';
import type { Bilingual } from '../errors.ts';
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
      // A message end runs as a none end (the message it would send is the collaboration's
      // message flow, not executed), so one that names no message runs the same way.
      else if (trigger.kind === 'none' || trigger.kind === 'message' || isMessageWithoutRef(trigger)) state.always = [{ target: `#${fragment.loopsBackTo ?? fragment.finalId}` }];
      else unsupportedTrigger(context, node);
      return state;
    case 'intermediateThrowEvent':
      // Throwing a message is not executed, whether or not the event names one.
      if (isMessageWithoutRef(trigger)) unsupportedTrigger(context, { ...node, trigger: { kind: 'message', messageName: '' } });
      else if (trigger.kind !== 'none') unsupportedTrigger(context, node);
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
  const problem = triggerProblem(node.trigger ?? { kind: 'none' });
  reject(context, node.id, `${describe(node)}: sự kiện ${problem.vi}`, `${describe(node, 'en')}: the event ${problem.en}`);
}

/** A message event definition drawn without its message (messageRef): read-process keeps it unsupported. */
export function isMessageWithoutRef(trigger: EventTrigger): boolean {
  return trigger.kind === 'unsupported' && trigger.definitionType === 'bpmn:MessageEventDefinition';
}

/** Why an event's trigger cannot be executed where it is, to follow "the event …". */
export function triggerProblem(trigger: EventTrigger): Bilingual {
  if (trigger.kind !== 'unsupported') return { vi: `loại ${trigger.kind} không được hỗ trợ ở vị trí này`, en: `of kind ${trigger.kind} is not supported here` };
  if (isMessageWithoutRef(trigger)) return { vi: 'không chỉ ra thông điệp nào (messageRef)', en: 'has no message (messageRef)' };
  if (trigger.definitionType === 'bpmn:TimerEventDefinition') return { vi: 'hẹn giờ không có thời điểm hay thời hạn (timeDate, timeDuration, timeCycle)', en: 'has a timer with no time (timeDate, timeDuration, timeCycle)' };
  const kinds = trigger.definitionType.split(' + ').map((type) => type.replace(/^bpmn:/, '').replace(/EventDefinition$/, '').toLowerCase()).join(', ');
  if (trigger.definitionType.includes(' + ')) return { vi: `có nhiều định nghĩa sự kiện (${kinds}): sự kiện nhiều loại chưa được thực thi`, en: `has several event definitions (${kinds}): multiple events are not executed yet` };
  return { vi: `loại ${kinds} chưa được thực thi`, en: `of kind ${kinds} is not executed yet` };
}
