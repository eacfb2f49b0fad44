/**
 * The restructuring report as an agency files it (Circular 01/2023 Art. 18): the procedure,
 * each cost item before and after, the totals and the rate, the aims of Art. 17.1 reached,
 * and the contents removed or simplified. One layout, rendered as terminal text, an .xlsx
 * workbook and a PDF, so the three never disagree.
 */
import type { Bilingual } from '../../engine/errors.ts';
import type { DossierFigures, YearFigures } from '../../engine/cost/procedure-cost.ts';
import type { CutProcedure, ProcedureCut } from '../../engine/bpmn/process-graph.ts';
import type { ElementChange, RestructuringAim, RestructuringAnalysis, Worsening, WorseningMeasure } from '../../engine/cost/restructuring.ts';

export type Unit = 'vnd' | 'hours' | 'count' | 'percent';

/** Options of the .xlsx and PDF renderings. */
export interface ReportFileOptions {
  /** The language of the labels: Vietnamese (the default) or English. */
  language?: keyof Bilingual | undefined;
  /** Who files the report, under which number, where and when, and who signs it (the PDF's header and signature block). */
  filing?: FilingDetails | undefined;
  /** The BPMN XML of both models, drawn as the report's figures (the PDF). */
  diagrams?: { asIs: string; toBe: string } | undefined;
}

/**
 * The administrative particulars of a filed report (the layout of Decree 30/2020/ND-CP Appendix I:
 * the issuing agency and number on the left, the national title and motto on the right, place and
 * date under them, the signature block at the end). What is not given is left as a dotted blank to
 * fill in by hand.
 */
export interface FilingDetails {
  /** The agency above the issuing one, e.g. "UBND TỈNH BẮC NINH". */
  parentAgency?: string | undefined;
  /** The issuing agency, e.g. "VĂN PHÒNG UBND TỈNH". */
  agency?: string | undefined;
  /** The document number and symbol, e.g. "15/BC-VP". */
  number?: string | undefined;
  place?: string | undefined;
  /** yyyy-mm-dd. */
  date?: string | undefined;
  /** The signer's office, e.g. "CHÁNH VĂN PHÒNG". */
  signerTitle?: string | undefined;
  signerName?: string | undefined;
}

/**
 * The one sign convention of every rendering (screen, workbook, PDF): a reduction is as-is minus
 * to-be, so a saving is positive; a figure that grows is negative, `worse`, drawn in red with its
 * reason, never in the savings' green. `neutral` figures (dossiers a year) are neither.
 */
export type Direction = 'saving' | 'worse' | 'same' | 'neutral';

export function directionOf(reduction: number, neutral = false): Direction {
  if (neutral) return 'neutral';
  return reduction > 1e-9 ? 'saving' : reduction < -1e-9 ? 'worse' : 'same';
}

/** The colours of the convention, as #rrggbb. */
export const DIRECTION_COLOURS: Record<Direction, string> = { saving: '#1e7b34', worse: '#b00020', same: '#000000', neutral: '#000000' };

export interface ReportRow {
  label: Bilingual;
  unit: Unit;
  asIs: number;
  toBe: number;
  /** As-is − to-be: what the restructuring saves (positive) or adds (negative). */
  reduction: number;
  /** A total (shown in bold). */
  total: boolean;
  direction: Direction;
  /** Why a figure grew (only on `worse` rows): the changed steps that raise it most. */
  reason?: Bilingual | undefined;
}

export interface ReportSection {
  title: Bilingual;
  rows: ReportRow[];
}

export interface RestructuringReport {
  title: Bilingual;
  procedure: { name: string | undefined; code: string | undefined };
  legalBasis: Bilingual;
  sections: ReportSection[];
  savings: { perYearVnd: number; ratePercent: number; perDossierVnd: number; direction: Direction; reason?: Bilingual | undefined };
  aims: Array<RestructuringAim & { label: Bilingual; unit: Bilingual }>;
  /** Art. 17.1.a: the procedures cut, each with how in words. */
  cutProcedures: Array<CutProcedure & { label: Bilingual }>;
  changes: Array<ElementChange & { label: Bilingual; step: Bilingual; differenceLabels: Bilingual[] }>;
}

const DOSSIER_ROWS: Array<[keyof DossierFigures, Unit, Bilingual]> = [
  ['applicantHours', 'hours', { vi: 'Thời gian người nộp thực hiện', en: "Applicant's time" }],
  ['timeCostVnd', 'vnd', { vi: 'Chi phí thời gian (giờ × thu nhập bình quân)', en: 'Cost of that time (hours × average income)' }],
  ['outOfPocketVnd', 'vnd', { vi: 'Chi phí khác (sao chụp, chứng thực, đi lại, bưu chính…)', en: 'Out-of-pocket costs (copies, notarisation, travel, postage…)' }],
  ['feesVnd', 'vnd', { vi: 'Phí, lệ phí', en: 'Fees and charges' }],
  ['totalVnd', 'vnd', { vi: 'Tổng chi phí tuân thủ', en: 'Total compliance cost' }],
  ['trips', 'count', { vi: 'Số lần đến cơ quan (Điều 17.1.b)', en: 'Visits to an office (Art. 17.1.b)' }],
  ['documents', 'count', { vi: 'Thành phần hồ sơ phải nộp (Điều 17.1.c)', en: 'Dossier components supplied (Art. 17.1.c)' }],
  ['manualSteps', 'count', { vi: 'Bước xử lý thủ công (Điều 17.1.d)', en: 'Manual steps (Art. 17.1.d)' }],
  ['peopleSteps', 'count', { vi: 'Bước do người thực hiện (người nộp hồ sơ, cán bộ)', en: 'Steps a person performs (applicant, officials)' }],
  ['officialHours', 'hours', { vi: 'Thời gian xử lý của cán bộ', en: 'Officials’ effort' }],
  ['leadTimeWorkingHours', 'hours', { vi: 'Thời gian giải quyết (giờ làm việc)', en: 'Lead time (working hours)' }],
];

const YEAR_ROWS: Array<[keyof YearFigures, Unit, Bilingual]> = [
  ['dossiers', 'count', { vi: 'Số hồ sơ mỗi năm (đối tượng × số lần)', en: 'Dossiers a year (subjects × times)' }],
  ['applicantHours', 'hours', { vi: 'Thời gian người nộp thực hiện', en: "Applicants' time" }],
  ['totalVnd', 'vnd', { vi: 'Tổng chi phí tuân thủ', en: 'Total compliance cost' }],
];

const AIM_LABELS: Record<RestructuringAim['aim'], Bilingual> = {
  a: { vi: 'a) Cắt giảm thủ tục hành chính không cần thiết', en: 'a) Cut unnecessary administrative procedures' },
  b: { vi: 'b) Giảm đi lại, tiếp xúc trực tiếp', en: 'b) Reduce travel and direct contact' },
  c: { vi: 'c) Giảm hồ sơ, giấy tờ phải cung cấp', en: 'c) Reduce dossiers and documents' },
  d: { vi: 'd) Giảm bước xử lý trực tiếp, thủ công', en: 'd) Reduce direct or manual steps' },
};

/** What each aim counts, for the unit column. */
const AIM_UNITS: Record<RestructuringAim['measure'], Bilingual> = {
  procedures: { vi: 'thủ tục', en: 'procedures' },
  trips: { vi: 'lượt/hồ sơ', en: 'visits/dossier' },
  documents: { vi: 'thành phần/hồ sơ', en: 'components/dossier' },
  manualSteps: { vi: 'bước/hồ sơ', en: 'steps/dossier' },
};

const CUT_LABELS: Record<ProcedureCut, Bilingual> = {
  merged: { vi: 'Gộp vào thủ tục này', en: 'Merged into this procedure' },
  abolished: { vi: 'Bãi bỏ', en: 'Abolished' },
  'not-required': { vi: 'Kết quả không còn là thành phần hồ sơ phải nộp', en: 'Its result is no longer a required dossier component' },
};

/** The names of the figures, as a reason for a worse one words them. */
const MEASURE_LABELS: Record<WorseningMeasure, Bilingual> = {
  applicantHours: { vi: 'thời gian người nộp', en: "applicant's time" },
  timeCostVnd: { vi: 'chi phí thời gian', en: 'cost of time' },
  outOfPocketVnd: { vi: 'chi phí khác', en: 'out-of-pocket costs' },
  feesVnd: { vi: 'phí, lệ phí', en: 'fees' },
  totalVnd: { vi: 'chi phí tuân thủ', en: 'compliance cost' },
  trips: { vi: 'số lần đến cơ quan', en: 'visits' },
  documents: { vi: 'thành phần hồ sơ', en: 'dossier components' },
  manualSteps: { vi: 'bước thủ công', en: 'manual steps' },
  peopleSteps: { vi: 'bước do người thực hiện', en: 'steps a person performs' },
  officialHours: { vi: 'thời gian của cán bộ', en: "officials' effort" },
  leadTimeWorkingHours: { vi: 'thời gian giải quyết', en: 'lead time' },
};

const MEASURE_UNITS: Record<WorseningMeasure, Unit> = {
  applicantHours: 'hours',
  timeCostVnd: 'vnd',
  outOfPocketVnd: 'vnd',
  feesVnd: 'vnd',
  totalVnd: 'vnd',
  trips: 'count',
  documents: 'count',
  manualSteps: 'count',
  peopleSteps: 'count',
  officialHours: 'hours',
  leadTimeWorkingHours: 'hours',
};

/** What the list of changes says differs, in words (never the model's attribute names). */
const DIFFERENCE_LABELS: Record<string, Bilingual> = {
  'qt:applicantHours': { vi: 'thời gian của người dân', en: "applicant's time" },
  'qt:outOfPocketVnd': { vi: 'chi phí khác', en: 'out-of-pocket costs' },
  'qt:feeVnd': { vi: 'phí, lệ phí', en: 'fees' },
  'qt:trips': { vi: 'số lượt đến cơ quan', en: 'visits to an office' },
  'qt:manual': { vi: 'xử lý thủ công', en: 'manual handling' },
  'qt:channel': { vi: 'cách người dân thực hiện', en: 'how the applicant takes part' },
  'qt:payment': { vi: 'cách nộp phí', en: 'how fees are paid' },
  'qt:presence': { vi: 'yêu cầu có mặt, bản chính', en: 'presence or originals' },
  'qt:result': { vi: 'dạng kết quả', en: 'form of the result' },
  'qt:resultDelivery': { vi: 'cách trả kết quả', en: 'how the result is delivered' },
  'qt:officialHours': { vi: 'thời gian của cán bộ', en: "officials' time" },
  'qt:durationHours': { vi: 'thời gian bước kéo dài', en: 'duration' },
  'qt:dueWorkingHours': { vi: 'thời hạn', en: 'time limit' },
  'qt:form': { vi: 'biểu mẫu điện tử', en: 'e-form' },
  'qt:jobType': { vi: 'việc máy chủ làm', en: 'job type' },
  'qt:dossierStep': { vi: 'bước của hồ sơ', en: 'dossier step' },
  documents: { vi: 'thành phần hồ sơ', en: 'dossier components' },
  kind: { vi: 'loại bước', en: 'kind of step' },
  name: { vi: 'tên bước', en: 'name' },
  visits: { vi: 'số lần thực hiện', en: 'times performed' },
};

/**
 * A difference the list of changes names, in words: the server's (`qt:applicantHours`, `kind`) or
 * the designer's differ's (`applicantHours`, `type`); another property of the diagram keeps its name.
 */
export function differenceLabel(difference: string): Bilingual {
  const key = difference === 'type' ? 'kind' : difference;
  return DIFFERENCE_LABELS[key] ?? DIFFERENCE_LABELS[`qt:${key}`] ?? { vi: difference, en: difference };
}

/** A step by its name; an unnamed one by its kind of change, never by its element id. */
function stepLabel(name: string | undefined): Bilingual {
  return name?.trim() ? { vi: name.trim(), en: name.trim() } : { vi: '(bước không tên)', en: '(unnamed step)' };
}

/** Why a figure grew: the steps that raise it most, or the flow itself when no step's own share grew. */
export function worseningReason(worsening: Worsening): Bilingual {
  const unit = MEASURE_UNITS[worsening.measure];
  const measure = MEASURE_LABELS[worsening.measure];
  if (worsening.causes.length === 0) {
    return {
      vi: `${capitalise(measure.vi)} tăng do luồng quy trình thay đổi (nhánh, vòng lặp, bước song song)`,
      en: `The ${measure.en} grows with the changed flow (branches, loops, parallel steps)`,
    };
  }
  const list = (language: keyof Bilingual) =>
    worsening.causes.map((cause) => `${stepLabel(cause.name)[language]} (${CHANGE_LABELS[cause.change][language].toLocaleLowerCase(language === 'vi' ? 'vi' : 'en')}, +${formatValue(cause.increase, unit, language)})`).join('; ');
  return { vi: `${capitalise(measure.vi)} tăng do: ${list('vi')}`, en: `The ${measure.en} grows because of: ${list('en')}` };
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

const CHANGE_LABELS: Record<ElementChange['change'], Bilingual> = {
  removed: { vi: 'Cắt bỏ', en: 'Removed' },
  added: { vi: 'Thêm mới', en: 'Added' },
  changed: { vi: 'Đơn giản hóa / thay đổi', en: 'Simplified / changed' },
};

/** The headings and captions every rendering of the report uses. */
export const REPORT_LABELS = {
  item: { vi: 'Khoản mục', en: 'Item' },
  asIs: { vi: 'Hiện trạng', en: 'As is' },
  toBe: { vi: 'Sau tái cấu trúc', en: 'After restructuring' },
  reduction: { vi: 'Cắt giảm', en: 'Reduction' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  procedureCode: { vi: 'Mã thủ tục', en: 'Procedure code' },
  costs: { vi: 'Chi phí tuân thủ trước và sau tái cấu trúc', en: 'Compliance cost before and after the restructuring' },
  savings: { vi: 'Chi phí tiết kiệm', en: 'Savings' },
  savingsPerYear: { vi: 'Chi phí tiết kiệm mỗi năm', en: 'Savings per year' },
  savingsPerDossier: { vi: 'Chi phí tiết kiệm mỗi hồ sơ', en: 'Savings per dossier' },
  rate: { vi: 'Tỷ lệ cắt giảm chi phí (Điều 18 Thông tư 01/2023/TT-VPCP)', en: 'Cost reduction rate (Circular 01/2023/TT-VPCP Art. 18)' },
  aims: { vi: 'Mục tiêu tái cấu trúc (Điều 17.1 Thông tư 01/2023/TT-VPCP)', en: 'Aims of the restructuring (Circular 01/2023/TT-VPCP Art. 17.1)' },
  aim: { vi: 'Mục tiêu', en: 'Aim' },
  result: { vi: 'Kết quả', en: 'Result' },
  met: { vi: 'Đạt', en: 'Met' },
  notMet: { vi: 'Chưa đạt', en: 'Not met' },
  changes: { vi: 'Nội dung cắt giảm, đơn giản hóa (Điều 18)', en: 'Contents removed or simplified (Art. 18)' },
  noChanges: { vi: 'Không có thay đổi', en: 'No changes' },
  change: { vi: 'Thay đổi', en: 'Change' },
  reason: { vi: 'Lý do tăng', en: 'Why it grew' },
  cutProcedures: { vi: 'Thủ tục hành chính được cắt giảm (Điều 17.1.a)', en: 'Administrative procedures cut (Art. 17.1.a)' },
  noCutProcedures: {
    vi: 'Mô hình sau tái cấu trúc không ghi thủ tục hành chính nào được gộp, bãi bỏ hoặc không còn phải thực hiện.',
    en: 'The to-be model records no administrative procedure merged, abolished or no longer needed.',
  },
  how: { vi: 'Hình thức', en: 'How' },
  procedure: { vi: 'Thủ tục hành chính', en: 'Administrative procedure' },
  convention: {
    vi: 'Cột "Cắt giảm" = hiện trạng − sau tái cấu trúc: số dương là tiết kiệm; số âm (màu đỏ) là tăng thêm, kèm lý do.',
    en: '"Reduction" = as is − after restructuring: positive is a saving; negative (in red) is an increase, with its reason.',
  },
  step: { vi: 'Bước', en: 'Step' },
  savedPerDossier: { vi: 'Tiết kiệm/hồ sơ', en: 'Saved/dossier' },
  savedPerYear: { vi: 'Tiết kiệm/năm', en: 'Saved/year' },
  differences: { vi: 'Nội dung thay đổi', en: 'What differs' },
  page: { vi: 'trang', en: 'page' },
} satisfies Record<string, Bilingual>;

/** The unit column of the tables. */
export const UNIT_LABELS: Record<Unit, Bilingual> = {
  vnd: { vi: 'VNĐ', en: 'VND' },
  hours: { vi: 'giờ', en: 'hours' },
  count: { vi: '', en: '' },
  percent: { vi: '%', en: '%' },
};

export function restructuringReport(analysis: RestructuringAnalysis): RestructuringReport {
  const worsened = new Map((analysis.worsenings ?? []).map((worsening) => [worsening.measure, worsening]));
  const row = <Figures,>(asIs: Figures, toBe: Figures, reasons: boolean) => ([key, unit, label]: [keyof Figures, Unit, Bilingual]): ReportRow => {
    const before = asIs[key] as number;
    const after = toBe[key] as number;
    const direction = directionOf(before - after, key === 'dossiers');
    const worsening = reasons ? worsened.get(key as WorseningMeasure) : undefined;
    return { label, unit, asIs: before, toBe: after, reduction: before - after, total: key === 'totalVnd', direction, ...(direction === 'worse' && worsening ? { reason: worseningReason(worsening) } : {}) };
  };
  const totalWorsening = worsened.get('totalVnd');
  const savingDirection = directionOf(analysis.savings.perYearVnd);
  return {
    title: { vi: 'Báo cáo tính toán chi phí tiết kiệm sau tái cấu trúc quy trình', en: 'Cost savings of the procedure restructuring' },
    procedure: { name: analysis.toBe.name ?? analysis.asIs.name, code: analysis.toBe.procedureCode ?? analysis.asIs.procedureCode },
    legalBasis: withMeasuredFigures(analysis, {
      vi: 'Căn cứ Điều 17, 18 Thông tư 01/2023/TT-VPCP; phương pháp chi phí chuẩn (SCM) theo Điều 27 Thông tư 02/2017/TT-VPCP',
      en: 'Circular 01/2023/TT-VPCP Art. 17–18; Standard Cost Model of Circular 02/2017/TT-VPCP Art. 27',
    }),
    sections: [
      { title: { vi: 'Chi phí cho một hồ sơ', en: 'One dossier' }, rows: DOSSIER_ROWS.map(row(analysis.asIs.perDossier, analysis.toBe.perDossier, true)) },
      { title: { vi: 'Chi phí một năm', en: 'One year' }, rows: YEAR_ROWS.map(row(analysis.asIs.perYear, analysis.toBe.perYear, false)) },
    ],
    savings: {
      perYearVnd: analysis.savings.perYearVnd,
      ratePercent: analysis.savings.ratePercent,
      perDossierVnd: analysis.savings.perDossierVnd,
      direction: savingDirection,
      ...(savingDirection === 'worse' && totalWorsening ? { reason: worseningReason(totalWorsening) } : {}),
    },
    aims: analysis.aims.map((aim) => ({ ...aim, label: AIM_LABELS[aim.aim], unit: AIM_UNITS[aim.measure] })),
    cutProcedures: (analysis.cutProcedures ?? []).map((procedure) => ({ ...procedure, label: CUT_LABELS[procedure.how] })),
    changes: analysis.changes.map((change) => ({ ...change, label: CHANGE_LABELS[change.change], step: stepLabel(change.name), differenceLabels: change.differences.map(differenceLabel) })),
  };
}

/** A model calibrated from its history (docs/calibration.md) says where its figures come from: the report cites them as measured. */
function withMeasuredFigures(analysis: RestructuringAnalysis, basis: Bilingual): Bilingual {
  const cite = (stage: Bilingual, calibration: { from: string; to: string; dossiers: number } | undefined) => {
    if (!calibration) return undefined;
    const day = (value: string) => value.split('-').reverse().join('/');
    return {
      vi: `số liệu ${stage.vi} đo trên ${calibration.dossiers} hồ sơ đã giải quyết từ ${day(calibration.from)} đến ${day(calibration.to)}`,
      en: `the ${stage.en} figures measured on ${calibration.dossiers} dossiers handled from ${day(calibration.from)} to ${day(calibration.to)}`,
    };
  };
  const cited = [cite({ vi: 'hiện trạng', en: 'as-is' }, analysis.asIs.calibration), cite({ vi: 'sau tái cấu trúc', en: 'to-be' }, analysis.toBe.calibration)].filter((each) => each !== undefined);
  if (cited.length === 0) return basis;
  return { vi: `${basis.vi}; ${cited.map((each) => each.vi).join('; ')}`, en: `${basis.en}; ${cited.map((each) => each.en).join('; ')}` };
}

// Vietnamese number formats: 1.234.567 đ, 12,5 giờ; English: 1,234,567 VND.
const formats = {
  vi: { whole: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }), decimal: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }) },
  en: { whole: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }), decimal: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }) },
};

export function formatValue(value: number, unit: Unit, language: keyof Bilingual = 'vi'): string {
  const format = formats[language];
  // Rounding can leave "-0" from a tiny negative float difference.
  const clean = Math.abs(value) < 1e-9 ? 0 : value;
  switch (unit) {
    case 'vnd':
      return `${format.whole.format(clean)} ${language === 'vi' ? 'đ' : 'VND'}`;
    case 'hours':
      return `${format.decimal.format(clean)} ${language === 'vi' ? 'giờ' : 'h'}`;
    case 'percent':
      return `${format.decimal.format(clean)} %`;
    case 'count':
      return format.decimal.format(clean);
  }
}

/** A reduction as the convention writes it: a saving as is, an increase with its minus sign and the word. */
export function formatReduction(value: number, unit: Unit, language: keyof Bilingual = 'vi', neutral = false): string {
  const text = formatValue(value, unit, language);
  if (directionOf(value, neutral) !== 'worse') return text;
  return `${text.replace(/^-/, '−')} (${language === 'vi' ? 'tăng' : 'more'})`;
}
