import { Fragment, useEffect, useState } from 'react';
import { api, ProblemError, type Problem } from '../api.ts';
import { ProblemMessages } from '../checks/ElementMessages.tsx';
import type { ChecksState } from '../checks/live-checks.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { deployBlockers, type Stage } from './deploy-blockers.ts';
import { DeployDialog } from './DeployDialog.tsx';

interface DeployPanelProps {
  checks: ChecksState;
  stage: Stage;
  /** An analyst's designer: the button stays, disabled, saying why (the server would answer 403). */
  readOnly: boolean;
  language: Language;
  /** The open model: deployed only as a saved version (docs/models.md "Deployment"). */
  model: { id: string | undefined; version: number | undefined; name: string };
  /** An earlier version is on the canvas (read-only). */
  viewingOld: boolean;
  /** The canvas differs from the version stored. */
  dirty: boolean;
  onSelectElement: (elementId: string) => void;
  /** A deployment was recorded (the deployments list reads it). */
  onDeployed: () => void;
}

type Outcome =
  | { status: 'deploying' }
  | { status: 'deployed'; definitions: Array<{ key: string; version: number }>; created: boolean }
  | { status: 'refused'; problem: Problem }
  | { status: 'failed'; message: string };

/**
 * "Triển khai / Deploy": opens the deploy dialog (the version, the changes since the version
 * running, the checks), then sends POST /api/models/:id/deployments, where the saved version becomes
 * the next version of its process. Disabled, with the reasons listed, while something blocks it;
 * the server's refusal (409, 422) lists each offending element like the checks do.
 */
export function DeployPanel({ checks, stage, readOnly, language, model, viewingOld, dirty, onSelectElement, onDeployed }: DeployPanelProps) {
  const t = (key: MessageKey) => translate(language, key);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [asking, setAsking] = useState(false);
  // The outcome is about the model as it was sent: a change or another model opened drops it, so
  // no success or refusal shows beside a model it no longer describes.
  useEffect(() => {
    if (checks.checking) setOutcome((shown) => (shown?.status === 'deploying' ? shown : undefined));
  }, [checks.checking, checks.opened]);

  const saved = model.id !== undefined && model.version !== undefined && !dirty;
  const blockers = deployBlockers(checks, stage, readOnly, { viewingOld, saved });
  const deploy = async (confirmRemovedSigning: boolean) => {
    setAsking(false);
    if (model.id === undefined || model.version === undefined) return;
    setOutcome({ status: 'deploying' });
    try {
      const deployed = await api.deployModel(model.id, model.version, confirmRemovedSigning, language);
      // A model of several executable processes deploys each (docs/models.md "Deployment"): all are named.
      setOutcome({ status: 'deployed', definitions: deployed.definitions ?? [{ key: deployed.definitionKey, version: deployed.definitionVersion }], created: deployed.created });
      onDeployed();
    } catch (error) {
      if (error instanceof ProblemError && error.status >= 400 && error.status < 500) setOutcome({ status: 'refused', problem: error.problem });
      else setOutcome({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section className="deploy-panel" aria-label={t('deploy')}>
      <span title={readOnly ? t('readOnlyRole') : undefined}>
        <button type="button" className="primary" disabled={blockers.length > 0 || outcome?.status === 'deploying'} onClick={() => setAsking(true)}>
          {t('deploy')}
        </button>
      </span>
      {blockers.length > 0 ? (
        <div className="deploy-blockers" data-testid="deploy-blockers">
          <p className="muted">{t('deployBlocked')}</p>
          <ul>
            {blockers.map((blocker) => (
              <li key={blocker}>{t(blocker)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {outcome?.status === 'deploying' ? <p className="muted">{t('deploying')}</p> : null}
      {outcome?.status === 'deployed' ? (
        <p className="deploy-result" role="status" data-testid="deploy-result">
          {t(outcome.created ? 'deployed' : 'deployedUnchanged')}{' '}
          {outcome.definitions.map((definition, index) => (
            <Fragment key={definition.key}>
              {index > 0 ? '; ' : ''}
              <code>{definition.key}</code>, {t('version')} {definition.version}
            </Fragment>
          ))}
        </p>
      ) : null}
      {outcome?.status === 'refused' ? (
        <ProblemMessages problem={outcome.problem} language={language} hint={t('deployRefused')} onSelectElement={onSelectElement} className="deploy-refused" testId="deploy-refused" />
      ) : null}
      {outcome?.status === 'failed' ? (
        <p className="error">
          {t('deployFailed')}: {outcome.message}
        </p>
      ) : null}
      {asking && model.id !== undefined && model.version !== undefined ? (
        <DeployDialog language={language} modelId={model.id} modelName={model.name} version={model.version} checks={checks} onDeploy={(confirm) => void deploy(confirm)} onCancel={() => setAsking(false)} />
      ) : null}
    </section>
  );
}
