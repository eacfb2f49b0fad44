import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import type { Account } from '../session/session-api.ts';
import { deadlineText } from './deadlines.ts';
import { workspaceText, type WorkspaceMessage } from './messages.ts';
import { ProblemNotice, problemOf } from './ProblemNotice.tsx';
import { assigneeOf, workspaceApi, type DossierSummary, type TaskFilter, type TaskSummary } from './workspace-api.ts';
import { formatDateTime } from '../format.ts';

interface InboxProps {
  language: Language;
  account: Account;
  tasks: TaskSummary[];
  total: number;
  hasMore: boolean;
  loading: boolean;
  filter: TaskFilter;
  onFilter: (filter: TaskFilter) => void;
  onMore: () => void;
  /** Reads the list again after a change (a claim, a receipt). */
  onChanged: () => void;
  selectedTaskId: string | undefined;
  onOpen: (task: TaskSummary) => void;
  /** Dossiers the search found, tasks or not. */
  matches: DossierSummary[];
  onOpenDossier: (dossierId: string) => void;
}

/** Overdue tasks first, then the soonest due; tasks without a deadline last (the server's order otherwise). */
export function inboxOrder(tasks: readonly TaskSummary[], now: Date = new Date()): TaskSummary[] {
  const overdue = (task: TaskSummary) => task.overdue ?? (task.dueAt !== null && new Date(task.dueAt) <= now);
  const due = (task: TaskSummary) => (task.dueAt === null ? Number.POSITIVE_INFINITY : new Date(task.dueAt).getTime());
  return [...tasks].sort((a, b) => Number(overdue(b)) - Number(overdue(a)) || due(a) - due(b));
}

type Bulk = { done: number; total: number; failures: Array<{ code: string; problem: Problem }> };

/**
 * The official's inbox (the product's tasklist): tasks of their lanes, overdue first, with what is
 * left of each deadline in working hours; search by dossier code or applicant, "mine" only; claim,
 * unclaim, assign to a colleague; several receipt checks received at once. Up and Down move between
 * the tasks, Enter opens one.
 */
export function Inbox(props: InboxProps) {
  const { language, account, filter } = props;
  const t = (key: WorkspaceMessage, values?: Record<string, string | number>) => workspaceText(language, key, values);
  const [query, setQuery] = useState(filter.q);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [assigning, setAssigning] = useState<string | undefined>();
  const [colleague, setColleague] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [bulk, setBulk] = useState<Bulk | undefined>();
  const [busy, setBusy] = useState(false);
  const ordered = inboxOrder(props.tasks);
  const receiptTasks = ordered.filter((task) => task.dossierStep === 'receipt' && task.dossier);
  const chosen = receiptTasks.filter((task) => selected.has(task.id));

  const search = (event: FormEvent) => {
    event.preventDefault();
    props.onFilter({ ...filter, q: query });
  };

  const act = async (action: () => Promise<unknown>) => {
    setProblem(undefined);
    setBusy(true);
    try {
      await action();
      props.onChanged();
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const assign = (event: FormEvent, task: TaskSummary) => {
    event.preventDefault();
    const username = colleague.trim();
    if (!username) return;
    void act(async () => {
      await workspaceApi.assign(language, task.id, username);
      setAssigning(undefined);
      setColleague('');
    });
  };

  /** Decree 45 Art. 11.2 for each chosen dossier: one request each, so one refusal stops none of the others. */
  const receiveChosen = async () => {
    const progress: Bulk = { done: 0, total: chosen.length, failures: [] };
    setBulk({ ...progress });
    setBusy(true);
    for (const task of chosen) {
      try {
        await workspaceApi.receive(language, task.dossier!.id);
        progress.done += 1;
      } catch (failure) {
        progress.failures.push({ code: task.dossier!.code ?? task.id, problem: problemOf(failure) });
      }
      setBulk({ ...progress, failures: [...progress.failures] });
    }
    setBusy(false);
    setSelected(new Set());
    props.onChanged();
  };

  const toggle = (taskId: string) => {
    const next = new Set(selected);
    if (next.has(taskId)) next.delete(taskId);
    else next.add(taskId);
    setSelected(next);
  };

  const moveFocus = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('.ws-task-open')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    event.preventDefault();
    buttons[Math.min(buttons.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  };

  return (
    <section className="ws-inbox" aria-labelledby="ws-inbox-title">
      <div className="ws-inbox-head">
        <h2 id="ws-inbox-title">
          {t('inbox')} <span className="muted" data-testid="task-total">({props.total} {t('total')})</span>
        </h2>
        <form className="ws-search" role="search" onSubmit={search}>
          <input type="search" aria-label={t('search')} placeholder={t('search')} value={query} onChange={(event) => setQuery(event.target.value)} data-testid="task-search" />
          <label className="ws-check">
            <input type="checkbox" checked={filter.mine} onChange={(event) => props.onFilter({ ...filter, q: query, mine: event.target.checked })} />
            {t('mine')}
          </label>
          <button type="submit">{t('refresh')}</button>
        </form>
        {receiptTasks.length > 0 ? (
          <div className="ws-bulk">
            <button type="button" className="primary" disabled={chosen.length === 0 || busy} onClick={() => void receiveChosen()} data-testid="bulk-receive">
              {t('bulkReceive', { n: chosen.length })}
            </button>
            {bulk ? (
              <span role="status" data-testid="bulk-progress">
                {t('bulkProgress', { done: bulk.done, n: bulk.total })}
              </span>
            ) : null}
          </div>
        ) : null}
        {bulk?.failures.map((failure) => (
          <p key={failure.code} className="error" role="alert">
            {t('bulkFailed', { code: failure.code, message: failure.problem.messages[language] })}
          </p>
        ))}
        {problem ? <ProblemNotice problem={problem} language={language} testId="inbox-problem" /> : null}
      </div>
      {ordered.length === 0 && !props.loading ? <p className="muted ws-empty">{t('noTasks')}</p> : null}
      <ul className="ws-tasks" onKeyDown={moveFocus} aria-busy={props.loading}>
        {ordered.map((task) => {
          const deadline = task.dueAt ? deadlineText(task.dueAt, language) : undefined;
          const overdue = task.overdue ?? deadline?.overdue ?? false;
          const holder = assigneeOf(task.assignee, account);
          const label = task.dossier?.code ?? task.name ?? task.elementId;
          return (
            <li key={task.id} className={`ws-task${overdue ? ' overdue' : ''}${task.id === props.selectedTaskId ? ' current' : ''}`} data-testid="task-row" data-task-id={task.id} data-code={task.dossier?.code ?? ''}>
              {task.dossierStep === 'receipt' && task.dossier ? (
                <input type="checkbox" className="ws-task-select" aria-label={`${t('select')} ${label}`} checked={selected.has(task.id)} onChange={() => toggle(task.id)} />
              ) : (
                <span className="ws-task-select" />
              )}
              <button type="button" className="ws-task-open" aria-current={task.id === props.selectedTaskId ? 'true' : undefined} onClick={() => props.onOpen(task)}>
                <span className="ws-task-line">
                  <strong className="ws-task-code">{label}</strong>
                  <span className="ws-task-step">{task.name ?? task.elementId}</span>
                </span>
                <span className="ws-task-line muted">
                  {task.dossier?.applicantName ?? ''}
                  {task.dossier?.procedureName ? ` · ${task.dossier.procedureName}` : ''}
                </span>
                <span className="ws-task-line">
                  {deadline ? (
                    <span className={overdue ? 'ws-overdue' : 'ws-due'} data-testid="task-deadline" title={formatDateTime(task.dueAt!)}>
                      {deadline.text} · {formatDateTime(task.dueAt!)}
                    </span>
                  ) : (
                    <span className="muted">{t('noDue')}</span>
                  )}
                  <span className="ws-assignee" data-testid="task-assignee">
                    {holder ? (holder.me ? `${holder.name} (${t('you')})` : holder.name) : t('unassigned')}
                  </span>
                </span>
              </button>
              <span className="ws-task-actions">
                {holder?.me ? (
                  <button type="button" disabled={busy} onClick={() => void act(() => workspaceApi.unclaim(language, task.id))}>
                    {t('unclaim')}
                  </button>
                ) : (
                  <button type="button" disabled={busy} onClick={() => void act(() => workspaceApi.claim(language, task.id))} aria-label={`${t('claim')} ${label}`}>
                    {t('claim')}
                  </button>
                )}
                <button type="button" disabled={busy} aria-expanded={assigning === task.id} onClick={() => setAssigning(assigning === task.id ? undefined : task.id)}>
                  {t('assign')}
                </button>
              </span>
              {assigning === task.id ? (
                <form className="ws-assign" onSubmit={(event) => assign(event, task)}>
                  <input autoFocus aria-label={t('assignTo')} placeholder={t('assignTo')} value={colleague} onChange={(event) => setColleague(event.target.value)} onKeyDown={(event) => event.key === 'Escape' && setAssigning(undefined)} />
                  <button type="submit" className="primary" disabled={busy || !colleague.trim()}>
                    {t('assignConfirm')}
                  </button>
                  <button type="button" onClick={() => setAssigning(undefined)}>
                    {t('cancel')}
                  </button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
      {props.matches.length > 0 ? (
        <section className="ws-matches" aria-labelledby="ws-matches-title">
          <h3 id="ws-matches-title">{t('dossiersFound')}</h3>
          <ul data-testid="dossier-matches">
            {props.matches.map((dossier) => (
              <li key={dossier.id}>
                <button type="button" className="link" onClick={() => props.onOpenDossier(dossier.id)}>
                  {dossier.code ?? dossier.id}
                </button>{' '}
                <span className="muted">
                  {dossier.applicant.name} · {dossier.statusText[language]}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.hasMore ? (
        <button type="button" className="ws-more" onClick={props.onMore} disabled={props.loading}>
          {t('more')}
        </button>
      ) : null}
    </section>
  );
}
