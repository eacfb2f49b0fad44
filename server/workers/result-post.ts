import { addDossierEvent, dossierStep, resultsInForce } from './dossier-records.ts';
import type { JobContext } from './job-context.ts';
import { addNotice } from '../dossiers/notices.ts';

const JOB_TYPE = 'result.post';

interface PostalAddress {
  street?: string;
  commune?: string;
  province?: string;
}

/** The account profile's address (migration 0016: `{province, commune, street}`) as one line, or undefined when it has none. */
function addressLine(profile: Record<string, unknown>): string | undefined {
  const address = profile.address as PostalAddress | undefined;
  if (!address || typeof address !== 'object') return undefined;
  const parts = [address.street, address.commune, address.province].filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * `result.post`: records the paper copy of the dossier's results in force handed to the public
 * postal service (Decree 45 Art. 2.4, 18: the printed result carries its code), to the
 * address of the applicant's profile, and tells the applicant it is on its way. The postal
 * service's own tracking is its system, not ours. An instance with no dossier: nothing recorded.
 */
export async function postResult(context: JobContext): Promise<Record<string, unknown>> {
  const found = await dossierStep(context);
  if (!found) return {};
  const { dossier, step } = found;
  const { trx, elementId, now } = context;
  const results = await resultsInForce(trx, dossier.id);
  const owner = await trx('accounts').where({ id: dossier.owner_account_id }).first<{ profile: Record<string, unknown> }>('profile');
  const address = addressLine(owner.profile);
  const codes = results.map((result) => result.code).join(', ') || dossier.code;
  const to = { vi: address ? ` tới địa chỉ ${address}` : ' tới địa chỉ bạn đã đăng ký', en: address ? ` to ${address}` : ' to the address you gave' };
  const noticeId = await addNotice(trx, {
    accountId: dossier.owner_account_id,
    dossierId: dossier.id,
    kind: 'message',
    subject: { vi: `Hồ sơ ${dossier.code}: kết quả bản giấy đã gửi qua bưu chính`, en: `Application ${dossier.code}: paper result sent by post` },
    body: {
      vi: `Bản giấy kết quả ${codes} đã được gửi qua dịch vụ bưu chính công ích${to.vi}.`,
      en: `The paper copy of result ${codes} has been sent by the public postal service${to.en}.`,
    },
  }, now);
  await addDossierEvent(trx, dossier.id, JOB_TYPE, 'result-posted', {
    elementId,
    noticeId,
    resultCodes: results.map((result) => result.code),
    address: address ?? null,
    text: { vi: `${step}: đã gửi bản giấy ${codes}`, en: `${step}: paper copy of ${codes} sent` },
  }, now);
  return {};
}
