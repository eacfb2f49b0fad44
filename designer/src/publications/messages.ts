/** The service test-run screen's own words (`/kiem-thu-dich-vu`, docs/service-test-runs.md), Vietnamese first. */
import { messageBook } from '../i18n.ts';

const messages = {
  title: { vi: 'Kiểm thử dịch vụ công trực tuyến', en: 'Online service test runs' },
  signInTitle: { vi: 'Đăng nhập kiểm soát thủ tục hành chính', en: 'Sign in to procedure control' },
  signInIntro: { vi: 'Dành cho cán bộ kiểm soát thủ tục hành chính: kiểm thử dịch vụ công sau khi công khai (Thông tư 01/2023 Điều 20).', en: 'For procedure-control staff: test runs of online services after publication (Circular 01/2023 Art. 20).' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  notForYou: { vi: 'Trang này dành cho cán bộ kiểm soát thủ tục hành chính. Tài khoản của bạn không có vai trò này.', en: 'This page is for procedure-control staff. Your account does not have that role.' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  intro: { vi: 'Trong 05 ngày làm việc kể từ khi công khai, dịch vụ phải được kiểm thử với vai trò người sử dụng; quá hạn mà không có kết quả, hệ thống tự động dừng công khai (Điều 20.2–20.3).', en: 'Within 05 working days of publication the service must be tested as a user; with no result by then the system stops the publication (Art. 20.2–20.3).' },
  services: { vi: 'Dịch vụ đã công khai', en: 'Published services' },
  allStatuses: { vi: 'Mọi trạng thái', en: 'All statuses' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  publishedAt: { vi: 'Công khai lúc', en: 'Published' },
  dueAt: { vi: 'Hạn kiểm thử', en: 'Test due' },
  status: { vi: 'Trạng thái', en: 'Status' },
  testing: { vi: 'Đang chờ kiểm thử', en: 'Awaiting test' },
  tested: { vi: 'Đã kiểm thử', en: 'Tested' },
  stopped: { vi: 'Đã dừng công khai', en: 'Stopped' },
  more: { vi: 'Xem thêm', en: 'More' },
  none: { vi: 'Chưa có dịch vụ nào được công khai.', en: 'No service has been published yet.' },
  choose: { vi: 'Chọn một dịch vụ để kiểm thử hoặc xem kết quả.', en: 'Choose a service to test it or see its result.' },
  byDeployment: { vi: 'khi triển khai', en: 'at deployment' },
  checklist: { vi: 'Nội dung kiểm thử (Điều 20.2)', en: 'Test contents (Art. 20.2)' },
  passed: { vi: 'Đạt', en: 'Passed' },
  failed: { vi: 'Không đạt', en: 'Failed' },
  notApplicable: { vi: 'Không áp dụng', en: 'Not applicable' },
  dossierCode: { vi: 'Mã hồ sơ đã kiểm thử', en: 'Tested dossier code' },
  serviceCode: { vi: 'Mã dịch vụ công', en: 'Public service code' },
  notes: { vi: 'Ghi chú, lỗi cần điều chỉnh (Điều 20.2.b)', en: 'Notes, findings to correct (Art. 20.2.b)' },
  record: { vi: 'Ghi nhận kết quả kiểm thử', en: 'Record the test run' },
  recorded: { vi: 'Đã ghi nhận kết quả kiểm thử.', en: 'Test run recorded.' },
  testedBy: { vi: 'Kiểm thử bởi {by} lúc {at}', en: 'Tested by {by} at {at}' },
  evidence: { vi: 'Hồ sơ kiểm thử cho thấy', en: 'What the tested dossier shows' },
  submittedAt: { vi: 'Nộp trực tuyến lúc {at}; trạng thái: {status}', en: 'Submitted online at {at}; status: {status}' },
  paidOnline: { vi: 'Đã thanh toán trực tuyến', en: 'Paid online' },
  notPaidOnline: { vi: 'Chưa có thanh toán trực tuyến thành công', en: 'No successful online payment' },
  signedResults: { vi: 'Kết quả đã ký số: {codes}', en: 'Signed results: {codes}' },
  noSignedResult: { vi: 'Chưa có kết quả đã ký số', en: 'No signed result yet' },
  stoppedNote: { vi: 'Đã dừng công khai: không có kết quả kiểm thử trước {due} (Điều 20.3). Cổng dịch vụ công không còn nhận hồ sơ của thủ tục này.', en: 'Stopped: no test was recorded by {due} (Art. 20.3). The portal no longer takes applications for this procedure.' },
  republish: { vi: 'Công khai lại (05 ngày làm việc mới)', en: 'Publish again (a new 05 working days)' },
  republished: { vi: 'Đã công khai lại; hạn kiểm thử mới: {due}.', en: 'Published again; new test due: {due}.' },
} as const;

export type PublicationsMessage = keyof typeof messages;

/** A message in the language shown, its `{name}` placeholders filled. */
export const publicationsText = messageBook(messages);
