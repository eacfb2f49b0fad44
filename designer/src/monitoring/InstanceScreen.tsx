import { useCallback, useEffect, useState } from 'react';
import type { Problem } from '../api-client.ts';
import { formatDateTime, formatNumber } from '../format.ts';
import type { Language } from '../i18n.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import { DOSSIER_STATUS_TEXT, EVENT_TEXT, INSTANCE_STATUS_TEXT, monitoringText, type MonitoringMessage } from './messages.ts';
import { DeployedDiagram, type Decorations } from '../diagram/DeployedDiagram.tsx';
import { MigrateDialog, MoveDialog, type DiagramStep } from './InterventionDialogs.tsx';
import { pathTaken } from './path-taken.ts';
import type { MonitoringPlace } from './MonitoringApp.tsx';
import { monitoringApi, type HistoryStep, type InstanceView } from './monitoring-api.ts';

/**
 * One instance (GET /api/monitoring/instances/{id}): its deployed diagram with the current step
 * (`mon-active`), the path taken (`mon-path`), the times each element was entered (a count on it)
 * and incidents (`mon-incident`); beside it the dossier, incidents with "retry", the operator's
 * interventions (move the token, migrate to a newer version, cancel; each with a reason), the
 * history and (staff, administrators) the variables.
 */
export function InstanceScreen({ instanceId, language, operator, onOpen }: { instanceId: string; language: Language; operator: boolean; onOpen: (place: MonitoringPlace) => void }) {
  const t = (key: MonitoringMessage, values?: Record<string, string | number>) => monitoringText(language, key, values);
  const [view, setView] = useState<InstanceView | undefined>();
  const [history, setHistory] = useState<HistoryStep[]>([]);
  const [historyNext, setHistoryNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [notice, setNotice] = useState<MonitoringMessage | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [steps, setSteps] = useState<DiagramStep[]>([]);
  const [dialog, setDialog] = useState<'move' | 'migrate' | undefined>();

  const load = useCallback(async () => {
    try {
      const [instance, steps] = await Promise.all([monitoringApi.instance(language, instanceId), monitoringApi.history(language, instanceId, null)]);
      setView(instance);
      setHistory(steps.items);
      setHistoryNext(steps.next);
    } catch (failure) {
      setProblem(problemOf(failure));
    }
  }, [instanceId]);
  useEffect(() => void load(), [load]);

  const loadXml = useCallback(() => monitoringApi.definitionXml(language, view!.procedure.key, view!.procedure.version), [view?.procedure.key, view?.procedure.version]);
  const decorate = useCallback(
    ({ canvas, overlays, registry }: Decorations) => {
      if (!view) return;
      const all = registry.getAll();
      setSteps(all.filter((element) => !element.type.startsWith('label')).map((element) => ({ id: element.id, name: element.businessObject.name ?? element.id, type: element.type })));
      for (const id of pathTaken(all, [...view.path, ...view.activeElementIds], true)) canvas.addMarker(id, 'mon-path');
      for (const id of view.activeElementIds) if (registry.get(id)) canvas.addMarker(id, 'mon-active');
      for (const incident of view.incidents) if (registry.get(incident.elementId)) canvas.addMarker(incident.elementId, 'mon-incident');
      for (const [id, count] of Object.entries(view.entered)) {
        if (!registry.get(id)) continue;
        const badge = document.createElement('span');
        badge.className = 'mon-count';
        badge.dataset.element = id;
        badge.title = t('entered');
        badge.textContent = formatNumber(count, language, 0);
        overlays.add(id, { position: { top: -10, right: 10 }, html: badge });
      }
    },
    // The badges' words follow the language the view was read in.
    [view],
  );

  const act = async (action: () => Promise<unknown>, done: MonitoringMessage) => {
    setBusy(true);
    setNotice(undefined);
    try {
      await action();
      setProblem(undefined);
      setReason('');
      await load();
      setNotice(done);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const nameOf = (id: string | null) => (id === null ? '' : steps.find((step) => step.id === id)?.name ?? id);
  const intervened = async (done: MonitoringMessage) => {
    setDialog(undefined);
    setProblem(undefined);
    await load();
    setNotice(done);
  };

  if (!view) return <div className="mon-instance">{problem ? <ProblemNotice problem={problem} language={language} testId="instance-problem" /> : <p className="muted">{t('loading')}</p>}</div>;
  const cancelled = (view.failure as { cancelled?: { reason: string; by: string } } | null)?.cancelled;
  return (
    <div className="mon-instance">
      <section className="mon-canvas" aria-label={t('instance')}>
        <DeployedDiagram loadXml={loadXml} decorate={decorate} failedText={t('diagramUnavailable')} testId="instance-diagram" classPrefix="mon-diagram" />
        <p className="muted mon-legend">{t('diagramLegend')}</p>
      </section>
      <aside className="mon-side">
        <h1 data-testid="instance-title">{view.dossier ? `${t('code')} ${view.dossier.code}` : `${t('instance')} ${view.businessKey ?? view.id}`}</h1>
        {problem ? <ProblemNotice problem={problem} language={language} testId="instance-problem" /> : null}
        {notice ? <p className="ws-notice" role="status">{t(notice)}</p> : null}
        <dl className="mon-facts">
          <dt>{t('procedureShort')}</dt>
          <dd>
            <button type="button" className="link" onClick={() => onOpen({ screen: 'procedure', key: view.procedure.key })}>
              {view.procedure.name ?? view.procedure.key}
            </button>{' '}
            <span className="muted">v{view.procedure.version}</span>
          </dd>
          <dt>{t('instanceStatus')}</dt>
          <dd data-testid="instance-status">{INSTANCE_STATUS_TEXT[view.status]?.[language] ?? view.status}</dd>
          {view.dossier ? (
            <>
              <dt>{t('status')}</dt>
              <dd>{DOSSIER_STATUS_TEXT[view.dossier.status as keyof typeof DOSSIER_STATUS_TEXT]?.[language] ?? view.dossier.status}</dd>
              <dt>{t('applicantShort')}</dt>
              <dd>{view.dossier.applicantName}</dd>
              <dt>{t('agency')}</dt>
              <dd>{view.dossier.agencyCode}</dd>
              <dt>{t('submittedAt')}</dt>
              <dd>{formatDateTime(view.dossier.submittedAt)}</dd>
            </>
          ) : null}
          <dt>{t('standsAt')}</dt>
          <dd data-testid="instance-active">{view.activeElementIds.map(nameOf).join(', ') || '—'}</dd>
          <dt>{t('startedAt')}</dt>
          <dd>{formatDateTime(view.startedAt)}</dd>
          {view.endedAt ? (
            <>
              <dt>{t('endedAt')}</dt>
              <dd>{formatDateTime(view.endedAt)}</dd>
            </>
          ) : null}
        </dl>
        {cancelled ? <p className="mon-cancelled">{`${t('cancelled')} ${cancelled.reason} (${cancelled.by})`}</p> : null}
        <section className="ws-section">
          <h2>{t('incidents')}</h2>
          {view.incidents.length === 0 ? <p className="muted">{t('noIncidents')}</p> : null}
          <ul className="mon-incidents">
            {view.incidents.map((incident) => (
              <li key={incident.id} data-testid="incident">
                <strong>{nameOf(incident.elementId)}</strong> <time>{formatDateTime(incident.createdAt)}</time>
                <div>{incident.message}</div>
                {operator ? (
                  <button type="button" disabled={busy} onClick={() => void act(() => monitoringApi.retry(language, incident.id), 'retried')}>
                    {t('retry')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
        {operator && view.status === 'active' ? (
          <div className="mon-actions">
            <button type="button" aria-expanded={dialog === 'move'} onClick={() => setDialog(dialog === 'move' ? undefined : 'move')} data-testid="open-move">
              {t('moveOpen')}
            </button>
            <button type="button" aria-expanded={dialog === 'migrate'} onClick={() => setDialog(dialog === 'migrate' ? undefined : 'migrate')} data-testid="open-migrate">
              {t('migrateOpen')}
            </button>
          </div>
        ) : null}
        {operator && view.status === 'active' && dialog === 'move' ? <MoveDialog instanceId={instanceId} view={view} language={language} steps={steps} onDone={intervened} onClose={() => setDialog(undefined)} /> : null}
        {operator && view.status === 'active' && dialog === 'migrate' ? <MigrateDialog instanceId={instanceId} view={view} language={language} onDone={intervened} onClose={() => setDialog(undefined)} /> : null}
        {operator && view.status === 'active' ? (
          <section className="ws-section mon-cancel">
            <h2>{t('cancelTitle')}</h2>
            <label className="mon-field">
              <span>{t('cancelReason')}</span>
              <textarea rows={2} value={reason} onChange={(event) => setReason(event.target.value)} data-testid="cancel-reason" />
            </label>
            <button type="button" className="danger" disabled={busy || reason.trim().length < 5} onClick={() => void act(() => monitoringApi.cancel(language, instanceId, reason.trim()), 'cancelled')}>
              {t('cancelConfirm')}
            </button>
          </section>
        ) : null}
        <section className="ws-section">
          <h2>{t('history')}</h2>
          <ol className="mon-history" data-testid="instance-history">
            {history.map((step, index) => (
              <li key={index}>
                <time>{formatDateTime(step.at)}</time> {EVENT_TEXT[step.eventType]?.[language] ?? step.eventType} {step.elementId && step.intervention?.kind !== 'move' ? <strong>{nameOf(step.elementId)}</strong> : null} {step.actor ? <span className="muted">{step.actor}</span> : null}
                {step.intervention ? (
                  <span className="mon-intervention" data-testid="history-intervention">
                    {step.intervention.kind === 'move' ? (
                      ('moves' in step.intervention ? step.intervention.moves : [step.intervention]).map((move, at) => (
                        <span key={move.from}>
                          {at > 0 ? ', ' : null}
                          <strong>{nameOf(move.from)}</strong> → <strong>{nameOf(move.to)}</strong>
                        </span>
                      ))
                    ) : (
                      <strong>{`${t('versionOf', { v: step.intervention.from.version })} → ${t('versionOf', { v: step.intervention.to.version })}`}</strong>
                    )}
                    {` · ${t('reasonGiven')}: ${step.intervention.reason}`}
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
          {historyNext ? (
            <button
              type="button"
              onClick={() =>
                void monitoringApi.history(language, instanceId, historyNext).then((page) => {
                  setHistory((shown) => [...shown, ...page.items]);
                  setHistoryNext(page.next);
                }, (failure: unknown) => setProblem(problemOf(failure)))
              }
            >
              {t('more')}
            </button>
          ) : null}
        </section>
        {view.variables ? (
          <section className="ws-section">
            <h2>{t('variables')}</h2>
            <pre className="mon-variables" data-testid="instance-variables">{JSON.stringify(view.variables, null, 2)}</pre>
          </section>
        ) : null}
      </aside>
    </div>
  );
}
