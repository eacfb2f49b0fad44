import { z } from 'zod';

/**
 * The events a run file lists (`quytrinh run --events`, the catalogue's run.json): what the
 * in-memory runtime takes, each optionally at a given time. `index` picks one instance of a
 * multi-instance activity; `call.complete` and `call.error` end a call activity's called process;
 * `run` addresses an element inside a run of a parallel multi-instance sub-process (RoutedEvent).
 */
const text = z.string().trim().min(1);
const variables = z.record(z.string(), z.unknown());
const at = z.iso.datetime({ offset: true }).optional();
const elementId = z.string().min(1);
const index = z.number().int().min(0).optional();
const run = z.array(z.number().int().min(0)).optional();

export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('task.complete'), elementId, index, variables: variables.optional(), run, at }).strict(),
  z.object({ type: z.literal('job.complete'), elementId, index, variables: variables.optional(), run, at }).strict(),
  z.object({ type: z.literal('job.error'), elementId, index, errorCode: text, message: z.string().optional(), run, at }).strict(),
  z.object({ type: z.literal('message'), elementId, variables: variables.optional(), run, at }).strict(),
  z.object({ type: z.literal('timer'), elementId, run, at }).strict(),
  z.object({ type: z.literal('signal'), elementId, signalName: text, variables: variables.optional(), run, at }).strict(),
  z.object({ type: z.literal('call.complete'), elementId, index, variables: variables.optional(), run, at }).strict(),
  z.object({ type: z.literal('call.error'), elementId, index, errorCode: text, run, at }).strict(),
]);
export type RunEvent = z.infer<typeof runEventSchema>;
export const runEventsSchema = z.array(runEventSchema).min(1);
