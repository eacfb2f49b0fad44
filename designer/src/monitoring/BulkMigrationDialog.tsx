import { useEffect, useRef, useState } from 'react';
import type { Problem } from '../api-client.ts';
import { formatNumber } from '../format.ts';
import type { Language } from '../i18n.ts';
import { problemOf } from '../workspace/ProblemNotice.tsx';
import { InterventionDialog, MIN_REASON } from './InterventionDialogs.tsx';
import { monitoringText, type MonitoringMessage } from './messages.ts';
import { monitoringApi, type DefinitionVersion, type MigrationPreview } from './monitoring-api.ts';

/** The bulk route's largest page (server/monitoring/interventions.ts, MAX_BULK_MIGRATION). */
const PAGE = 100;

type Run = { done: number; refused: number; state: 'running' | 'stopped' | 'done' };

/**
 * "Chuyển phiên bản hàng loạt" on the procedure screen: the operator picks the version to migrate
 * from and the newer one to migrate to, sees first how many running dossiers would migrate and
 * which would not, by the steps without a counterpart (GET …/migration-preview), then migrates
 * them a page of 100 at a time (POST …/migrate with `after` = the previous page's `next`), with
 * progress, and may stop between pages.
 */
export function BulkMigrationDialog({ procedureKey, language, nameOf, onDone, onClose }: { procedureKey: string; language: Language; nameOf: (elementId: string) => string; onDone: () => void; onClose: () => void }) {
  const t = (key: MonitoringMessage, values?: Record<string, string | number>) => monitoringText(language, key, values);
  const n = (value: number) => formatNumber(value, language, 0);
  const [versions, setVersions] = useState<DefinitionVersion[] | undefined>();
  const [from, setFrom] = useState<number | undefined>();
  const [target, setTarget] = useState('');
  const [preview, setPreview] = useState<MigrationPreview | undefined>();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [run, setRun] = useState<Run | undefined>();
  const stopping = useRef(false);

  useEffect(() => {
    monitoringApi.versions(language, procedureKey).then((page) => {
      const all = [...page.items].sort((a, b) => a.version - b.version);
      setVersions(all);
      if (all.length > 1) {
        setFrom(all[0]!.version);
        setTarget(all.at(-1)!.id);
      }
    }, (failure: unknown) => setProblem(problemOf(failure)));
  }, [procedureKey]);
  const newer = (versions ?? []).filter((version) => from !== undefined && version.version > from);

  useEffect(() => {
    setPreview(undefined);
    if (from === undefined || !target) return;
    let current = true;
    monitoringApi.migrationPreview(language, procedureKey, from, target).then(
      (answer) => current && (setPreview(answer), setProblem(undefined)),
      (failure: unknown) => current && setProblem(problemOf(failure)),
    );
    return () => {
      current = false;
    };
  }, [procedureKey, from, target]);

  const migrate = async () => {
    if (from === undefined || !preview) return;
    stopping.current = false;
    let progress: Run = { done: 0, refused: 0, state: 'running' };
    setRun(progress);
    let after: string | undefined;
    try {
      do {
        const page = await monitoringApi.migrateVersion(language, procedureKey, { fromVersion: from, targetDefinitionId: target, reason: reason.trim(), limit: PAGE, ...(after ? { after } : {}) });
        progress = { done: progress.done + page.migrated.length, refused: progress.refused + page.refused.length, state: 'running' };
        setRun(progress);
        after = page.next ?? undefined;
      } while (after && !stopping.current);
      setRun({ ...progress, state: after ? 'stopped' : 'done' });
    } catch (failure) {
      setProblem(problemOf(failure));
      setRun({ ...progress, state: 'stopped' });
    }
    onDone();
  };

  const running = run?.state === 'running';
  return (
    <InterventionDialog title={t('bulkTitle')} testId="bulk-dialog" language={language} problem={problem} onClose={() => !running && onClose()}>
      <p className="muted mon-hint">{t('bulkHint')}</p>
      {versions && versions.length < 2 ? <p>{t('bulkNothing')}</p> : null}
      <label className="mon-field">
        <span>{t('bulkFrom')}</span>
        <select value={from ?? ''} disabled={running || (versions !== undefined && versions.length < 2)} data-testid="bulk-from" onChange={(event) => {
          const version = Number(event.target.value);
          setFrom(version);
          if (!(versions ?? []).some((other) => other.id === target && other.version > version)) setTarget(versions?.at(-1)?.id ?? '');
        }}>
          {(versions ?? []).slice(0, -1).map((version) => <option key={version.id} value={version.version}>{t('versionOf', { v: version.version })}</option>)}
        </select>
      </label>
      <label className="mon-field">
        <span>{t('migrateTarget')}</span>
        <select value={target} disabled={running || newer.length === 0} data-testid="bulk-target" onChange={(event) => setTarget(event.target.value)}>
          {newer.map((version) => <option key={version.id} value={version.id}>{t('versionOf', { v: version.version })}</option>)}
        </select>
      </label>
      {preview ? (
        <div className="mon-preview" data-testid="bulk-preview">
          <p>{t('bulkPreviewRunning', { n: n(preview.running) })}</p>
          <p><strong>{t('bulkPreviewMigratable', { n: n(preview.migratable) })}</strong></p>
          {preview.refused.length > 0 ? (
            <>
              <p className="mon-overdue-text">{t('bulkPreviewRefused', { n: n(preview.running - preview.migratable) })}</p>
              <ul data-testid="bulk-refused">
                {preview.refused.map((group) => (
                  <li key={group.elementIds.join()}>{t('bulkRefusedAt', { n: n(group.instances), steps: group.elementIds.map((id, at) => `${group.names[at] ?? nameOf(id)} (${id})`).join(', ') })}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <label className="mon-field">
        <span>{t('interventionReason')}</span>
        <textarea rows={2} value={reason} disabled={running} onChange={(event) => setReason(event.target.value)} data-testid="bulk-reason" />
      </label>
      {run ? (
        <div role="status" data-testid="bulk-progress">
          <progress max={Math.max(1, preview?.migratable ?? 0)} value={run.done} aria-label={t('bulkProgress', { done: n(run.done), total: n(preview?.migratable ?? 0) })} />
          <p>
            {run.state === 'running'
              ? t('bulkProgress', { done: n(run.done), total: n(preview?.migratable ?? 0) })
              : run.state === 'done'
                ? t('bulkDone', { done: n(run.done), refused: n(run.refused) })
                : t('bulkStopped', { done: n(run.done) })}
          </p>
        </div>
      ) : null}
      <div className="mon-dialog-buttons">
        {running ? (
          <button type="button" onClick={() => (stopping.current = true)} data-testid="bulk-stop">{t('bulkStop')}</button>
        ) : (
          <button type="button" className="primary" disabled={!preview || preview.migratable === 0 || run?.state === 'done' || reason.trim().length < MIN_REASON} onClick={() => void migrate()} data-testid="bulk-confirm">
            {t('bulkConfirm', { n: n(preview?.migratable ?? 0) })}
          </button>
        )}
        <button type="button" disabled={running} onClick={onClose}>{t('close')}</button>
      </div>
    </InterventionDialog>
  );
}
