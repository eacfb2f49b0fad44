/**
 * The restructuring report as an agency files it (Circular 01/2023 Art. 18): the procedure,
 * each cost item before and after, the totals and the rate, the aims of Art. 17.1 reached,
 * and the contents removed or simplified. One layout, rendered as terminal text, an .xlsx
 * workbook and a PDF, so the three never disagree.
 */
import type { Bilingual } from '../../engine/errors.ts';
import type { DossierFigures, YearFigures } from '../../engine/cost/procedure-cost.ts';
import type { ElementChange, RestructuringAim, RestructuringAnalysis } from '../../engine/cost/restructuring.ts';

export type Unit = 'vnd' | 'hours' | 'count' | 'percent';

/** Options of the .xlsx and PDF renderings. */
export interface ReportFileOptions {
  /** The language of the labels: Vietnamese (the default) or English. */
  language?: keyof Bilingual | undefined;
}

export interface ReportRow {
  label: Bilingual;
  unit: Unit;
  asIs: number;
  toBe: number;
  /** As-is − to-be: what the restructuring saves (positive) or adds (negative). */
  reduction: number;
  /** A total (shown in bold). */
  total: boolean;
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
  savings: { perYearVnd: number; ratePercent: number; perDossierVnd: number };
  aims: Array<RestructuringAim & { label: Bilingual }>;
  changes: Array<ElementChange & { label: Bilingual }>;
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
  ['officialHours', 'hours', { vi: 'Thời gian xử lý của cán bộ', en: 'Officials’ effort' }],
  ['leadTimeWorkingHours', 'hours', { vi: 'Thời gian giải quyết (giờ làm việc)', en: 'Lead time (working hours)' }],
];

const YEAR_ROWS: Array<[keyof YearFigures, Unit, Bilingual]> = [
  ['dossiers', 'count', { vi: 'Số hồ sơ mỗi năm (đối tượng × số lần)', en: 'Dossiers a year (subjects × times)' }],
  ['applicantHours', 'hours', { vi: 'Thời gian người nộp thực hiện', en: "Applicants' time" }],
  ['totalVnd', 'vnd', { vi: 'Tổng chi phí tuân thủ', en: 'Total compliance cost' }],
];

const AIM_LABELS: Record<RestructuringAim['aim'], Bilingual> = {
  a: { vi: 'a) Cắt giảm bước thực hiện không cần thiết', en: 'a) Cut unnecessary steps' },
  b: { vi: 'b) Giảm đi lại, tiếp xúc trực tiếp', en: 'b) Reduce travel and direct contact' },
  c: { vi: 'c) Giảm hồ sơ, giấy tờ phải cung cấp', en: 'c) Reduce dossiers and documents' },
  d: { vi: 'd) Giảm bước xử lý trực tiếp, thủ công', en: 'd) Reduce direct or manual steps' },
};

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
  elementId: { vi: 'Mã phần tử', en: 'Element id' },
  step: { vi: 'Bước', en: 'Step' },
  stepAndId: { vi: 'Bước (mã phần tử)', en: 'Step (element id)' },
  effectPerDossier: { vi: 'Ảnh hưởng chi phí / hồ sơ', en: 'Cost effect per dossier' },
  effectPerYear: { vi: 'Ảnh hưởng chi phí / năm', en: 'Cost effect per year' },
  negativeIsSaving: { vi: 'âm là tiết kiệm', en: 'negative is a saving' },
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
  const row = <Figures,>(asIs: Figures, toBe: Figures) => ([key, unit, label]: [keyof Figures, Unit, Bilingual]): ReportRow => {
    const before = asIs[key] as number;
    const after = toBe[key] as number;
    return { label, unit, asIs: before, toBe: after, reduction: before - after, total: key === 'totalVnd' };
  };
  return {
    title: { vi: 'Báo cáo tính toán chi phí tiết kiệm sau tái cấu trúc quy trình', en: 'Cost savings of the procedure restructuring' },
    procedure: { name: analysis.toBe.name ?? analysis.asIs.name, code: analysis.toBe.procedureCode ?? analysis.asIs.procedureCode },
    legalBasis: {
      vi: 'Căn cứ Điều 17, 18 Thông tư 01/2023/TT-VPCP; phương pháp chi phí chuẩn (SCM) theo Điều 27 Thông tư 02/2017/TT-VPCP',
      en: 'Circular 01/2023/TT-VPCP Art. 17–18; Standard Cost Model of Circular 02/2017/TT-VPCP Art. 27',
    },
    sections: [
      { title: { vi: 'Chi phí cho một hồ sơ', en: 'One dossier' }, rows: DOSSIER_ROWS.map(row(analysis.asIs.perDossier, analysis.toBe.perDossier)) },
      { title: { vi: 'Chi phí một năm', en: 'One year' }, rows: YEAR_ROWS.map(row(analysis.asIs.perYear, analysis.toBe.perYear)) },
    ],
    savings: { perYearVnd: analysis.savings.perYearVnd, ratePercent: analysis.savings.ratePercent, perDossierVnd: analysis.savings.perDossierVnd },
    aims: analysis.aims.map((aim) => ({ ...aim, label: AIM_LABELS[aim.aim] })),
    changes: analysis.changes.map((change) => ({ ...change, label: CHANGE_LABELS[change.change] })),
  };
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
