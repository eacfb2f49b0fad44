import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type ModelDeployment } from '../api.ts';
import { errorsOf, warningsOf, type ChecksState } from '../checks/live-checks.ts';
import { formatDateTime } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import type { DeployPreview } from './deploy-preview.ts';
import { deployerName } from './DeploymentsPanel.tsx';

interface DeployDialogProps {
  language: Language;
  modelId: string;
  modelName: string;
  /** The saved version deployed: the one on the canvas, unchanged. */
  version: number;
  checks: ChecksState;
  onDeploy: (confirmRemovedSigning: boolean) => void;
  onCancel: () => void;
}

type Loaded = { status: 'loading' } | { status: 'loaded'; running: ModelDeployment | undefined; preview: DeployPreview } | { status: 'failed'; message: string };

const KIND: Record<string, MessageKey> = { added: 'changeAdded', removed: 'changeRemoved', changed: 'changeChanged' };

/**
 * Before a deployment, everything a staff member checks: the version that will run, the changes
 * since the version running, the checks' result; a signing step removed is flagged and must be
 * confirmed (docs/models.md "Deployment"; Decree 45/2020 Art. 14.3.b).
 */
export function DeployDialog({ language, modelId, modelName, version, checks, onDeploy, onCancel }: DeployDialogProps) {
  const t = (key: MessageKey) => translate(language, key);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [confirmed, setConfirmed] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);

  useEffect(() => {
    let current = true;
    void (async () => {
      const [{ items }, { xml }, { deployPreview }] = await Promise.all([api.listDeployments(modelId, language), api.getVersion(modelId, version, language), import('./deploy-preview.ts')]);
      const running = items[0];
      const runningXml = running ? (await api.getVersion(modelId, running.modelVersion, language)).xml : undefined;
      const preview = await deployPreview(runningXml, xml);
      if (current) setLoaded({ status: 'loaded', running, preview });
    })().catch((error: unknown) => current && setLoaded({ status: 'failed', message: error instanceof Error ? error.message : String(error) }));
    return () => {
      current = false;
    };
  }, [modelId, version, language]);

  const signingRemoved = loaded.status === 'loaded' ? loaded.preview.removedSigning : [];
  const ready = loaded.status === 'loaded' && (signingRemoved.length === 0 || confirmed);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) onDeploy(signingRemoved.length > 0);
  };
  const warnings = warningsOf(checks.findings).length;

  return (
    <div className="modal-backdrop" onKeyDown={(event) => event.key === 'Escape' && onCancel()}>
      <form className="modal deploy-dialog" role="dialog" aria-modal="true" aria-labelledby="deploy-title" onSubmit={submit} data-testid="deploy-dialog">
        <h2 id="deploy-title">{t('deployDialogTitle')}</h2>
        <dl className="deploy-facts">
          <dt>{t('deployVersionSaved')}</dt>
          <dd data-testid="deploy-version">
            {modelName} — {t('version')} {version}
          </dd>
          <dt>{t('deployLast')}</dt>
          <dd data-testid="deploy-running">
            {loaded.status === 'loaded'
              ? loaded.running
                ? `${t('version')} ${loaded.running.modelVersion} · ${deployerName(loaded.running.deployedBy)} · ${formatDateTime(loaded.running.deployedAt)}`
                : t('deployFirst')
              : '…'}
          </dd>
          <dt>{t('deployChecks')}</dt>
          <dd data-testid="deploy-checks">
            {errorsOf(checks.findings).length === 0 ? t('deployChecksPassed') : `${errorsOf(checks.findings).length}`} · {warnings} {t('deployWarnings')}
          </dd>
        </dl>
        {loaded.status === 'loaded' && loaded.running ? (
          <section aria-label={t('deployChanges')}>
            <h3>{t('deployChanges')}</h3>
            {loaded.preview.changes.length === 0 ? <p className="muted">{t('deployNoChanges')}</p> : null}
            <ul className="deploy-changes" data-testid="deploy-changes">
              {loaded.preview.changes.map((change) => {
                const id = change.asIsId ?? change.toBeId ?? '';
                const signing = change.kind === 'removed' && signingRemoved.some((step) => step.id === id);
                return (
                  <li key={`${change.kind}|${id}`} className={signing ? 'signing-removed' : change.kind} data-element-id={id}>
                    <strong>{t(KIND[change.kind]!)}</strong> {change.name || id}
                    {change.kind === 'changed' ? <span className="muted"> ({change.attributes.join(', ')})</span> : null}
                  </li>
                );
              })}
            </ul>
          </section>
        ) : null}
        {loaded.status === 'loading' ? <p className="muted">{t('deployChangesLoading')}</p> : null}
        {loaded.status === 'failed' ? <p className="error">{loaded.message}</p> : null}
        {signingRemoved.length > 0 ? (
          <div className="signing-warning" role="alert" data-testid="signing-removed">
            <p>
              <strong>{t('signingRemoved')}</strong>
            </p>
            <ul>
              {signingRemoved.map((step) => (
                <li key={step.id}>{step.name || step.id}</li>
              ))}
            </ul>
            <label>
              <input type="checkbox" checked={confirmed} onChange={(event) => setConfirmed(event.target.checked)} /> {t('signingRemovedConfirm')}
            </label>
          </div>
        ) : null}
        <div className="modal-buttons">
          <button type="button" ref={cancelRef} onClick={onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!ready}>
            {t('deployConfirm')} {version}
          </button>
        </div>
      </form>
    </div>
  );
}
