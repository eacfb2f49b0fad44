import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { formatDateTime, parseDay } from '../format.ts';
import type { Language } from '../i18n.ts';
import type { Problem } from '../api-client.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import { DOSSIER_STATUSES, DOSSIER_STATUS_TEXT, INSTANCE_STATUS_TEXT, monitoringText, type MonitoringMessage } from './messages.ts';
import type { MonitoringPlace } from './MonitoringApp.tsx';
import { monitoringApi, type SearchFilter, type SearchItem } from './monitoring-api.ts';

type Typed = Record<'code' | 'businessKey' | 'applicant' | 'procedure' | 'agency' | 'status' | 'instanceStatus' | 'from' | 'to', string>;
const EMPTY: Typed = { code: '', businessKey: '', applicant: '', procedure: '', agency: '', status: '', instanceStatus: '', from: '', to: '' };
const REMEMBERED = 'quytrinh.monitoring.search';

/** The search (GET /api/monitoring/search): filters on top, the newest first below, "show more" following `next`. */
export function SearchScreen({ language, onOpen }: { language: Language; onOpen: (place: MonitoringPlace) => void }) {
  const t = (key: MonitoringMessage, values?: Record<string, string | number>) => monitoringText(language, key, values);
  const [typed, setTyped] = useState<Typed>(() => ({ ...EMPTY, ...(JSON.parse(sessionStorage.getItem(REMEMBERED) ?? '{}') as Partial<Typed>) }));
  const [asked, setAsked] = useState<Typed>(typed);
  const [items, setItems] = useState<SearchItem[]>([]);
  const [total, setTotal] = useState<number | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const request = useRef(0);
  const badFrom = asked.from !== '' && parseDay(asked.from) === undefined;
  const badTo = asked.to !== '' && parseDay(asked.to) === undefined;

  const read = useCallback(
    async (cursor: string | null) => {
      if (badFrom || badTo) return;
      const filter: SearchFilter = { ...asked, from: asked.from ? parseDay(asked.from) : undefined, to: asked.to ? parseDay(asked.to) : undefined };
      const mine = ++request.current;
      setLoading(true);
      try {
        const page = await monitoringApi.search(language, filter, cursor);
        if (mine !== request.current) return;
        setItems((shown) => (cursor ? [...shown, ...page.items] : page.items));
        if (!cursor) setTotal(page.total);
        setNext(page.next);
        setProblem(undefined);
      } catch (failure) {
        if (mine === request.current) setProblem(problemOf(failure));
      } finally {
        if (mine === request.current) setLoading(false);
      }
    },
    // The language words the server's refusals only.
    [asked],
  );

  useEffect(() => {
    sessionStorage.setItem(REMEMBERED, JSON.stringify(asked));
    void read(null);
  }, [read]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAsked({ ...typed });
  };
  const field = (name: keyof Typed, label: MonitoringMessage, invalid = false) => (
    <label className="mon-field">
      <span>{t(label)}</span>
      <input value={typed[name]} onChange={(event) => setTyped({ ...typed, [name]: event.target.value })} aria-invalid={invalid} data-testid={`filter-${name}`} />
      {invalid ? <small className="mon-invalid">{t('badDate')}</small> : null}
    </label>
  );

  return (
    <section className="mon-search" aria-labelledby="mon-search-title">
      <form className="mon-filters" onSubmit={submit}>
        <h1 id="mon-search-title">{t('search')}</h1>
        {field('code', 'code')}
        {field('applicant', 'applicant')}
        {field('businessKey', 'businessKey')}
        {field('procedure', 'procedure')}
        {field('agency', 'agency')}
        <label className="mon-field">
          <span>{t('status')}</span>
          <select value={typed.status} onChange={(event) => setTyped({ ...typed, status: event.target.value })} data-testid="filter-status">
            <option value="">{t('any')}</option>
            {DOSSIER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {DOSSIER_STATUS_TEXT[status][language]}
              </option>
            ))}
          </select>
        </label>
        <label className="mon-field">
          <span>{t('instanceStatus')}</span>
          <select value={typed.instanceStatus} onChange={(event) => setTyped({ ...typed, instanceStatus: event.target.value })} data-testid="filter-instanceStatus">
            <option value="">{t('any')}</option>
            {Object.entries(INSTANCE_STATUS_TEXT).map(([status, text]) => (
              <option key={status} value={status}>
                {text[language]}
              </option>
            ))}
          </select>
        </label>
        {field('from', 'from', badFrom)}
        {field('to', 'to', badTo)}
        <div className="mon-filter-buttons">
          <button type="submit" className="primary">
            {t('find')}
          </button>
          <button type="button" onClick={() => { setTyped(EMPTY); setAsked(EMPTY); }}>
            {t('clear')}
          </button>
        </div>
      </form>
      <div className="mon-results">
        {problem ? <ProblemNotice problem={problem} language={language} testId="search-problem" /> : null}
        <p className="muted" data-testid="search-total">
          {loading && items.length === 0 ? t('loading') : total === undefined ? '' : t('found', { n: new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-GB').format(total) })}
        </p>
        {items.length === 0 && !loading && !problem ? <p className="muted">{t('none')}</p> : null}
        {items.length > 0 ? (
          <table className="mon-table">
            <thead>
              <tr>
                <th>{t('code')}</th>
                <th>{t('applicantShort')}</th>
                <th>{t('procedureShort')}</th>
                <th>{t('agency')}</th>
                <th>{t('status')}</th>
                <th>{t('standsAt')}</th>
                <th>{t('submittedAt')}</th>
                <th>{t('incidents')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.instanceId} data-testid="search-row" data-code={item.dossier?.code ?? ''}>
                  <td>
                    <button type="button" className="link mon-open" onClick={() => onOpen({ screen: 'instance', instanceId: item.instanceId })}>
                      {item.dossier?.code ?? item.businessKey ?? item.instanceId.slice(0, 8)}
                    </button>
                  </td>
                  <td>{item.dossier?.applicantName ?? '—'}</td>
                  <td>
                    <button type="button" className="link" title={t('heatMap')} onClick={() => onOpen({ screen: 'procedure', key: item.procedure.key })}>
                      {item.procedure.name ?? item.procedure.key}
                    </button>
                  </td>
                  <td>{item.dossier?.agencyCode ?? '—'}</td>
                  <td>{item.dossier ? DOSSIER_STATUS_TEXT[item.dossier.status as (typeof DOSSIER_STATUSES)[number]]?.[language] ?? item.dossier.status : INSTANCE_STATUS_TEXT[item.instanceStatus]?.[language]}</td>
                  <td className="mon-elements">{(item.openSteps.length > 0 ? item.openSteps : item.activeElementIds).join(', ') || INSTANCE_STATUS_TEXT[item.instanceStatus]?.[language]}</td>
                  <td>{formatDateTime(item.dossier?.submittedAt ?? item.startedAt)}</td>
                  <td className={item.incidents > 0 ? 'mon-incident-count' : ''}>{item.incidents > 0 ? item.incidents : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {next ? (
          <button type="button" className="mon-more" disabled={loading} onClick={() => void read(next)}>
            {t('more')}
          </button>
        ) : null}
      </div>
    </section>
  );
}
