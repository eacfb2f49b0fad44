/**
 * The words of the catalogue summary (issue 16), in both languages: one table for the workbook
 * (catalogue-summary-workbook.ts) and the designer's screen (designer/src/catalogue-summary), so
 * the two say the same thing.
 */
import type { Bilingual } from '../../engine/errors.ts';
import type { ProcedureLevel } from '../../engine/catalogue/procedure.ts';

export const SUMMARY_LABELS = {
  title: { vi: 'Tổng hợp danh mục', en: 'Catalogue summary' },
  /** The designer's toolbar button: a word of the title, so that the toolbar keeps to one line at 1366 px. */
  button: { vi: 'Tổng hợp', en: 'Summary' },
  heading: {
    vi: 'Tổng hợp chi phí tuân thủ trước và sau tái cấu trúc của danh mục thủ tục (Điều 18 Thông tư 01/2023/TT-VPCP)',
    en: 'Compliance cost before and after restructuring across the catalogue (Circular 01/2023/TT-VPCP Art. 18)',
  },
  number: { vi: 'STT', en: 'No.' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  code: { vi: 'Mã thủ tục', en: 'Code' },
  level: { vi: 'Cấp', en: 'Level' },
  costAsIs: { vi: 'Chi phí/hồ sơ hiện trạng', en: 'Cost/dossier as is' },
  costToBe: { vi: 'Chi phí/hồ sơ sau tái cấu trúc', en: 'Cost/dossier after' },
  dossiers: { vi: 'Số hồ sơ/năm', en: 'Dossiers/year' },
  saving: { vi: 'Tiết kiệm/năm', en: 'Saving/year' },
  rate: { vi: 'Tỷ lệ cắt giảm', en: 'Reduction rate' },
  hoursAsIs: { vi: 'Giờ/hồ sơ hiện trạng', en: 'Hours/dossier as is' },
  hoursToBe: { vi: 'Giờ/hồ sơ sau', en: 'Hours/dossier after' },
  hoursSaved: { vi: 'Giờ tiết kiệm/năm', en: 'Hours saved/year' },
  tripsAsIs: { vi: 'Lượt đi lại hiện trạng', en: 'Trips as is' },
  tripsToBe: { vi: 'Lượt đi lại sau', en: 'Trips after' },
  tripsSaved: { vi: 'Lượt đi lại giảm/năm', en: 'Trips saved/year' },
  documentsAsIs: { vi: 'Giấy tờ hiện trạng', en: 'Documents as is' },
  documentsToBe: { vi: 'Giấy tờ sau', en: 'Documents after' },
  aims: { vi: 'Mục tiêu Điều 17.1 đạt', en: 'Art. 17.1 aims met' },
  online: { vi: 'Mức độ DVC trực tuyến (Điều 13)', en: 'Online service level (Art. 13)' },
  estimates: { vi: 'Số liệu ước tính', en: 'Estimated figures' },
  none: { vi: 'không', en: 'none' },
  group: { vi: 'nhóm liên thông, không cộng vào tổng', en: 'inter-connected group, not added to the totals' },
  total: { vi: 'Tổng cộng', en: 'Total' },
  totalOf: { vi: 'thủ tục', en: 'procedures' },
  convention: {
    vi: 'Tiết kiệm = hiện trạng − sau tái cấu trúc: số dương là tiết kiệm (màu xanh); số âm (màu đỏ) là tăng thêm. Tỷ lệ của dòng tổng = tổng tiết kiệm ÷ tổng chi phí hiện trạng.',
    en: 'Saving = as is − after restructuring: positive is a saving (green); negative (red) is an increase. The total rate = total saving ÷ total as-is cost.',
  },
  groups: {
    vi: 'Nhóm liên thông (Điều 16.4, 17.5 Thông tư 01/2023; Nghị định 63/2024, 122/2020) gọi các thủ tục thành phần; hồ sơ của nhóm đã nằm trong số hồ sơ của các thủ tục đó, nên dòng tổng không cộng các nhóm để không tính trùng.',
    en: 'Inter-connected groups (Circular 01/2023 Art. 16.4, 17.5; Decrees 63/2024, 122/2020) call their procedures; their dossiers are already in those procedures\' volumes, so the totals leave the groups out rather than count them twice.',
  },
  sourcesNote: {
    vi: 'Số liệu là ước tính của nhóm rà soát (thời gian, số lượt đi lại, chi phí, số hồ sơ/năm), chưa đối chiếu số liệu thống kê; nguồn của từng con số ở trang "Nguồn số liệu".',
    en: 'The figures are the review team\'s estimates (times, trips, costs, yearly volumes), not checked against statistics; each figure\'s source is on the "Sources" sheet.',
  },
  sources: { vi: 'Nguồn số liệu', en: 'Sources' },
  model: { vi: 'Mô hình', en: 'Model' },
  element: { vi: 'Phần tử', en: 'Element' },
  attribute: { vi: 'Thuộc tính', en: 'Attribute' },
  value: { vi: 'Giá trị', en: 'Value' },
  estimate: { vi: 'Ước tính', en: 'Estimate' },
  source: { vi: 'Nguồn', en: 'Source' },
  yes: { vi: 'có', en: 'yes' },
  no: { vi: 'không', en: 'no' },
  summarySheet: { vi: 'Tổng hợp', en: 'Summary' },
  download: { vi: 'Tải bảng tính (.xlsx)', en: 'Download workbook (.xlsx)' },
  close: { vi: 'Đóng', en: 'Close' },
  loading: { vi: 'Đang phân tích danh mục…', en: 'Analysing the catalogue…' },
  sortBy: { vi: 'Sắp xếp theo', en: 'Sort by' },
} satisfies Record<string, Bilingual>;

export const LEVEL_LABELS: Record<ProcedureLevel, Bilingual> = {
  commune: { vi: 'Xã', en: 'Commune' },
  district: { vi: 'Cơ sở (huyện cũ)', en: 'Local (former district)' },
  province: { vi: 'Tỉnh', en: 'Province' },
  ministry: { vi: 'Bộ', en: 'Ministry' },
};

/** The aims met, as Vietnamese documents letter them: "b, c, d". */
export const aimsText = (aims: readonly string[], language: keyof Bilingual): string => (aims.length === 0 ? SUMMARY_LABELS.none[language] : aims.join(', '));
