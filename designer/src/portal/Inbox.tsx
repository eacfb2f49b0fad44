import { useEffect } from 'react';
import type { Language } from '../i18n.ts';
import { portalText, type PortalMessageKey } from './messages.ts';
import { portalApi, type Bilingual, type Notice } from './portal-api.ts';
import { refusalOf } from './refusal.ts';
import { Failure } from './SubmitTab.tsx';
import { usePagedList } from './use-paged-list.ts';
import { formatDateTime } from '../format.ts';

const words = (text: Bilingual | string, language: Language) => (typeof text === 'string' ? text : text[language]);

/**
 * "Thông báo": what the agencies told the applicant (receipt, amendment guidance, refusal, result,
 * annulment; Decree 45 Art. 11.3, 18), newest first; an unread one can be marked read.
 */
export function Inbox({ language, onOpenDossier, onUnreadChange }: { language: Language; onOpenDossier: (id: string) => void; onUnreadChange: (unread: number) => void }) {
  const t = (key: PortalMessageKey, values?: Record<string, string | number>) => portalText(language, key, values);
  const { items, setItems, next, failure, setFailure, load } = usePagedList<Notice>((cursor) => portalApi.notices(language, cursor));
  useEffect(() => {
    void load(null);
  }, []);
  useEffect(() => {
    if (items) onUnreadChange(items.filter((notice) => !notice.readAt).length);
  }, [items]);

  const markRead = (notice: Notice) =>
    portalApi.markRead(language, notice.id).then(
      () => setItems((current) => current?.map((item) => (item.id === notice.id ? { ...item, readAt: new Date().toISOString() } : item))),
      (error: unknown) => setFailure(refusalOf(error)),
    );

  if (!items) return failure ? <Failure language={language} refusal={failure} /> : <p className="muted">{t('loading')}</p>;
  if (items.length === 0) return <p>{t('noNotices')}</p>;
  return (
    <section>
      {failure ? <Failure language={language} refusal={failure} /> : null}
      <ul className="portal-notices" data-testid="notices">
        {items.map((notice) => (
          <li key={notice.id} className={notice.readAt ? 'read' : 'unread'}>
            <div className="portal-notice-head">
              <strong>{words(notice.subject, language)}</strong>
              <span className="muted">{formatDateTime(notice.createdAt)}</span>
              {notice.readAt ? <span className="muted">{t('read')}</span> : <span className="portal-badge">{t('unread')}</span>}
            </div>
            <p className="portal-notice-body">{words(notice.body, language)}</p>
            <p className="portal-actions">
              {notice.dossierId ? (
                <button type="button" className="link" onClick={() => onOpenDossier(notice.dossierId!)}>
                  {t('openDossier')}
                  {notice.dossierCode ? ` ${notice.dossierCode}` : ''}
                </button>
              ) : null}
              {notice.readAt ? null : (
                <button type="button" onClick={() => void markRead(notice)}>
                  {t('markRead')}
                </button>
              )}
            </p>
          </li>
        ))}
      </ul>
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          {t('more')}
        </button>
      ) : null}
    </section>
  );
}
