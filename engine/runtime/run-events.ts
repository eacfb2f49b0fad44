import { z } from 'zod';

/**
 * The events a run file lists (`quytrinh run --events`, the catalogue's run.json): what the
 * in-memory runtime takes, each optionally at a given time. `index` picks one instance of a
 * multi-instance activity; `call.complete` and `call.error` end a call activity's called process.
 */
const text = z.string().trim().min(1);
const variables = z.record(z.string(), z.unknown());
const at = z.iso.datetime({ offset: true }).optional();
const elementId = z.string().min(1);

export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('task.complete'), elementId, index: z.number().int().min(0).optional(), variables: variables.optional(), at }).strict(),
  z.object({ type: z.literal('job.complete'), elementId, index: z.number().int().min(0).optional(), variables: variables.optional(), at }).strict(),
  z.object({ type: z.literal('job.error'), elementId, index: z.number().int().min(0).optional(), errorCode: text, message: z.string().optional(), at }).strict(),
  z.object({ type: z.literal('message'), elementId, variables: variables.optional(), at }).strict(),
  z.object({ type: z.literal('timer'), elementId, at }).strict(),
  z.object({ type: z.literal('call.complete'), elementId, variables: variables.optional(), at }).strict(),
  z.object({ type: z.literal('call.error'), elementId, errorCode: text, at }).strict(),
]);
export type RunEvent = z.infer<typeof runEventSchema>;
export const runEventsSchema = z.array(runEventSchema).min(1);
