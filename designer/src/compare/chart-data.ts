/**
 * The compare view's figures as chart rows: each item before and after (Circular 01 Art. 18
 * compares the compliance cost "before and after the restructuring"). Pure functions over the
 * server's analysis; the labels in the language shown.
 */
import type { RestructuringAnalysis } from '../../../engine/cost/restructuring.ts';
import type { DossierFigures } from '../../../engine/cost/procedure-cost.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';

export interface BeforeAfter {
  key: keyof DossierFigures;
  label: string;
  before: number;
  after: number;
}

function beforeAfter(analysis: RestructuringAnalysis, language: Language, items: Array<[keyof DossierFigures, MessageKey]>): BeforeAfter[] {
  return items.map(([key, label]) => ({ key, label: translate(language, label), before: analysis.asIs.perDossier[key], after: analysis.toBe.perDossier[key] }));
}

/** The three items of the Standard Cost Model (Circular 02/2017 Art. 27): the applicant's time, other costs, fees. */
export function costByItem(analysis: RestructuringAnalysis, language: Language): BeforeAfter[] {
  return beforeAfter(analysis, language, [['timeCostVnd', 'timeCost'], ['outOfPocketVnd', 'otherCosts'], ['feesVnd', 'fees']]);
}

/** What Art. 17.1.b–d asks to reduce, per dossier: visits, documents, manual steps. */
export function burdenByMeasure(analysis: RestructuringAnalysis, language: Language): BeforeAfter[] {
  return beforeAfter(analysis, language, [['trips', 'tripsLabel'], ['documents', 'documentsLabel'], ['manualSteps', 'manualStepsLabel']]);
}

/** The expected lead time in working hours (Decree 45 counts time limits in working days). */
export function leadTime(analysis: RestructuringAnalysis, language: Language): BeforeAfter[] {
  return beforeAfter(analysis, language, [['leadTimeWorkingHours', 'leadTimeLabel']]);
}
