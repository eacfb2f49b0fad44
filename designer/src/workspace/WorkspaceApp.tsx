import { useCallback, useEffect, useRef, useState } from 'react';
import { ProblemError, type Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { OfficeToolbar } from '../session/OfficeToolbar.tsx';
import { OfficeGate } from '../session/OfficeGate.tsx';
import type { Account } from '../session/session-api.ts';
import { DossierView } from './DossierView.tsx';
import { Inbox } from './Inbox.tsx';
import { workspaceText, type WorkspaceMessage } from './messages.ts';
import { ProblemNotice, problemOf } from './ProblemNotice.tsx';
import { workspaceApi, type DossierSummary, type TaskFilter, type TaskSummary } from './workspace-api.ts';
import './workspace.css';

/** Officials of an agency and administrators work here (route policies of /api/tasks). */
const worksHere = (account: Account) => account.roles.includes('official') || account.roles.includes('admin');

/**
 * The officials' workspace at `/xu-ly` (docs/dossiers.md, issue 11): sign in, then the inbox of
 * tasks on the left and the open dossier on the right, at 1366×768 without page scrolling.
 */
export function WorkspaceApp() {
  return (
    <OfficeGate text={workspaceText} allows={worksHere}>
      {({ account, language, onLanguageChange, signOut, expired }) => <Workspace language={language} onLanguageChange={onLanguageChange} account={account} onSignOut={() => void signOut()} onExpired={expired} />}
    </OfficeGate>
  );
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
      <OfficeToolbar title={t('title')} displayName={account.displayName} signOutText={t('signOut')} onSignOut={onSignOut} language={language} onLanguageChange={onLanguageChange} />
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
