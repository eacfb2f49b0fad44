import { useEffect, useState } from 'react';
import { ProblemError, type Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import { accountingApi, type CollectionSettings } from './accounting-api.ts';
import { accountingText, type AccountingMessage } from './messages.ts';

const empty = (agency: string): CollectionSettings => ({ agencyCode: agency, agencyName: '', accountNumber: '', accountName: '', citadCode: '', bankName: '', issuesOwnTransactionCodes: false, feeCodes: [] });

/** The fee codes as the form edits them: one `procedure code, fee code` a line. */
const feeLines = (settings: CollectionSettings) => settings.feeCodes.map((entry) => `${entry.procedureCode}, ${entry.feeCode}`).join('\n');
const feeCodes = (text: string) =>
  text
    .split('\n')
    .map((line) => line.split(',').map((part) => part.trim()))
    .filter((parts) => parts.some((part) => part !== ''))
    .map(([procedureCode = '', feeCode = '']) => ({ procedureCode, feeCode }));

/** The agency's collection settings (Circular 01 Art. 27.1 b, c, dd, l, m, n; Art. 27.5); the server says who may save them and what is wrong. */
export function SettingsForm({ agency, language, onExpired }: { agency: string; language: Language; onExpired: () => void }) {
  const t = (key: AccountingMessage) => accountingText(language, key);
  const [settings, setSettings] = useState<CollectionSettings>(empty(agency));
  const [fees, setFees] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [note, setNote] = useState<string | undefined>();

  const failed = (failure: unknown) => {
    if (failure instanceof ProblemError && failure.status === 401) onExpired();
    else setProblem(problemOf(failure));
  };

  useEffect(() => {
    accountingApi.settings(language, agency).then(
      (stored) => {
        setSettings(stored);
        setFees(feeLines(stored));
      },
      (failure: unknown) => {
        if (failure instanceof ProblemError && failure.problem.code === 'payment.not-configured') setNote(accountingText(language, 'notConfigured'));
        else failed(failure);
      },
    );
  }, [agency]);

  const field = (key: 'agencyName' | 'accountNumber' | 'accountName' | 'citadCode' | 'bankName', label: AccountingMessage) => (
    <label>
      {t(label)}
      <input value={settings[key]} onChange={(event) => setSettings({ ...settings, [key]: event.target.value })} data-testid={`settings-${key}`} />
    </label>
  );

  return (
    <form
      className="ac-settings"
      data-testid="settings"
      onSubmit={(event) => {
        event.preventDefault();
        setProblem(undefined);
        setNote(undefined);
        accountingApi.saveSettings(language, agency, { ...settings, feeCodes: feeCodes(fees) }).then(
          (saved) => {
            setSettings(saved);
            setFees(feeLines(saved));
            setNote(accountingText(language, 'settingsSaved'));
          },
          failed,
        );
      }}
    >
      {field('agencyName', 'agencyName')}
      {field('accountNumber', 'accountNumber')}
      {field('accountName', 'accountName')}
      {field('citadCode', 'citadCode')}
      {field('bankName', 'bankName')}
      <label className="ac-check">
        <input type="checkbox" checked={settings.issuesOwnTransactionCodes} onChange={(event) => setSettings({ ...settings, issuesOwnTransactionCodes: event.target.checked })} /> {t('ownCodes')}
      </label>
      <label>
        {t('feeCodes')}
        <textarea rows={3} value={fees} onChange={(event) => setFees(event.target.value)} />
      </label>
      {problem ? <ProblemNotice problem={problem} language={language} testId="settings-problem" /> : null}
      {note ? <p role="status">{note}</p> : null}
      <button type="submit" className="primary">
        {t('saveSettings')}
      </button>
    </form>
  );
}
