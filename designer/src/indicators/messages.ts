/** The indicators dashboard's own words (docs/indicators.md, `/chi-so`), Vietnamese first, English on request. */
import { messageBook, type Language } from '../i18n.ts';

const messages = {
  title: { vi: 'Chỉ số phục vụ người dân, doanh nghiệp', en: 'Service indicators' },
  signInTitle: { vi: 'Đăng nhập xem chỉ số', en: 'Sign in to the indicators' },
  signInIntro: { vi: 'Dành cho cán bộ các cơ quan, cán bộ kiểm soát TTHC và chuyên viên phân tích.', en: "For agencies' officials, procedure-control staff and analysts." },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  notForYou: { vi: 'Trang này dành cho cán bộ các cơ quan, cán bộ kiểm soát TTHC và chuyên viên phân tích.', en: "This page is for agencies' officials, procedure-control staff and analysts." },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  source: { vi: 'Theo các nhóm chỉ số của Quyết định 766/QĐ-TTg (Thông tư 01/2023 Điều 32.2)', en: 'After the indicator groups of Decision 766/QĐ-TTg (Circular 01/2023 Art. 32.2)' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  agency: { vi: 'Cơ quan', en: 'Agency' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  all: { vi: '— tất cả —', en: '— all —' },
  show: { vi: 'Xem', en: 'Show' },
  badDate: { vi: 'Ngày phải viết dd/mm/yyyy', en: 'Write the date as dd/mm/yyyy' },
  exportXlsx: { vi: 'Tải Excel', en: 'Download Excel' },
  halfYear: { vi: 'Báo cáo 6 tháng (NĐ 45 Điều 26.9, 27.8: nộp trước 15/06 và 15/12)', en: 'Half-yearly report (Decree 45 Art. 26.9, 27.8: due 15 June, 15 December)' },
  half1: { vi: '6 tháng đầu {year}: 15/12/{prev} – 14/06/{year}', en: 'First half of {year}: 15/12/{prev} – 14/06/{year}' },
  half2: { vi: '6 tháng cuối {year}: 15/06 – 14/12/{year}', en: 'Second half of {year}: 15/06 – 14/12/{year}' },
  exportHalfYear: { vi: 'Tải báo cáo 6 tháng', en: 'Download the half-yearly report' },
  received: { vi: 'Hồ sơ tiếp nhận trong kỳ: {n}', en: 'Dossiers received in the period: {n}' },
  period: { vi: 'Kỳ {from} – {to}, số liệu lúc {at}', en: 'Period {from} – {to}, figures as of {at}' },
  none: { vi: 'chưa có', en: 'none yet' },
  byAgency: { vi: 'Theo cơ quan và thủ tục', en: 'By agency and procedure' },
  receivedShort: { vi: 'Tiếp nhận', en: 'Received' },
  noRows: { vi: 'Không có hồ sơ nào trong kỳ.', en: 'No dossier in the period.' },
  formula: { vi: '{numerator} / {denominator}', en: '{numerator} / {denominator}' },
} satisfies Record<string, Record<Language, string>>;

export type IndicatorsMessage = keyof typeof messages;

/** A message in the language shown, its `{name}` placeholders filled. */
export const indicatorsText = messageBook(messages);
