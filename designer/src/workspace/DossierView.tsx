import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import type { Problem } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import type { Account } from '../session/session-api.ts';
import { DiagramView } from './DiagramView.tsx';
import { DigitizationPanel } from './DigitizationPanel.tsx';
import type { FormHandle } from './FormView.tsx';
import { workspaceText, type WorkspaceMessage } from './messages.ts';
import { ProblemNotice, problemOf } from './ProblemNotice.tsx';
import { ReceiptActions } from './ReceiptActions.tsx';
import { PaymentsList } from './PaymentsList.tsx';
import { ResultsList } from './ResultsList.tsx';
import { ComponentSignatureNote } from '../signatures/ComponentSignatureNote.tsx';
import { componentUrl, workspaceApi, type Dossier, type FormSchema, type TaskDetail, type TaskSummary } from './workspace-api.ts';
import { formatDateTime } from '../format.ts';

// form-js (and its styles) load when a dossier is first opened: the designer's own pages never need it.
const FormView = lazy(() => import('./FormView.tsx').then((module) => ({ default: module.FormView })));

interface DossierViewProps {
  /** The task opened from the inbox; none when the dossier was found by search (read-only but for annulment). */
  task: TaskSummary | undefined;
  /** The dossier, when it was opened without a task. */
  dossierId?: string | undefined;
  language: Language;
  account: Account;
  /** Something was done to the task or dossier: the inbox reads its list again. */
  onChanged: () => void;
}

/** Sizes of components as an official reads them (KB, MB). */
function fileSize(bytes: number, language: Language): string {
  const kb = bytes / 1024;
  const text = kb < 1024 ? `${Math.max(1, Math.round(kb))} KB` : `${(kb / 1024).toFixed(1)} MB`;
  return language === 'vi' ? text.replace('.', ',') : text;
}

/**
 * One dossier as the official handles it (docs/dossiers.md, the dossier view): what was applied
 * for (the form, read-only), its documents, results, history and where it stands on the deployed
 * diagram, with the actions of the open task: the receipt check or the step's decision form.
 */
export function DossierView({ task, dossierId: foundId, language, account, onChanged }: DossierViewProps) {
  const t = (key: WorkspaceMessage, values?: Record<string, string | number>) => workspaceText(language, key, values);
  const [detail, setDetail] = useState<TaskDetail | undefined>();
  const [dossier, setDossier] = useState<Dossier | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [taskOpen, setTaskOpen] = useState(task !== undefined);
  const [applicationForm, setApplicationForm] = useState<FormSchema | undefined>();
  const decisionRef = useRef<FormHandle>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const dossierId = task?.dossier?.id ?? foundId;

  const load = useCallback(async () => {
    setProblem(undefined);
    // The dossier is read alongside the task when the inbox already knows it.
    const readDossier = async (id: string | null | undefined) => {
      if (id) setDossier(await workspaceApi.dossier(language, id));
    };
    const [taskRead, dossierRead] = await Promise.allSettled([
      task
        ? workspaceApi.task(language, task.id).then(async (taskDetail) => {
            setDetail(taskDetail);
            if (!dossierId) await readDossier(taskDetail.dossier?.id ?? taskDetail.dossierId);
          })
        : undefined,
      readDossier(dossierId),
    ]);
    const failed = [taskRead, dossierRead].find((outcome) => outcome.status === 'rejected');
    if (failed) setProblem(problemOf(failed.reason));
    // Read again when another task or dossier is opened; a language switch rewords what is already here.
  }, [task?.id, dossierId]);

  useEffect(() => {
    setDetail(undefined);
    setDossier(undefined);
    setNotice(undefined);
    setTaskOpen(task !== undefined);
    void load();
  }, [load]);

  // The application form the data was filled in, to show the data as the applicant saw it.
  const formCode = dossier?.formCode;
  useEffect(() => {
    setApplicationForm(undefined);
    if (formCode) workspaceApi.form(language, formCode).then(setApplicationForm, () => undefined);
  }, [formCode]);

  // The heading takes the focus when a dossier opens: a keyboard user continues from there.
  useEffect(() => {
    if (dossier) headingRef.current?.focus();
  }, [dossier?.id]);

  /** An action succeeded: say so, and (for a task's action) the task is no longer open here. */
  const done = (text: string, closesTask = true) => {
    setNotice(text);
    if (closesTask) setTaskOpen(false);
    onChanged();
    if (dossier) void workspaceApi.dossier(language, dossier.id).then(setDossier, () => undefined);
  };

  const complete = async (taskId: string) => {
    const decision = decisionRef.current?.submit() ?? { data: {}, valid: true };
    if (!decision.valid) {
      setProblem({ title: t('formInvalid'), status: 0, code: 'form.invalid', messages: { vi: workspaceText('vi', 'formInvalid'), en: workspaceText('en', 'formInvalid') }, errors: [] });
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      await workspaceApi.complete(language, taskId, decision.data);
      done(t('completed'));
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const isReceipt = (detail?.dossierStep ?? task?.dossierStep) === 'receipt';
  const applicationSchema = applicationForm?.schema;
  const decisionSchema = isReceipt ? undefined : detail?.form?.schema;
  const canAnnul = account.roles.includes('admin') || account.memberships.some((membership) => membership.function === 'lanh-dao' && (!dossier?.agency || membership.agencyCode === dossier.agency.code));

  return (
    <article className="ws-dossier" aria-labelledby="ws-dossier-title" data-testid="dossier-view">
      <header className="ws-dossier-head">
        <h2 id="ws-dossier-title" tabIndex={-1} ref={headingRef}>
          {t('dossier')} {dossier?.code ?? task?.dossier?.code ?? ''}
        </h2>
        {dossier ? (
          <span className={`ws-status status-${dossier.status}`} data-testid="dossier-status">
            {dossier.statusText[language]}
          </span>
        ) : null}
      </header>
      {problem ? <ProblemNotice problem={problem} language={language} testId="dossier-problem" /> : null}
      {notice ? (
        <p className="ws-notice" role="status" data-testid="action-notice">
          {notice}
        </p>
      ) : null}
      {!dossier && !problem ? <p className="muted">{t('loading')}</p> : null}
      {dossier ? (
        <>
          <dl className="ws-facts">
            <dt>{t('procedure')}</dt>
            <dd>{dossier.procedure.name}</dd>
            <dt>{t('applicant')}</dt>
            <dd>
              {dossier.applicant.name}
              {dossier.applicant.idNumber ? ` (${dossier.applicant.idNumber})` : ''}
            </dd>
            {dossier.agency ? (
              <>
                <dt>{t('agency')}</dt>
                <dd>{dossier.agency.name}</dd>
              </>
            ) : null}
            {dossier.submittedAt ? (
              <>
                <dt>{t('submittedAt')}</dt>
                <dd>{formatDateTime(dossier.submittedAt)}</dd>
              </>
            ) : null}
            {dossier.receiptDueAt ? (
              <>
                <dt>{t('receiptDue')}</dt>
                <dd data-testid="receipt-due">
                  {formatDateTime(dossier.receiptDueAt)}
                  {dossier.receiptOverdue ? <strong className="ws-overdue"> {t('receiptOverdue')}</strong> : null}
                </dd>
              </>
            ) : null}
          </dl>

          <Suspense fallback={<p className="muted">{t('loading')}</p>}>
            {taskOpen && task ? (
              <section className="ws-section ws-actions" aria-labelledby="ws-actions-title">
                <h3 id="ws-actions-title">
                  {t('actions')}: {detail?.name ?? task.name ?? task.elementId}
                </h3>
                {isReceipt ? (
                  <ReceiptActions dossier={dossier} language={language} onDone={(message) => done(t(message))} />
                ) : (
                  <>
                    {decisionSchema ? <FormView schema={decisionSchema} data={detail?.variables ?? {}} ref={decisionRef} testId="decision-form" /> : null}
                    <button type="button" className="primary" disabled={busy || !detail} onClick={() => void complete(task.id)}>
                      {t('complete')}
                    </button>
                  </>
                )}
              </section>
            ) : null}

            {dossier.amendment ? (
              <section className="ws-section" aria-labelledby="ws-amendment-title">
                <h3 id="ws-amendment-title">
                  {t('amendment')} · {formatDateTime(dossier.amendment.requestedAt)}
                </h3>
                <ul>
                  {dossier.amendment.items.map((item) => (
                    <li key={item}>{item}</li>
                  ))}
                </ul>
                {dossier.amendment.note ? <p>{dossier.amendment.note}</p> : null}
              </section>
            ) : null}
            {dossier.refusal ? (
              <section className="ws-section" aria-labelledby="ws-refusal-title">
                <h3 id="ws-refusal-title">
                  {t('refusal')} · {formatDateTime(dossier.refusal.at)}
                </h3>
                <ul>
                  {dossier.refusal.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              </section>
            ) : null}

            <section className="ws-section" aria-labelledby="ws-form-title">
              <h3 id="ws-form-title">{t('formData')}</h3>
              {applicationSchema ? (
                <FormView schema={applicationSchema} data={dossier.data} readOnly testId="dossier-form" />
              ) : (
                <dl className="ws-data" data-testid="dossier-form">
                  {Object.entries(dossier.data).map(([key, value]) => (
                    <div key={key}>
                      <dt>{key}</dt>
                      <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </section>

          </Suspense>

          <section className="ws-section" aria-labelledby="ws-components-title">
            <h3 id="ws-components-title">{t('components')}</h3>
            {dossier.components.length === 0 ? (
              <p className="muted">{t('noComponents')}</p>
            ) : (
              <ul data-testid="dossier-components">
                {dossier.components.map((component) => (
                  <li key={component.id}>
                    {component.name}:{' '}
                    <a href={componentUrl(dossier.id, component.id)} download={component.fileName}>
                      {component.fileName}
                    </a>{' '}
                    <span className="muted">({fileSize(component.size, language)})</span>
                    <ComponentSignatureNote signature={component.signature} language={language} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          <DigitizationPanel dossier={dossier} language={language} />

          <section className="ws-section" aria-labelledby="ws-results-title">
            <h3 id="ws-results-title">{t('results')}</h3>
            <ResultsList results={dossier.results} language={language} canAnnul={canAnnul} onAnnulled={(code) => done(t('annulDone', { code }), false)} />
          </section>

          {dossier.payments.items.length > 0 ? (
            <section className="ws-section" aria-labelledby="ws-payments-title">
              <h3 id="ws-payments-title">{t('payments')}</h3>
              <PaymentsList dossierId={dossier.id} payments={dossier.payments} language={language} />
            </section>
          ) : null}

          <section className="ws-section" aria-labelledby="ws-diagram-title">
            <h3 id="ws-diagram-title">{t('diagram')}</h3>
            <DiagramView instanceId={dossier.instanceId} fallbackActive={dossier.tasks.map((open) => open.elementId)} language={language} />
          </section>

          <section className="ws-section" aria-labelledby="ws-history-title">
            <h3 id="ws-history-title">{t('history')}</h3>
            <ol className="ws-history" data-testid="dossier-history">
              {dossier.history.map((event, index) => (
                <li key={index}>
                  <time dateTime={event.at}>{formatDateTime(event.at)}</time> {event.text[language]}
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </article>
  );
}
