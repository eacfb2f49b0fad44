import type { EventTrigger, FlowNode } from '../bpmn/process-graph.ts';
import type { Bilingual } from '../errors.ts';
import { describe, nextTarget, reject, stateId, type CompileContext, type Fragment } from './compile-context.ts';
import { and, type stateIn } from 'xstate';
import { feelCondition } from './model-checks.ts';
import { compensationThrow } from './compensation.ts';
import { cancelEnd } from './transaction.ts';
import { addTransition, elementIs, type StateConfig, type Transition } from './state-config.ts';
import { armTimer } from './timer-expressions.ts';
import { MULTIPLE_CATCH, multipleTriggers } from './multiple-events.ts';

/**
 * Events. Start events and boundary events pass straight on (an instance started by a message
 * or a timer is created by the server; the machine starts the same way). A none end event
 * finishes its fragment; a terminate end event ends its whole scope; an error end event raises
 * a BPMN error for the nearest error boundary (uncaught, the instance fails). Intermediate catch
 * events wait for their timer or message.
 */
export function eventState(context: CompileContext, fragment: Fragment, node: FlowNode): StateConfig {
  const trigger = node.trigger ?? { kind: 'none' };
  // Only a state the instance can rest in names its element; passing states (start, end,
  // boundary, throw, link catch) are gone by the end of the step.
  const rests = (node.kind === 'intermediateCatchEvent' && trigger.kind !== 'link') || timerThrow(node);
  const state: StateConfig = { id: stateId(node.id), ...(rests ? { meta: { elementId: node.id } } : {}) };
  switch (node.kind) {
    case 'startEvent':
    case 'boundaryEvent':
      state.always = [{ target: nextTarget(context, fragment, node) }];
      return state;
    case 'endEvent':
      if (trigger.kind === 'terminate') state.always = [{ target: `#${fragment.terminateId}` }];
      else if (trigger.kind === 'error') state.entry = [{ type: 'qt.raiseError', params: { code: trigger.errorCode, elementId: node.id } }];
      // A compensation end throws, then ends as a none end; a cancel end cancels its transaction.
      else if (trigger.kind === 'compensate') compensationThrow(context, node, state, `#${fragment.loopsBackTo ?? fragment.finalId}`);
      else if (trigger.kind === 'cancel') cancelEnd(context, fragment, node, state);
      // Every end leads to its fragment's one final state (or, on a side path, back to idle), so
      // that "this flow is done" is one state others can test for.
      // A message end runs as a none end: unlike a message throw or send task (messageThrowState),
      // it does not publish its message, since publishing would change what deployed models do
      // (docs/bpmn-coverage.md, a compiler version with the old path kept is not done yet); one
      // that names no message runs the same way. A signal or escalation end throws it, then ends
      // as a none end does.
      else if (trigger.kind === 'none' || trigger.kind === 'message' || isMessageWithoutRef(trigger) || throws(state, node, trigger)) state.always = [{ target: `#${fragment.loopsBackTo ?? fragment.finalId}` }];
      else unsupportedTrigger(context, node);
      return state;
    case 'intermediateThrowEvent':
      // A message throw sends its message: as a job of its qt:jobType (or Zeebe's taskDefinition,
      // read-process.ts), as a send task does, or else published by the platform itself.
      // A link throw's flow to its catch was added by link-events.ts.
      if (trigger.kind === 'message' || isMessageWithoutRef(trigger)) return messageThrowState(context, fragment, node);
      if (timerThrow(node)) {
        armCatchEvent(context, node, state, nextTarget(context, fragment, node));
        return state;
      }
      if (trigger.kind === 'compensate') {
        compensationThrow(context, node, state, nextTarget(context, fragment, node));
        return state;
      }
      if (!(trigger.kind === 'none' || trigger.kind === 'link' || throws(state, node, trigger))) unsupportedTrigger(context, node);
      state.always = [{ target: nextTarget(context, fragment, node) }];
      return state;
    case 'intermediateCatchEvent': {
      const next = nextTarget(context, fragment, node);
      // A link catch continues the flow of its link throw at once.
      if (trigger.kind === 'link') state.always = [{ target: next }];
      else armCatchEvent(context, node, state, next);
      return state;
    }
    default:
      throw new Error(`eventState called for ${node.kind}`);
  }
}

/**
 * An intermediate message throw event. With a qt:jobType, a job of that type sends the message
 * (the same job a send task starts: `job.complete` goes on, `job.error` raises a BPMN error), for
 * a system outside the platform. Without one, the platform publishes the message itself, as
 * `POST /api/messages` does: to the instances waiting for a message of its name (and its
 * qt:correlationKey's value, if the throw declares one) and to the processes starting on it
 * (BPMN 2.0 §10.4.4, §10.4.5: the throw sends its message to a participant; §9.3 message flow: here
 * every deployed process is a participant, the message's name its address). A throw does not
 * wait (§10.4.4), so the instance passes on in the same step and the message goes out after the
 * step is stored (server: a MESSAGE_JOB). A throw naming no message (no messageRef) has nothing to
 * send and is refused, naming the event.
 */
function messageThrowState(context: CompileContext, fragment: Fragment, node: FlowNode): StateConfig {
  const jobType = node.qt.jobType;
  const trigger = node.trigger;
  if (!jobType && trigger?.kind === 'message') {
    return {
      id: stateId(node.id),
      entry: [{ type: 'qt.message.publish', params: { elementId: node.id, messageName: trigger.messageName, correlationKey: trigger.correlationKey } }],
      always: [{ target: nextTarget(context, fragment, node) }],
    };
  }
  const state: StateConfig = { id: stateId(node.id), meta: { elementId: node.id } };
  if (!jobType) {
    reject(
      context,
      node.id,
      `${describe(node)} ném một thông điệp nhưng không chỉ ra thông điệp nào (messageRef) và thiếu qt:jobType (công việc gửi thông điệp; cũng đọc được từ zeebe:taskDefinition type)`,
      `${describe(node, 'en')} throws a message but names no message (messageRef) and has no qt:jobType (the job that sends it; also read from zeebe:taskDefinition type)`,
    );
  }
  state.entry = [{ type: 'qt.job.start', params: { elementId: node.id, jobType: jobType ?? '' } }];
  state.exit = [{ type: 'qt.job.cancel', params: { elementId: node.id } }];
  addTransition(state, 'job.complete', { guard: elementIs(node.id), target: nextTarget(context, fragment, node), actions: [{ type: 'qt.mergeVariables' }] });
  addTransition(state, 'job.error', { guard: elementIs(node.id), actions: [{ type: 'qt.raiseJobError' }] });
  return state;
}

/**
 * A signal or escalation throw (intermediate or end event): on entering its state, the signal is
 * broadcast to every event of the instance waiting for it (BPMN 2.0 §10.4.5), the escalation
 * raised for the nearest enclosing escalation boundary or event sub-process (uncaught, it has no
 * effect: unlike an error, BPMN 2.0 lets the process go on). False for any other trigger.
 */
function throws(state: StateConfig, node: FlowNode, trigger: EventTrigger): boolean {
  if (trigger.kind === 'signal') {
    const params = { signalName: trigger.signalName, elementId: node.id };
    state.entry = [{ type: 'qt.signal.throw', params }, { type: 'qt.signal.broadcast', params }];
  }
  else if (trigger.kind === 'escalation') state.entry = [{ type: 'qt.raiseEscalation', params: { code: trigger.escalationCode, elementId: node.id } }];
  else return false;
  return true;
}

/**
 * Arms a catching event (intermediate, or one after an event-based gateway) on `state`, leading to
 * `target`; a multiple one arms each of its triggers, the first to occur leaving the state (which
 * disarms the others).
 */
export function armCatchEvent(context: CompileContext, node: FlowNode, state: StateConfig, target: string | undefined, trigger = node.trigger): void {
  if (trigger?.kind === 'multiple') {
    for (const each of multipleTriggers(context, node, MULTIPLE_CATCH) ?? []) armCatchEvent(context, node, state, target, each);
  } else if (trigger?.kind === 'timer') {
    (state.entry ??= []).push(armTimer({ elementId: node.id, timer: trigger.timer, agency: node.lane }));
    (state.exit ??= []).push({ type: 'qt.timer.cancel', params: { elementId: node.id } });
    addTransition(state, 'timer', { guard: elementIs(node.id), target });
  } else if (trigger?.kind === 'message') {
    (state.entry ??= []).push({ type: 'qt.message.subscribe', params: { elementId: node.id, messageName: trigger.messageName, correlationKey: trigger.correlationKey } });
    (state.exit ??= []).push({ type: 'qt.message.unsubscribe', params: { elementId: node.id } });
    addTransition(state, 'message', { guard: elementIs(node.id), target, actions: [{ type: 'qt.mergeVariables' }] });
  } else if (trigger?.kind === 'signal') {
    armSignal(state, node.id, trigger.signalName, { target });
  } else if (trigger?.kind === 'conditional') {
    armCondition(context, node, state, target, trigger);
  } else {
    unsupportedTrigger(context, node);
  }
}

/**
 * Arms a signal catch on `state`: it takes a signal of its name thrown in this instance after
 * the state was entered (a signal is broadcast, never kept for later; BPMN 2.0 §10.4.5), or one
 * from outside (`signal`, another instance's or `POST /api/signals`), for which it subscribes
 * while the state lasts; a signal from outside brings its variables.
 */
export function armSignal(state: StateConfig, elementId: string, signalName: string, transition: Omit<Transition, 'guard'>, guard?: ReturnType<typeof stateIn>): void {
  (state.entry ??= []).push({ type: 'qt.signal.arm', params: { elementId } }, { type: 'qt.signal.subscribe', params: { elementId, signalName } });
  (state.exit ??= []).push({ type: 'qt.signal.unsubscribe', params: { elementId } });
  const signal = { type: 'qt.signal' as const, params: { elementId, signalName } };
  const guarded = guard ? and([signal, guard]) : signal;
  addTransition(state, 'bpmn.signal', { ...transition, guard: guarded });
  addTransition(state, 'signal', { ...transition, guard: guarded, actions: [{ type: 'qt.mergeVariables' }, ...(transition.actions ?? [])] });
}

/**
 * Arms a conditional event on `state`: it occurs as soon as its FEEL condition holds, on entering
 * the state (BPMN 2.0 §10.4.5: a condition already true when the event is reached triggers it)
 * and again after every step that may have changed the variables (XState re-evaluates eventless
 * transitions after each event), so it fires when the variables it reads change to make it true.
 */
export function armCondition(context: CompileContext, node: FlowNode, state: StateConfig, target: string | undefined, trigger = node.trigger): void {
  if (trigger?.kind !== 'conditional') return;
  const expression = feelCondition(context, node.id, { vi: `Điều kiện của sự kiện ${node.id}`, en: `The condition of event ${node.id}` }, trigger.condition, trigger.conditionLanguage);
  if (expression !== undefined) (state.always ??= []).push({ guard: { type: 'qt.feel', params: { expression } }, target });
}

/**
 * An intermediate throw event drawn with a timer. BPMN 2.0 §10.4.4 (Table 10.90) has a timer only
 * as a catch, a delay; no tool throws a time. The XML schema lets a throw event hold one, and
 * bpmn-engine waits there for it as at a timer catch (timers-feature.js "an intermediate throw event
 * time duration repeat timer expression", activity-status-feature.js: the run waits on it). The
 * reading we chose: the drawing's direction is a slip, the timer is the delay it names.
 */
function timerThrow(node: FlowNode): boolean {
  return node.kind === 'intermediateThrowEvent' && node.trigger?.kind === 'timer';
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
  if (trigger.kind === 'multiple') return triggerProblem({ kind: 'unsupported', definitionType: trigger.triggers.map(definitionType).join(' + ') });
  if (trigger.kind !== 'unsupported') return { vi: `loại ${trigger.kind} không được hỗ trợ ở vị trí này`, en: `of kind ${trigger.kind} is not supported here` };
  if (isMessageWithoutRef(trigger)) return { vi: 'không chỉ ra thông điệp nào (messageRef)', en: 'has no message (messageRef)' };
  if (trigger.definitionType === 'bpmn:SignalEventDefinition') return { vi: 'không chỉ ra tín hiệu nào (signalRef)', en: 'has no signal (signalRef)' };
  if (trigger.definitionType === 'bpmn:ConditionalEventDefinition') return { vi: 'có điều kiện rỗng (condition)', en: 'has no condition' };
  if (trigger.definitionType === 'bpmn:LinkEventDefinition') return { vi: 'liên kết không có tên (name)', en: 'is a link with no name' };
  if (trigger.definitionType === 'bpmn:TimerEventDefinition') return { vi: 'hẹn giờ không có thời điểm hay thời hạn (timeDate, timeDuration, timeCycle)', en: 'has a timer with no time (timeDate, timeDuration, timeCycle)' };
  const kinds = trigger.definitionType.split(' + ').map((type) => type.replace(/^bpmn:/, '').replace(/EventDefinition$/, '').toLowerCase()).join(', ');
  if (trigger.definitionType.includes(' + ')) return { vi: `có nhiều định nghĩa sự kiện (${kinds}): sự kiện nhiều loại chưa được thực thi`, en: `has several event definitions (${kinds}): multiple events are not executed yet` };
  return { vi: `loại ${kinds} chưa được thực thi`, en: `of kind ${kinds} is not executed yet` };
}

/** The BPMN type of the event definition a trigger was read from, for naming it. */
function definitionType(trigger: EventTrigger): string {
  if (trigger.kind === 'unsupported') return trigger.definitionType;
  const kind = trigger.kind === 'compensate' ? 'Compensate' : trigger.kind.charAt(0).toUpperCase() + trigger.kind.slice(1);
  return `bpmn:${kind}EventDefinition`;
}
