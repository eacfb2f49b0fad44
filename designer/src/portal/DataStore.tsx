import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { DOCUMENT_KIND_NAMES, type DocumentKind } from '../../../engine/digitization/document-kinds.ts';
import { METADATA_FIELDS } from '../../../engine/digitization/metadata.ts';
import type { Language } from '../i18n.ts';
import { ComponentSignatureNote } from '../signatures/ComponentSignatureNote.tsx';
import { workspaceText } from '../workspace/messages.ts';
import { portalText, statusWords, type PortalMessageKey } from './messages.ts';
import { portalApi, type StoredDocument, type StoreHolder, type StoreSections } from './portal-api.ts';
import { formatFileSize } from './portal-format.ts';
import { refusalOf, type Refusal } from './refusal.ts';
import { ResultItem } from './ResultItem.tsx';
import { Failure } from './SubmitTab.tsx';
import { usePagedList } from './use-paged-list.ts';
import { formatDateTime, formatDay } from '../format.ts';

type Section = 'identity' | keyof StoreSections;

/** The sections in the order of Circular 01 Art. 24.2 (b and c together: a dossier with its history). */
const SECTIONS: ReadonlyArray<{ id: Section; title: PortalMessageKey }> = [
  { id: 'identity', title: 'storeIdentityTitle' },
  { id: 'dossiers', title: 'storeDossiersTitle' },
  { id: 'results', title: 'storeResultsTitle' },
  { id: 'copies', title: 'storeCopiesTitle' },
  { id: 'documents', title: 'storeDocumentsTitle' },
  { id: 'uploads', title: 'storeUploadsTitle' },
];

const headingId = (section: Section) => `store-${section}-title`;

/**
 * "Kho dữ liệu": the applicant's e-data store, one section per point of Circular 01 Art. 24.2
 * (docs/datastore.md): identity (a), dossiers with their history (b, c), results (d), certified
 * e-copies (dd), digitized documents with their Art. 9.2 metadata and Art. 10 code (e), the files
 * they uploaded with their digital signatures (g). Each list is paged ("Xem thêm"); the section
 * list at the top moves the focus to a section's heading.
 */
export function DataStore({ language, onOpenDossier }: { language: Language; onOpenDossier: (id: string) => void }) {
  const t = (key: PortalMessageKey) => portalText(language, key);
  const go = (section: Section) => {
    const heading = document.getElementById(headingId(section));
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  };
  return (
    <section aria-labelledby="portal-store-title" className="portal-store">
      <h2 id="portal-store-title">{t('storeTitle')}</h2>
      <p className="muted">{t('storeExplain')}</p>
      <nav aria-label={t('storeSections')} className="portal-store-nav">
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.id}>
              <button type="button" className="link" onClick={() => go(section.id)}>
                {t(section.title)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <IdentitySection language={language} />
      <StoreList language={language} section="dossiers" empty="storeDossiersEmpty">
        {(dossiers) => (
          <table className="portal-table">
            <thead>
              <tr>
                <th scope="col">{t('dossierCode')}</th>
                <th scope="col">{t('procedure')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('submittedOn')}</th>
                <th scope="col">{t('history')}</th>
              </tr>
            </thead>
            <tbody>
              {dossiers.map((dossier) => (
                <tr key={dossier.id}>
                  <td>
                    <button type="button" className="link portal-code" onClick={() => onOpenDossier(dossier.id)}>
                      {dossier.code}
                    </button>
                  </td>
                  <td>{dossier.procedure.name}</td>
                  <td>{statusWords(language, dossier.status, dossier.statusText)}</td>
                  <td>{formatDateTime(dossier.submittedAt)}</td>
                  <td>
                    <details>
                      <summary>{portalText(language, 'historyCount', { n: dossier.history.length })}</summary>
                      <ol className="portal-history">
                        {dossier.history.map((event, index) => (
                          <li key={index}>
                            <time dateTime={event.at}>{formatDateTime(event.at)}</time> {event.text[language]}
                          </li>
                        ))}
                      </ol>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </StoreList>
      <StoreList language={language} section="results" empty="storeEmpty">
        {(results) => (
          <ul className="portal-results">
            {results.map((result) => (
              <ResultItem key={result.code} language={language} result={result}>
                {' · '}
                <button type="button" className="link" onClick={() => onOpenDossier(result.dossier.id)}>
                  {result.dossier.procedureName} ({result.dossier.code})
                </button>
              </ResultItem>
            ))}
          </ul>
        )}
      </StoreList>
      <StoreList language={language} section="copies" empty="storeCopiesEmpty">
        {(copies) => <DocumentList language={language} documents={copies} />}
      </StoreList>
      <StoreList language={language} section="documents" empty="storeDocumentsEmpty">
        {(documents) => <DocumentList language={language} documents={documents} />}
      </StoreList>
      <StoreList language={language} section="uploads" empty="storeUploadsEmpty">
        {(uploads) => (
          <table className="portal-table">
            <thead>
              <tr>
                <th scope="col">{t('component')}</th>
                <th scope="col">{t('file')}</th>
                <th scope="col">{t('uploadedOn')}</th>
                <th scope="col">{t('signature')}</th>
                <th scope="col">{t('fromDossier')}</th>
              </tr>
            </thead>
            <tbody>
              {uploads.map((upload) => (
                <tr key={upload.id} className={upload.supersededAt ? 'muted' : undefined}>
                  <td>{upload.name}</td>
                  <td>
                    <a href={upload.href}>{upload.fileName}</a> ({formatFileSize(upload.size, language)})
                    {upload.storedFrom ? <span className="portal-hint">{t('givenFromStore')}</span> : null}
                    {upload.supersededAt ? <span className="portal-hint">{portalText(language, 'superseded', { at: formatDateTime(upload.supersededAt) })}</span> : null}
                  </td>
                  <td>{formatDateTime(upload.uploadedAt)}</td>
                  <td>{upload.signature ? <ComponentSignatureNote signature={upload.signature} language={language} /> : <span className="muted">{t('unsigned')}</span>}</td>
                  <td className="portal-code">{upload.dossier.code}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </StoreList>
    </section>
  );
}

/** Art. 24.2.a: who the holder is, as the account holds it (registration, VNeID/SSO), and how surely (Decree 45 Art. 8). */
function IdentitySection({ language }: { language: Language }) {
  const t = (key: PortalMessageKey, values?: Record<string, string | number>) => portalText(language, key, values);
  const [holder, setHolder] = useState<StoreHolder | undefined>();
  const [failure, setFailure] = useState<Refusal | undefined>();
  useEffect(() => {
    portalApi.storeHolder(language).then(setHolder, (error: unknown) => setFailure(refusalOf(error)));
  }, []);
  const identity = holder?.identity;
  const source = (by: string) => (by === 'self-registered' ? t('identifiedSelf') : by === 'demo' ? t('identifiedDemo') : by.startsWith('oidc:') ? t('identifiedOidc', { issuer: by.slice('oidc:'.length) }) : by);
  const facts: Array<[PortalMessageKey, string | null | undefined]> = identity
    ? [
        ['fullName', identity.fullName],
        [identity.holderKind === 'organisation' ? 'taxId' : 'personalIdShort', identity.holderId],
        ['dateOfBirth', identity.dateOfBirth ? formatDay(identity.dateOfBirth) : null],
        ['assuranceLevel', identity.assuranceLevel === undefined ? null : t('assuranceLevelValue', { n: identity.assuranceLevel })],
        ['identifiedBy', identity.identifiedBy ? source(identity.identifiedBy) : null],
        ['emailShort', identity.email],
        ['phone', identity.phone],
      ]
    : [];
  return (
    <section aria-labelledby={headingId('identity')} className="portal-store-section" data-testid="store-identity">
      <h3 id={headingId('identity')} tabIndex={-1}>
        {t('storeIdentityTitle')}
      </h3>
      {failure ? <Failure language={language} refusal={failure} /> : null}
      {identity ? (
        <dl className="portal-facts">
          {facts.map(([label, value]) => (
            <Fragment key={label}>
              <dt>{t(label)}</dt>
              <dd>{value ?? <span className="muted">{t('notGiven')}</span>}</dd>
            </Fragment>
          ))}
        </dl>
      ) : failure ? null : (
        <p className="muted">{t('loading')}</p>
      )}
    </section>
  );
}

/** One paged section of the store: its heading with the count, its items as `children` lays them out, "Xem thêm". */
function StoreList<S extends keyof StoreSections>({ language, section, empty, children }: { language: Language; section: S; empty: PortalMessageKey; children: (items: Array<StoreSections[S]>) => ReactNode }) {
  const t = (key: PortalMessageKey) => portalText(language, key);
  const { items, next, total, failure, load } = usePagedList<StoreSections[S]>((cursor) => portalApi.storeSection(language, section, cursor));
  useEffect(() => {
    void load(null);
  }, []);
  const title = SECTIONS.find((candidate) => candidate.id === section)!.title;
  return (
    <section aria-labelledby={headingId(section)} className="portal-store-section" data-testid={`store-${section}`}>
      <h3 id={headingId(section)} tabIndex={-1}>
        {t(title)}
        {total ? <span className="portal-badge">{total}</span> : null}
      </h3>
      {failure ? <Failure language={language} refusal={failure} /> : null}
      {!items ? failure ? null : <p className="muted">{t('loading')}</p> : items.length === 0 ? <p className="muted">{t(empty)}</p> : children(items)}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          {t('more')}
        </button>
      ) : null}
    </section>
  );
}

const DATE_FIELDS: ReadonlySet<string> = new Set(['holderBornOn', 'issuedOn', 'validUntil']);

/** Digitized documents (Art. 24.2.dd–e): name linking to the signed copy, Art. 10 code, validity, dossier; the Art. 9.2 metadata on demand. */
function DocumentList({ language, documents }: { language: Language; documents: StoredDocument[] }) {
  const t = (key: PortalMessageKey) => portalText(language, key);
  return (
    <ul className="portal-results">
      {documents.map((document) => (
        <li key={document.id}>
          <a href={document.href}>{document.name}</a> · <span className="portal-code">{document.code}</span> · {document.valid ? t('documentValid') : t('documentExpired')}
          {document.validUntil ? ` (${formatDay(document.validUntil)})` : ''} · {document.dossier.code}
          <span className="portal-hint">
            {t('documentKind')}: {DOCUMENT_KIND_NAMES[document.documentKind as DocumentKind]?.[language] ?? document.documentKind}
          </span>
          <details>
            <summary>{t('metadataTitle')}</summary>
            <dl className="portal-facts">
              {METADATA_FIELDS.map((field) => {
                const value = document.metadata[field];
                return (
                  <Fragment key={field}>
                    <dt>{workspaceText(language, `dzField.${field}`)}</dt>
                    <dd>{value ? (DATE_FIELDS.has(field) ? formatDay(value) : value) : <span className="muted">{t('notGiven')}</span>}</dd>
                  </Fragment>
                );
              })}
            </dl>
          </details>
        </li>
      ))}
    </ul>
  );
}
