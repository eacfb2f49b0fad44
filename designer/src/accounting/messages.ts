/** The agency accountant's screen's own words (docs/payments.md, `/ke-toan`), Vietnamese first, English on request. */
import { messageBook } from '../i18n.ts';

const messages = {
  title: { vi: 'Kế toán thu phí, lệ phí', en: 'Fee accounting' },
  signInTitle: { vi: 'Đăng nhập kế toán thu phí', en: 'Sign in to fee accounting' },
  signInIntro: { vi: 'Dành cho cán bộ của cơ quan thu phí, lệ phí: đối soát, ghi nhận đã nhận tiền.', en: "For the collecting agency's officials: reconciliation, money received." },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  notForYou: { vi: 'Trang này dành cho cán bộ của cơ quan thu. Tài khoản của bạn không có vai trò này.', en: "This page is for the collecting agency's officials. Your account does not have that role." },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  agency: { vi: 'Cơ quan', en: 'Agency' },
  transactions: { vi: 'Giao dịch thanh toán', en: 'Payment transactions' },
  code: { vi: 'Mã giao dịch', en: 'Transaction code' },
  dossier: { vi: 'Mã hồ sơ', en: 'Dossier' },
  payer: { vi: 'Người nộp', en: 'Payer' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  createdAt: { vi: 'Ngày phát sinh', en: 'Arisen' },
  status: { vi: 'Trạng thái', en: 'Status' },
  marks: { vi: 'Ghi nhận', en: 'Marks' },
  allStatuses: { vi: 'Mọi trạng thái', en: 'All statuses' },
  day: { vi: 'Ngày', en: 'Day' },
  searchCode: { vi: 'Tìm mã giao dịch / mã hồ sơ', en: 'Search transaction / dossier code' },
  flaggedOnly: { vi: 'Cần rà soát (T-1)', en: 'To review (T-1)' },
  flagged: { vi: 'Cần rà soát', en: 'To review' },
  more: { vi: 'Xem thêm', en: 'More' },
  total: { vi: 'giao dịch', en: 'transactions' },
  none: { vi: 'Không có giao dịch nào.', en: 'No transactions.' },
  detail: { vi: 'Chi tiết giao dịch', en: 'Transaction detail' },
  chooseTransaction: { vi: 'Chọn một giao dịch để xem chi tiết và ghi nhận.', en: 'Choose a transaction to see it and record marks.' },
  content: { vi: 'Nội dung thanh toán', en: 'Payment content' },
  serviceFee: { vi: 'Phí dịch vụ thanh toán', en: 'Payment service fee' },
  callbacks: { vi: 'Thông báo từ cổng thanh toán', en: "Provider's notifications" },
  markBy: { vi: '{by}, {at}', en: '{by}, {at}' },
  record: { vi: 'Ghi nhận', en: 'Record' },
  reconcile: { vi: 'Đối soát', en: 'Reconciliation' },
  reconcileDay: { vi: 'Ngày đối soát', en: 'Day to reconcile' },
  reconcileRun: { vi: 'Đối soát ngày này', en: 'Reconcile this day' },
  reconcileRead: { vi: 'Xem kết quả', en: 'Show result' },
  statementFile: { vi: 'Tệp sao kê (không bắt buộc)', en: 'Statement file (optional)' },
  runSummary: { vi: 'Ngày {day}: {entries} dòng sao kê, {ours} giao dịch có kết quả, khớp {matched}, chênh lệch {mismatches} (của cơ quan: {agencyMismatches}); còn "Đang xử lý" đến T-1: {flagged}.', en: '{day}: {entries} statement lines, {ours} transactions with an outcome, {matched} matched, {mismatches} mismatches ({agencyMismatches} of the agency); still processing up to T-1: {flagged}.' },
  ranBy: { vi: 'Đối soát lúc {at} bởi {by}', en: 'Reconciled at {at} by {by}' },
  noMismatch: { vi: 'Không có chênh lệch nào của cơ quan.', en: 'No mismatch for the agency.' },
  ours: { vi: 'Hệ thống', en: 'Ours' },
  statement: { vi: 'Sao kê', en: 'Statement' },
  kind: { vi: 'Loại chênh lệch', en: 'Mismatch' },
  settings: { vi: 'Thiết lập thu phí', en: 'Collection settings' },
  agencyName: { vi: 'Tên cơ quan thu', en: 'Collecting agency name' },
  accountNumber: { vi: 'Số tài khoản thu', en: 'Collecting account number' },
  accountName: { vi: 'Tên tài khoản', en: 'Account name' },
  citadCode: { vi: 'Mã CITAD', en: 'CITAD code' },
  bankName: { vi: 'Ngân hàng / Kho bạc', en: 'Bank / State Treasury' },
  ownCodes: { vi: 'Cơ quan tự cấp mã giao dịch (Điều 27.5)', en: 'The agency issues its own transaction codes (Art. 27.5)' },
  feeCodes: { vi: 'Mã phí, lệ phí theo thủ tục (mỗi dòng: mã thủ tục, mã phí)', en: 'Fee codes by procedure (one a line: procedure code, fee code)' },
  saveSettings: { vi: 'Lưu thiết lập', en: 'Save settings' },
  settingsSaved: { vi: 'Đã lưu thiết lập thu phí.', en: 'Collection settings saved.' },
  notConfigured: { vi: 'Cơ quan chưa có thiết lập thu phí.', en: 'The agency has no collection settings yet.' },
  refunds: { vi: 'Hoàn trả', en: 'Refunds' },
} as const;

export type AccountingMessage = keyof typeof messages;

/** A message in the language shown, its `{name}` placeholders filled. */
export const accountingText = messageBook(messages);

/** The transaction statuses by the names of Circular 01 Art. 28.1.a (docs/payments.md "Statuses"). */
export const STATUS_NAMES = {
  initiated: { vi: 'Khởi tạo', en: 'Initiation' },
  'initiation-failed': { vi: 'Khởi tạo thất bại', en: 'Failed initialization' },
  processing: { vi: 'Đang xử lý', en: 'Processing' },
  'payment-failed': { vi: 'Thanh toán thất bại', en: 'Failed payment' },
  'payment-succeeded': { vi: 'Thanh toán thành công', en: 'Successful payment' },
  'transaction-failed': { vi: 'Giao dịch thất bại', en: 'Failed transaction' },
  'transaction-succeeded': { vi: 'Giao dịch thành công', en: 'Successful transaction' },
} as const;
export type TransactionStatus = keyof typeof STATUS_NAMES;

/** The marks of Art. 28.3–28.4, set by a person. */
export const MARK_NAMES = {
  'documents-received': { vi: 'Đã nhận chứng từ', en: 'Documents received' },
  'payment-received': { vi: 'Đã nhận tiền', en: 'Payment received' },
  'treasury-received': { vi: 'Kho bạc Nhà nước đã nhận tiền', en: 'Payment received by the State Treasury' },
} as const;
export type Mark = keyof typeof MARK_NAMES;
