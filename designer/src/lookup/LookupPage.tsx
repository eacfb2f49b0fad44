import { useEffect, useRef, useState, type FormEvent } from 'react';
import { apiJson, type Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { SessionScreen } from '../session/SessionScreen.tsx';
import { LOOKUP_PATH, PORTAL_PATH } from '../routes.tsx';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import { lookupText, type LookupMessage } from './messages.ts';
import './lookup.css';

/** What GET /api/lookup/:code answers: the code, procedure and completion level, nothing else (Circular 01 Art. 23.5.a). */
interface LookupAnswer {
  code: string;
  procedure: string;
  level: { code: string; vi: string; en: string };
  /** A result code (`<dossier code>-KQ<n>`, Decree 45 Art. 14.3.d) or a dossier code. */
  kind?: 'dossier' | 'result';
  /** Set on a result that was annulled (Decree 45 Art. 15): every printed copy is void. */
  annulledAt?: string | null;
}

/** The code in `/tra-cuu/<code>`, where the QR codes of printed notices and results lead (Circular 01 Art. 26). */
function codeInPath(pathname: string): string {
  const rest = pathname.slice(LOOKUP_PATH.length).replace(/^\/+|\/+$/g, '');
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/**
 * The public lookup (no sign-in): a dossier or result code gives the procedure and completion
 * level only (Art. 23.5.a); an annulled result says so first; more is for the applicant signed in
 * to the portal (Art. 23.5.b).
 */
export function LookupPage() {
  const [language, setLanguage] = useState<Language>('vi');
  const t = (key: LookupMessage) => lookupText(language, key);
  const initial = codeInPath(window.location.pathname);
  const [code, setCode] = useState(initial);
  const [answer, setAnswer] = useState<LookupAnswer | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${lookupText(language, 'title')} – Quy Trình`;
  }, [language]);

  const lookUp = async (asked: string) => {
    const trimmed = asked.trim();
    if (!trimmed) return;
    setBusy(true);
    setProblem(undefined);
    setAnswer(undefined);
    try {
      setAnswer(await apiJson<LookupAnswer>(`/api/lookup/${encodeURIComponent(trimmed)}`, { language }));
      // The address says what was looked up, so it can be shared or bookmarked.
      window.history.replaceState(null, '', `${LOOKUP_PATH}/${encodeURIComponent(trimmed)}`);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (initial) void lookUp(initial);
    // Only the code the page was opened with.
  }, []);

  useEffect(() => {
    if (answer || problem) resultRef.current?.focus();
  }, [answer, problem]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void lookUp(code);
  };

  return (
    <SessionScreen language={language} onLanguageChange={setLanguage} title={t('title')} subtitle={t('title')}>
      <p className="muted">{t('intro')}</p>
      <form className="lookup-form" role="search" onSubmit={submit}>
        <label className="field">
          {t('code')}
          <input name="code" autoFocus={!initial} autoCapitalize="characters" spellCheck={false} required value={code} onChange={(event) => setCode(event.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('looking') : t('lookUp')}
        </button>
      </form>
      <div className="lookup-result" ref={resultRef} tabIndex={-1} aria-live="polite">
        {problem ? <ProblemNotice problem={problem} language={language} testId="lookup-problem" /> : null}
        {answer ? (
          <section data-testid="lookup-answer" aria-label={answer.code}>
            {answer.kind === 'result' && answer.annulledAt ? (
              <div className="lookup-annulled" role="alert" data-testid="lookup-annulled">
                <strong>{t('annulled')}</strong>
                <p>{t('annulledText')}</p>
              </div>
            ) : null}
            <dl>
              <dt>{t(answer.kind === 'result' ? 'resultCode' : 'code')}</dt>
              <dd>
                <strong>{answer.code}</strong>
              </dd>
              <dt>{t('procedure')}</dt>
              <dd data-testid="lookup-procedure">{answer.procedure}</dd>
              <dt>{t('level')}</dt>
              <dd data-testid="lookup-level" className={`lookup-level level-${answer.level.code}`}>
                {answer.level[language]}
              </dd>
            </dl>
          </section>
        ) : null}
      </div>
      <p className="lookup-more">
        {t('more')} <a href={PORTAL_PATH}>{t('signIn')}</a>
      </p>
      <p className="muted lookup-legal">{t('legal')}</p>
    </SessionScreen>
  );
}
