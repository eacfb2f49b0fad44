/**
 * The job types the product runs itself (docs/dossiers.md, "Built-in workers"); any other
 * `qt:jobType` is an external task fetched over the API (another agency's system). Their handlers
 * are in handlers.ts, which must have one for each name here.
 */
export const RUNNING_JOB_TYPES = ['dossier.number', 'datastore.lookup', 'notify.applicant', 'result.sign', 'result.notify', 'result.post', 'notice.publish', 'registration.publish', 'residence.update'] as const;

/** Built-in job types whose step waits (docs/payments.md, "The payment step"). */
export const WAITING_JOB_TYPES = ['payment.online'] as const;

export type RunningJobType = (typeof RUNNING_JOB_TYPES)[number];
export type WaitingJobType = (typeof WAITING_JOB_TYPES)[number];

const BUILTIN = new Set<string>([...RUNNING_JOB_TYPES, ...WAITING_JOB_TYPES]);

export const isBuiltinJobType = (jobType: string) => BUILTIN.has(jobType);
