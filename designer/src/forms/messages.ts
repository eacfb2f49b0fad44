/** The form editor's own words (designer/src/forms/), Vietnamese first, English on request. */
import type { Language } from '../i18n.ts';

const messages = {
  forms: { vi: 'Biểu mẫu', en: 'Forms' },
  formsHint: {
    vi: 'Thiết kế biểu mẫu điện tử của sự kiện bắt đầu (tờ khai) hoặc của bước người dùng đang chọn',
    en: 'Design the electronic form of the start event (application form) or of the selected user task',
  },
  formsSelectHint: { vi: 'Chọn sự kiện bắt đầu hoặc nhiệm vụ người dùng để xem biểu mẫu của bước', en: 'Select a start event or user task to see its form' },
  title: { vi: 'Biểu mẫu điện tử', en: 'Electronic form' },
  step: { vi: 'Bước', en: 'Step' },
  startEvent: { vi: 'bắt đầu', en: 'start' },
  userTask: { vi: 'nhiệm vụ', en: 'user task' },
  noSymbol: { vi: 'chưa có biểu mẫu', en: 'no form yet' },
  noSteps: {
    vi: 'Mô hình chưa có sự kiện bắt đầu hay nhiệm vụ người dùng nào để gắn biểu mẫu.',
    en: 'The model has no start event or user task to attach a form to.',
  },
  symbol: { vi: 'Ký hiệu (qt:form)', en: 'Symbol (qt:form)' },
  applySymbol: { vi: 'Gắn vào bước', en: 'Attach to step' },
  symbolWritten: {
    vi: 'Đã ghi vào bước (lưu mô hình để giữ thay đổi này):',
    en: 'Written on the step (save the model to keep this change):',
  },
  symbolInvalid: {
    vi: 'Ký hiệu gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ to-khai.',
    en: 'A symbol is lower-case letters, digits and hyphens, e.g. to-khai.',
  },
  symbolNeeded: {
    vi: 'Bước này chưa có biểu mẫu: nhập ký hiệu rồi chọn "Gắn vào bước".',
    en: 'This step has no form yet: type a symbol and choose "Attach to step".',
  },
  noProcedureCode: {
    vi: 'Quy trình chưa có mã thủ tục (qt:procedureCode, trong thuộc tính của quy trình): chưa tạo được mã biểu mẫu.',
    en: 'The process has no procedure code (qt:procedureCode, in the process properties): no form code can be made.',
  },
  code: { vi: 'Mã biểu mẫu', en: 'Form code' },
  version: { vi: 'phiên bản', en: 'version' },
  newForm: { vi: 'mới, chưa lưu', en: 'new, not saved' },
  loading: { vi: 'Đang tải biểu mẫu…', en: 'Loading the form…' },
  save: { vi: 'Lưu biểu mẫu', en: 'Save form' },
  saving: { vi: 'Đang lưu…', en: 'Saving…' },
  savedVersion: { vi: 'Đã lưu phiên bản', en: 'Saved version' },
  unchanged: { vi: 'Không có thay đổi so với phiên bản', en: 'No change from version' },
  refused: { vi: 'Máy chủ không nhận biểu mẫu', en: 'The server refused the form' },
  readOnly: {
    vi: 'Bạn đăng nhập với vai trò phân tích viên: được xem biểu mẫu nhưng không được lưu. Chỉ cán bộ kiểm soát thủ tục hành chính hoặc quản trị viên lưu được biểu mẫu.',
    en: 'You are signed in as an analyst: you may view the form but not save it. Only procedure-control staff or administrators save forms.',
  },
  close: { vi: 'Đóng', en: 'Close' },
  help: { vi: 'Hướng dẫn', en: 'Help' },
  discardTitle: { vi: 'Bỏ các thay đổi của biểu mẫu?', en: 'Discard the form changes?' },
  discardText: { vi: 'Biểu mẫu có thay đổi chưa lưu. Đóng sẽ bỏ các thay đổi đó.', en: 'The form has unsaved changes. Closing discards them.' },
  discard: { vi: 'Bỏ thay đổi', en: 'Discard' },
  keepEditing: { vi: 'Tiếp tục sửa', en: 'Keep editing' },
  editorEnglish: {
    vi: 'Trình soạn biểu mẫu (form-js của bpmn.io) hiển thị bằng tiếng Anh.',
    en: 'The form editor (bpmn.io form-js) is shown in English.',
  },
  helpComponents: {
    vi: 'Bảng thành phần chỉ có các loại máy chủ kiểm tra lại được: ô chữ (textfield), vùng văn bản (textarea), số (number), ô đánh dấu (checkbox), chọn một (radio, select), chọn nhiều (checklist), ngày (datetime, chỉ ngày), nhóm (group, chỉ để bố cục, khóa vẫn phẳng) và các thành phần hiển thị (text, spacer, separator). Biểu thức FEEL, điều kiện ẩn, thuộc tính "disabled" và các loại khác bị máy chủ từ chối, có nêu tên thành phần. Khóa (key) của mỗi trường là tên biến của quy trình, không được trùng.',
    en: 'The palette holds only the types the server can check again: textfield, textarea, number, checkbox, radio, select, checklist, datetime (dates only), group (layout only, keys stay flat) and the display components (text, spacer, separator). FEEL expressions, hide conditions, "disabled" and other types are refused by the server, naming the component. Each field’s key is the process variable it sets and must be unique.',
  },
  helpProperties: {
    vi: 'Hai thuộc tính riêng, nhập ở nhóm "Custom properties" của trường (Key / Value):',
    en: 'Two custom properties, typed in the field’s "Custom properties" group (Key / Value):',
  },
  helpFormat: {
    vi: 'định dạng kiểm tra theo cơ sở dữ liệu quốc gia: cccd (số định danh 12 chữ số), date (ngày dd/mm/yyyy), phone (số điện thoại 0…), taxId (mã số thuế), email, province (tỉnh, thành phố: trường select với đúng 34 tỉnh, thành phố), commune (xã, phường).',
    en: 'the format checked against the national databases: cccd (12-digit personal ID), date (dd/mm/yyyy), phone (0…), taxId (tax code), email, province (a select listing the 34 provinces), commune (commune or ward).',
  },
  helpAutofill: {
    vi: 'điền sẵn từ thông tin của người nộp (người dân xác nhận trước khi nộp):',
    en: 'prefilled from the applicant’s own data (the applicant confirms it before submitting):',
  },
} satisfies Record<string, { vi: string; en: string }>;

export type FormMessageKey = keyof typeof messages;

export const formText = (language: Language, key: FormMessageKey): string => messages[key][language];

