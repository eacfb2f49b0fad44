import type { Language, MessageKey } from '../i18n.ts';
import { translate } from '../i18n.ts';
import { ProblemMessages } from '../checks/ElementMessages.tsx';
import { formatNumber, formatVnd } from '../format.ts';
import { settled, type LiveCostState } from './live-cost.ts';

interface CostPanelProps {
  state: LiveCostState;
  language: Language;
  /** Selects the element a problem names (a process id selects its participant). */
  onSelectElement: (elementId: string) => void;
}

/**
 * The open model's cost per dossier and per year (Circular 02/2017/TT-VPCP Art. 27), or, while the
 * model lacks what the cost model needs, the server's list of what is missing, each line leading
 * to its element.
 */
export function CostPanel({ state, language, onSelectElement }: CostPanelProps) {
  const t = (key: MessageKey) => translate(language, key);
  const shown = settled(state);
  const computing = state.status === 'computing';
  return (
    <section className="cost-panel" aria-label={t('costTitle')} aria-busy={computing}>
      <h2>
        {t('costTitle')}
        {computing ? <span className="muted"> · {t('costComputing')}</span> : null}
      </h2>
      {shown.status === 'cost' ? (
        <>
          <dl className="cost-figures">
            <dt>{t('costPerDossier')}</dt>
            <dd data-testid="cost-per-dossier">{formatVnd(shown.cost.perDossier.totalVnd, language)}</dd>
            <dt>{t('costPerYear')}</dt>
            <dd data-testid="cost-per-year">{formatVnd(shown.cost.perYear.totalVnd, language)}</dd>
          </dl>
          <p className="muted cost-details">
            {formatNumber(shown.cost.perYear.dossiers, language)} {t('dossiersPerYear')} · {formatNumber(shown.cost.perDossier.applicantHours, language)} {t('hoursPerDossier')} ·{' '}
            {formatNumber(shown.cost.perDossier.trips, language)} {t('tripsPerDossier')} · {formatNumber(shown.cost.perDossier.documents, language)} {t('documentsPerDossier')}
          </p>
        </>
      ) : null}
      {shown.status === 'problem' ? (
        <ProblemMessages problem={shown.problem} language={language} hint={t('costProblems')} onSelectElement={onSelectElement} className="cost-problems" testId="cost-problems" />
      ) : null}
      {shown.status === 'failed' ? (
        <p className="error">
          {t('costUnavailable')}: {shown.message}
        </p>
      ) : null}
    </section>
  );
}
