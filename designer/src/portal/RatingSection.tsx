import { useState, type FormEvent } from 'react';
import { apiJson } from '../api-client.ts';
import { formatDateTime } from '../format.ts';
import type { Language } from '../i18n.ts';
import { refusalOf, type Refusal } from './refusal.ts';

/** A rating as the dossier view gives it (docs/indicators.md). */
export interface DossierRating {
  score: number;
  comment: string | null;
  ratedAt: string;
}

const TEXT = {
  title: { vi: 'Đánh giá mức độ hài lòng', en: 'Rate your satisfaction' },
  intro: { vi: 'Hồ sơ đã giải quyết xong. Mời bạn đánh giá một lần, từ 1 (rất không hài lòng) đến 5 (rất hài lòng).', en: 'Your dossier has ended. Please rate it once, from 1 (very dissatisfied) to 5 (very satisfied).' },
  score: { vi: 'Điểm', en: 'Score' },
  comment: { vi: 'Góp ý (không bắt buộc)', en: 'Comment (optional)' },
  send: { vi: 'Gửi đánh giá', en: 'Send the rating' },
  sending: { vi: 'Đang gửi…', en: 'Sending…' },
  rated: { vi: 'Bạn đã đánh giá {score}/5 lúc {at}.', en: 'You rated it {score}/5 at {at}.' },
  choose: { vi: 'Hãy chọn số điểm', en: 'Choose a score' },
} as const;
const SCORES = [1, 2, 3, 4, 5] as const;
const SCORE_WORDS: Record<number, { vi: string; en: string }> = {
  1: { vi: 'Rất không hài lòng', en: 'Very dissatisfied' },
  2: { vi: 'Không hài lòng', en: 'Dissatisfied' },
  3: { vi: 'Bình thường', en: 'Neutral' },
  4: { vi: 'Hài lòng', en: 'Satisfied' },
  5: { vi: 'Rất hài lòng', en: 'Very satisfied' },
};

/**
 * The applicant's rating of their ended dossier (satisfaction, Decision 766; Circular 01 Art.
 * 32.2): 1–5 and a comment, sent once (POST /api/dossiers/:id/rating); afterwards what they gave.
 */
export function RatingSection({ language, dossierId, rating, onRated }: { language: Language; dossierId: string; rating: DossierRating | null; onRated: () => void }) {
  const t = (key: keyof typeof TEXT) => TEXT[key][language];
  const [score, setScore] = useState<number | undefined>();
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | undefined>();
  const [unchosen, setUnchosen] = useState(false);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (score === undefined) return setUnchosen(true);
    setSending(true);
    try {
      await apiJson(`/api/dossiers/${encodeURIComponent(dossierId)}/rating`, { language, json: { score, ...(comment.trim() ? { comment } : {}) } });
      setRefusal(undefined);
      onRated();
    } catch (error) {
      setRefusal(refusalOf(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="portal-rating" aria-labelledby="portal-rating-title" data-testid="rating">
      <h3 id="portal-rating-title">{t('title')}</h3>
      {rating ? (
        <p data-testid="rating-given">{t('rated').replace('{score}', String(rating.score)).replace('{at}', formatDateTime(rating.ratedAt))}{rating.comment ? ` “${rating.comment}”` : ''}</p>
      ) : (
        <form onSubmit={(event) => void send(event)}>
          <p className="muted">{t('intro')}</p>
          <fieldset className="portal-rating-scores" aria-invalid={unchosen && score === undefined}>
            <legend>{t('score')}</legend>
            {SCORES.map((value) => (
              <label key={value} title={SCORE_WORDS[value]![language]}>
                <input type="radio" name="rating-score" value={value} checked={score === value} onChange={() => { setScore(value); setUnchosen(false); }} />
                {value} – {SCORE_WORDS[value]![language]}
              </label>
            ))}
          </fieldset>
          {unchosen && score === undefined ? <p className="portal-field-error" role="alert">{t('choose')}</p> : null}
          <label className="portal-rating-comment">
            {t('comment')}
            <textarea value={comment} maxLength={1000} rows={2} onChange={(event) => setComment(event.target.value)} />
          </label>
          {refusal ? <p className="portal-field-error" role="alert">{refusal.messages[language]}{Object.values(refusal.body).map((words) => ` ${words[language]}`).join('')}</p> : null}
          <button type="submit" className="primary" disabled={sending}>{sending ? t('sending') : t('send')}</button>
        </form>
      )}
    </section>
  );
}
