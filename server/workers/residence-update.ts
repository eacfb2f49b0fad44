import type { JobContext } from './job-context.ts';
import { recordStepAndNotify } from './step-notice.ts';

/**
 * `residence.update`: the permanent residence registered by the dossier entered in the
 * residence database. Records, on the dossier, whose residence was updated by which step, and
 * tells the applicant; the residence database itself is the Ministry of Public Security's.
 */
export function updateResidence(context: JobContext): Promise<Record<string, unknown>> {
  return recordStepAndNotify(context, 'residence.update', (dossier, step) => ({
    kind: 'residence-updated',
    text: {
      vi: `${step}: đã cập nhật thông tin cư trú của ${dossier.applicant_name}${dossier.applicant_id ? ` (${dossier.applicant_id})` : ''}`,
      en: `${step}: residence of ${dossier.applicant_name}${dossier.applicant_id ? ` (${dossier.applicant_id})` : ''} updated`,
    },
    notice: {
      subject: { vi: `Hồ sơ ${dossier.code}: đã cập nhật thông tin cư trú`, en: `Application ${dossier.code}: residence updated` },
      body: {
        vi: `Thông tin cư trú theo hồ sơ ${dossier.code} (${dossier.procedure_name}) đã được cập nhật vào Cơ sở dữ liệu về cư trú.`,
        en: `The residence registered by application ${dossier.code} (${dossier.procedure_name}) has been entered in the residence database.`,
      },
    },
  }));
}
