/** The public lookup's own words (docs/dossiers.md, `/tra-cuu`), Vietnamese first, English on request. */
import type { Language } from '../i18n.ts';

const messages = {
  title: { vi: 'Tra cứu hồ sơ', en: 'Dossier lookup' },
  intro: { vi: 'Nhập mã hồ sơ hoặc mã kết quả in trên giấy tiếp nhận, phiếu hẹn hoặc kết quả.', en: 'Enter the dossier code or result code printed on the receipt, appointment slip or result.' },
  code: { vi: 'Mã hồ sơ', en: 'Dossier code' },
  resultCode: { vi: 'Mã kết quả', en: 'Result code' },
  lookUp: { vi: 'Tra cứu', en: 'Look up' },
  looking: { vi: 'Đang tra cứu…', en: 'Looking up…' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  level: { vi: 'Mức độ hoàn thành', en: 'Completion level' },
  annulled: { vi: 'Kết quả đã bị huỷ', en: 'The result has been annulled' },
  annulledText: { vi: 'Kết quả này không còn giá trị (Nghị định 45/2020 Điều 15).', en: 'This result is no longer valid (Decree 45/2020 Art. 15).' },
  more: { vi: 'Người nộp hồ sơ đăng nhập Cổng dịch vụ công để xem đầy đủ thông tin hồ sơ.', en: 'Applicants sign in to the public service portal to see their dossier in full.' },
  signIn: { vi: 'Đăng nhập để xem thêm', en: 'Sign in to see more' },
  legal: { vi: 'Chỉ hiển thị mã số hồ sơ, thủ tục và mức độ hoàn thành (Thông tư 01/2023/TT-VPCP Điều 23.5.a).', en: 'Only the dossier code, procedure and completion level are shown (Circular 01/2023/TT-VPCP Art. 23.5.a).' },
} as const;

export type LookupMessage = keyof typeof messages;

export const lookupText = (language: Language, key: LookupMessage): string => messages[key][language];
