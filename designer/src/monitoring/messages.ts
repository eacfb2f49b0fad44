/** The monitoring screens' own words (docs/monitoring.md, `/theo-doi`), Vietnamese first, English on request. */
import { messageBook, type Language } from '../i18n.ts';

const messages = {
  title: { vi: 'Theo dõi hồ sơ', en: 'Dossier monitoring' },
  signInTitle: { vi: 'Đăng nhập theo dõi hồ sơ', en: 'Sign in to dossier monitoring' },
  signInIntro: { vi: 'Dành cho cán bộ kiểm soát TTHC, lãnh đạo và bộ phận một cửa.', en: 'For procedure-control staff, agency leaders and the one-stop desk.' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  notForYou: { vi: 'Trang này dành cho cán bộ kiểm soát TTHC, lãnh đạo và bộ phận một cửa.', en: 'This page is for procedure-control staff, agency leaders and the one-stop desk.' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  search: { vi: 'Tìm hồ sơ', en: 'Find dossiers' },
  back: { vi: '← Danh sách', en: '← List' },
  code: { vi: 'Mã hồ sơ', en: 'Dossier code' },
  businessKey: { vi: 'Khoá nghiệp vụ', en: 'Business key' },
  applicant: { vi: 'Người nộp (tên hoặc số định danh)', en: 'Applicant (name or ID number)' },
  applicantShort: { vi: 'Người nộp', en: 'Applicant' },
  procedure: { vi: 'Thủ tục (mã quy trình)', en: 'Procedure (process key)' },
  procedureShort: { vi: 'Thủ tục', en: 'Procedure' },
  agency: { vi: 'Cơ quan', en: 'Agency' },
  status: { vi: 'Trạng thái hồ sơ', en: 'Dossier status' },
  instanceStatus: { vi: 'Trạng thái quy trình', en: 'Instance status' },
  any: { vi: '— tất cả —', en: '— any —' },
  from: { vi: 'Từ ngày (dd/mm/yyyy)', en: 'From (dd/mm/yyyy)' },
  to: { vi: 'Đến ngày (dd/mm/yyyy)', en: 'To (dd/mm/yyyy)' },
  badDate: { vi: 'Ngày phải viết dd/mm/yyyy', en: 'Write the date as dd/mm/yyyy' },
  find: { vi: 'Tìm', en: 'Search' },
  clear: { vi: 'Xoá điều kiện', en: 'Clear' },
  found: { vi: 'Tìm thấy {n} kết quả', en: '{n} found' },
  none: { vi: 'Không có hồ sơ nào khớp.', en: 'Nothing matches.' },
  more: { vi: 'Xem thêm', en: 'Show more' },
  submittedAt: { vi: 'Tiếp nhận lúc', en: 'Received' },
  startedAt: { vi: 'Bắt đầu lúc', en: 'Started' },
  endedAt: { vi: 'Kết thúc lúc', en: 'Ended' },
  standsAt: { vi: 'Đang ở bước', en: 'Current step' },
  incidents: { vi: 'Sự cố', en: 'Incidents' },
  heatMap: { vi: 'Bản đồ nhiệt', en: 'Heat map' },
  open: { vi: 'Xem', en: 'View' },
  // The instance view.
  instance: { vi: 'Hồ sơ quy trình', en: 'Process instance' },
  diagramLegend: { vi: 'Xanh đậm: bước hiện tại · viền xanh: đường đã đi · số: số lần vào bước · đỏ: sự cố', en: 'Blue: current step · blue outline: path taken · number: times entered · red: incident' },
  diagramUnavailable: { vi: 'Không tải được sơ đồ quy trình.', en: 'The procedure diagram could not be loaded.' },
  entered: { vi: 'Số lần vào bước', en: 'Times entered' },
  noIncidents: { vi: 'Không có sự cố.', en: 'No incidents.' },
  retry: { vi: 'Thử lại', en: 'Retry' },
  retried: { vi: 'Đã cho chạy lại bước có sự cố.', en: 'The failed step runs again.' },
  cancelTitle: { vi: 'Dừng xử lý hồ sơ', en: 'Cancel the instance' },
  cancelReason: { vi: 'Lý do (bắt buộc, được ghi vào nhật ký)', en: 'Reason (required, recorded in the audit trail)' },
  cancelConfirm: { vi: 'Dừng xử lý', en: 'Cancel instance' },
  cancelled: { vi: 'Đã dừng xử lý hồ sơ.', en: 'The instance was cancelled.' },
  // The operator's interventions (InterventionDialogs.tsx).
  moveOpen: { vi: 'Chuyển bước', en: 'Move token' },
  moveTitle: { vi: 'Chuyển hồ sơ sang bước khác', en: 'Move the token to another step' },
  moveHint: {
    vi: 'Chỉ chuyển được tới một tác vụ hoặc sự kiện chờ cùng phạm vi (cùng nhánh song song, cùng tiến trình con). Việc đang mở ở bước rời đi bị đóng; bước mới được mở như khi luồng đi tới.',
    en: 'A token moves only to a task or waiting event of the same scope (the same parallel branch, the same sub-process). What the left step opened is closed; the new step opens as if the flow reached it.',
  },
  moveFrom: { vi: 'Rời bước', en: 'Leave step' },
  moveTo: { vi: 'Chuyển tới bước', en: 'Move to step' },
  choose: { vi: '— chọn —', en: '— choose —' },
  interventionReason: { vi: 'Lý do (ít nhất 5 ký tự, được ghi vào nhật ký)', en: 'Reason (at least 5 characters, recorded in the audit trail)' },
  moveConfirm: { vi: 'Chuyển bước', en: 'Move token' },
  moveSeveralHint: {
    vi: 'Hồ sơ đang ở nhiều bước song song. Chọn bước tới cho từng bước cần chuyển; các bước chuyển cùng một lần. Để rời cả khối song song, chuyển mọi bước trong khối tới cùng một bước sau khối.',
    en: 'The instance stands at several parallel steps. Choose where each step to move goes; they move together. To leave a parallel block, move every step in it to the same step after the block.',
  },
  moveStay: { vi: 'Giữ nguyên', en: 'Leave as it is' },
  bulkOpen: { vi: 'Chuyển phiên bản hàng loạt', en: 'Migrate running dossiers' },
  bulkTitle: { vi: 'Chuyển các hồ sơ đang xử lý sang phiên bản mới hơn', en: 'Migrate running dossiers to a newer version' },
  bulkHint: {
    vi: 'Chỉ chuyển những hồ sơ mà mọi bước đang chờ đều có bước tương ứng chắc chắn ở phiên bản mới; các hồ sơ khác giữ phiên bản cũ.',
    en: 'Only dossiers whose every waiting step has a proven counterpart in the new version are migrated; the others stay on their version.',
  },
  bulkFrom: { vi: 'Từ phiên bản', en: 'From version' },
  bulkPreviewRunning: { vi: 'Đang xử lý ở phiên bản này: {n} hồ sơ', en: 'Running on this version: {n} dossiers' },
  bulkPreviewMigratable: { vi: 'Chuyển được: {n} hồ sơ', en: 'Can be migrated: {n} dossiers' },
  bulkPreviewRefused: { vi: 'Không chuyển được: {n} hồ sơ', en: 'Cannot be migrated: {n} dossiers' },
  bulkRefusedAt: { vi: '{n} hồ sơ đang ở {steps} (không có bước tương ứng)', en: '{n} dossiers at {steps} (no counterpart)' },
  bulkConfirm: { vi: 'Chuyển {n} hồ sơ', en: 'Migrate {n} dossiers' },
  bulkStop: { vi: 'Dừng', en: 'Stop' },
  bulkProgress: { vi: 'Đã chuyển {done} / {total} hồ sơ', en: 'Migrated {done} of {total} dossiers' },
  bulkDone: { vi: 'Xong: đã chuyển {done} hồ sơ, {refused} hồ sơ không chuyển được.', en: 'Done: {done} dossiers migrated, {refused} could not be.' },
  bulkStopped: { vi: 'Đã dừng: đã chuyển {done} hồ sơ.', en: 'Stopped: {done} dossiers migrated.' },
  bulkNothing: { vi: 'Không có phiên bản cũ hơn để chuyển.', en: 'There is no older version to migrate from.' },
  moved: { vi: 'Đã chuyển hồ sơ sang bước mới.', en: 'The token was moved.' },
  migrateOpen: { vi: 'Chuyển phiên bản', en: 'Migrate version' },
  migrateTitle: { vi: 'Chuyển hồ sơ sang phiên bản quy trình mới hơn', en: 'Migrate to a newer version of the process' },
  migrateHint: {
    vi: 'Chỉ chuyển được khi mọi bước đang chạy có bước giống hệt ở cùng vị trí trong phiên bản mới; nếu không, hệ thống từ chối và nêu tên các bước.',
    en: 'Only when every running step has an identical step at the same place in the new version; otherwise the system refuses, naming the steps.',
  },
  migrateTarget: { vi: 'Phiên bản đích', en: 'Target version' },
  versionOf: { vi: 'Phiên bản {v}', en: 'Version {v}' },
  noNewerVersion: { vi: 'Không có phiên bản nào mới hơn.', en: 'There is no newer version.' },
  migrateConfirm: { vi: 'Chuyển phiên bản', en: 'Migrate' },
  migrated: { vi: 'Đã chuyển hồ sơ sang phiên bản mới.', en: 'The instance now runs the newer version.' },
  close: { vi: 'Đóng', en: 'Close' },
  reasonGiven: { vi: 'lý do', en: 'reason' },
  history: { vi: 'Lịch sử', en: 'History' },
  variables: { vi: 'Biến quy trình', en: 'Variables' },
  // The procedure view.
  procedureView: { vi: 'Hồ sơ đang ở từng bước', en: 'Dossiers at each step now' },
  stepsTitle: { vi: 'Các bước (quá hạn trước)', en: 'Steps (overdue first)' },
  dossiers: { vi: 'hồ sơ', en: 'dossiers' },
  averageWait: { vi: 'chờ trung bình {h} giờ', en: 'average wait {h} h' },
  overdue: { vi: '{n} quá hạn', en: '{n} overdue' },
  noneWaiting: { vi: 'Không có hồ sơ nào đang xử lý.', en: 'No dossier is in progress.' },
  asOf: { vi: 'Số liệu lúc', en: 'As of' },
} as const satisfies Record<string, Record<Language, string>>;

export type MonitoringMessage = keyof typeof messages;

/** A message in the language shown, its `{name}` placeholders filled. */
export const monitoringText = messageBook(messages);

/** The instance statuses as people read them. */
export const INSTANCE_STATUS_TEXT: Record<string, Record<Language, string>> = {
  active: { vi: 'Đang xử lý', en: 'Running' },
  completed: { vi: 'Đã kết thúc', en: 'Completed' },
  terminated: { vi: 'Đã dừng', en: 'Cancelled' },
  failed: { vi: 'Lỗi', en: 'Failed' },
};

/** The engine's history steps (engine/compile/effects.ts ProcessEvent, and the start and termination), as people read them. */
export const EVENT_TEXT: Record<string, Record<Language, string>> = {
  start: { vi: 'Bắt đầu', en: 'Started' },
  'task.complete': { vi: 'Hoàn thành bước', en: 'Step completed' },
  'job.complete': { vi: 'Bước tự động xong', en: 'Automatic step done' },
  'job.error': { vi: 'Bước tự động báo lỗi nghiệp vụ', en: 'Automatic step raised a business error' },
  message: { vi: 'Nhận thông điệp', en: 'Message received' },
  timer: { vi: 'Đến hạn hẹn giờ', en: 'Timer fell due' },
  'call.complete': { vi: 'Quy trình con kết thúc', en: 'Called process ended' },
  'call.error': { vi: 'Quy trình con lỗi', en: 'Called process failed' },
  terminate: { vi: 'Dừng xử lý', en: 'Terminated' },
  move: { vi: 'Chuyển bước', en: 'Token moved' },
  migrate: { vi: 'Chuyển phiên bản', en: 'Migrated to another version' },
};

/** The dossier statuses as the server words them (the filter's choices). */
export { DOSSIER_STATUSES, STATUS_TEXT as DOSSIER_STATUS_TEXT } from '../../../server/dossiers/records.ts';
