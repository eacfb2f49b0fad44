import type { Database } from '../db/connect.ts';
import { compiledDefinition } from './definitions.ts';
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
  const latest = await db('process_definitions').distinctOn('key').orderBy([{ column: 'key' }, { column: 'version', order: 'desc' }]).select<Array<{ id: string; key: string }>>('id', 'key');
  let started = 0;
  for (const definition of latest) {
    const compiled = await compiledDefinition(definition.id, db);
    for (const startEventId of compiled.startEventIds) {
      const trigger = compiled.graph.nodes.get(startEventId)!.trigger;
      if (trigger?.kind !== 'message' || trigger.messageName !== message.name) continue;
      if (await startOnce(db, definition.key, startEventId, `message:${message.messageId}:${definition.key}:${startEventId}`, message.variables)) started++;
    }
  }
  return started;
}
