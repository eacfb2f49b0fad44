import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
import { applyInstanceEvent } from './instances.ts';
import { namedTrigger, startTriggered } from './start-events.ts';

export interface Message {
  name: string;
  correlationKey?: string | undefined;
  variables?: Record<string, unknown> | undefined;
  /** The sender's id: a resend with the same id (same name and key) delivers nothing. */
  messageId?: string | undefined;
}

/** What a message did: how many waiting elements and message start events it reached, or that it was a resend. */
export interface Correlation {
  correlated: number;
  duplicate?: true;
}

/**
 * Correlates a message to every instance element waiting for it: same name, and the same
 * correlation key. A subscription whose model declares no key takes any message of its name; one
 * whose declared key came out null (its variable was not set) takes none, never another
 * dossier's message.
 *
 * The whole message is one transaction, which first records the sender's id in
 * `message_receipts`: a resend, even one racing the first delivery in another server process,
 * waits on that row's key until the first commits and then delivers nothing (had it delivered
 * element by element, a resend arriving once the first moved an instance from one catch to the
 * next catch of the same message would have moved it again). Without an id nothing can be resent,
 * so nothing is recorded.
 *
 * Holding several instances' locks at once, a message could deadlock with a transaction locking
 * some of them in another order (a batch of task completions, a caller ending its children),
 * and PostgreSQL would abort either. The message is made the side that yields: once its receipt
 * is in, it waits at most YIELD_AFTER for any lock (sooner than PostgreSQL looks for deadlocks,
 * 1 s by default), then rolls back whole, its receipt included, and is tried again; the last
 * attempt waits as long as it takes. Instances are locked in id order, so two messages never
 * deadlock with each other.
 */
export async function correlateMessage(db: Database, message: Message): Promise<Correlation> {
  for (let attempt = 1; ; attempt++) {
    const yielding = attempt < ATTEMPTS;
    try {
      return await deliver(db, message, yielding);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!yielding || (code !== LOCK_TIMEOUT && code !== DEADLOCK)) throw error;
      await sleep(Math.random() * 50 * attempt); // the other side finishes meanwhile
    }
  }
}

const ATTEMPTS = 10;
const YIELD_AFTER = '200ms';
const LOCK_TIMEOUT = '55P03';
const DEADLOCK = '40P01';

async function deliver(db: Database, message: Message, yielding: boolean): Promise<Correlation> {
  return db.transaction(async (trx) => {
    if (message.messageId !== undefined) {
      const receipt = await trx('message_receipts')
        .insert({ message_name: message.name, keyed: message.correlationKey !== undefined, correlation_key: message.correlationKey ?? '', message_id: message.messageId })
        .onConflict(['message_name', 'keyed', 'correlation_key', 'message_id'])
        .ignore()
        .returning('message_id');
      if (receipt.length === 0) return { correlated: 0, duplicate: true };
    }
    // After the receipt: a resend waiting for the first delivery to commit must not give up.
    if (yielding) await trx.raw(`set local lock_timeout = '${YIELD_AFTER}'`);
    // History records which message moved an instance; one sent without an id gets one here.
    const messageId = message.messageId ?? randomUUID();
    const subscriptions = await trx('message_subscriptions')
      .where({ message_name: message.name })
      .andWhere((query) => {
        void query.where({ keyed: false });
        if (message.correlationKey !== undefined) void query.orWhere({ correlation_key: message.correlationKey });
      })
      .orderBy(['instance_id', 'element_id'])
      .select<Array<{ instance_id: string; element_id: string }>>('instance_id', 'element_id');
    let correlated = await startByMessage(trx, message.name, messageId, message.variables);
    for (const subscription of subscriptions) {
      const outcome = await applyInstanceEvent(
        trx,
        subscription.instance_id,
        { type: 'message', elementId: subscription.element_id, variables: message.variables },
        { eventId: `message:${messageId}:${subscription.element_id}` },
      );
      if (outcome.kind === 'applied') correlated++;
    }
    return { correlated };
  });
}

/**
 * A message start event: the latest version of every process that starts on this message gets a
 * new instance. The message id makes a redelivered message start nothing new.
 */
function startByMessage(trx: Knex.Transaction, name: string, messageId: string, variables: Record<string, unknown> | undefined): Promise<number> {
  return startTriggered(trx, namedTrigger('message', name, `message:${messageId}`, variables));
}
