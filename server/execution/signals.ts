import type { Knex } from 'knex';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { applyInstanceEvent, type ApplyOutcome } from './instances.ts';
import { addJobs, jobSpec, SIGNAL_DELIVERY_JOB, SIGNAL_JOB } from './job-kinds.ts';
import { namedTrigger, startTriggered } from './start-events.ts';

/**
 * Signals across instances (BPMN 2.0 §10.5.6): a signal is broadcast, to every instance waiting
 * for a signal of its name (any process, any version) and to the latest version of every
 * process with a signal start event for it, which starts an instance.
 *
 * A signal comes from an instance's throw event (written with the step that throws it,
 * write-plan.ts: the throwing instance itself took it within that step, so it is left out here)
 * or from `POST /api/signals` (throwSignal). Either way it is a row of `signals` and a queue job
 * (SIGNAL_JOB) that carries it out a page at a time: each page delivers to the next
 * BROADCAST_PAGE waiting instances in instance order, one transaction per instance, and arms the
 * next page; the last one starts the processes. However many instances wait, no transaction holds more
 * than one of them and the job runner takes other jobs between pages.
 *
 * A signal reaches the instances waiting when it was thrown (a subscription no later than the
 * signal), not one that began waiting since: a signal is never kept (§10.4.5). Every delivery is
 * recorded under the event id `signal:<id>`, and every start under the signal's id, so a page run
 * again after a crash, or a resend of the same sender id, delivers and starts nothing twice.
 * An instance whose step fails (a refused step) gets the signal through a job of its own
 * (SIGNAL_DELIVERY_JOB), retried and, at the end, an incident of that instance; the broadcast
 * goes on.
 */

export interface SignalRow {
  id: string;
  name: string;
  sender_id: string | null;
  variables: Record<string, unknown> | null;
  source_instance_id: string | null;
  thrown_by: string | null;
  thrown_at: Date;
  delivered: number;
  started: number;
  finished_at: Date | null;
}

/** Instances delivered to per page (each in its own transaction). */
export const BROADCAST_PAGE = 100;

/** Deliveries of a page under way at once: a few of the pool's connections, not all of them. */
const DELIVERIES_IN_FLIGHT = 4;

/**
 * Records a signal from outside and queues its broadcast, in one transaction. A resend (same name
 * and sender id) records and delivers nothing: it answers the first signal's id, as a duplicate.
 */
export async function throwSignal(db: Database, signal: { name: string; variables?: Record<string, unknown> | undefined; signalId?: string | undefined; actor?: string | undefined }): Promise<{ id: string; duplicate?: true }> {
  return db.transaction(async (trx) => {
    const [inserted] = await trx('signals')
      .insert({ name: signal.name, sender_id: signal.signalId ?? null, variables: signal.variables === undefined ? null : JSON.stringify(signal.variables), thrown_by: signal.actor ?? null })
      .onConflict(['name', 'sender_id'])
      .ignore()
      .returning<Array<{ id: string }>>('id');
    if (!inserted) {
      const first = await trx('signals').where({ name: signal.name, sender_id: signal.signalId ?? null }).first<{ id: string }>('id');
      return { id: first.id, duplicate: true as const };
    }
    await addJobs(trx, [jobSpec(SIGNAL_JOB, { signalId: inserted.id })]);
    return { id: inserted.id };
  });
}

/** One page of a signal's broadcast (SIGNAL_JOB); arms the next page, or marks the signal finished after the last. */
export async function broadcastPage(db: Database, payload: { signalId: string; after?: string | undefined }, logger: Logger): Promise<void> {
  const signal = await db<SignalRow>('signals').where({ id: payload.signalId }).first();
  if (!signal) return; // never the case: a signal's row is written with its job
  const variables = signal.variables ?? undefined;
  const page = await db('signal_subscriptions')
    .distinct('instance_id')
    .where({ signal_name: signal.name })
    .andWhere('subscribed_at', '<=', signal.thrown_at)
    .modify((query: Knex.QueryBuilder) => {
      if (payload.after !== undefined) void query.andWhere('instance_id', '>', payload.after);
      if (signal.source_instance_id !== null) void query.andWhereNot('instance_id', signal.source_instance_id);
    })
    .orderBy('instance_id')
    .limit(BROADCAST_PAGE)
    .pluck<string[]>('instance_id');
  let delivered = 0;
  const failed: string[] = [];
  const pending = [...page];
  // A few instances at once, each its own transaction on its own connection: the round trips of one overlap the others'.
  const deliverer = async () => {
    for (let instanceId = pending.shift(); instanceId !== undefined; instanceId = pending.shift()) {
      try {
        if ((await deliverSignal(db, signal, instanceId)).kind === 'applied') delivered++;
      } catch (error) {
        logger.warn({ err: error, signalId: signal.id, instanceId }, 'signal not delivered within its page; delivering it on its own');
        failed.push(instanceId);
      }
    }
  };
  await Promise.all(Array.from({ length: DELIVERIES_IN_FLIGHT }, deliverer));
  const last = page.length === BROADCAST_PAGE ? page.at(-1) : undefined;
  // After the last page's deliveries: a start that fails (its first step refused) fails this page
  // only, whose retries then deliver nothing twice, and no waiting instance waits on it.
  const started = last === undefined ? await startTriggered(db, namedTrigger('signal', signal.name, `signal:${signal.id}`, variables)) : 0;
  await db.transaction(async (trx) => {
    await trx('signals')
      .where({ id: signal.id })
      .update({ delivered: trx.raw('delivered + ?', [delivered]), started: trx.raw('started + ?', [started]), ...(last === undefined ? { finished_at: trx.raw('coalesce(finished_at, now())') } : {}) });
    await addJobs(trx, [
      ...failed.map((instanceId) => jobSpec(SIGNAL_DELIVERY_JOB, { signalId: signal.id, instanceId })),
      ...(last === undefined ? [] : [jobSpec(SIGNAL_JOB, { signalId: signal.id, after: last })]),
    ]);
  });
}

/** The signal for one instance, on its own (SIGNAL_DELIVERY_JOB): a failure is retried by the job runner, and at the end is an incident. */
export async function deliverSignalJob(db: Database, payload: { signalId: string; instanceId: string }): Promise<void> {
  const signal = await db<SignalRow>('signals').where({ id: payload.signalId }).first();
  if (!signal) return;
  if ((await deliverSignal(db, signal, payload.instanceId)).kind === 'applied') await db('signals').where({ id: signal.id }).increment('delivered', 1);
}

/** Where a failed delivery's incident goes: the instance, at the element that waits for the signal (any, once it waits no more). */
export async function signalDeliveryConcerns(db: Database, payload: { signalId: string; instanceId: string }): Promise<{ instanceId: string; elementId: string }> {
  const signal = await db<SignalRow>('signals').where({ id: payload.signalId }).first('name');
  const waiting = await db('signal_subscriptions').where({ instance_id: payload.instanceId, signal_name: signal?.name ?? '' }).orderBy('element_id').first<{ element_id: string } | undefined>('element_id');
  return { instanceId: payload.instanceId, elementId: waiting?.element_id ?? signal?.name ?? '' };
}

/**
 * Delivers a signal to one instance: under its lock, if it still waits for a signal of this name
 * since before the signal was thrown, every element of it waiting takes the signal in one step.
 */
function deliverSignal(db: Database, signal: SignalRow, instanceId: string): Promise<ApplyOutcome> {
  return applyInstanceEvent(
    db,
    instanceId,
    async (trx) => {
      const waiting = await trx('signal_subscriptions')
        .where({ instance_id: instanceId, signal_name: signal.name })
        .andWhere('subscribed_at', '<=', signal.thrown_at)
        .orderBy('element_id')
        .first<{ element_id: string } | undefined>('element_id');
      return waiting && { type: 'signal', elementId: waiting.element_id, signalName: signal.name, variables: signal.variables ?? undefined };
    },
    { eventId: `signal:${signal.id}`, actor: signal.thrown_by ?? undefined },
  );
}
