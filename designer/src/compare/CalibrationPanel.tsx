import { formatDay, formatNumber, formatVnd } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import type { CalibrationOutcome } from './compare-api.ts';

export type CalibrationState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'ready'; outcome: CalibrationOutcome }
  | { status: 'failed'; message: string };

interface CalibrationPanelProps {
  state: CalibrationState;
  language: Language;
  /** Whether the comparison is ready, so that the to-be's procedure is known. */
  canCalibrate: boolean;
  onCalibrate: () => void;
  onSelect: (elementId: string) => void;
}

/**
 * Predicted beside as executed (issue 14, docs/calibration.md): the deployed model's cost and lead
 * time as the analyst estimated them, and as the dossiers it handled measured them, each measured
 * figure with its sample size; then every step and branch measured.
 */
export function CalibrationPanel({ state, language, canCalibrate, onCalibrate, onSelect }: CalibrationPanelProps) {
  const t = (key: MessageKey) => translate(language, key);
  return (
    <div className="calibration">
      <p className="calibration-action">
        <button type="button" disabled={!canCalibrate || state.status === 'running'} onClick={onCalibrate}>
          {t('calibrate')}
        </button>{' '}
        {state.status === 'idle' ? <span className="muted">{t('calibrationHint')}</span> : null}
        {state.status === 'running' ? <span className="muted">{t('calibrating')}</span> : null}
      </p>
      {state.status === 'failed' ? (
        <p className="error" role="alert">
          {t('calibrationFailed')}: {state.message}
        </p>
      ) : null}
      {state.status === 'ready' ? <CalibrationFigures outcome={state.outcome} language={language} onSelect={onSelect} /> : null}
    </div>
  );
}

function CalibrationFigures({ outcome, language, onSelect }: { outcome: CalibrationOutcome; language: Language; onSelect: (elementId: string) => void }) {
  const t = (key: MessageKey) => translate(language, key);
  const hours = (value: number | undefined) => (value === undefined ? '—' : formatNumber(value, language));
  const share = (value: number | undefined) => (value === undefined ? '—' : `${formatNumber(value * 100, language, 1)} %`);
  const vnd = (value: number) => formatVnd(value, language);
  const rows = 'predicted' in outcome.comparison
    ? [
        { id: 'cost', label: t('calibrationCost'), predicted: vnd(outcome.comparison.predicted.totalVnd), actual: vnd(outcome.comparison.asExecuted.totalVnd) },
        { id: 'cost-year', label: t('calibrationCostPerYear'), predicted: vnd(outcome.comparison.predicted.perYearVnd), actual: vnd(outcome.comparison.asExecuted.perYearVnd) },
        { id: 'lead-time', label: `${t('leadTimeLabel')} (${t('workingHours')})`, predicted: hours(outcome.comparison.predicted.leadTimeWorkingHours), actual: hours(outcome.comparison.asExecuted.leadTimeWorkingHours) },
        { id: 'official-hours', label: t('officialHoursPerDossier'), predicted: hours(outcome.comparison.predicted.officialHours), actual: hours(outcome.comparison.asExecuted.officialHours) },
      ]
    : [];
  // Documents and trips come from the dossiers' records, not from the calibrated model (docs/calibration.md).
  const { burden } = outcome;
  if (burden) {
    rows.push(
      { id: 'documents', label: t('calibrationDocuments'), predicted: hours(burden.documents.model), actual: hours(burden.documents.measured) },
      { id: 'reused', label: t('calibrationReused'), predicted: '—', actual: hours(burden.reusedDocuments) },
      { id: 'trips', label: t('calibrationTrips'), predicted: hours(burden.trips.model), actual: hours(burden.trips.measured) },
    );
  }
  return (
    <div data-testid="calibration">
      <p data-testid="calibration-sample">
        {t('calibrationMeasured')} <strong>{formatNumber(outcome.dossiers, language)}</strong> {t('calibrationDossiers')} {t('calibrationPeriodFrom')} {formatDay(outcome.period.from)} {t('calibrationPeriodTo')} {formatDay(outcome.period.to)}
        {outcome.excluded > 0 ? ` (${formatNumber(outcome.excluded, language)} ${t('calibrationExcluded')})` : ''}. {t('calibrationSaved')} “{outcome.model.name}”, {t('version')} {outcome.model.version}.
      </p>
      {rows.length > 0 ? (
        <table className="calibration-table calibration-summary">
          <thead>
            <tr>
              <th />
              <th>{t('predicted')}</th>
              <th>{t('asExecuted')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <th scope="row">{row.label}</th>
                <td data-testid={`calibration-${row.id}-predicted`}>{row.predicted}</td>
                <td data-testid={`calibration-${row.id}-actual`}>{row.actual}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {burden ? (
        <p className="muted" data-testid="calibration-burden-note">
          {t('calibrationBurdenNote').replace('{n}', formatNumber(burden.sampleSize, language))}
        </p>
      ) : null}
      {'predicted' in outcome.comparison ? null : <p className="muted">{t('calibrationNoCost')}</p>}
      <table className="calibration-table">
        <thead>
          <tr>
            <th>{t('calibrationStep')}</th>
            <th>{t('elapsedHours')}</th>
            <th>{t('workedHours')}</th>
            <th>{t('waitingHours')}</th>
            <th>{t('sampleSize')}</th>
          </tr>
        </thead>
        <tbody>
          {outcome.steps.map((step) => (
            <tr key={step.elementId} data-testid={`calibration-step-${step.elementId}`}>
              <th scope="row">
                <button type="button" className="link" onClick={() => onSelect(step.elementId)}>
                  {step.name ?? step.elementId}
                </button>
              </th>
              <td>
                {hours(step.modelDurationHours)} → <strong>{hours(step.meanElapsedHours)}</strong>
              </td>
              <td>{step.meanWorkingHours === undefined ? '—' : <>{hours(step.modelOfficialHours)} → <strong>{hours(step.meanWorkingHours)}</strong></>}</td>
              <td>{step.performedBy === 'official' ? hours(step.meanWaitingHours) : '—'}</td>
              <td>{formatNumber(step.sampleSize, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="calibration-table">
        <thead>
          <tr>
            <th>{t('calibrationBranch')}</th>
            <th>{t('predicted')}</th>
            <th>{t('asExecuted')}</th>
            <th>{t('sampleSize')}</th>
          </tr>
        </thead>
        <tbody>
          {outcome.branches.flatMap((branch) =>
            branch.flows.map((flow) => (
              <tr key={flow.flowId} data-testid={`calibration-flow-${flow.flowId}`}>
                <th scope="row">
                  {branch.name ?? branch.gatewayId} → {flow.name ?? flow.flowId}
                  {flow.loop ? <span className="muted"> ({t('amendmentLoop')})</span> : null}
                </th>
                <td>{share(flow.modelProbability)}</td>
                <td>
                  <strong>{share(flow.probability)}</strong>
                </td>
                <td>{formatNumber(branch.decisions, language)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
