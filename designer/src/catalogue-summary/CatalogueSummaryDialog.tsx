import { useEffect, useMemo, useRef, useState } from 'react';
import type { CatalogueSummary, CatalogueSummaryRow } from '../../../engine/catalogue/summary.ts';
import { directionOf } from '../../../server/reports/restructuring-report.ts';
import { aimsText, LEVEL_LABELS, SUMMARY_LABELS as L } from '../../../server/reports/catalogue-summary-report.ts';
import { apiFetch, apiJson } from '../api-client.ts';
import { reportFileName } from '../compare/compare-api.ts';
import { reductionWords } from '../compare/SavingsSummary.tsx';
import { download } from '../download.ts';
import { formatNumber, formatVnd } from '../format.ts';
import { translate, type Language } from '../i18n.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import './catalogue-summary.css';

interface Props {
  language: Language;
  /** The dialog is modal, so the toolbar's switch is behind it: it has its own. */
  onLanguageChange: (language: Language) => void;
  onClose: () => void;
}

type State = { status: 'loading' } | { status: 'failed'; message: string } | { status: 'ready'; summary: CatalogueSummary };

/** A sortable column: what it sorts by, and how a row's cell shows. */
interface Column {
  id: string;
  label: { vi: string; en: string };
  sort: (row: CatalogueSummaryRow) => number | string;
}

const COLUMNS: Column[] = [
  { id: 'name', label: L.procedure, sort: (row) => row.name.vi },
  { id: 'level', label: L.level, sort: (row) => row.level },
  { id: 'cost', label: { vi: 'Chi phí/hồ sơ: hiện trạng → sau', en: 'Cost/dossier: as is → after' }, sort: (row) => row.asIs.costPerDossierVnd },
  { id: 'dossiers', label: L.dossiers, sort: (row) => row.dossiersPerYear },
  { id: 'saving', label: L.saving, sort: (row) => row.savingPerYearVnd },
  { id: 'rate', label: L.rate, sort: (row) => row.ratePercent },
  { id: 'hours', label: { vi: 'Giờ/hồ sơ: hiện trạng → sau', en: 'Hours/dossier: as is → after' }, sort: (row) => row.asIs.applicantHours - row.toBe.applicantHours },
  { id: 'trips', label: { vi: 'Lượt đi lại: hiện trạng → sau', en: 'Trips: as is → after' }, sort: (row) => row.asIs.trips - row.toBe.trips },
  { id: 'documents', label: { vi: 'Giấy tờ: hiện trạng → sau', en: 'Documents: as is → after' }, sort: (row) => row.asIs.documents - row.toBe.documents },
  { id: 'aims', label: { vi: 'Mục tiêu 17.1', en: 'Aims 17.1' }, sort: (row) => row.aimsMet.length },
  { id: 'online', label: { vi: 'Mức độ trực tuyến (Điều 13)', en: 'Online level (Art. 13)' }, sort: (row) => row.onlineService.level },
];

/**
 * Issue 16: the analyst's summary across the catalogue, a modal dialog over the designer. Every
 * entry's restructuring on one row (Circular 01 Art. 18 savings, Art. 17.1 aims, the to-be's
 * Art. 13 level), sortable by any column, the totals of the single procedures below (the groups
 * are shown but not added: their dossiers are in the called procedures' volumes), and the
 * workbook the server writes. The compare view's sign convention: savings green, a to-be worse
 * than its as-is red, with the word "tăng".
 */
export function CatalogueSummaryDialog({ language, onLanguageChange, onClose }: Props) {
  const t = (label: { vi: string; en: string }) => label[language];
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [state, setState] = useState<State>({ status: 'loading' });
  const [sort, setSort] = useState<{ column: string; descending: boolean }>({ column: 'saving', descending: true });

  useEffect(() => {
    // A modal dialog: focus moves in, the page behind is inert, Escape closes it.
    dialogRef.current?.showModal();
  }, []);
  useEffect(() => {
    let live = true;
    // The whole catalogue (22 rows) in one page; the totals are always the whole catalogue's.
    apiJson<{ items: CatalogueSummaryRow[]; totals: CatalogueSummary['totals'] }>('/api/catalogue/summary?limit=500', { language }).then(
      (page) => live && setState({ status: 'ready', summary: { rows: page.items, totals: page.totals } }),
      (error: unknown) => live && setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [language]);

  const rows = useMemo(() => {
    if (state.status !== 'ready') return [];
    const column = COLUMNS.find((candidate) => candidate.id === sort.column) ?? COLUMNS[0]!;
    const order = (a: CatalogueSummaryRow, b: CatalogueSummaryRow) => {
      const [x, y] = [column.sort(a), column.sort(b)];
      return typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y, 'vi') : Number(x) - Number(y);
    };
    return [...state.summary.rows].sort((a, b) => (sort.descending ? order(b, a) : order(a, b)));
  }, [state, sort]);

  const exportWorkbook = async () => {
    try {
      const response = await apiFetch(`/api/catalogue/summary.xlsx?language=${language}`, { language });
      download(reportFileName(response.headers.get('Content-Disposition'), 'tong-hop-danh-muc.xlsx'), await response.arrayBuffer(), response.headers.get('Content-Type') ?? 'application/octet-stream');
    } catch (error) {
      setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const vnd = (value: number) => formatVnd(value, language);
  const hours = (value: number) => `${formatNumber(value, language, 1)} ${language === 'vi' ? 'giờ' : 'h'}`;
  const count = (value: number) => formatNumber(value, language, 1);
  /** A reduction's cell: green when saved, red with "tăng" when it grew (the compare view's convention). */
  const reduction = (value: number, format: (value: number) => string, testId?: string) => {
    const direction = directionOf(value);
    return (
      <td className={`number ${direction}`} data-testid={testId}>
        {reductionWords(value, direction, format, language)}
      </td>
    );
  };
  /** As-is → to-be, the to-be red when it is more (worse), never green. */
  const beforeAfter = (before: number, after: number, format: (value: number) => string, testId: string) => {
    const worse = directionOf(before - after) === 'worse';
    return (
      <td className="number" data-testid={testId}>
        {format(before)} → <span className={worse ? 'worse' : undefined}>{format(after)}{worse ? ` (${translate(language, 'increase')})` : ''}</span>
      </td>
    );
  };

  return (
    <dialog ref={dialogRef} className="catalogue-summary" aria-labelledby="catalogue-summary-title" onClose={onClose} data-testid="catalogue-summary">
      <div className="catalogue-summary-bar">
        <h2 id="catalogue-summary-title">{t(L.title)}</h2>
        <span className="spacer" />
        <button type="button" disabled={state.status !== 'ready'} onClick={() => void exportWorkbook()}>
          {t(L.download)}
        </button>
        <button type="button" onClick={() => dialogRef.current?.close()}>
          {t(L.close)}
        </button>
        <LanguageSwitch language={language} onChange={onLanguageChange} />
      </div>
      <p className="catalogue-summary-note">{t(L.heading)}. {t(L.sourcesNote)}</p>
      {state.status === 'loading' ? <p className="muted">{t(L.loading)}</p> : null}
      {state.status === 'failed' ? (
        <p className="error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.status === 'ready' ? (
        <div className="catalogue-summary-table-wrap">
          <table className="catalogue-summary-table">
            <thead>
              <tr>
                {COLUMNS.map((column) => {
                  const sorted = sort.column === column.id;
                  return (
                    <th key={column.id} scope="col" aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                      <button type="button" className="link" title={`${t(L.sortBy)}: ${t(column.label)}`} onClick={() => setSort({ column: column.id, descending: sorted ? !sort.descending : column.id !== 'name' && column.id !== 'level' })}>
                        {t(column.label)}
                        {sorted ? (sort.descending ? ' ▼' : ' ▲') : ''}
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className={row.inTotals ? undefined : 'group'} data-testid={`summary-row-${row.id}`}>
                  <th scope="row">
                    {row.name[language]}
                    {row.inTotals ? null : <span className="muted"> ({t(L.group)})</span>}
                  </th>
                  <td>{t(LEVEL_LABELS[row.level])}</td>
                  {beforeAfter(row.asIs.costPerDossierVnd, row.toBe.costPerDossierVnd, vnd, 'cost')}
                  <td className="number" data-testid="dossiers">{formatNumber(row.dossiersPerYear, language, 0)}</td>
                  {reduction(row.savingPerYearVnd, vnd, 'saving')}
                  {reduction(row.ratePercent, (value) => `${formatNumber(value, language, 1)} %`, 'rate')}
                  {beforeAfter(row.asIs.applicantHours, row.toBe.applicantHours, hours, 'hours')}
                  {beforeAfter(row.asIs.trips, row.toBe.trips, count, 'trips')}
                  {beforeAfter(row.asIs.documents, row.toBe.documents, count, 'documents')}
                  <td className="aims">{aimsText(row.aimsMet, language)}</td>
                  <td className="online">{row.onlineService.label[language]}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="summary-totals">
                <th scope="row">
                  {t(L.total)} ({state.summary.totals.entries} {t(L.totalOf)})
                </th>
                <td colSpan={2} />
                <td className="number">{formatNumber(state.summary.totals.dossiersPerYear, language, 0)}</td>
                {reduction(state.summary.totals.savingPerYearVnd, vnd, 'total-saving')}
                {reduction(state.summary.totals.ratePercent, (value) => `${formatNumber(value, language, 1)} %`, 'total-rate')}
                <td className="number" colSpan={2}>
                  {t(L.hoursSaved)}: <span data-testid="total-hours">{reductionWords(state.summary.totals.applicantHoursSavedPerYear, directionOf(state.summary.totals.applicantHoursSavedPerYear), (value) => formatNumber(value, language, 0), language)}</span>
                  <br />
                  {t(L.tripsSaved)}: <span data-testid="total-trips">{reductionWords(state.summary.totals.tripsSavedPerYear, directionOf(state.summary.totals.tripsSavedPerYear), (value) => formatNumber(value, language, 0), language)}</span>
                </td>
                <td colSpan={3} />
              </tr>
            </tfoot>
          </table>
          <p className="catalogue-summary-note">{t(L.groups)}</p>
          <p className="catalogue-summary-note">{t(L.convention)}</p>
        </div>
      ) : null}
    </dialog>
  );
}
