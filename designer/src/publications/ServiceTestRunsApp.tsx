import { useCallback, useEffect, useState } from 'react';
import type { PublicationStatus } from '../../../engine/publication/service-test-run.ts';
import type { Problem } from '../api-client.ts';
import { formatDateTime } from '../format.ts';
import { OfficeToolbar } from '../session/OfficeToolbar.tsx';
import { OfficeGate, type OfficeSession } from '../session/OfficeGate.tsx';
import type { Account } from '../session/session-api.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import { publicationsText, type PublicationsMessage } from './messages.ts';
import { publicationsApi, type Publication } from './publications-api.ts';
import { TestRunPanel } from './TestRunPanel.tsx';
import './publications.css';

export const SERVICE_TEST_RUNS_PATH = '/kiem-thu-dich-vu';

/** Procedure-control staff and administrators (route policies of /api/service-publications). */
const testsHere = (account: Account) => account.roles.includes('staff') || account.roles.includes('admin');

const STATUSES: PublicationStatus[] = ['testing', 'stopped', 'tested'];

/**
 * `/kiem-thu-dich-vu`: the online services published and their test runs (Circular 01/2023
 * Art. 20, docs/service-test-runs.md): the list with each due time and status, and the chosen
 * service's checklist, record or stop.
 */
export function ServiceTestRunsApp() {
  return <OfficeGate text={publicationsText} allows={testsHere}>{(session) => <ServiceTestRuns session={session} />}</OfficeGate>;
}

function ServiceTestRuns({ session }: { session: OfficeSession }) {
  const { language, onLanguageChange } = session;
  const t = (key: PublicationsMessage) => publicationsText(language, key);
  const { account, signOut } = session;
  const [status, setStatus] = useState<PublicationStatus | ''>('');
  const [items, setItems] = useState<Publication[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<number | undefined>();
  const [chosen, setChosen] = useState<string | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();

  const load = useCallback(
    (cursor: string | null) => {
      publicationsApi.list(language, status, cursor).then(
        (page) => {
          setItems((current) => (cursor ? [...current, ...page.items] : page.items));
          setNext(page.next);
          if (page.total !== undefined) setTotal(page.total);
          setProblem(undefined);
        },
        (failure: unknown) => setProblem(problemOf(failure)),
      );
    },
    [status],
  );
  useEffect(() => load(null), [load]);

  const changed = (publication: Publication) => setItems((current) => current.map((item) => (item.key === publication.key ? publication : item)));

  return (
    <div className="pub-page">
      <OfficeToolbar title={t('title')} displayName={account.displayName} signOutText={t('signOut')} onSignOut={() => void signOut()} language={language} onLanguageChange={onLanguageChange} />
      <main className="pub-main">
        <section className="pub-list" aria-labelledby="pub-list-title">
          <h1 id="pub-list-title">{t('services')}</h1>
          <p className="muted pub-intro">{t('intro')}</p>
          <label className="pub-filter">
            {t('status')}{' '}
            <select value={status} onChange={(event) => setStatus(event.target.value as PublicationStatus | '')} data-testid="status-filter">
              <option value="">{t('allStatuses')}</option>
              {STATUSES.map((value) => (
                <option key={value} value={value}>
                  {t(value)}
                </option>
              ))}
            </select>
            {total !== undefined ? <span className="muted"> · {total}</span> : null}
          </label>
          {problem ? <ProblemNotice problem={problem} language={language} /> : null}
          <div className="pub-table-wrap">
            <table className="pub-table" data-testid="publications">
              <thead>
                <tr>
                  <th scope="col">{t('procedure')}</th>
                  <th scope="col">{t('publishedAt')}</th>
                  <th scope="col">{t('dueAt')}</th>
                  <th scope="col">{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id} className={item.key === chosen ? 'pub-selected' : undefined} data-key={item.key}>
                    <td>
                      <button type="button" className="link" onClick={() => setChosen(item.key)} aria-pressed={item.key === chosen}>
                        {item.procedureName}
                      </button>
                      <div className="muted pub-code">{item.procedureCode}</div>
                    </td>
                    <td>{formatDateTime(item.publishedAt)}</td>
                    <td>{formatDateTime(item.dueAt)}</td>
                    <td>
                      <span className={`pub-badge pub-${item.status}`}>{t(item.status)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {items.length === 0 && !problem ? <p className="muted">{t('none')}</p> : null}
          </div>
          {next ? (
            <button type="button" onClick={() => load(next)}>
              {t('more')}
            </button>
          ) : null}
        </section>
        <aside className="pub-side">{chosen ? <TestRunPanel key={chosen} serviceKey={chosen} language={language} onChanged={changed} /> : <p className="muted">{t('choose')}</p>}</aside>
      </main>
    </div>
  );
}
