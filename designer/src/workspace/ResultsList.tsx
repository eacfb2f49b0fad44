import { useState, type FormEvent } from 'react';
import type { Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { workspaceText, type WorkspaceMessage } from './messages.ts';
import { ResultSignatureCheck } from '../signatures/ResultSignatureCheck.tsx';
import { ProblemNotice, problemOf } from './ProblemNotice.tsx';
import { resultPdfUrl, workspaceApi, type DossierResult } from './workspace-api.ts';
import { formatDateTime } from '../format.ts';

interface ResultsListProps {
  results: DossierResult[];
  language: Language;
  /** The approver (lãnh đạo of the dossier's agency) or an administrator may annul (Decree 45 Art. 15). */
  canAnnul: boolean;
  onAnnulled: (code: string) => void;
}

/** The dossier's results, `<code>-KQ<n>` (Decree 45 Art. 14.3.d), each printable and its signature checked on demand (Art. 14.3.b); an issued one annulled after confirmation, with a reason. */
export function ResultsList({ results, language, canAnnul, onAnnulled }: ResultsListProps) {
  const t = (key: WorkspaceMessage, values?: Record<string, string | number>) => workspaceText(language, key, values);
  const [annulling, setAnnulling] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();

  if (results.length === 0) return <p className="muted">{t('noResults')}</p>;

  const close = () => {
    setAnnulling(undefined);
    setReason('');
    setProblem(undefined);
  };

  const annul = async (event: FormEvent) => {
    event.preventDefault();
    if (!annulling || !reason.trim()) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await workspaceApi.annul(language, annulling, reason.trim());
      const code = annulling;
      close();
      onAnnulled(code);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ul className="ws-results" data-testid="dossier-results">
        {results.map((result) => (
          <li key={result.code} className={result.annulledAt ? 'annulled' : undefined}>
            <a href={resultPdfUrl(result.code)} target="_blank" rel="noreferrer">
              {result.code}
            </a>{' '}
            {result.title} · {formatDateTime(result.issuedAt)}
            {result.annulledAt ? (
              <strong className="ws-overdue">
                {' '}
                {t('annulled')} {formatDateTime(result.annulledAt)}
                {result.annulmentReason ? `: ${result.annulmentReason}` : ''}
              </strong>
            ) : canAnnul ? (
              <button type="button" className="ws-annul" onClick={() => setAnnulling(result.code)}>
                {t('annul')}
              </button>
            ) : null}
            <ResultSignatureCheck code={result.code} pdfUrl={resultPdfUrl(result.code)} language={language} />
          </li>
        ))}
      </ul>
      {annulling ? (
        <div className="modal-backdrop" onKeyDown={(event) => event.key === 'Escape' && close()}>
          <form className="modal" role="alertdialog" aria-modal="true" aria-labelledby="ws-annul-title" aria-describedby="ws-annul-text" onSubmit={(event) => void annul(event)}>
            <h2 id="ws-annul-title">{t('annulTitle', { code: annulling })}</h2>
            <p id="ws-annul-text">{t('annulText')}</p>
            <label className="field">
              {t('annulReason')}
              <textarea autoFocus required rows={3} value={reason} onChange={(event) => setReason(event.target.value)} />
            </label>
            {problem ? <ProblemNotice problem={problem} language={language} /> : null}
            <div className="modal-buttons">
              <button type="button" onClick={close}>
                {t('cancel')}
              </button>
              <button type="submit" className="primary" disabled={busy || !reason.trim()}>
                {t('annulConfirm')}
              </button>
            </div>
          </form>
        </div>
      ) : null}
    </>
  );
}
