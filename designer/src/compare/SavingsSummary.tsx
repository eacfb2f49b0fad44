import type { RestructuringAnalysis } from './compare-api.ts';
import { restructuringReport } from '../../../server/reports/restructuring-report.ts';
import { formatNumber, formatVnd } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';

interface SavingsSummaryProps {
  analysis: RestructuringAnalysis;
  language: Language;
}

/**
 * What Circular 01 Art. 18 asks a restructuring to show: the compliance cost per dossier and per
 * year before and after, the savings and their rate, and the burden behind them; then which aims
 * of Art. 17.1 are met (the same labels as the filed report).
 */
export function SavingsSummary({ analysis, language }: SavingsSummaryProps) {
  const t = (key: MessageKey) => translate(language, key);
  const { asIs, toBe, savings } = analysis;
  const { aims } = restructuringReport(analysis);
  const vnd = (value: number) => formatVnd(value, language);
  const number = (value: number) => formatNumber(value, language);
  const money = [
    { id: 'per-dossier', label: t('costPerDossier'), before: asIs.perDossier.totalVnd, after: toBe.perDossier.totalVnd, saving: savings.perDossierVnd },
    { id: 'per-year', label: t('costPerYear'), before: asIs.perYear.totalVnd, after: toBe.perYear.totalVnd, saving: savings.perYearVnd },
  ];
  const burden: Array<{ id: string; label: string; before: number; after: number; unit?: string }> = [
    { id: 'applicant-hours', label: t('applicantHoursPerYear'), before: asIs.perYear.applicantHours, after: toBe.perYear.applicantHours },
    { id: 'trips', label: t('tripsLabel'), before: asIs.perDossier.trips, after: toBe.perDossier.trips },
    { id: 'documents', label: t('documentsLabel'), before: asIs.perDossier.documents, after: toBe.perDossier.documents },
    { id: 'manual-steps', label: t('manualStepsLabel'), before: asIs.perDossier.manualSteps, after: toBe.perDossier.manualSteps },
    { id: 'lead-time', label: t('leadTimeLabel'), before: asIs.perDossier.leadTimeWorkingHours, after: toBe.perDossier.leadTimeWorkingHours, unit: t('workingHours') },
  ];
  return (
    <section className="savings" aria-label={t('savingsTitle')} data-testid="savings">
      <h2>{t('savingsTitle')}</h2>
      <table className="savings-table">
        <thead>
          <tr>
            <th />
            <th>{t('before')}</th>
            <th>{t('after')}</th>
            <th>{t('reduction')}</th>
          </tr>
        </thead>
        <tbody>
          {money.map((row) => (
            <tr key={row.id} className="money">
              <th scope="row">{row.label}</th>
              <td data-testid={`${row.id}-before`}>{vnd(row.before)}</td>
              <td data-testid={`${row.id}-after`}>{vnd(row.after)}</td>
              <td data-testid={`${row.id}-saving`}>{vnd(row.saving)}</td>
            </tr>
          ))}
          {burden.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                {row.label}
                {row.unit ? <span className="muted"> ({row.unit})</span> : null}
              </th>
              <td data-testid={`${row.id}-before`}>{number(row.before)}</td>
              <td data-testid={`${row.id}-after`}>{number(row.after)}</td>
              {/* A negative reduction is a burden that grew (a longer lead time, say). */}
              <td data-testid={`${row.id}-reduction`} className={row.before - row.after < -1e-9 ? 'worse' : undefined}>
                {number(row.before - row.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="saving-rate">
        {t('savingRate')}: <strong data-testid="saving-rate">{formatNumber(savings.ratePercent, language, 1)} %</strong>
      </p>
      <h3>{t('aimsTitle')}</h3>
      <ul className="aims">
        {aims.map((aim) => (
          <li key={aim.aim} className={aim.met ? 'met' : 'not-met'} data-testid={`aim-${aim.aim}`}>
            <span className="aim-state">{aim.met ? '✓' : '✗'}</span> {aim.label[language]}{' '}
            <span className="muted">
              ({number(aim.asIs)} → {number(aim.toBe)}; {t(aim.met ? 'aimMet' : 'aimNotMet')})
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
