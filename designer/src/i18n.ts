/** The designer's own words, Vietnamese first (the users' language), English on request. */
export type Language = 'vi' | 'en';

const messages = {
  title: { vi: 'Thiết kế quy trình', en: 'Process designer' },
  newDiagram: { vi: 'Sơ đồ mới', en: 'New diagram' },
  openFile: { vi: 'Mở tệp .bpmn', en: 'Open .bpmn file' },
  save: { vi: 'Lưu', en: 'Save' },
  downloadBpmn: { vi: 'Tải BPMN', en: 'Download BPMN' },
  downloadSvg: { vi: 'Tải SVG', en: 'Download SVG' },
  modelName: { vi: 'Tên mô hình', en: 'Model name' },
  untitled: { vi: 'Quy trình chưa đặt tên', en: 'Untitled procedure' },
  stageAsIs: { vi: 'Hiện trạng (as-is)', en: 'As-is' },
  stageToBe: { vi: 'Tái cấu trúc (to-be)', en: 'To-be' },
  savedModels: { vi: 'Mô hình đã lưu', en: 'Saved models' },
  noSavedModels: { vi: 'Chưa có mô hình nào.', en: 'No models yet.' },
  version: { vi: 'phiên bản', en: 'version' },
  savedAs: { vi: 'Đã lưu phiên bản', en: 'Saved version' },
  opened: { vi: 'Đã mở', en: 'Opened' },
  databaseUp: { vi: 'CSDL hoạt động', en: 'Database up' },
  databaseDown: { vi: 'CSDL không trả lời', en: 'Database down' },
  serverUnreachable: { vi: 'Không kết nối được máy chủ', en: 'Server unreachable' },
  language: { vi: 'English', en: 'Tiếng Việt' },
} satisfies Record<string, Record<Language, string>>;

export type MessageKey = keyof typeof messages;

export function translate(language: Language, key: MessageKey): string {
  return messages[key][language];
}
