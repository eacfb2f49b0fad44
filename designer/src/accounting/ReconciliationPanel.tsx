import { useState } from 'react';
import { ProblemError } from '../api-client.ts';
import { formatDateTime, formatDay, formatVnd, parseDay } from '../format.ts';
import type { Language } from '../i18n.ts';
import { accountingApi, type MismatchKind, type ReconciliationRun } from './accounting-api.ts';
import { yesterday } from './days.ts';
import { accountingText, STATUS_NAMES, type AccountingMessage } from './messages.ts';

const KIND_NAMES: Record<MismatchKind, { vi: string; en: string }> = {
  'not-ours': { vi: 'Có trong sao kê, không có trong hệ thống', en: 'In the statement, not ours' },
  'not-in-statement': { vi: 'Có trong hệ thống, không có trong sao kê', en: 'Ours, not in the statement' },
  'amount-differs': { vi: 'Số tiền khác nhau', en: 'Amount differs' },
  'status-differs': { vi: 'Trạng thái khác nhau', en: 'Status differs' },
};

/**
 * A day's reconciliation (Circular 01 Art. 28.2; Decree 45 Art. 13.7.d): pick the day (dd/mm/yyyy,
 * yesterday by default), show the stored run or run it again, with the provider's statement or a
 * statement file; the agency's mismatches by kind.
 */
export function ReconciliationPanel({ agency, language, onFailure, onDone }: { agency: string; language: Language; onFailure: (failure: unknown) => void; onDone: () => void }) {
  const t = (key: AccountingMessage, values?: Record<string, string | number>) => accountingText(language, key, values);
  const [dayText, setDayText] = useState(yesterday());
  const [file, setFile] = useState<File | undefined>();
  const [runs, setRuns] = useState<ReconciliationRun[] | undefined>();
  const [notFound, setNotFound] = useState(false);
  const [busy, setBusy] = useState(false);
  const day = parseDay(dayText);

  const act = async (what: 'read' | 'run') => {
    if (!day) return;
    setBusy(true);
    setNotFound(false);
    try {
      const statement = what === 'run' && file ? { name: file.name, contents: await file.text() } : undefined;
      const answer = what === 'run' ? await accountingApi.reconcile(language, agency, day, statement) : await accountingApi.reconciliation(language, agency, day);
      setRuns(answer.runs);
      if (what === 'run') onDone();
    } catch (failure) {
      if (failure instanceof ProblemError && failure.problem.code === 'payment.reconciliation-not-found') {
        setRuns(undefined);
        setNotFound(true);
      } else onFailure(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="reconciliation">
      <form
        className="ac-reconcile-form"
        onSubmit={(event) => {
          event.preventDefault();
          void act('run');
        }}
      >
        <label>
          {t('reconcileDay')}{' '}
          <input className="ac-day" value={dayText} onChange={(event) => setDayText(event.target.value)} placeholder="dd/mm/yyyy" aria-invalid={day === undefined} data-testid="reconcile-day" />
        </label>
        <label>
          {t('statementFile')} <input type="file" accept=".json,.csv,application/json,text/csv" onChange={(event) => setFile(event.target.files?.[0])} data-testid="statement-file" />
        </label>
        <div className="ac-buttons">
          <button type="submit" className="primary" disabled={!day || busy} data-testid="reconcile-run">
            {t('reconcileRun')}
          </button>
          <button type="button" disabled={!day || busy} onClick={() => void act('read')}>
            {t('reconcileRead')}
          </button>
        </div>
      </form>
      {notFound && day ? <p className="muted">{accountingText(language, 'reconcileDay')}: {formatDay(day)} —</p> : null}
      {runs?.map((run) => {
        const kinds = Object.keys(KIND_NAMES) as MismatchKind[];
        return (
          <div key={run.id} className="ac-run" data-testid="reconciliation-run">
            <p>{t('runSummary', { day: formatDay(run.day), entries: run.statementEntries, ours: run.ourTransactions, matched: run.matched, mismatches: run.mismatchCount, agencyMismatches: run.mismatches.length, flagged: run.processingFlagged })}</p>
            <p className="muted">{t('ranBy', { at: formatDateTime(run.ranAt), by: run.ranBy.replace(/^account:/, '') })}</p>
            {run.mismatches.length === 0 ? <p>{t('noMismatch')}</p> : null}
            {kinds.map((kind) => {
              const found = run.mismatches.filter((mismatch) => mismatch.kind === kind);
              if (found.length === 0) return null;
              return (
                <table key={kind} className="ac-table ac-mismatches" data-kind={kind}>
                  <caption>
                    {KIND_NAMES[kind][language]} ({found.length})
                  </caption>
                  <thead>
                    <tr>
                      <th>{t('code')}</th>
                      <th>{t('ours')}</th>
                      <th>{t('statement')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {found.map((mismatch) => (
                      <tr key={mismatch.transactionCode}>
                        <td>{mismatch.transactionCode}</td>
                        <td>{mismatch.ours ? `${formatVnd(mismatch.ours.amountVnd, language)} · ${STATUS_NAMES[mismatch.ours.status][language]}` : '—'}</td>
                        <td>{mismatch.statement ? `${formatVnd(mismatch.statement.amountVnd, language)} · ${mismatch.statement.status === 'paid' ? STATUS_NAMES['payment-succeeded'][language] : STATUS_NAMES['payment-failed'][language]}` : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              );
            })}
          </div>
        );
      })}
    </div>
  );
}
