import type { RestructuringAnalysis } from './compare-api.ts';
import type { WorseningMeasure } from '../../../engine/cost/restructuring.ts';
import { directionOf, restructuringReport, worseningReason, type Direction } from '../../../server/reports/restructuring-report.ts';
import { formatNumber, formatVnd } from '../format.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';

/** A reduction as the one sign convention writes it: an increase keeps its minus sign and says so in words, never read as a saving. */
export function reductionWords(value: number, direction: Direction, format: (value: number) => string, language: Language): string {
  return direction === 'worse' ? `−${format(-value)} (${translate(language, 'increase')})` : format(value);
}

interface SavingsSummaryProps {
  analysis: RestructuringAnalysis;
  language: Language;
}

interface Row {
  id: string;
  label: string;
  before: number;
  after: number;
  reduction: number;
  /** The figure the server names the causes of when it grows. */
  measure: WorseningMeasure;
  format: (value: number) => string;
  unit?: string;
  money?: boolean;
}

/**
 * What Circular 01 Art. 18 asks a restructuring to show: the compliance cost per dossier and per
 * year before and after, the savings and their rate, and the burden behind them; then which aims
 * of Art. 17.1 are met (the same labels as the filed report). The report's one sign convention:
 * a reduction is before − after, a saving green; a figure that grows is shown as an increase, in
 * red, with the steps that raise it.
 */
export function SavingsSummary({ analysis, language }: SavingsSummaryProps) {
  const t = (key: MessageKey) => translate(language, key);
  const { asIs, toBe, savings } = analysis;
  const { aims, cutProcedures } = restructuringReport(analysis);
  const vnd = (value: number) => formatVnd(value, language);
  const number = (value: number) => formatNumber(value, language);
  const rows: Row[] = [
    { id: 'per-dossier', label: t('costPerDossier'), before: asIs.perDossier.totalVnd, after: toBe.perDossier.totalVnd, reduction: savings.perDossierVnd, measure: 'totalVnd', format: vnd, money: true },
    { id: 'per-year', label: t('costPerYear'), before: asIs.perYear.totalVnd, after: toBe.perYear.totalVnd, reduction: savings.perYearVnd, measure: 'totalVnd', format: vnd, money: true },
    { id: 'applicant-hours', label: t('applicantHoursPerYear'), before: asIs.perYear.applicantHours, after: toBe.perYear.applicantHours, reduction: savings.applicantHoursPerYear, measure: 'applicantHours', format: number },
    { id: 'trips', label: t('tripsLabel'), before: asIs.perDossier.trips, after: toBe.perDossier.trips, reduction: savings.trips, measure: 'trips', format: number },
    { id: 'documents', label: t('documentsLabel'), before: asIs.perDossier.documents, after: toBe.perDossier.documents, reduction: savings.documents, measure: 'documents', format: number },
    { id: 'manual-steps', label: t('manualStepsLabel'), before: asIs.perDossier.manualSteps, after: toBe.perDossier.manualSteps, reduction: savings.manualSteps, measure: 'manualSteps', format: number },
    { id: 'people-steps', label: t('peopleStepsLabel'), before: asIs.perDossier.peopleSteps, after: toBe.perDossier.peopleSteps, reduction: savings.peopleSteps, measure: 'peopleSteps', format: number },
    { id: 'lead-time', label: t('leadTimeLabel'), before: asIs.perDossier.leadTimeWorkingHours, after: toBe.perDossier.leadTimeWorkingHours, reduction: savings.leadTimeWorkingHours, measure: 'leadTimeWorkingHours', format: number, unit: t('workingHours') },
  ];
  const reasonOf = (measure: WorseningMeasure) => {
    const worsening = analysis.worsenings.find((candidate) => candidate.measure === measure);
    return worsening ? worseningReason(worsening)[language] : undefined;
  };
  const reductionText = (value: number, direction: Direction, format: (value: number) => string) => reductionWords(value, direction, format, language);
  const rateDirection = directionOf(savings.ratePercent);
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
          {rows.flatMap((row) => {
            const direction = directionOf(row.reduction);
            const reason = direction === 'worse' ? reasonOf(row.measure) : undefined;
            const suffix = row.money ? 'saving' : 'reduction';
            return [
              <tr key={row.id} className={row.money ? 'money' : undefined}>
                <th scope="row">
                  {row.label}
                  {row.unit ? <span className="muted"> ({row.unit})</span> : null}
                </th>
                <td data-testid={`${row.id}-before`}>{row.format(row.before)}</td>
                <td data-testid={`${row.id}-after`}>{row.format(row.after)}</td>
                <td data-testid={`${row.id}-${suffix}`} className={direction} aria-describedby={reason ? `${row.id}-reason` : undefined}>
                  {reductionText(row.reduction, direction, row.format)}
                </td>
              </tr>,
              reason ? (
                <tr key={`${row.id}-reason`} className="reason-row">
                  <td colSpan={4} id={`${row.id}-reason`} className="reason worse" data-testid={`${row.id}-reason`}>
                    {reason}
                  </td>
                </tr>
              ) : null,
            ];
          })}
        </tbody>
      </table>
      <p className="muted convention">{t('reductionConvention')}</p>
      <p className="saving-rate">
        {t('savingRate')}:{' '}
        <strong data-testid="saving-rate" className={rateDirection}>
          {rateDirection === 'worse' ? `−${formatNumber(-savings.ratePercent, language, 1)} % (${t('increase')})` : `${formatNumber(savings.ratePercent, language, 1)} %`}
        </strong>
      </p>
      <h3>{t('aimsTitle')}</h3>
      <ul className="aims">
        {aims.map((aim) => (
          <li key={aim.aim} className={aim.met ? 'met' : 'not-met'} data-testid={`aim-${aim.aim}`}>
            <span className="aim-state">{aim.met ? '✓' : '✗'}</span> {aim.label[language]}{' '}
            <span className="muted">
              ({number(aim.asIs)} → {number(aim.toBe)} {aim.unit[language]}; {t(aim.met ? 'aimMet' : 'aimNotMet')})
            </span>
            {aim.aim === 'a' && cutProcedures.length > 0 ? (
              <ul className="cut-procedures" data-testid="cut-procedures">
                {cutProcedures.map((procedure) => (
                  <li key={`${procedure.code ?? ''}|${procedure.name}`}>
                    {procedure.name}
                    {procedure.code ? ` (${procedure.code})` : ''}: <span className="muted">{procedure.label[language]}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
