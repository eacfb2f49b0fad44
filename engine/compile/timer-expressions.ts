import { evaluate } from 'feelin';
import type { TimerDefinition } from '../bpmn/process-graph.ts';
import { timerProblem } from '../calendar/index.ts';
import type { Effect } from './effects.ts';
import type { Action } from './state-config.ts';

type TimerParams = Extract<Effect, { type: 'qt.timer.start' }>['params'];

/**
 * What arms a timer on entering a state: the timer itself (the effect), or, for one written as a
 * bpmn-engine expression (`timeDuration="${environment.variables.duration}"`, translated to FEEL by
 * condition-dialects.ts), the machine's `qt.timer.arm`, which evaluates it on the instance's
 * variables first and arms what it gives (machine.ts): the runtime only ever sees a plain timer.
 */
export function armTimer(params: TimerParams): Action {
  return params.timer.kind !== 'workingHours' && params.timer.feel !== undefined ? { type: 'qt.timer.arm', params } : { type: 'qt.timer.start', params };
}

/**
 * The timer an expression gives on these variables (a text read as the ISO 8601 duration, date or
 * cycle it would have held), or undefined when it gives no text, or one that cannot be armed
 * (the machine raises TIMER_EXPRESSION_INVALID there). A timer without an expression is itself.
 */
export function timerOn(timer: TimerDefinition, variables: Record<string, unknown>): TimerDefinition | undefined {
  if (timer.kind === 'workingHours' || timer.feel === undefined) return timer;
  let value: unknown;
  try {
    value = evaluate(timer.feel, variables).value;
  } catch {
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  const armed: TimerDefinition = { kind: timer.kind, expression: value };
  return timerProblem(armed) === undefined ? armed : undefined;
}
