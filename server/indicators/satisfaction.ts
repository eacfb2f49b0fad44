import type { IndicatorGroup } from './indicator.ts';


/**
 * Decision 766 group 4, satisfaction (mức độ hài lòng): the applicant rates a dossier once it
 * ended, 1 to 5 (rating.ts, table `dossier_ratings`). "Satisfied" reads 4 or 5.
 */
const LEGAL = 'Circular 01 Art. 32.2; Decision 766 group 4';
const RATINGS = { text: { vi: 'Số đánh giá', en: 'Ratings' }, sql: 'count(f.score)' };

export const satisfaction: IndicatorGroup = {
  id: 'satisfaction',
  name: { vi: 'Mức độ hài lòng', en: 'Satisfaction' },
  facts: {
    /** The dossier's score, null when not rated: a look-up by the table's key. */
    score: '(select x.score from dossier_ratings x where x.dossier_id = d.id)',
  },
  indicators: [
    {
      id: 'satisfaction.rated',
      name: { vi: 'Hồ sơ đã kết thúc được người nộp đánh giá', en: 'Ended dossiers rated by the applicant' },
      unit: 'percent',
      numerator: { text: { vi: 'Số hồ sơ đã kết thúc có đánh giá', en: 'Ended dossiers with a rating' }, sql: 'count(f.score) filter (where f.ended_at is not null)' },
      denominator: { text: { vi: 'Số hồ sơ đã kết thúc', en: 'Ended dossiers' }, sql: 'count(*) filter (where f.ended_at is not null)' },
      source: 'dossier_ratings, dossiers.ended_at',
      legal: LEGAL,
    },
    {
      id: 'satisfaction.satisfied',
      name: { vi: 'Đánh giá hài lòng (4–5 điểm)', en: 'Satisfied ratings (4–5)' },
      unit: 'percent',
      numerator: { text: { vi: 'Số đánh giá 4 hoặc 5 điểm', en: 'Ratings of 4 or 5' }, sql: 'count(*) filter (where f.score >= 4)' },
      denominator: RATINGS,
      source: 'dossier_ratings.score',
      legal: LEGAL,
    },
    {
      id: 'satisfaction.average-score',
      name: { vi: 'Điểm đánh giá trung bình (1–5)', en: 'Average rating (1–5)' },
      unit: 'score',
      numerator: { text: { vi: 'Tổng điểm đánh giá', en: 'Sum of the ratings' }, sql: 'coalesce(sum(f.score), 0)' },
      denominator: RATINGS,
      source: 'dossier_ratings.score',
      legal: LEGAL,
    },
  ],
};
