import { anyRow, type IndicatorGroup } from './indicator.ts';

/**
 * Decision 766 group 1, publication and transparency (công khai, minh bạch): what the applicant is
 * told of their dossier. The product publishes each dossier's progress to its applicant and at the
 * public look-up (Circular 01 Art. 23.5); what it records are the notices sent.
 */
export const transparency: IndicatorGroup = {
  id: 'transparency',
  name: { vi: 'Công khai, minh bạch', en: 'Publication and transparency' },
  facts: {
    receipt_notice: anyRow(`from notices n where n.dossier_id = d.id and n.kind = 'receipt'`),
    outcome_notice: anyRow(`from notices n where n.dossier_id = d.id and n.kind in ('result', 'refusal')`),
  },
  indicators: [
    {
      id: 'transparency.receipt-notified',
      name: { vi: 'Hồ sơ được gửi thông báo tiếp nhận', en: 'Dossiers sent a receipt notice' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ có thông báo tiếp nhận gửi người nộp', en: 'Dossiers with a receipt notice sent to the applicant' },
        sql: 'count(*) filter (where f.receipt_notice)',
      },
      denominator: { text: { vi: 'Số hồ sơ tiếp nhận trong kỳ', en: 'Dossiers received in the period' }, sql: 'count(*)' },
      source: 'notices (kind receipt), dossiers',
      legal: 'Decree 45 Art. 11.1, 11.4 (the receipt notice and its time); Circular 01 Art. 23.5',
    },
    {
      id: 'transparency.outcome-notified',
      name: { vi: 'Hồ sơ đã kết thúc được thông báo kết quả', en: 'Ended dossiers whose outcome was notified' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ đã kết thúc có thông báo kết quả hoặc từ chối', en: 'Ended dossiers with a result or refusal notice' },
        sql: 'count(*) filter (where f.ended_at is not null and f.outcome_notice)',
      },
      denominator: { text: { vi: 'Số hồ sơ đã kết thúc', en: 'Ended dossiers' }, sql: 'count(*) filter (where f.ended_at is not null)' },
      source: 'notices (kind result, refusal), dossiers.ended_at',
      legal: 'Decree 45 Art. 14.1 (the result sent to the applicant), Art. 11.3 (refusal with reasons)',
    },
  ],
};
