import type { IndicatorGroup } from './indicator.ts';

/** When the receipt check decided: received, amendment asked, or refused (whichever came first). */
const RECEIPT_DECIDED = `least(d.received_at, d.amendment_requested_at, case when d.status = 'refused' then d.ended_at end)`;
/** A step of the dossier's instance finished (or is still open at `?now`) after its deadline. */
const LATE_STEP = `exists (select 1 from user_tasks t where t.instance_id = d.instance_id and t.due_at is not null and coalesce(t.ended_at, d.ended_at) > t.due_at)`;

/**
 * Decision 766 group 2, progress and on-time results (tiến độ giải quyết). The deadlines are the
 * ones the engine set on the agency's working calendar: 08 working hours for the receipt check
 * (Decree 45 Art. 11.4, `dossiers.receipt_due_at`) and each step's `user_tasks.due_at` from the
 * model. A dossier is settled on time when none of its steps finished after its deadline.
 * `in-progress-on-time` is the real-time one: it reads the open steps against the moment asked
 * (`q.now`).
 */
export const progress: IndicatorGroup = {
  id: 'progress',
  name: { vi: 'Tiến độ giải quyết', en: 'Progress and on-time results' },
  indicators: [
    {
      id: 'progress.receipt-on-time',
      name: { vi: 'Hồ sơ được tiếp nhận đúng hạn (08 giờ làm việc)', en: 'Receipt checks decided on time (08 working hours)' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ tiếp nhận, yêu cầu bổ sung hoặc từ chối trước hạn tiếp nhận', en: 'Dossiers received, asked to amend or refused by the receipt deadline' },
        sql: `count(*) filter (where ${RECEIPT_DECIDED} <= d.receipt_due_at)`,
      },
      denominator: { text: { vi: 'Số hồ sơ đã qua bước tiếp nhận', en: 'Dossiers past the receipt check' }, sql: `count(*) filter (where ${RECEIPT_DECIDED} is not null)` },
      source: 'dossiers (received_at, amendment_requested_at, ended_at, receipt_due_at)',
      legal: 'Decree 45 Art. 11.3, 11.4',
    },
    {
      id: 'progress.settled-on-time',
      name: { vi: 'Hồ sơ giải quyết đúng hạn', en: 'Dossiers settled on time' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ đã kết thúc không có bước nào quá hạn', en: 'Ended dossiers with no step finished after its deadline' },
        sql: `count(*) filter (where d.ended_at is not null and not ${LATE_STEP})`,
      },
      denominator: { text: { vi: 'Số hồ sơ đã kết thúc', en: 'Ended dossiers' }, sql: 'count(*) filter (where d.ended_at is not null)' },
      source: 'dossiers.ended_at, user_tasks (due_at, ended_at)',
      legal: 'Decree 45 Art. 11.4, 14; Decision 766 group 2',
    },
    {
      id: 'progress.in-progress-on-time',
      name: { vi: 'Hồ sơ đang giải quyết trong hạn', en: 'Dossiers in progress within their deadlines' },
      unit: 'percent',
      numerator: {
        text: { vi: 'Số hồ sơ đang giải quyết không có bước nào quá hạn tại thời điểm xem', en: 'Dossiers in progress with no step past its deadline at the time asked' },
        sql: `count(*) filter (where d.ended_at is null and not exists (select 1 from user_tasks t where t.instance_id = d.instance_id and t.status = 'open' and t.due_at < q.now) and not (${RECEIPT_DECIDED} is null and d.receipt_due_at < q.now))`,
      },
      denominator: { text: { vi: 'Số hồ sơ đang giải quyết', en: 'Dossiers in progress' }, sql: 'count(*) filter (where d.ended_at is null)' },
      source: 'dossiers (ended_at, receipt_due_at), user_tasks (status open, due_at)',
      legal: 'Decree 45 Art. 11.4; Circular 01 Art. 23.4 (each step recorded in real time)',
    },
  ],
};
