import { assignApplicationNumber } from './application-number.ts';
import { lookUpDataStore } from './datastore-lookup.ts';
import { publishNotice } from './notice-publish.ts';
import { notifyApplicant } from './notify-applicant.ts';
import { startOnlinePayment } from './payment-online.ts';
import { publishRegistration } from './registration-publish.ts';
import { updateResidence } from './residence-update.ts';
import { issueResult } from './result-issue.ts';
import { notifyResults } from './result-notify.ts';
import { postResult } from './result-post.ts';
import type { JobHandler, WaitingJobHandler } from './job-context.ts';
import type { RunningJobType, WaitingJobType } from './job-types.ts';

/**
 * The handlers of the built-in job types (job-types.ts), by type: the registry's names are what a
 * step reads to tell a built-in job from an external one without loading the handlers.
 */
export const waitingJobHandlers: ReadonlyMap<string, WaitingJobHandler> = new Map(Object.entries({
  'payment.online': startOnlinePayment,
} satisfies Record<WaitingJobType, WaitingJobHandler>));

export const builtinJobHandlers: ReadonlyMap<string, JobHandler> = new Map(Object.entries({
  'dossier.number': assignApplicationNumber,
  'datastore.lookup': lookUpDataStore,
  'notify.applicant': notifyApplicant,
  'result.sign': issueResult,
  'result.notify': notifyResults,
  'result.post': postResult,
  'notice.publish': publishNotice,
  'registration.publish': publishRegistration,
  'residence.update': updateResidence,
} satisfies Record<RunningJobType, JobHandler>));
