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
  catalogue: { vi: 'Danh mục thủ tục', en: 'Procedure catalogue' },
  catalogueAsIs: { vi: 'hiện trạng', en: 'as-is' },
  catalogueToBe: { vi: 'tái cấu trúc', en: 'to-be' },
  properties: { vi: 'Thuộc tính', en: 'Properties' },
  costTitle: { vi: 'Chi phí tuân thủ của người dân', en: "Applicant's compliance cost" },
  costPerDossier: { vi: 'Mỗi hồ sơ', en: 'Per dossier' },
  costPerYear: { vi: 'Mỗi năm', en: 'Per year' },
  dossiersPerYear: { vi: 'hồ sơ/năm', en: 'dossiers/year' },
  hoursPerDossier: { vi: 'giờ', en: 'hours' },
  tripsPerDossier: { vi: 'lượt đến cơ quan', en: 'office visits' },
  documentsPerDossier: { vi: 'giấy tờ', en: 'documents' },
  costComputing: { vi: 'Đang tính…', en: 'Computing…' },
  costProblems: { vi: 'Chưa tính được chi phí. Bấm vào một dòng để chọn phần tử cần sửa:', en: 'The cost cannot be computed yet. Click a line to select the element to fix:' },
  costUnavailable: { vi: 'Không tính được chi phí', en: 'The cost could not be computed' },
  otherCosts: { vi: 'Chi phí khác', en: 'Other costs' },
  fees: { vi: 'Phí, lệ phí', en: 'Fees and charges' },
  timeCost: { vi: 'Chi phí thời gian', en: 'Time cost' },
  costBadgeTitle: { vi: 'Phần chi phí mỗi hồ sơ ở bước này', en: "This step's share of the cost per dossier" },
} satisfies Record<string, Record<Language, string>>;

export type MessageKey = keyof typeof messages;

export function translate(language: Language, key: MessageKey): string {
  return messages[key][language];
}
