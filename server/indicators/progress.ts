import { anyRow, type IndicatorGroup } from './indicator.ts';

/**
 * Decision 766 group 2, progress and on-time results (tiến độ giải quyết). The deadlines are the
 * ones the engine set on the agency's working calendar: 08 working hours for the receipt check
 * (Decree 45 Art. 11.4, `dossiers.receipt_due_at`) and each step's `user_tasks.due_at` from the
 * model. A dossier is settled on time when none of its steps finished after its deadline.
 * `in-progress-on-time` is the real-time one: it reads the open steps against the moment asked
 * (`q.now`). The receipt check decided when the dossier was received, asked to amend, or refused,
 * whichever came first.
 */
export const progress: IndicatorGroup = {
  id: 'progress',
  name: { vi: 'Tiến độ giải quyết', en: 'Progress and on-time results' },
  facts: {
    receipt_decided_at: `least(d.received_at, d.amendment_requested_at, case when d.status = 'refused' then d.ended_at end)`,
    receipt_due_at: 'd.receipt_due_at',
    /** A step of the dossier's instance finished (or is still open when the dossier ended) after its deadline. */
    late_step: anyRow('from user_tasks t where t.instance_id = d.instance_id and t.due_at is not null and coalesce(t.ended_at, d.ended_at) > t.due_at'),
    /** An open step past its deadline at the moment asked. */
    overdue_now: anyRow(`from user_tasks t where t.instance_id = d.instance_id and t.status = 'open' and t.due_at < q.now`),
  },
  indicators: [
    {
      id: 'progress.receipt-on-time',
      name: { vi: 'Hồ sơ được tiếp nhận đúng hạn (08 giờ làm việc)', en: 'Receipt checks decided on time (08 working hours)' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ tiếp nhận, yêu cầu bổ sung hoặc từ chối trước hạn tiếp nhận', en: 'Dossiers received, asked to amend or refused by the receipt deadline' },
        sql: 'count(*) filter (where f.receipt_decided_at <= f.receipt_due_at)',
      },
      denominator: { text: { vi: 'Số hồ sơ đã qua bước tiếp nhận', en: 'Dossiers past the receipt check' }, sql: 'count(*) filter (where f.receipt_decided_at is not null)' },
      source: 'dossiers (received_at, amendment_requested_at, ended_at, receipt_due_at)',
      legal: 'Decree 45 Art. 11.3, 11.4',
    },
    {
      id: 'progress.settled-on-time',
      name: { vi: 'Hồ sơ giải quyết đúng hạn', en: 'Dossiers settled on time' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ đã kết thúc không có bước nào quá hạn', en: 'Ended dossiers with no step finished after its deadline' },
        sql: 'count(*) filter (where f.ended_at is not null and not f.late_step)',
      },
      denominator: { text: { vi: 'Số hồ sơ đã kết thúc', en: 'Ended dossiers' }, sql: 'count(*) filter (where f.ended_at is not null)' },
      source: 'dossiers.ended_at, user_tasks (due_at, ended_at)',
      legal: 'Decree 45 Art. 11.4, 14; Decision 766 group 2',
    },
    {
      id: 'progress.in-progress-on-time',
      name: { vi: 'Hồ sơ đang giải quyết trong hạn', en: 'Dossiers in progress within their deadlines' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ đang giải quyết không có bước nào quá hạn tại thời điểm xem', en: 'Dossiers in progress with no step past its deadline at the time asked' },
        sql: 'count(*) filter (where f.ended_at is null and not f.overdue_now and not (f.receipt_decided_at is null and f.receipt_due_at < f.now))',
      },
      denominator: { text: { vi: 'Số hồ sơ đang giải quyết', en: 'Dossiers in progress' }, sql: 'count(*) filter (where f.ended_at is null)' },
      source: 'dossiers (ended_at, receipt_due_at), user_tasks (status open, due_at)',
      legal: 'Decree 45 Art. 11.4; Circular 01 Art. 23.4 (each step recorded in real time)',
    },
  ],
};
