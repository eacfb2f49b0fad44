import { useCallback, useEffect, useState } from 'react';
import type { Problem } from '../api-client.ts';
import { formatDateTime, formatNumber } from '../format.ts';
import type { Language } from '../i18n.ts';
import { ProblemNotice, problemOf } from '../workspace/ProblemNotice.tsx';
import { BulkMigrationDialog } from './BulkMigrationDialog.tsx';
import { monitoringText, type MonitoringMessage } from './messages.ts';
import { DeployedDiagram, type Decorations } from '../diagram/DeployedDiagram.tsx';
import type { MonitoringPlace } from './MonitoringApp.tsx';
import { monitoringApi, type ProcedureHeat } from './monitoring-api.ts';

/** Five shades from few to most dossiers at a step, relative to the busiest step. */
export function heatLevel(dossiers: number, busiest: number): number {
  if (dossiers <= 0 || busiest <= 0) return 0;
  return Math.min(5, Math.ceil((dossiers / busiest) * 5));
}

/**
 * A procedure's heat map (GET /api/monitoring/procedures/{key}): its latest diagram shaded by how
 * many dossiers stand at each step now, each with a badge (count, average wait, overdue); beside
 * it the steps, overdue first, as the server orders them.
 */
export function ProcedureScreen({ procedureKey, language, operator, onOpen }: { procedureKey: string; language: Language; operator: boolean; onOpen: (place: MonitoringPlace) => void }) {
  const t = (key: MonitoringMessage, values?: Record<string, string | number>) => monitoringText(language, key, values);
  const [heat, setHeat] = useState<ProcedureHeat | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [bulk, setBulk] = useState(false);

  const load = useCallback(() => {
    monitoringApi.procedure(language, procedureKey).then(setHeat, (failure: unknown) => setProblem(problemOf(failure)));
  }, [procedureKey]);
  useEffect(load, [load]);

  const loadXml = useCallback(() => monitoringApi.definitionXml(language, heat!.procedure.key, heat!.procedure.version), [heat?.procedure.key, heat?.procedure.version]);
  const decorate = useCallback(
    ({ canvas, overlays, registry }: Decorations) => {
      if (!heat) return;
      setNames(new Map(registry.getAll().map((element) => [element.id, element.businessObject.name ?? element.id])));
      const busiest = Math.max(0, ...heat.steps.map((step) => step.dossiers));
      for (const step of heat.steps) {
        if (!registry.get(step.elementId)) continue;
        canvas.addMarker(step.elementId, `mon-heat-${heatLevel(step.dossiers, busiest)}`);
        if (step.overdue > 0) canvas.addMarker(step.elementId, 'mon-overdue');
        const badge = document.createElement('span');
        badge.className = step.overdue > 0 ? 'mon-count mon-count-overdue' : 'mon-count';
        badge.dataset.element = step.elementId;
        badge.textContent = formatNumber(step.dossiers, language, 0);
        badge.title = `${formatNumber(step.dossiers, language, 0)} ${t('dossiers')} · ${t('averageWait', { h: formatNumber(step.averageWaitHours, language, 1) })}${step.overdue > 0 ? ` · ${t('overdue', { n: formatNumber(step.overdue, language, 0) })}` : ''}`;
        overlays.add(step.elementId, { position: { top: -10, right: 10 }, html: badge });
      }
    },
    [heat],
  );

  if (!heat) return <div className="mon-instance">{problem ? <ProblemNotice problem={problem} language={language} testId="procedure-problem" /> : <p className="muted">{t('loading')}</p>}</div>;
  return (
    <div className="mon-instance">
      <section className="mon-canvas" aria-label={t('procedureView')}>
        <DeployedDiagram loadXml={loadXml} decorate={decorate} failedText={t('diagramUnavailable')} testId="procedure-diagram" classPrefix="mon-diagram" />
      </section>
      <aside className="mon-side">
        <h1>{heat.procedure.name ?? heat.procedure.key}</h1>
        <p className="muted">
          {t('procedureView')} · {t('asOf')} {formatDateTime(heat.at)}
        </p>
        <h2>{t('stepsTitle')}</h2>
        {heat.steps.length === 0 ? <p className="muted">{t('noneWaiting')}</p> : null}
        <ol className="mon-steps" data-testid="procedure-steps">
          {heat.steps.map((step) => (
            <li key={step.elementId} className={step.overdue > 0 ? 'overdue' : ''} data-element={step.elementId}>
              <strong>{names.get(step.elementId) ?? step.elementId}</strong>
              <span>
                {formatNumber(step.dossiers, language, 0)} {t('dossiers')} · {t('averageWait', { h: formatNumber(step.averageWaitHours, language, 1) })}
              </span>
              {step.overdue > 0 ? <span className="mon-overdue-text">{t('overdue', { n: formatNumber(step.overdue, language, 0) })}</span> : null}
            </li>
          ))}
        </ol>
        {operator ? (
          <div className="mon-actions">
            <button type="button" aria-expanded={bulk} onClick={() => setBulk(!bulk)} data-testid="open-bulk">
              {t('bulkOpen')}
            </button>
          </div>
        ) : null}
        {operator && bulk ? <BulkMigrationDialog procedureKey={procedureKey} language={language} nameOf={(id) => names.get(id) ?? id} onDone={load} onClose={() => setBulk(false)} /> : null}
        <button type="button" className="link" onClick={() => onOpen({ screen: 'search' })}>
          {t('search')}
        </button>
      </aside>
    </div>
  );
}
