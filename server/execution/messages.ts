import type { Database } from '../db/connect.ts';
import { applyInstanceEvent } from './instances.ts';

/**
 * Correlates a message to every instance element waiting for it: same name, and the same
 * correlation key (a subscription without a key takes any). Each delivery is its own
 * transaction and its own event id, so a redelivered message reaches each waiting element once.
 */
export async function correlateMessage(db: Database, message: { name: string; correlationKey?: string | undefined; variables?: Record<string, unknown> | undefined; messageId: string }): Promise<number> {
  const subscriptions = await db('message_subscriptions')
    .where({ message_name: message.name })
    .andWhere((query) => {
      void query.whereNull('correlation_key');
      if (message.correlationKey !== undefined) void query.orWhere({ correlation_key: message.correlationKey });
    })
    .select<Array<{ instance_id: string; element_id: string }>>('instance_id', 'element_id');
  let correlated = 0;
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
