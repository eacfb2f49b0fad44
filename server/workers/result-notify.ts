import { addDossierEvent, dossierStep, resultsInForce } from './dossier-records.ts';
import type { JobContext } from './job-context.ts';
import { addNotice } from '../dossiers/notices.ts';

const JOB_TYPE = 'result.notify';

/**
 * `result.notify`: the end of an inter-connected group (Decree 45 Art. 14.1): tells the
 * applicant, in one notice, every result in force on the dossier, which the called procedures
 * issued each with its own number (KQ1, KQ2, ...). An instance with no dossier: nothing recorded.
 */
export async function notifyResults(context: JobContext): Promise<Record<string, unknown>> {
  const found = await dossierStep(context);
  if (!found) return {};
  const { dossier, step } = found;
  const { trx, elementId, now } = context;
  const results = await resultsInForce(trx, dossier.id);
  const list = results.map((result) => `- ${result.code}: ${result.title}`).join('\n');
  const noticeId = await addNotice(trx, {
    accountId: dossier.owner_account_id,
    dossierId: dossier.id,
    kind: 'result',
    subject: { vi: `Hồ sơ ${dossier.code}: đã có đủ ${results.length} kết quả`, en: `Application ${dossier.code}: all ${results.length} results issued` },
    body: {
      vi: `Các kết quả của hồ sơ ${dossier.code} (${dossier.procedure_name}) đã được lưu vào kho dữ liệu của bạn trên Cổng dịch vụ công:\n${list}`,
      en: `The results of application ${dossier.code} (${dossier.procedure_name}) are stored in your data store on the public service portal:\n${list}`,
    },
  }, now);
  await addDossierEvent(trx, dossier.id, JOB_TYPE, 'results-notified', {
    elementId,
    noticeId,
    resultCodes: results.map((result) => result.code),
    text: { vi: `${step}: đã thông báo ${results.length} kết quả`, en: `${step}: ${results.length} result(s) announced` },
  }, now);
  return {};
}
