import type { JobContext } from './job-context.ts';
import { recordStepAndNotify } from './step-notice.ts';

/**
 * `registration.publish`: the publication of a new enterprise's registration on the National
 * Business Registration Portal, which the law requires after registration. Records that it
 * was published and tells the applicant (Law on Enterprises 2020 Art. 32).
 */
export function publishRegistration(context: JobContext): Promise<Record<string, unknown>> {
  return recordStepAndNotify(context, 'registration.publish', (dossier, step) => ({
    kind: 'registration-published',
    text: { vi: `${step}: đã công bố nội dung đăng ký`, en: `${step}: registration published` },
    notice: {
      subject: { vi: `Hồ sơ ${dossier.code}: đã công bố nội dung đăng ký`, en: `Application ${dossier.code}: registration published` },
      body: {
        vi: `Nội dung đăng ký của hồ sơ ${dossier.code} (${dossier.procedure_name}) đã được công bố (${step}).`,
        en: `The registration of application ${dossier.code} (${dossier.procedure_name}) has been published (${step}).`,
      },
    },
  }));
}
