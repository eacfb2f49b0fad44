import type { JobContext } from './job-context.ts';
import { recordStepAndNotify } from './step-notice.ts';

/**
 * `notice.publish`: the public posting a procedure requires before it decides (the first land
 * use right certificate: posted at the commune People's Committee and on its website, then a
 * 15-day timer in the model for objections). Records that the dossier was posted and tells the
 * applicant the posting period has begun.
 */
export function publishNotice(context: JobContext): Promise<Record<string, unknown>> {
  return recordStepAndNotify(context, 'notice.publish', (dossier, step) => ({
    kind: 'publicly-posted',
    text: { vi: `${step}: đã niêm yết công khai`, en: `${step}: publicly posted` },
    notice: {
      subject: { vi: `Hồ sơ ${dossier.code}: đã niêm yết công khai`, en: `Application ${dossier.code}: publicly posted` },
      body: {
        vi: `Hồ sơ ${dossier.code} (${dossier.procedure_name}) đã được niêm yết công khai (${step}). Ý kiến phản ánh được tiếp nhận trong thời hạn niêm yết.`,
        en: `Application ${dossier.code} (${dossier.procedure_name}) has been publicly posted (${step}). Objections are received during the posting period.`,
      },
    },
  }));
}
