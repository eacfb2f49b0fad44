import { and, stateIn } from 'xstate';
import type { FlowNode } from '../bpmn/process-graph.ts';
import { describe, reject, sideIdleId, stateId, type CompileContext } from './compile-context.ts';
import { armCondition, armSignal, triggerProblem } from './events.ts';
import { addTransition, elementIs, type StateConfig } from './state-config.ts';
import { compensableActivity } from './compensation.ts';
import { cancelBoundary } from './transaction.ts';
import { armTimer } from './timer-expressions.ts';
import { MULTIPLE_BOUNDARY, multipleTriggers } from './multiple-events.ts';

/**
 * Boundary events become transitions on the state of the activity they are attached to: the
 * activity arms their timers and message subscriptions on entry and disarms them on exit, and
 * an interrupting one leaves the activity (XState runs the activity's exit effects: its task
 * is closed, its job cancelled). Error boundary events catch BPMN errors raised inside.
 */
export function attachBoundaryEvents(context: CompileContext, activity: FlowNode, state: StateConfig): void {
  const boundaries = [...(context.boundaryEvents.get(activity.id) ?? [])]
    // An error or escalation boundary naming a code takes precedence over a catch-all one.
    .sort((a, b) => Number(isCatchAll(a)) - Number(isCatchAll(b)));
  for (const boundary of boundaries) {
    const interrupting = boundary.interrupting !== false;
    // Interrupting: leave the activity for the boundary's path. Non-interrupting: stay, and
    // start the boundary's path in its side region (see compileScope). The region runs one path
    // at a time, so the event is taken only while the region is idle: a second message while the
    // first path runs is not applicable (not counted, its variables not merged) rather than
    // consumed with no path started.
    const target = interrupting ? `#${stateId(boundary.id)}` : undefined;
    const guard = interrupting ? elementIs(boundary.id) : and([elementIs(boundary.id), stateIn(`#${sideIdleId(boundary.id)}`)]);
    const startSidePath = interrupting ? [] : [{ type: 'qt.raiseBoundary' as const, params: { elementId: boundary.id } }];
    // A multiple boundary event (BPMN 2.0 §10.4.6) fires on whichever of its triggers occurs
    // first: each is armed as the single event of its kind would be.
    const triggers = boundary.trigger?.kind === 'multiple' ? (multipleTriggers(context, boundary, MULTIPLE_BOUNDARY) ?? []) : [boundary.trigger];
    for (const trigger of triggers) {
      switch (trigger?.kind) {
        case 'timer': {
          const params = { elementId: boundary.id, timer: trigger.timer, agency: activity.lane };
          // A cycle (R3/PT24H) on a non-interrupting event fires round after round while the activity lasts.
          const repeats = !interrupting && trigger.timer.kind === 'cycle';
          (state.entry ??= []).push(...(repeats ? [{ type: 'qt.timer.firstRound' as const, params: { elementId: boundary.id } }] : []), armTimer(params));
          (state.exit ??= []).push({ type: 'qt.timer.cancel', params: { elementId: boundary.id } });
          addTransition(state, 'timer', { guard, target, actions: [...startSidePath, ...(repeats ? [{ type: 'qt.timer.nextRound' as const, params }] : [])] });
          break;
        }
        case 'message':
          (state.entry ??= []).push({ type: 'qt.message.subscribe', params: { elementId: boundary.id, messageName: trigger.messageName, correlationKey: trigger.correlationKey } });
          (state.exit ??= []).push({ type: 'qt.message.unsubscribe', params: { elementId: boundary.id } });
          addTransition(state, 'message', { guard, target, actions: [{ type: 'qt.mergeVariables' }, ...startSidePath] });
          break;
        case 'error':
          if (!interrupting) {
            reject(context, boundary.id, `${describe(boundary)}: sự kiện biên lỗi luôn ngắt hoạt động`, `${describe(boundary, 'en')}: an error boundary event always interrupts`);
            break;
          }
          addTransition(state, 'bpmn.error', { guard: { type: 'qt.errorCode', params: { code: trigger.errorCode } }, target });
          break;
        case 'signal':
          armSignal(state, boundary.id, trigger.signalName, { target, actions: startSidePath }, interrupting ? undefined : stateIn(`#${sideIdleId(boundary.id)}`));
          break;
        case 'conditional':
          // Fires when its condition comes to hold; a non-interrupting one would need to notice
          // each time the condition turns true again, which is not executed yet.
          if (!interrupting) {
            reject(context, boundary.id, `${describe(boundary)}: sự kiện biên điều kiện không ngắt chưa được thực thi`, `${describe(boundary, 'en')}: a non-interrupting conditional boundary event is not executed yet`);
            break;
          }
          armCondition(context, boundary, state, target, trigger);
          break;
        case 'escalation': {
          // Escalations are thrown inside a sub-process; a parallel multi-instance one runs its
          // inside as child instances, and a call activity as another instance, which hand back
          // only their end or failure, so neither can be caught from.
          if (activity.kind !== 'subProcess' || (activity.multiInstance && !activity.multiInstance.sequential)) {
            reject(
              context,
              boundary.id,
              `${describe(boundary)}: sự kiện biên leo thang chỉ bắt được leo thang ném ra trong một tiến trình con nhúng (không phải nhiều thể hiện song song); ${activity.id} không ném leo thang nào tới được nó`,
              `${describe(boundary, 'en')}: an escalation boundary event catches escalations thrown inside an embedded sub-process (not a parallel multi-instance one); none thrown in ${activity.id} can reach it`,
            );
            break;
          }
          const code = { type: 'qt.escalationCode' as const, params: trigger.escalationCode === undefined ? {} : { code: trigger.escalationCode } };
          addTransition(state, 'bpmn.escalation', { guard: interrupting ? code : and([code, stateIn(`#${sideIdleId(boundary.id)}`)]), target, actions: startSidePath });
          break;
        }
        case 'compensate':
          compensableActivity(context, activity, boundary, state);
          break;
        case 'cancel':
          cancelBoundary(context, activity, boundary, state);
          break;
        default:
          // BPMN 2.0 §10.4.6: a boundary event is a catch of some trigger; one drawn without an
          // event definition catches nothing.
          if (trigger === undefined || trigger.kind === 'none') {
            reject(context, boundary.id, `${describe(boundary)}: sự kiện biên không có định nghĩa sự kiện nào, nên không bắt được gì`, `${describe(boundary, 'en')}: the boundary event has no event definition, so it catches nothing`);
            break;
          }
          if (trigger.kind === 'unsupported') {
            const problem = triggerProblem(trigger);
            reject(context, boundary.id, `${describe(boundary)}: sự kiện biên ${problem.vi}`, `${describe(boundary, 'en')}: the boundary event ${problem.en}`);
            break;
          }
          reject(
            context,
            boundary.id,
            `${describe(boundary)}: chỉ hỗ trợ sự kiện biên hẹn giờ, thông điệp, lỗi, tín hiệu, leo thang, điều kiện, bù trừ và hủy`,
            `${describe(boundary, 'en')}: only timer, message, error, signal, escalation, conditional, compensation and cancel boundary events are supported`,
          );
      }
    }
  }
}

function isCatchAll(node: FlowNode): boolean {
  return (node.trigger?.kind === 'error' && node.trigger.errorCode === undefined) || (node.trigger?.kind === 'escalation' && node.trigger.escalationCode === undefined);
}
