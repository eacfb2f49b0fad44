import { anyRow, type IndicatorGroup } from './indicator.ts';

/** A payment that went through online (Circular 01 Art. 28.1.a). */
const PAID = `('payment-succeeded', 'transaction-succeeded')`;

/**
 * Decision 766 group 3, online service provision (cung cấp dịch vụ công trực tuyến): dossiers
 * submitted online, and fees paid online. The product receives dossiers only through its portal
 * (Decree 45 Art. 9: submitted by an account): every dossier it holds was submitted online, so
 * `online-submission` is 100 % by construction until a counter intake records a channel.
 */
export const onlineService: IndicatorGroup = {
  id: 'online-service',
  name: { vi: 'Cung cấp dịch vụ công trực tuyến', en: 'Online service provision' },
  facts: {
    submitted_by_account: 'd.owner_account_id is not null',
    payment_asked: anyRow('from payment_transactions p where p.dossier_id = d.id'),
    paid_online: anyRow(`from payment_transactions p where p.dossier_id = d.id and p.status in ${PAID}`),
  },
  indicators: [
    {
      id: 'online-service.online-submission',
      name: { vi: 'Hồ sơ nộp trực tuyến', en: 'Dossiers submitted online' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ nộp qua Cổng dịch vụ công bằng tài khoản', en: 'Dossiers submitted through the portal by an account' },
        sql: 'count(*) filter (where f.submitted_by_account)',
      },
      denominator: { text: { vi: 'Số hồ sơ tiếp nhận trong kỳ', en: 'Dossiers received in the period' }, sql: 'count(*)' },
      source: 'dossiers.owner_account_id',
      legal: 'Decree 45 Art. 9, 11.1',
    },
    {
      id: 'online-service.online-payment',
      name: { vi: 'Hồ sơ thanh toán trực tuyến thành công', en: 'Dossiers paid online' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ có giao dịch thanh toán trực tuyến thành công', en: 'Dossiers with a successful online payment' },
        sql: 'count(*) filter (where f.paid_online)',
      },
      denominator: {
        text: { vi: 'Số hồ sơ có yêu cầu thanh toán phí, lệ phí', en: 'Dossiers with a fee payment requested' },
        sql: 'count(*) filter (where f.payment_asked)',
      },
      source: 'payment_transactions (dossier_id, status)',
      legal: 'Decree 45 Art. 13; Circular 01 Art. 27, 28.1',
    },
  ],
};
