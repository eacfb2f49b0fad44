import { useEffect } from 'react';
import type { Language } from '../i18n.ts';
import { portalText, type PortalMessageKey } from './messages.ts';
import { portalApi, type StoredDocument, type StoredResult } from './portal-api.ts';
import { ResultItem } from './ResultItem.tsx';
import { Failure } from './SubmitTab.tsx';
import { usePagedList } from './use-paged-list.ts';

/**
 * "Kho dữ liệu": the results of all the applicant's dossiers, kept in their e-data store (Decree 45
 * Art. 14.1, 16.2.b), newest first, each with the dossier it came from, and the digitized documents
 * with their code and validity (Circular 01 Art. 24.2.e; docs/datastore.md).
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
      <StoredDocuments language={language} />
    </section>
  );
}

/** The digitized documents of the store, newest first: name, code (Art. 10), validity, the signed copy. */
function StoredDocuments({ language }: { language: Language }) {
  const t = (key: PortalMessageKey) => portalText(language, key);
  const { items, next, failure, load } = usePagedList<StoredDocument>((cursor) => portalApi.storedDocuments(language, cursor));
  useEffect(() => {
    void load(null);
  }, []);
  if (!items) return failure ? <Failure language={language} refusal={failure} /> : null;
  return (
    <>
      <h3>{t('storeDocumentsTitle')}</h3>
      {items.length === 0 ? (
        <p>{t('storeDocumentsEmpty')}</p>
      ) : (
        <ul className="portal-results" data-testid="store-documents">
          {items.map((document) => (
            <li key={document.id}>
              <a href={document.href}>{document.name}</a> · {document.code} · {document.valid ? t('documentValid') : t('documentExpired')}
              {document.validUntil ? ` (${document.validUntil.split('-').reverse().join('/')})` : ''} · {document.dossier.code}
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          {t('more')}
        </button>
      ) : null}
    </>
  );
}
