import type { CompensationLog, CompletedActivity } from './machine.ts';

/**
 * What an instance remembers for compensation (BPMN 2.0 §10.7.1), as pure functions of the
 * snapshot's `compensation` field, by scope: the machine's actions (machine.ts) apply them.
 */
type Logs = Record<string, CompensationLog> | undefined;

/** An activity with a compensation handler completed: remembered, last, with the variables its completion set. */
export function recordCompletion(logs: Logs, at: { scope: string; elementId: string }, data: Record<string, unknown> | undefined): Record<string, CompensationLog> {
  const log = logs?.[at.scope] ?? { done: [], queue: [] };
  const completed: CompletedActivity = { elementId: at.elementId, ...(data && Object.keys(data).length > 0 ? { data } : {}) };
  return { ...logs, [at.scope]: { ...log, done: [...log.done, completed] } };
}

/**
 * A compensation throw: the activities it compensates leave the completed list for the queue of
 * handlers to run, the last completed first (§10.7.2, broadcast); with `activityRef`, that
 * activity only (each time it completed, the last first). An activity not completed, or already
 * compensated, is not compensated (again).
 */
export function queueCompensation(logs: Logs, request: { scope: string; activityRef?: string | undefined }): Record<string, CompensationLog> {
  const log = logs?.[request.scope] ?? { done: [], queue: [] };
  const chosen = (completed: CompletedActivity) => request.activityRef === undefined || completed.elementId === request.activityRef;
  const compensated = log.done.filter(chosen).reverse();
  return { ...logs, [request.scope]: { done: log.done.filter((completed) => !chosen(completed)), queue: [...log.queue, ...compensated] } };
}

/** The handler at the head of the scope's queue has completed. */
export function handled(logs: Logs, scope: string): Record<string, CompensationLog> {
  const log = logs?.[scope] ?? { done: [], queue: [] };
  return { ...logs, [scope]: { ...log, queue: log.queue.slice(1) } };
}
