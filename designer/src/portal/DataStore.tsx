import { useEffect } from 'react';
import type { Language } from '../i18n.ts';
import { portalText, type PortalMessageKey } from './messages.ts';
import { portalApi, type StoredResult } from './portal-api.ts';
import { ResultItem } from './ResultItem.tsx';
import { Failure } from './SubmitTab.tsx';
import { usePagedList } from './use-paged-list.ts';

/**
 * "Kho dữ liệu": the results of all the applicant's dossiers, kept in their e-data store (Decree 45
 * Art. 14.1, 16.2.b), newest first, each with the dossier it came from. Issue 12 adds the rest of
 * the store (identity documents, digitized copies, Circular 01 Art. 24.2).
 */
export function DataStore({ language, onOpenDossier }: { language: Language; onOpenDossier: (id: string) => void }) {
  const t = (key: PortalMessageKey) => portalText(language, key);
  const { items, next, failure, load } = usePagedList<StoredResult>((cursor) => portalApi.storedResults(language, cursor));
  useEffect(() => {
    void load(null);
  }, []);

  if (!items) return failure ? <Failure language={language} refusal={failure} /> : <p className="muted">{t('loading')}</p>;
  return (
    <section aria-labelledby="portal-store-title">
      <h2 id="portal-store-title">{t('storeTitle')}</h2>
      <p className="muted">{t('storeExplain')}</p>
      {failure ? <Failure language={language} refusal={failure} /> : null}
      {items.length === 0 ? (
        <p>{t('storeEmpty')}</p>
      ) : (
        <ul className="portal-results" data-testid="store-results">
          {items.map((result) => (
            <ResultItem key={result.code} language={language} result={result}>
              {' · '}
              <button type="button" className="link" onClick={() => onOpenDossier(result.dossier.id)}>
                {result.dossier.procedureName} ({result.dossier.code})
              </button>
            </ResultItem>
          ))}
        </ul>
      )}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          {t('more')}
        </button>
      ) : null}
    </section>
  );
}
