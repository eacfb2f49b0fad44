import { useEffect, useState } from 'react';
import { api, ProblemError, type ModelDeployment } from '../api.ts';
import { useConfirm } from '../dialogs/ConfirmDialog.tsx';
import { formatDateTime } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';

/** Who deployed, as the audit trail names them (`account:hoa.nt`), shown without the kind. */
export const deployerName = (actor: string) => actor.replace(/^(account|token):/, '');

interface DeploymentsPanelProps {
  language: Language;
  modelId: string;
  /** Bumped after each deployment, to read the list again. */
  refresh: number;
  /** An analyst sees the list; only staff deploy again. */
  readOnly: boolean;
  report: (text: string, error?: boolean) => void;
  onDeployed: () => void;
}

/**
 * The open model's deployments, newest first (the first is what runs): which version, as which
 * process version, who, when; and "Triển khai lại", a rollback that deploys an earlier version
 * again as a new deployment. A rollback that drops a signing step asks a second time.
 */
export function DeploymentsPanel({ language, modelId, refresh, readOnly, report, onDeployed }: DeploymentsPanelProps) {
  const t = (key: MessageKey) => translate(language, key);
  const [deployments, setDeployments] = useState<ModelDeployment[]>([]);
  const confirm = useConfirm();

  useEffect(() => {
    let current = true;
    api.listDeployments(modelId, language).then(
      (page) => current && setDeployments(page.items),
      (error: unknown) => report(error instanceof Error ? error.message : String(error), true),
    );
    return () => {
      current = false;
    };
  }, [modelId, refresh, language]);

  const rollback = async (deployment: ModelDeployment) => {
    const yes = await confirm.ask({ title: t('rollbackTitle'), text: `${t('version')} ${deployment.modelVersion}: ${t('rollbackText')}`, confirm: t('rollback'), cancel: t('cancel') });
    if (!yes) return;
    try {
      let deployed: ModelDeployment;
      try {
        deployed = await api.rollback(modelId, deployment.id, false, language);
      } catch (error) {
        if (!(error instanceof ProblemError && error.problem.code === 'deployment.signing-step-removed')) throw error;
        // Deleting a signing step must not pass silently: the server names the steps, the user confirms once more.
        if (!(await confirm.ask({ title: t('rollbackSigningTitle'), text: error.text(language), confirm: t('rollback'), cancel: t('cancel') }))) return;
        deployed = await api.rollback(modelId, deployment.id, true, language);
      }
      report(`${t('rolledBack')} ${deployed.modelVersion} → ${deployed.definitionKey} ${t('version')} ${deployed.definitionVersion}`);
      onDeployed();
    } catch (error) {
      report(error instanceof ProblemError ? error.text(language) : String(error), true);
    }
  };

  const running = deployments[0];
  return (
    <section className="deployments" aria-label={t('deployments')}>
      <h2>{t('deployments')}</h2>
      {deployments.length === 0 ? <p className="muted">{t('deploymentsNone')}</p> : null}
      <ol>
        {deployments.map((deployment) => (
          <li key={deployment.id} data-deployment={deployment.id} className={deployment === running ? 'current' : ''}>
            <div>
              <strong>
                {t('version')} {deployment.modelVersion}
              </strong>
              {deployment === running ? <span className="muted"> · {t('deploymentRunning')}</span> : null}
            </div>
            <div className="muted">
              {deployment.definitionKey} v{deployment.definitionVersion}
            </div>
            <div className="muted">
              {deployerName(deployment.deployedBy)} · <time dateTime={deployment.deployedAt}>{formatDateTime(deployment.deployedAt)}</time>
            </div>
            {deployment.restores ? (
              <div className="muted">
                ↺ {t('deploymentRestores')} {deployment.restores.modelVersion}
              </div>
            ) : null}
            {deployment !== running && deployment.modelVersion !== running?.modelVersion && !readOnly ? (
              <button type="button" className="link" onClick={() => void rollback(deployment)} aria-label={`${t('rollback')} ${t('version')} ${deployment.modelVersion}`}>
                {t('rollback')}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      {confirm.dialog}
    </section>
  );
}
