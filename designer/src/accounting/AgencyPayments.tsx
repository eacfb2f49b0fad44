import { useCallback, useEffect, useRef, useState } from 'react';
import { ProblemError, type Problem } from '../api-client.ts';
import { formatDateTime, formatVnd, parseDay } from '../format.ts';
import type { Language } from '../i18n.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import type { Account } from '../session/session-api.ts';
import { RefundsPanel } from './RefundsPanel.tsx';
import { accountingApi, type Transaction, type TransactionDetail, type TransactionFilter } from './accounting-api.ts';
import { accountingText, MARK_NAMES, STATUS_NAMES, type AccountingMessage, type Mark, type TransactionStatus } from './messages.ts';
import { ReconciliationPanel } from './ReconciliationPanel.tsx';
import { SettingsForm } from './SettingsForm.tsx';

type Tab = 'detail' | 'reconcile' | 'settings' | 'refunds';
const TABS: Array<{ tab: Tab; label: AccountingMessage }> = [
  { tab: 'detail', label: 'detail' },
  { tab: 'reconcile', label: 'reconcile' },
  { tab: 'settings', label: 'settings' },
  { tab: 'refunds', label: 'refunds' },
];

/** How a status looks: the colour of its badge. */
const STATUS_TONE: Record<TransactionStatus, string> = {
  initiated: 'neutral',
  'initiation-failed': 'bad',
  processing: 'pending',
  'payment-failed': 'bad',
  'payment-succeeded': 'good',
  'transaction-failed': 'bad',
  'transaction-succeeded': 'good',
};

export function StatusBadge({ status, language }: { status: TransactionStatus; language: Language }) {
  return (
    <span className={`ac-badge ac-${STATUS_TONE[status]}`} data-status={status}>
      {STATUS_NAMES[status][language]}
    </span>
  );
}

/** One agency's payments: the transactions on the left; a transaction, the reconciliation, the settings (and refunds) on the right. */
export function AgencyPayments({ agency, account, language, onExpired }: { agency: string; account: Account; language: Language; onExpired: () => void }) {
  const t = (key: AccountingMessage, values?: Record<string, string | number>) => accountingText(language, key, values);
  const [filter, setFilter] = useState<TransactionFilter>({ status: '', day: '', code: '', flagged: false });
  const [dayText, setDayText] = useState('');
  const [rows, setRows] = useState<Transaction[]>([]);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [tab, setTab] = useState<Tab>('detail');
  const [open, setOpen] = useState<TransactionDetail | undefined>();
  const request = useRef(0);

  const failed = (failure: unknown) => {
    if (failure instanceof ProblemError && failure.status === 401) onExpired();
    else setProblem(problemOf(failure));
  };

  const read = useCallback(
    async (cursor: string | null) => {
      const asked = ++request.current;
      try {
        const page = await accountingApi.transactions(language, agency, filter, cursor);
        if (asked !== request.current) return;
        setRows((shown) => (cursor ? [...shown, ...page.items] : page.items));
        if (page.total !== undefined) setTotal(page.total);
        setNext(page.next);
        setProblem(undefined);
      } catch (failure) {
        if (asked === request.current) failed(failure);
      }
    },
    [agency, filter],
  );

  useEffect(() => {
    void read(null);
  }, [read]);

  const openTransaction = async (id: string) => {
    try {
      setOpen(await accountingApi.transaction(language, agency, id));
      setTab('detail');
    } catch (failure) {
      failed(failure);
    }
  };

  const mark = async (which: Mark) => {
    if (!open) return;
    try {
      setOpen(await accountingApi.mark(language, agency, open.id, which));
      void read(null);
    } catch (failure) {
      failed(failure);
    }
  };

  return (
    <main className="ac-main">
      <section className="ac-list" aria-label={t('transactions')}>
        <form
          className="ac-filters"
          onSubmit={(event) => {
            event.preventDefault();
            const day = dayText.trim() ? parseDay(dayText) : '';
            if (day === undefined) return;
            setFilter((current) => ({ ...current, day }));
          }}
        >
          <input type="search" placeholder={t('searchCode')} aria-label={t('searchCode')} value={filter.code} onChange={(event) => setFilter({ ...filter, code: event.target.value })} data-testid="filter-code" />
          <select aria-label={t('status')} value={filter.status} onChange={(event) => setFilter({ ...filter, status: event.target.value as TransactionStatus | '' })} data-testid="filter-status">
            <option value="">{t('allStatuses')}</option>
            {(Object.keys(STATUS_NAMES) as TransactionStatus[]).map((status) => (
              <option key={status} value={status}>
                {STATUS_NAMES[status][language]}
              </option>
            ))}
          </select>
          <input className="ac-day" placeholder="dd/mm/yyyy" aria-label={t('day')} value={dayText} onChange={(event) => setDayText(event.target.value)} onBlur={() => setFilter((current) => ({ ...current, day: dayText.trim() ? (parseDay(dayText) ?? current.day) : '' }))} aria-invalid={dayText.trim() !== '' && parseDay(dayText) === undefined} />
          <label>
            <input type="checkbox" checked={filter.flagged} onChange={(event) => setFilter({ ...filter, flagged: event.target.checked })} /> {t('flaggedOnly')}
          </label>
          <span className="muted" data-testid="transactions-total">
            {total} {t('total')}
          </span>
        </form>
        {problem ? <ProblemNotice problem={problem} language={language} testId="accounting-problem" /> : null}
        <div className="ac-table-wrap">
          <table className="ac-table" data-testid="transactions">
            <thead>
              <tr>
                <th>{t('code')}</th>
                <th>{t('dossier')}</th>
                <th>{t('payer')}</th>
                <th className="ac-number">{t('amount')}</th>
                <th>{t('createdAt')}</th>
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className={open?.id === row.id ? 'ac-selected' : undefined}>
                  <td>
                    <button type="button" className="link ac-code" onClick={() => void openTransaction(row.id)}>
                      {row.code}
                    </button>
                  </td>
                  <td>{row.revenueIdentifier}</td>
                  <td>{row.payerName}</td>
                  <td className="ac-number">{formatVnd(row.amountVnd, language)}</td>
                  <td>{formatDateTime(row.createdAt)}</td>
                  <td>
                    <StatusBadge status={row.status} language={language} />
                    {row.review ? <span className="ac-badge ac-pending" title={formatDateTime(row.review.flaggedAt)}>{t('flagged')}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted">{t('none')}</p> : null}
          {next ? (
            <button type="button" onClick={() => void read(next)}>
              {t('more')}
            </button>
          ) : null}
        </div>
      </section>
      <section className="ac-side">
        <div className="ac-tabs" role="tablist">
          {TABS.map((item) => (
            <button key={item.tab} type="button" role="tab" aria-selected={tab === item.tab} onClick={() => setTab(item.tab)} data-testid={`tab-${item.tab}`}>
              {t(item.label)}
            </button>
          ))}
        </div>
        <div className="ac-panel" role="tabpanel">
          {tab === 'detail' ? (
            open ? (
              <TransactionPanel transaction={open} language={language} onMark={(which) => void mark(which)} />
            ) : (
              <p className="muted">{t('chooseTransaction')}</p>
            )
          ) : null}
          {tab === 'reconcile' ? <ReconciliationPanel agency={agency} language={language} onFailure={failed} onDone={() => void read(null)} /> : null}
          {tab === 'settings' ? <SettingsForm agency={agency} language={language} onExpired={onExpired} /> : null}
          {/* The refunds of Circular 01 Art. 29–30: prepared and approved by two officials (RefundsPanel.tsx). */}
          {tab === 'refunds' ? (
            <div className="ac-refunds" data-testid="refunds-slot">
              <RefundsPanel agencyCode={agency} language={language} account={account} />
            </div>
          ) : null}
        </div>
      </section>
    </main>
  );
}

function TransactionPanel({ transaction, language, onMark }: { transaction: TransactionDetail; language: Language; onMark: (mark: Mark) => void }) {
  const t = (key: AccountingMessage, values?: Record<string, string | number>) => accountingText(language, key, values);
  const paid = transaction.status === 'payment-succeeded' || transaction.status === 'transaction-succeeded';
  return (
    <div data-testid="transaction-detail">
      <h2 className="ac-heading">{transaction.code}</h2>
      <dl className="ac-facts">
        <dt>{t('status')}</dt>
        <dd>
          <StatusBadge status={transaction.status} language={language} />
        </dd>
        <dt>{t('amount')}</dt>
        <dd>{formatVnd(transaction.amountVnd, language)}</dd>
        {transaction.serviceFeeVnd !== null ? (
          <>
            <dt>{t('serviceFee')}</dt>
            <dd>{formatVnd(transaction.serviceFeeVnd, language)}</dd>
          </>
        ) : null}
        <dt>{t('payer')}</dt>
        <dd>{transaction.payerName}</dd>
        <dt>{t('createdAt')}</dt>
        <dd>{formatDateTime(transaction.createdAt)}</dd>
        <dt>{t('content')}</dt>
        <dd className="ac-content">{transaction.content}</dd>
      </dl>
      <h3 className="ac-heading">{t('marks')}</h3>
      <ul className="ac-marks">
        {(Object.keys(MARK_NAMES) as Mark[]).map((which) => {
          const done = transaction.marks[which];
          return (
            <li key={which} data-testid={`mark-${which}`}>
              <span>{MARK_NAMES[which][language]}</span>
              {done ? (
                <span className="ac-badge ac-good">{t('markBy', { by: done.by.replace(/^account:/, ''), at: formatDateTime(done.at) })}</span>
              ) : (
                <button type="button" disabled={!paid} onClick={() => onMark(which)}>
                  {t('record')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <h3 className="ac-heading">{t('callbacks')}</h3>
      <ul className="ac-callbacks">
        {transaction.callbacks.map((callback) => (
          <li key={callback.id}>
            {formatDateTime(callback.receivedAt)} — {STATUS_NAMES[callback.report.status as TransactionStatus]?.[language] ?? callback.report.status} ({callback.verdict})
          </li>
        ))}
      </ul>
    </div>
  );
}
