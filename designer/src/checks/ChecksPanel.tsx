import type { LintFinding } from '../api.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { ElementMessages, type ElementMessage } from './ElementMessages.tsx';
import { errorsOf, warningsOf, type ChecksState } from './live-checks.ts';

interface ChecksPanelProps {
  state: ChecksState;
  language: Language;
  onSelectElement: (elementId: string) => void;
  /** What the user calls an element (its name, else its id). */
  labelOf: (elementId: string) => string;
}

/** Findings as lines of the list: errors first, each naming its element. */
export function findingMessages(findings: readonly LintFinding[], language: Language, labelOf: (elementId: string) => string): ElementMessage[] {
  return [...errorsOf(findings), ...warningsOf(findings)].map((finding) => ({
    elementId: finding.elementId || undefined,
    text: finding.message[language],
    element: finding.elementId ? labelOf(finding.elementId) : undefined,
    severity: finding.severity,
  }));
}

/**
 * "Kiểm tra / Checks": what bpmnlint and the procedure rules find in the open model, counted by
 * severity; a click on a line selects its element.
 */
export function ChecksPanel({ state, language, onSelectElement, labelOf }: ChecksPanelProps) {
  const t = (key: MessageKey) => translate(language, key);
  const { findings } = state;
  const errors = errorsOf(findings).length;
  const warnings = warningsOf(findings).length;
  return (
    <section className="checks-panel" aria-label={t('checksTitle')} aria-busy={state.checking}>
      <h2>
        {t('checksTitle')}
        {findings ? (
          <span className="check-counts" data-testid="check-counts">
            {' '}
            <span className={errors > 0 ? 'error' : 'muted'}>{errors} {t('checksErrors')}</span> · <span className={warnings > 0 ? 'warning' : 'muted'}>{warnings} {t('checksWarnings')}</span>
          </span>
        ) : null}
        {state.checking ? <span className="muted"> · {t('checksRunning')}</span> : null}
      </h2>
      {state.failure ? (
        <p className="error">
          {t('checksUnavailable')}: {state.failure}
        </p>
      ) : null}
      {findings && findings.length === 0 ? <p className="muted">{t('checksNone')}</p> : null}
      {findings && findings.length > 0 ? <ElementMessages messages={findingMessages(findings, language, labelOf)} onSelectElement={onSelectElement} testId="check-list" /> : null}
    </section>
  );
}
