import { useEffect, useState } from 'react';
import { api, type Problem } from '../api.ts';
import { ElementMessages, ProblemMessages } from '../checks/ElementMessages.tsx';
import { findingMessages } from '../checks/ChecksPanel.tsx';
import { errorsOf, type ChecksState } from '../checks/live-checks.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { deployBlockers, type Stage } from './deploy-blockers.ts';

interface DeployPanelProps {
  checks: ChecksState;
  stage: Stage;
  /** An analyst's designer: the button stays, disabled, saying why (the server would answer 403). */
  readOnly: boolean;
  language: Language;
  currentXml: () => Promise<string>;
  onSelectElement: (elementId: string) => void;
  labelOf: (elementId: string) => string;
}

type Outcome =
  | { status: 'deploying' }
  | { status: 'deployed'; key: string; version: number; created: boolean }
  | { status: 'refused'; problem: Problem }
  | { status: 'failed'; message: string };

/**
 * "Triển khai / Deploy": sends the to-be model to POST /api/definitions, where it becomes the next
 * version of its process. Disabled, with the reasons listed, while something blocks it; the
 * server's refusal (422) lists each offending element like the checks do.
 */
export function DeployPanel({ checks, stage, readOnly, language, currentXml, onSelectElement, labelOf }: DeployPanelProps) {
  const t = (key: MessageKey) => translate(language, key);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  // The outcome is about the model as it was sent: a change or another model opened drops it, so
  // no success or refusal shows beside a model it no longer describes.
  useEffect(() => {
    if (checks.checking) setOutcome((shown) => (shown?.status === 'deploying' ? shown : undefined));
  }, [checks.checking, checks.opened]);

  const blockers = deployBlockers(checks, stage, readOnly);
  const deploy = async () => {
    setOutcome({ status: 'deploying' });
    try {
      const answer = await api.deployDefinition(await currentXml(), language);
      setOutcome(answer.kind === 'deployed' ? { status: 'deployed', key: answer.key, version: answer.version, created: answer.created } : { status: 'refused', problem: answer.problem });
    } catch (error) {
      setOutcome({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section className="deploy-panel" aria-label={t('deploy')}>
      <span title={readOnly ? t('readOnlyRole') : undefined}>
        <button type="button" className="primary" disabled={blockers.length > 0 || outcome?.status === 'deploying'} onClick={() => void deploy()}>
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
          {blockers.includes('deployBlockedErrors') ? (
            <ElementMessages messages={findingMessages(errorsOf(checks.findings), language, labelOf)} onSelectElement={onSelectElement} />
          ) : null}
        </div>
      ) : null}
      {outcome?.status === 'deploying' ? <p className="muted">{t('deploying')}</p> : null}
      {outcome?.status === 'deployed' ? (
        <p className="deploy-result" role="status" data-testid="deploy-result">
          {t(outcome.created ? 'deployed' : 'deployedUnchanged')} <code>{outcome.key}</code>, {t('version')} {outcome.version}
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
    </section>
  );
}
