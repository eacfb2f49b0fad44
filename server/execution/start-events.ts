import { agencyCalendars } from './agency-calendars.ts';
import { timerDueAt, timerRounds } from '../../engine/calendar/index.ts';
import { ANONYMOUS_SIGNAL } from '../../engine/bpmn/process-graph.ts';
import { compileCondition, normalizeExpression } from '../../engine/compile/conditions.ts';
import type { CompiledProcess } from '../../engine/compile/index.ts';
import type { Database } from '../db/connect.ts';
import { runInPool } from '../workers/compile-pool.ts';
import { triggeredStart, type TriggeredStart } from '../workers/compile-tasks.ts';
import { compiledDefinition, compiledDefinitions, definitionRow, latestDefinition, storedProcess } from './definitions.ts';
import { startProcessInstance } from './instances.ts';
import type { TimerStartPayload } from './job-kinds.ts';
import { addTimerStartJob } from './timer-starts.ts';

/**
 * Instances that start themselves: a timer start event is armed when its version is deployed
 * (replacing the previous version's), a message or signal start event starts one on a matching
 * message or signal. The id of the timer job, message or signal is the id of the instance's
 * start, which is unique: a job re-run after a crash, or a redelivered message, starts nothing
 * twice. Timer starts are armed at deployment by timer-starts.ts.
 */
/**
 * After a cycle (`R3/P1W`: every week, three times) has started its instance, arms its next
 * round, if the latest version of the process still starts that way and rounds are left. Run
 * again after a crash it arms the same next round (the job key is the same).
 */
export async function armNextTimerStartRound(db: Database, payload: TimerStartPayload, now: Date): Promise<void> {
  const compiled = await compiledDefinition((await latestDefinition(db, payload.key)).id, db);
  const start = compiled.graph.nodes.get(payload.startEventId);
  const trigger = start?.trigger;
  if (!start || trigger?.kind !== 'timer' || trigger.timer.kind !== 'cycle') return;
  const round = payload.round ?? 1;
  const rounds = timerRounds(trigger.timer);
  if (rounds !== undefined && round >= rounds) return;
  const calendars = await agencyCalendars(db);
  await addTimerStartJob(db, { ...payload, round: round + 1 }, timerDueAt(calendars.calendarFor(start.lane), now, trigger.timer));
}

/** Starts an instance through a given start event, once per trigger id. */
export async function startOnce(db: Database, key: string, startEventId: string, triggerId: string, variables?: Record<string, unknown>): Promise<boolean> {
  try {
    await startProcessInstance(db, key, { variables, startEventId }, { eventId: triggerId });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return false; // this trigger already started its instance
    throw error;
  }
}

/** What starts processes: a message or signal of a name, or data for conditional starts. */
export interface StartTrigger {
  kind: TriggeredStart['kind'];
  /** Text the model of a process it starts contains (its name; for conditions, the element's). */
  mentioned: string;
  /** Whether it starts this start event of its kind. */
  starts: (start: TriggeredStart) => boolean;
  /** The message's, signal's or evaluation's id. */
  triggerId: string;
  variables?: Record<string, unknown> | undefined;
}

/**
 * A message or signal of this name. The anonymous signal (of signal events without signalRef) is
 * written nowhere in a model: the models that may start on it are those with a signal event definition.
 */
export function namedTrigger(kind: 'message' | 'signal', name: string, triggerId: string, variables: Record<string, unknown> | undefined): StartTrigger {
  const mentioned = kind === 'signal' && name === ANONYMOUS_SIGNAL ? 'signalEventDefinition' : name;
  return { kind, mentioned, starts: (start) => start.name === name, triggerId, variables };
}

/**
 * Starts the latest version of every process with a start event the trigger starts, once per
 * trigger: the trigger id (a message's or signal's) also names the process and start event,
 * since procedures drawn in bpmn-js all call their start event StartEvent_1 and one message must
 * start each of them. Returns how many instances it started (none for a trigger seen before).
 */
export async function startTriggered(db: Database, trigger: StartTrigger): Promise<number> {
  let started = 0;
  for (const definition of await latestMentioning(db, trigger.mentioned)) {
    for (const start of await triggeredStartsOf(db, definition.id)) {
      if (start.kind !== trigger.kind || !trigger.starts(start)) continue;
      if (await startOnce(db, definition.key, start.startEventId, `${trigger.triggerId}:${definition.key}:${start.startEventId}`, trigger.variables)) started++;
    }
  }
  return started;
}

/**
 * Conditional start events (BPMN 2.0 §10.5.2: the process starts when its condition over data
 * becomes true). No instance holds the data before the process starts, so the data is sent:
 * `POST /api/conditions/evaluate` evaluates the condition (FEEL) of every conditional start of
 * the latest versions over the variables sent and starts, with them, each process whose
 * condition holds (as Camunda 7's evaluateStartConditions). An evaluation id makes a resend
 * start nothing again.
 */
export function startByConditions(db: Database, variables: Record<string, unknown>, evaluationId: string): Promise<number> {
  return startTriggered(db, {
    kind: 'conditional',
    mentioned: 'conditionalEventDefinition',
    starts: (start) => compileCondition(normalizeExpression(start.name))(variables),
    triggerId: `condition:${evaluationId}`,
    variables,
  });
}

/**
 * The latest versions that may start on a message or signal of this name (or a condition): those
 * whose XML contains the name as written. A name with a character XML escapes (`&`, `<`, quotes), or a
 * model writing characters as references (`&#...;`), may be spelt otherwise (so may a line break,
 * which XML readers may normalise), so such models stay candidates.
 */
function latestMentioning(db: Database, name: string): Promise<Array<{ id: string; key: string }>> {
  const latest = db('process_definitions').distinctOn('key').orderBy([{ column: 'key' }, { column: 'version', order: 'desc' }]);
  if (/[&<>"'\r\n]/.test(name)) return latest.select('id', 'key');
  // Filtered in PostgreSQL: no model is sent over to be looked at.
  return db.select('id', 'key').from(latest.select('id', 'key', 'xml').as('latest')).whereRaw("strpos(xml, ?) > 0 or strpos(xml, '&#') > 0", [name]).orderBy('key');
}

/**
 * The message, signal and conditional start events of a definition, read from its compiled machine when it is
 * in memory, else from its model in the compile pool (read, not compiled: a model that only
 * mentions the name, in a catch event say, is not compiled for it). A stored definition never
 * changes, so the answer is remembered: a few strings per definition.
 */
async function triggeredStartsOf(db: Database, definitionId: string): Promise<TriggeredStart[]> {
  let starts = triggeredStartsById.get(definitionId);
  if (!starts) {
    const compiled = compiledDefinitions.get(definitionId);
    starts = compiled ? triggeredStartsOfCompiled(await compiled) : await runInPool('triggeredStarts', storedProcess(await definitionRow(db, definitionId)));
    triggeredStartsById.set(definitionId, starts);
  }
  return starts;
}

const triggeredStartsById = new Map<string, TriggeredStart[]>();

function triggeredStartsOfCompiled(compiled: CompiledProcess): TriggeredStart[] {
  return compiled.startEventIds.flatMap((startEventId) => triggeredStart(startEventId, compiled.graph.nodes.get(startEventId)!.trigger));
}
