import { useCallback, useEffect, useRef, useState } from 'react';
import { ProblemError, type Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import { SessionScreen } from '../session/SessionScreen.tsx';
import { SignInForm } from '../session/SignInForm.tsx';
import { sessionApi, type Account } from '../session/session-api.ts';
import { DossierView } from './DossierView.tsx';
import { Inbox } from './Inbox.tsx';
import { workspaceText, type WorkspaceMessage } from './messages.ts';
import { ProblemNotice, problemOf } from './ProblemNotice.tsx';
import { workspaceApi, type DossierSummary, type TaskFilter, type TaskSummary } from './workspace-api.ts';
import './workspace.css';

type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; account: Account };

/** Officials of an agency and administrators work here (route policies of /api/tasks). */
const worksHere = (account: Account) => account.roles.includes('official') || account.roles.includes('admin');

/**
 * The officials' workspace at `/xu-ly` (docs/dossiers.md, issue 11): sign in, then the inbox of
 * tasks on the left and the open dossier on the right, at 1366×768 without page scrolling.
 */
export function WorkspaceApp() {
  const [language, setLanguage] = useState<Language>('vi');
  const t = (key: WorkspaceMessage) => workspaceText(language, key);
  const [session, setSession] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${workspaceText(language, 'title')} – Quy Trình`;
  }, [language]);

  useEffect(() => {
    sessionApi.current(language).then(
      (answer) => setSession(answer.signedIn ? { status: 'signed-in', account: answer.account } : { status: 'signed-out' }),
      () => setSession({ status: 'signed-out' }),
    );
    // Read once at the start: a language switch only rewords.
  }, []);

  const signOut = async () => {
    try {
      await sessionApi.signOut(language);
    } catch (error) {
      // Already ended: signed out all the same.
      if (!(error instanceof ProblemError && error.status === 401)) throw error;
    }
    setSession({ status: 'signed-out' });
  };

  if (session.status === 'loading') return <p className="session-loading muted">{t('loading')}</p>;
  if (session.status === 'signed-out') {
    return (
      <SessionScreen language={language} onLanguageChange={setLanguage} title={t('signInTitle')} subtitle={t('title')}>
        <p className="muted">{t('signInIntro')}</p>
        <SignInForm language={language} onSignedIn={(account) => setSession({ status: 'signed-in', account })} />
      </SessionScreen>
    );
  }
  const { account } = session;
  if (!worksHere(account)) {
    return (
      <SessionScreen language={language} onLanguageChange={setLanguage} title={t('title')} subtitle={t('title')}>
        <p data-testid="not-for-you">{t('notForYou')}</p>
        <button type="button" className="primary" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </SessionScreen>
    );
  }
  return <Workspace language={language} onLanguageChange={setLanguage} account={account} onSignOut={() => void signOut()} onExpired={() => setSession({ status: 'signed-out' })} />;
}

interface WorkspaceProps {
  language: Language;
  onLanguageChange: (language: Language) => void;
  account: Account;
  onSignOut: () => void;
  onExpired: () => void;
}

function Workspace({ language, onLanguageChange, account, onSignOut, onExpired }: WorkspaceProps) {
  const t = (key: WorkspaceMessage) => workspaceText(language, key);
  const [filter, setFilter] = useState<TaskFilter>({ q: '', mine: false });
  const [tasks, setTasks] = useState<TaskSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem | undefined>();
  /** What the right side shows: a task's dossier, or a dossier found by search. */
  const [open, setOpen] = useState<{ task: TaskSummary } | { dossierId: string } | undefined>();
  const [matches, setMatches] = useState<DossierSummary[]>([]);
  const request = useRef(0);

  /** The first page of the list for the filter, or the next page appended. */
  const read = useCallback(
    async (cursor: string | null) => {
      const asked = ++request.current;
      setLoading(true);
      try {
        const page = await workspaceApi.tasks(language, { ...filter, cursor });
        const items = await workspaceApi.withSteps(language, page.items);
        // An answer overtaken by a newer question (the search changed meanwhile) is dropped.
        if (asked !== request.current) return;
        setTasks((shown) => (cursor ? [...shown, ...items] : items));
        setTotal(page.total);
        setNext(page.next);
        setProblem(undefined);
      } catch (failure) {
        if (failure instanceof ProblemError && failure.status === 401) onExpired();
        else if (asked === request.current) setProblem(problemOf(failure));
      } finally {
        if (asked === request.current) setLoading(false);
      }
    },
    // The language words the server's refusals only; the list is read again when the filter changes.
    [filter],
  );

  useEffect(() => {
    void read(null);
  }, [read]);

  // A search also finds dossiers no open task leads to (settled ones, whose results an approver may annul).
  useEffect(() => {
    setMatches([]);
    if (!filter.q.trim()) return;
    workspaceApi.dossiers(language, filter.q.trim()).then((page) => setMatches(page.items), () => setMatches([]));
  }, [filter]);

  return (
    <div className="ws-page">
      <header className="toolbar">
        <strong className="brand">Quy Trình</strong>
        <span className="subtitle">{t('title')}</span>
        <span className="spacer" />
        <span className="ws-who" data-testid="account-name">
          {account.displayName}
        </span>
        <button type="button" onClick={onSignOut}>
          {t('signOut')}
        </button>
        <LanguageSwitch language={language} onChange={onLanguageChange} />
      </header>
      {problem ? <ProblemNotice problem={problem} language={language} testId="inbox-load-problem" /> : null}
      <main className="ws-main">
        <Inbox
          language={language}
          account={account}
          tasks={tasks}
          total={total}
          hasMore={next !== null}
          loading={loading}
          filter={filter}
          onFilter={setFilter}
          onMore={() => void read(next)}
          onChanged={() => void read(null)}
          selectedTaskId={open && 'task' in open ? open.task.id : undefined}
          onOpen={(task) => setOpen({ task })}
          matches={matches}
          onOpenDossier={(dossierId) => setOpen({ dossierId })}
        />
        <div className="ws-detail">
          {open ? (
            <DossierView key={'task' in open ? open.task.id : open.dossierId} task={'task' in open ? open.task : undefined} dossierId={'dossierId' in open ? open.dossierId : undefined} language={language} account={account} onChanged={() => void read(null)} />
          ) : (
            <p className="muted ws-empty">{t('chooseTask')}</p>
          )}
        </div>
      </main>
    </div>
  );
}
