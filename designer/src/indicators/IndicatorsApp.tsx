import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { vietnamDateOf } from '../../../engine/calendar/civil-date.ts';
import type { Problem } from '../api-client.ts';
import { download } from '../download.ts';
import { formatDateTime, formatDay, formatNumber, parseDay } from '../format.ts';
import type { Language } from '../i18n.ts';
import { OfficeToolbar } from '../session/OfficeToolbar.tsx';
import { OfficeGate, type OfficeSession } from '../session/OfficeGate.tsx';
import type { Account } from '../session/session-api.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import { indicatorsApi, type Figure, type IndicatorFilter, type IndicatorInfo, type IndicatorReport } from './indicators-api.ts';
import { indicatorsText, type IndicatorsMessage } from './messages.ts';
import './indicators.css';

export const INDICATORS_PATH = '/chi-so';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Officials see their agencies' figures; staff, analysts and administrators every agency's (the server decides). */
const readsIndicators = (account: Account) => account.roles.some((role) => role === 'official' || role === 'staff' || role === 'analyst' || role === 'admin');

/** A figure as read: a percent with one decimal (92,5 %), a mean rating with two (3,5), or "none yet". */
export function formatFigure(figure: Figure, unit: IndicatorInfo['unit'], language: Language): string {
  if (figure.value === null) return indicatorsText(language, 'none');
  return unit === 'percent' ? `${formatNumber(figure.value, language, 1)} %` : formatNumber(figure.value, language, 2);
}

/** The half-year whose reporting period (Decree 45 Art. 26.9 / 27.8, read in docs/indicators.md) holds today. */
function currentHalfYear(now = new Date()): { year: number; half: 1 | 2 } {
  // Today on Vietnam's clock: the periods turn at midnight there, not in the browser's zone.
  const [year, month, day] = vietnamDateOf(now).split('-').map(Number) as [number, number, number];
  const monthDay = month * 100 + day;
  if (monthDay >= 1215) return { year: year + 1, half: 1 };
  return monthDay >= 615 ? { year, half: 2 } : { year, half: 1 };
}

/**
 * The indicators dashboard at `/chi-so` (issue 14, docs/indicators.md): Decision 766's groups as
 * bars for the period, agency and procedure chosen; the figures by agency and procedure below;
 * the workbook and the half-yearly report of Decree 45 Art. 26.9 / 27.8 to download.
 */
export function IndicatorsApp() {
  return <OfficeGate text={indicatorsText} allows={readsIndicators}>{(session) => <Dashboard session={session} />}</OfficeGate>;
}

type Typed = { from: string; to: string; agency: string; procedure: string };

function Dashboard({ session }: { session: OfficeSession }) {
  const { language, onLanguageChange } = session;
  const t = (key: IndicatorsMessage, values?: Record<string, string | number>) => indicatorsText(language, key, values);
  const [typed, setTyped] = useState<Typed>({ from: '', to: '', agency: '', procedure: '' });
  const [asked, setAsked] = useState<IndicatorFilter>({});
  const [report, setReport] = useState<IndicatorReport | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [agencies, setAgencies] = useState<Array<{ code: string; name: string }>>([]);
  const [procedures, setProcedures] = useState<Array<{ key: string; name: string }>>([]);
  const [half, setHalf] = useState(currentHalfYear);
  const request = useRef(0);
  const badFrom = typed.from !== '' && parseDay(typed.from) === undefined;
  const badTo = typed.to !== '' && parseDay(typed.to) === undefined;

  const read = useCallback(async (filter: IndicatorFilter) => {
    const mine = ++request.current;
    try {
      const answer = await indicatorsApi.report(filter, language);
      if (mine !== request.current) return;
      setReport(answer);
      setProblem(undefined);
      // The period the server counted (the running half-year when none was asked) fills empty dates.
      setTyped((current) => ({ ...current, from: current.from || formatDay(answer.period.from), to: current.to || formatDay(answer.period.to) }));
    } catch (failure) {
      if (mine === request.current) setProblem(problemOf(failure));
    }
  }, [language]);

  useEffect(() => void read(asked), [read, asked]);
  useEffect(() => {
    void indicatorsApi.agencies(language).then((answer) => setAgencies(answer.items), () => undefined);
    void indicatorsApi.procedures(language).then((answer) => setProcedures(answer.items), () => undefined);
  }, [language]);

  // An official sees only their agencies: the choice offers those.
  const own = session.account.roles.some((role) => role !== 'official') ? undefined : new Set(session.account.memberships.map((m) => m.agencyCode));
  const agencyChoices = own ? agencies.filter((agency) => own.has(agency.code)) : agencies;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (badFrom || badTo) return;
    setAsked({ from: parseDay(typed.from), to: parseDay(typed.to), agency: typed.agency || undefined, procedure: typed.procedure || undefined });
  };
  const save = async (make: () => Promise<Blob>, name: string) => {
    try {
      download(name, await make(), XLSX);
    } catch (failure) {
      setProblem(problemOf(failure));
    }
  };
  const field = (key: keyof Typed) => ({ value: typed[key], onChange: (event: { target: { value: string } }) => setTyped({ ...typed, [key]: event.target.value }) });

  return (
    <div className="ind-page">
      <OfficeToolbar title={t('title')} displayName={session.account.displayName} signOutText={t('signOut')} onSignOut={() => void session.signOut()} language={language} onLanguageChange={onLanguageChange} />
      <form className="ind-filters" onSubmit={submit} aria-label={t('title')}>
        <label className="ind-field">
          {t('from')}
          <input {...field('from')} placeholder="dd/mm/yyyy" size={10} data-testid="filter-from" aria-invalid={badFrom} />
        </label>
        <label className="ind-field">
          {t('to')}
          <input {...field('to')} placeholder="dd/mm/yyyy" size={10} data-testid="filter-to" aria-invalid={badTo} />
        </label>
        <label className="ind-field">
          {t('agency')}
          <select {...field('agency')} data-testid="filter-agency">
            <option value="">{t('all')}</option>
            {agencyChoices.map((agency) => <option key={agency.code} value={agency.code}>{agency.name}</option>)}
          </select>
        </label>
        <label className="ind-field ind-procedure">
          {t('procedure')}
          <select {...field('procedure')} data-testid="filter-procedure">
            <option value="">{t('all')}</option>
            {procedures.map((procedure) => <option key={procedure.key} value={procedure.key}>{procedure.name}</option>)}
          </select>
        </label>
        <button type="submit" className="primary">{t('show')}</button>
        <button type="button" onClick={() => void save(() => indicatorsApi.workbook(asked, language), `chi-so-766_${report?.period.from ?? ''}_${report?.period.to ?? ''}.xlsx`)} data-testid="export-xlsx">{t('exportXlsx')}</button>
        <span className="ind-half">
          <label className="ind-field">
            {t('halfYear')}
            <select value={`${half.year}-${half.half}`} onChange={(event) => { const [year, which] = event.target.value.split('-'); setHalf({ year: Number(year), half: which === '1' ? 1 : 2 }); }} data-testid="half-year">
              {[currentHalfYear().year - 1, currentHalfYear().year].flatMap((year) => [1, 2].map((which) => (
                <option key={`${year}-${which}`} value={`${year}-${which}`}>{t(which === 1 ? 'half1' : 'half2', { year, prev: year - 1 })}</option>
              )))}
            </select>
          </label>
          <button type="button" onClick={() => void save(() => indicatorsApi.halfYearly(half.year, half.half, asked.agency, language), `bao-cao-6-thang_${half.year}-${half.half}.xlsx`)} data-testid="export-half-year">{t('exportHalfYear')}</button>
        </span>
        {badFrom || badTo ? <span className="ind-invalid" role="alert">{t('badDate')}</span> : null}
      </form>
      {problem ? <ProblemNotice problem={problem} language={language} testId="indicators-problem" /> : null}
      {report ? <Figures report={report} language={language} /> : <p className="ind-loading">{t('loading')}</p>}
    </div>
  );
}

function Figures({ report, language }: { report: IndicatorReport; language: Language }) {
  const t = (key: IndicatorsMessage, values?: Record<string, string | number>) => indicatorsText(language, key, values);
  const indicators = report.groups.flatMap((group) => group.indicators);
  return (
    <main className="ind-main">
      <p className="ind-summary">
        <strong data-testid="received">{t('received', { n: formatNumber(report.total.received, language, 0) })}</strong>
        {' · '}
        {t('period', { from: formatDay(report.period.from), to: formatDay(report.period.to), at: formatDateTime(report.at) })}
        {' · '}
        <span className="ind-source">{t('source')}</span>
      </p>
      <div className="ind-groups">
        {report.groups.map((group) => (
          <section key={group.id} className="ind-group" aria-label={group.name[language]} data-testid={`group-${group.id}`}>
            <h2>{group.name[language]}</h2>
            {group.indicators.map((indicator) => <Bar key={indicator.id} indicator={indicator} figure={report.total.figures[indicator.id]!} language={language} />)}
          </section>
        ))}
      </div>
      <section className="ind-table-frame" aria-label={t('byAgency')}>
        <h2>{t('byAgency')}</h2>
        {report.rows.length === 0 ? <p>{t('noRows')}</p> : (
          <table className="ind-table">
            <thead>
              <tr>
                <th>{t('agency')}</th>
                <th>{t('procedure')}</th>
                <th className="num">{t('receivedShort')}</th>
                {indicators.map((indicator) => <th key={indicator.id} className="num" title={`${indicator.numerator[language]} / ${indicator.denominator[language]}`}>{indicator.name[language]}</th>)}
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row) => (
                <tr key={`${row.agency.code} ${row.procedure.key}`} data-testid="indicator-row" data-agency={row.agency.code} data-procedure={row.procedure.key}>
                  <td>{row.agency.name}</td>
                  <td>{row.procedure.name}</td>
                  <td className="num" data-indicator="received">{formatNumber(row.received, language, 0)}</td>
                  {indicators.map((indicator) => <td key={indicator.id} className="num" data-indicator={indicator.id}>{formatFigure(row.figures[indicator.id]!, indicator.unit, language)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

/** One indicator as a bar: its share of 100 % (a rating of 5), the figure, and the counts behind it. */
function Bar({ indicator, figure, language }: { indicator: IndicatorInfo; figure: Figure; language: Language }) {
  const scale = indicator.unit === 'percent' ? 100 : 5;
  const width = figure.value === null ? 0 : (figure.value / scale) * 100;
  return (
    <div className="ind-bar" data-testid={`figure-${indicator.id}`} title={`${indicator.numerator[language]} / ${indicator.denominator[language]} — ${indicator.legal}`}>
      <span className="ind-bar-name">{indicator.name[language]}</span>
      <svg className="ind-bar-svg" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label={`${indicator.name[language]}: ${formatFigure(figure, indicator.unit, language)}`}>
        <rect x="0" y="0" width="100" height="8" className="ind-bar-track" />
        <rect x="0" y="0" width={width} height="8" className={figure.value !== null && indicator.unit === 'percent' && figure.value < 50 ? 'ind-bar-low' : 'ind-bar-fill'} />
      </svg>
      <span className="ind-bar-value" data-testid="value">{formatFigure(figure, indicator.unit, language)}</span>
      <span className="ind-bar-counts" data-testid="counts">{indicatorsText(language, 'formula', { numerator: formatNumber(figure.numerator, language, 0), denominator: formatNumber(figure.denominator, language, 0) })}</span>
    </div>
  );
}
