import { addDossierEvent, dossierStep } from './dossier-records.ts';
import type { JobContext } from './job-context.ts';
import { addNotice } from '../dossiers/notices.ts';

const JOB_TYPE = 'notify.applicant';

/** The amendment guidance the receipt decision left in `noiDungBoSung`: a text or a list of texts (docs/dossiers.md). */
function guidanceOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (Array.isArray(value)) {
    const items = value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => `- ${item.trim()}`);
    if (items.length > 0) return `\n${items.join('\n')}`;
  }
  return undefined;
}

/**
 * `notify.applicant`: tells the dossier's owner, in their inbox and by e-mail, what the step is
 * for. When the receipt check asked for an amendment (`canBoSung`), it is the one-time amendment
 * guidance of Decree 45 Art. 11.3 with everything to supplement (`noiDungBoSung`); the dossier
 * layer may have sent that guidance already when the official requested the amendment, and the
 * applicant is then not told twice. Otherwise it is a message naming the step. An instance with
 * no dossier (started over the raw API) has nobody to notify: nothing is recorded.
 */
export async function notifyApplicant(context: JobContext): Promise<Record<string, unknown>> {
  const found = await dossierStep(context);
  if (!found) return {};
  const { dossier, step } = found;
  const { trx, variables, elementId, now } = context;
  const amendment = variables.canBoSung === true;
  if (amendment && (await trx('notices').where({ dossier_id: dossier.id, kind: 'amendment' }).first('id'))) {
    await addDossierEvent(trx, dossier.id, JOB_TYPE, 'applicant-notified', { elementId, kind: 'amendment', alreadySent: true, text: { vi: `${step}: hướng dẫn bổ sung đã gửi trước đó`, en: `${step}: the amendment guidance was sent before` } }, now);
    return {};
  }
  const guidance = amendment ? guidanceOf(variables.noiDungBoSung) : undefined;
  const notice = amendment
    ? {
        kind: 'amendment' as const,
        subject: { vi: `Hồ sơ ${dossier.code}: cần bổ sung, hoàn thiện`, en: `Application ${dossier.code}: amendment needed` },
        body: {
          vi: `Hồ sơ ${dossier.code} (${dossier.procedure_name}) cần được bổ sung, hoàn thiện. Cơ quan tiếp nhận hướng dẫn một lần (Nghị định 45/2020/NĐ-CP Điều 11 khoản 3): ${guidance ?? 'xem chi tiết trên Cổng dịch vụ công'}`,
          en: `Application ${dossier.code} (${dossier.procedure_name}) must be amended. The receiving authority's one-time guidance (Decree 45/2020/ND-CP Art. 11.3): ${guidance ?? 'see the details on the public service portal'}`,
        },
      }
    : {
        kind: 'message' as const,
        subject: { vi: `Hồ sơ ${dossier.code}: ${step}`, en: `Application ${dossier.code}: ${step}` },
        body: {
          vi: `Hồ sơ ${dossier.code} (${dossier.procedure_name}) đang ở bước: ${step}.`,
          en: `Application ${dossier.code} (${dossier.procedure_name}) is at the step: ${step}.`,
        },
      };
  const noticeId = await addNotice(trx, { accountId: dossier.owner_account_id, dossierId: dossier.id, ...notice }, now);
  await addDossierEvent(trx, dossier.id, JOB_TYPE, 'applicant-notified', { elementId, kind: notice.kind, noticeId, text: { vi: `Đã thông báo cho người nộp: ${notice.subject.vi}`, en: `Applicant notified: ${notice.subject.en}` } }, now);
  return {};
}
