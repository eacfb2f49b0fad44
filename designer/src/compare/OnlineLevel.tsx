import type { OnlineServiceClassification } from './compare-api.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';

interface OnlineLevelProps {
  classification: OnlineServiceClassification;
  language: Language;
  /** Shows an element of the to-be model (a process id stands for its pool). */
  onSelect: (elementId: string) => void;
}

/** Circular 01 Art. 13: the to-be model's online-service level, each unmet criterion with the elements that break it. */
export function OnlineLevel({ classification, language, onSelect }: OnlineLevelProps) {
  const t = (key: MessageKey) => translate(language, key);
  const unmet = classification.criteria.filter((criterion) => !criterion.met);
  return (
    <section className="online-level" data-testid="online-level">
      <p>
        {t('onlineLevel')}: <strong className={`level ${classification.level}`} data-testid="online-level-label">{classification.label[language]}</strong>
      </p>
      {unmet.length === 0 ? (
        <p className="muted">{t('allCriteriaMet')}</p>
      ) : (
        <>
          <p className="muted">{t('unmetCriteria')}</p>
          <ul className="criteria">
            {unmet.map((criterion) => (
              <li key={criterion.criterion} data-testid={`criterion-${criterion.criterion}`}>
                <strong>{criterion.label[language]}</strong>
                <ul>
                  {criterion.breaches.map((breach, index) => (
                    <li key={`${breach.elementId}-${index}`}>
                      <button type="button" className="link" onClick={() => onSelect(breach.elementId)}>
                        {breach.reason[language]}
                      </button>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
      <ul className="criteria-met muted">
        {classification.criteria
          .filter((criterion) => criterion.met)
          .map((criterion) => (
            <li key={criterion.criterion}>
              ✓ {criterion.label[language]}
              {criterion.applicable ? '' : ` (${t('notApplicable')})`}
            </li>
          ))}
      </ul>
    </section>
  );
}
