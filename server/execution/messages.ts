import type { CompiledProcess } from '../../engine/compile/index.ts';
import type { Database } from '../db/connect.ts';
import { runInPool } from '../workers/compile-pool.ts';
import type { MessageStart } from '../workers/compile-tasks.ts';
import { compiledDefinitions, definitionRow } from './definitions.ts';
import { applyInstanceEvent } from './instances.ts';
import { startOnce } from './start-events.ts';

/**
 * Correlates a message to every instance element waiting for it: same name, and the same
 * correlation key. A subscription whose model declares no key takes any message of its name; one
 * whose declared key came out null (its variable was not set) takes none, never another
 * dossier's message. Each delivery is its own transaction and its own event id, so a
 * redelivered message reaches each waiting element once.
 */
export async function correlateMessage(db: Database, message: { name: string; correlationKey?: string | undefined; variables?: Record<string, unknown> | undefined; messageId: string }): Promise<number> {
  const subscriptions = await db('message_subscriptions')
    .where({ message_name: message.name })
    .andWhere((query) => {
      void query.where({ keyed: false });
      if (message.correlationKey !== undefined) void query.orWhere({ correlation_key: message.correlationKey });
    })
    .select<Array<{ instance_id: string; element_id: string }>>('instance_id', 'element_id');
  let correlated = await startByMessage(db, message);
  for (const subscription of subscriptions) {
    const outcome = await applyInstanceEvent(
      db,
      subscription.instance_id,
      { type: 'message', elementId: subscription.element_id, variables: message.variables },
      { eventId: `message:${message.messageId}:${subscription.element_id}` },
    );
    if (outcome.kind === 'applied') correlated++;
  }
  return correlated;
}

/**
 * A message start event: the latest version of every process that starts on this message gets a
 * new instance. The message id makes a redelivered message start nothing new; the trigger id also
 * names the process, since procedures drawn in bpmn-js all call their start event StartEvent_1 and
 * one message must start each of them.
 */
async function startByMessage(db: Database, message: { name: string; variables?: Record<string, unknown> | undefined; messageId: string }): Promise<number> {
  let started = 0;
  for (const definition of await latestMentioning(db, message.name)) {
    for (const startEventId of await messageStartsOf(db, definition.id, message.name)) {
      if (await startOnce(db, definition.key, startEventId, `message:${message.messageId}:${definition.key}:${startEventId}`, message.variables)) started++;
    }
  }
  return started;
}

/**
 * The latest versions that may start on a message of this name: those whose XML contains the
 * name as written. A name with a character XML escapes (`&`, `<`, quotes), or a model writing
 * characters as references (`&#...;`), may be spelt otherwise (so may a line break, which XML readers may normalise), so such models stay candidates.
 */
function latestMentioning(db: Database, name: string): Promise<Array<{ id: string; key: string }>> {
  const latest = db('process_definitions').distinctOn('key').orderBy([{ column: 'key' }, { column: 'version', order: 'desc' }]);
  if (/[&<>"'\r\n]/.test(name)) return latest.select('id', 'key');
  // Filtered in PostgreSQL: no model is sent over to be looked at.
  return db.select('id', 'key').from(latest.select('id', 'key', 'xml').as('latest')).whereRaw("strpos(xml, ?) > 0 or strpos(xml, '&#') > 0", [name]).orderBy('key');
}

/**
 * The start events of a definition that a message of this name triggers, read from its compiled
 * machine when it is in memory, else from its model in the compile pool (read, not compiled: a
 * model that only mentions the name, in a catch event say, is not compiled for it). A stored
 * definition never changes, so the answer is remembered: a few strings per definition.
 */
async function messageStartsOf(db: Database, definitionId: string, name: string): Promise<string[]> {
  let starts = messageStartsById.get(definitionId);
  if (!starts) {
    const compiled = compiledDefinitions.get(definitionId);
    starts = compiled ? messageStartsOfCompiled(await compiled) : await runInPool('messageStarts', (await definitionRow(db, definitionId)).xml);
    messageStartsById.set(definitionId, starts);
  }
  return starts.filter((start) => start.messageName === name).map((start) => start.startEventId);
}

const messageStartsById = new Map<string, MessageStart[]>();

function messageStartsOfCompiled(compiled: CompiledProcess): MessageStart[] {
  return compiled.startEventIds.flatMap((startEventId): MessageStart[] => {
    const trigger = compiled.graph.nodes.get(startEventId)!.trigger;
    return trigger?.kind === 'message' ? [{ startEventId, messageName: trigger.messageName }] : [];
  });
}
