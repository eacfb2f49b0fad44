import { assign, raise, setup } from 'xstate';
import { conditionHolds } from './conditions.ts';
import type { ProcessEvent } from './effects.ts';
import type { StateConfig } from './state-config.ts';

/** What a process instance remembers besides where it is. */
export interface InstanceContext {
  variables: Record<string, unknown>;
  /** The start event the instance was started by (a process may have several). */
  startEventId: string | undefined;
  /** Why the instance failed, when it did. */
  failure: { elementId?: string | undefined; errorCode?: string | undefined; reason: string } | undefined;
}

export interface InstanceInput {
  variables?: Record<string, unknown> | undefined;
  startEventId?: string | undefined;
}

type MachineEvent = ProcessEvent | { type: 'bpmn.error'; code?: string | undefined } | { type: 'qt.boundary'; elementId: string };

export const ROOT_IDS = { running: 'qt:running', end: 'qt:end', completed: 'qt:completed', terminated: 'qt:terminated', failed: 'qt:failed' } as const;

/**
 * Wraps the compiled states of a process into its machine: `running` holds the process, and
 * the instance ends `completed`, `terminated` (a terminate end event) or `failed` (an uncaught
 * BPMN error, or an exclusive gateway with no way out). Guards evaluate FEEL; the only actions
 * XState itself performs are variable merges and BPMN error raising, everything else is an
 * effect handed back to the runtime.
 */
export function processMachine(processId: string, running: Pick<StateConfig, 'type' | 'initial' | 'states'>) {
  return setup({
    // XState's type tokens: the values are never used, only their types.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    types: { context: {} as InstanceContext, events: {} as MachineEvent, input: {} as InstanceInput },
    guards: {
      'qt.element': ({ event }, params: { elementId: string }) => 'elementId' in event && event.elementId === params.elementId,
      'qt.feel': ({ context }, params: { expression: string }) => conditionHolds(params.expression, context.variables),
      'qt.noneOf': ({ context }, params: { expressions: string[] }) => !params.expressions.some((expression) => conditionHolds(expression, context.variables)),
      'qt.errorCode': ({ event }, params: { code?: string }) => event.type === 'bpmn.error' && (params.code === undefined || event.code === params.code),
      'qt.startedBy': ({ context }, params: { elementId: string; fallback: boolean }) =>
        context.startEventId === params.elementId || (params.fallback && context.startEventId === undefined),
    },
    actions: {
      'qt.mergeVariables': assign({
        variables: ({ context, event }) => ('variables' in event && event.variables ? { ...context.variables, ...event.variables } : context.variables),
      }),
      'qt.raiseJobError': raise(({ event }) => ({ type: 'bpmn.error' as const, code: event.type === 'job.error' || event.type === 'call.error' ? event.errorCode : undefined })),
      'qt.raiseError': raise((_, params: { code?: string }) => ({ type: 'bpmn.error' as const, code: params.code })),
      'qt.raiseBoundary': raise((_, params: { elementId: string }) => ({ type: 'qt.boundary' as const, elementId: params.elementId })),
      'qt.fail': assign({ failure: (_, params: { elementId: string; reason: string }) => ({ elementId: params.elementId, reason: params.reason }) }),
    },
  }).createMachine({
    id: processId,
    context: ({ input }) => ({ variables: { ...(input?.variables ?? {}) }, startEventId: input?.startEventId, failure: undefined }),
    initial: 'running',
    states: {
      running: { id: ROOT_IDS.running, ...(running as object), onDone: { target: 'completed' } },
      completed: { id: ROOT_IDS.completed, type: 'final' },
      terminated: { id: ROOT_IDS.terminated, type: 'final' },
      failed: { id: ROOT_IDS.failed, type: 'final' },
    },
    on: {
      // Reached only when no error boundary event caught the error on the way up.
      'bpmn.error': {
        target: `.failed`,
        actions: assign({ failure: ({ event }) => ({ errorCode: 'code' in event ? event.code : undefined, reason: 'uncaught BPMN error' }) }),
      },
    },
  });
}

export type ProcessMachine = ReturnType<typeof processMachine>;
