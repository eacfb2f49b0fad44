import { formatDateTime } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import type { Draft } from './draft-store.ts';

interface DraftBannerProps {
  language: Language;
  draft: Draft;
  onRecover: () => void;
  onDiscard: () => void;
}

/** After a crash or reload: the drawing that was never saved, offered back (or thrown away on request). */
export function DraftBanner({ language, draft, onRecover, onDiscard }: DraftBannerProps) {
  const t = (key: MessageKey) => translate(language, key);
  return (
    <section className="banner draft" aria-label={t('draftFound')} data-testid="draft-banner">
      <strong>{t('draftFound')}:</strong>
      <span>
        {draft.name}
        {draft.baseVersion === undefined ? '' : ` (${t('version')} ${draft.baseVersion})`}
      </span>
      <span className="spacer" />
      <button type="button" className="primary" onClick={onRecover}>
        {t('draftOffer')} ({formatDateTime(draft.savedAt)})
      </button>
      <button type="button" onClick={onDiscard}>
        {t('draftDiscard')}
      </button>
    </section>
  );
}
