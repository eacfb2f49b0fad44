import type { VersionInfo } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';

interface VersionsPanelProps {
  language: Language;
  /** Newest first, as the server lists them; empty for a model never saved. */
  versions: VersionInfo[];
  /** The version on the canvas. */
  shown: number | undefined;
  onOpen: (version: number) => void;
}

/** The open model's history: every save with its number, who saved it, when, and why. */
export function VersionsPanel({ language, versions, shown, onOpen }: VersionsPanelProps) {
  const t = (key: MessageKey) => translate(language, key);
  const latest = versions[0]?.version;
  return (
    <section className="versions" aria-label={t('versions')}>
      <h2>{t('versions')}</h2>
      {versions.length === 0 ? <p className="muted">{t('versionsNone')}</p> : null}
      <ol>
        {versions.map((entry) => (
          <li key={entry.version} className={entry.version === shown ? 'current' : ''} data-version={entry.version}>
            <button type="button" className="link" onClick={() => onOpen(entry.version)} title={t('versionOpen')}>
              {t('version')} {entry.version}
            </button>
            {entry.version === latest ? <span className="muted"> · {t('versionLatest')}</span> : null}
            <div className="muted">
              {entry.author || t('authorUnknown')} · <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
            </div>
            {entry.comment ? <div className="version-comment">{entry.comment}</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

interface ViewingBannerProps {
  language: Language;
  version: number;
  /** An analyst may view an earlier version but not restore it (a restore is a save). */
  readOnly: boolean;
  onRestore: () => void;
  onBackToLatest: () => void;
}

/** Over the canvas while an earlier version is open: which one, and the way back or forward. */
export function ViewingBanner({ language, version, readOnly, onRestore, onBackToLatest }: ViewingBannerProps) {
  const t = (key: MessageKey) => translate(language, key);
  return (
    <section className="banner" aria-label={`${t('viewingVersion')} ${version}`} data-testid="viewing-banner">
      <strong>
        {t('viewingVersion')} {version}
      </strong>
      <span className="muted">{t('viewingHint')}</span>
      <span className="spacer" />
      <span title={readOnly ? t('readOnlyRole') : undefined}>
        <button type="button" className="primary" disabled={readOnly} onClick={onRestore}>
          {t('restore')}
        </button>
      </span>
      <button type="button" onClick={onBackToLatest}>
        {t('backToLatest')}
      </button>
    </section>
  );
}
