/**
 * Vietnamese for bpmn-js: the palette, the context pad, the replace (change element) menu, the
 * search, the modeling hints and the BPMN properties panel. bpmn-js ships English only and asks
 * an application to override its `translate` service (diagram-js `i18n/translate`); no Vietnamese
 * table exists upstream, so this is ours. The terms are fixed in docs/designer-glossary.md: one
 * Vietnamese word per BPMN concept, the same in every menu, header and field.
 *
 * English is the identity: bpmn-js's own strings are English.
 */
import type { Language } from '../i18n.ts';

/** The BPMN concepts every label below is built from (docs/designer-glossary.md). */
export const glossary = {
  task: 'Tác vụ',
  userTask: 'Tác vụ người dùng',
  serviceTask: 'Tác vụ dịch vụ',
  sendTask: 'Tác vụ gửi',
  receiveTask: 'Tác vụ nhận',
  manualTask: 'Tác vụ thủ công',
  businessRuleTask: 'Tác vụ quy tắc nghiệp vụ',
  scriptTask: 'Tác vụ kịch bản',
  callActivity: 'Hoạt động gọi',
  subProcess: 'Quy trình con',
  eventSubProcess: 'Quy trình con sự kiện',
  adHocSubProcess: 'Quy trình con tự do',
  transaction: 'Giao dịch',
  gateway: 'Cổng',
  exclusiveGateway: 'Cổng loại trừ',
  parallelGateway: 'Cổng song song',
  inclusiveGateway: 'Cổng bao hàm',
  complexGateway: 'Cổng phức hợp',
  eventBasedGateway: 'Cổng theo sự kiện',
  startEvent: 'Sự kiện bắt đầu',
  endEvent: 'Sự kiện kết thúc',
  intermediateThrowEvent: 'Sự kiện trung gian phát',
  intermediateCatchEvent: 'Sự kiện trung gian chờ',
  boundaryEvent: 'Sự kiện biên',
  participant: 'Bên tham gia',
  lane: 'Làn',
  process: 'Quy trình',
  collaboration: 'Cộng tác',
  sequenceFlow: 'Luồng tuần tự',
  messageFlow: 'Luồng thông điệp',
  defaultFlow: 'Luồng mặc định',
  conditionalFlow: 'Luồng có điều kiện',
  association: 'Liên kết',
  dataObjectReference: 'Đối tượng dữ liệu',
  dataStoreReference: 'Kho dữ liệu',
  dataInput: 'Dữ liệu vào',
  dataOutput: 'Dữ liệu ra',
  group: 'Nhóm',
  textAnnotation: 'Chú thích',
  nonInterrupting: 'không ngắt',
} as const;

/**
 * Event definitions, as they follow the event's position: "Sự kiện bắt đầu thông điệp" (message
 * start event), "Sự kiện biên hẹn giờ" (timer boundary event).
 */
const eventDefinitions: Record<string, string> = {
  Message: 'thông điệp',
  Timer: 'hẹn giờ',
  Conditional: 'theo điều kiện',
  Signal: 'tín hiệu',
  Error: 'lỗi',
  Escalation: 'chuyển cấp',
  Compensation: 'bù trừ',
  Compensate: 'bù trừ',
  Cancel: 'hủy',
  Terminate: 'chấm dứt',
  Link: 'nối',
  Multiple: 'nhiều loại',
  'Parallel Multiple': 'nhiều loại song song',
  // The properties panel names a non-interrupting parallel-multiple event "Parallel … (Non Interrupting)".
  Parallel: 'nhiều loại song song',
};

const eventPositions: Record<string, string> = {
  'start event': glossary.startEvent,
  'end event': glossary.endEvent,
  'boundary event': glossary.boundaryEvent,
  'intermediate catch event': glossary.intermediateCatchEvent,
  'intermediate throw event': glossary.intermediateThrowEvent,
};

/** Every string bpmn-js 18, diagram-js 15, diagram-js-minimap and the BPMN properties panel pass to `translate`, except the composed event names. */
const vietnamese: Record<string, string> = {
  // Palette (bpmn-js features/palette/PaletteProvider)
  'Activate hand tool': 'Bật công cụ bàn tay (kéo khung vẽ)',
  'Activate lasso tool': 'Bật công cụ khoanh vùng để chọn',
  'Activate create/remove space tool': 'Bật công cụ thêm/bớt khoảng trống',
  'Activate global connect tool': 'Bật công cụ nối hai phần tử',
  'Create start event': 'Tạo sự kiện bắt đầu',
  'Create intermediate/boundary event': 'Tạo sự kiện trung gian/sự kiện biên',
  'Create end event': 'Tạo sự kiện kết thúc',
  'Create gateway': 'Tạo cổng',
  'Create task': 'Tạo tác vụ',
  'Create data object reference': 'Tạo đối tượng dữ liệu',
  'Create data store reference': 'Tạo kho dữ liệu',
  'Create expanded sub-process': 'Tạo quy trình con (mở rộng)',
  'Create pool/participant': 'Tạo bên tham gia',
  'Create group': 'Tạo nhóm',

  // Context pad (bpmn-js features/context-pad/ContextPadProvider)
  'Append end event': 'Thêm sự kiện kết thúc phía sau',
  'Append gateway': 'Thêm cổng phía sau',
  'Append task': 'Thêm tác vụ phía sau',
  'Append intermediate/boundary event': 'Thêm sự kiện trung gian phía sau',
  'Append receive task': 'Thêm tác vụ nhận phía sau',
  'Append message intermediate catch event': 'Thêm sự kiện trung gian chờ thông điệp phía sau',
  'Append timer intermediate catch event': 'Thêm sự kiện trung gian chờ hẹn giờ phía sau',
  'Append conditional intermediate catch event': 'Thêm sự kiện trung gian chờ theo điều kiện phía sau',
  'Append signal intermediate catch event': 'Thêm sự kiện trung gian chờ tín hiệu phía sau',
  'Append compensation activity': 'Thêm hoạt động bù trừ',
  'Add lane above': 'Thêm làn phía trên',
  'Add lane below': 'Thêm làn phía dưới',
  'Divide into two lanes': 'Chia thành hai làn',
  'Divide into three lanes': 'Chia thành ba làn',
  'Add text annotation': 'Thêm chú thích',
  'Change element': 'Đổi loại phần tử',
  'Connect to other element': 'Nối tới phần tử khác',
  'Connect using association': 'Nối bằng liên kết',
  'Connect using data input association': 'Nối bằng liên kết dữ liệu vào',
  Delete: 'Xóa',

  // Align and distribute (bpmn-js features/align-elements, distribute-elements)
  'Align elements': 'Căn chỉnh các phần tử',
  'Align elements left': 'Căn trái',
  'Align elements center': 'Căn giữa theo chiều ngang',
  'Align elements right': 'Căn phải',
  'Align elements top': 'Căn trên',
  'Align elements middle': 'Căn giữa theo chiều dọc',
  'Align elements bottom': 'Căn dưới',
  'Distribute elements horizontally': 'Dàn đều theo chiều ngang',
  'Distribute elements vertically': 'Dàn đều theo chiều dọc',

  // Replace menu headers (bpmn-js features/popup-menu/ReplaceMenuProvider)
  'Parallel multi-instance': 'Nhiều phiên bản song song',
  'Sequential multi-instance': 'Nhiều phiên bản tuần tự',
  Loop: 'Lặp',
  Collection: 'Tập hợp',
  'Participant multiplicity': 'Nhiều bên tham gia cùng loại',
  'Toggle non-interrupting': 'Bật/tắt không ngắt',

  // Replace menu entries (bpmn-js features/popup-menu/PopupEntries, replace/ReplaceOptions), events aside
  Task: glossary.task,
  'User task': glossary.userTask,
  'Service task': glossary.serviceTask,
  'Send task': glossary.sendTask,
  'Receive task': glossary.receiveTask,
  'Manual task': glossary.manualTask,
  'Business rule task': glossary.businessRuleTask,
  'Script task': glossary.scriptTask,
  'Call activity': glossary.callActivity,
  Transaction: glossary.transaction,
  'Event sub-process': glossary.eventSubProcess,
  'Sub-process': glossary.subProcess,
  'Sub-process (collapsed)': `${glossary.subProcess} (thu gọn)`,
  'Sub-process (expanded)': `${glossary.subProcess} (mở rộng)`,
  'Ad-hoc sub-process': glossary.adHocSubProcess,
  'Ad-hoc sub-process (collapsed)': `${glossary.adHocSubProcess} (thu gọn)`,
  'Ad-hoc sub-process (expanded)': `${glossary.adHocSubProcess} (mở rộng)`,
  'Exclusive gateway': glossary.exclusiveGateway,
  'Parallel gateway': glossary.parallelGateway,
  'Inclusive gateway': glossary.inclusiveGateway,
  'Complex gateway': glossary.complexGateway,
  'Event-based gateway': glossary.eventBasedGateway,
  'Event based instantiating Gateway': `${glossary.eventBasedGateway} khởi tạo quy trình`,
  'Parallel Event based instantiating Gateway': `${glossary.eventBasedGateway} song song khởi tạo quy trình`,
  'Data store reference': glossary.dataStoreReference,
  'Data object reference': glossary.dataObjectReference,
  'Expanded pool/participant': `${glossary.participant} (mở rộng)`,
  'Empty pool/participant': `${glossary.participant} rỗng`,
  'Empty pool/participant (removes content)': `${glossary.participant} rỗng (xóa nội dung bên trong)`,
  'Sequence flow': glossary.sequenceFlow,
  'Default flow': glossary.defaultFlow,
  'Conditional flow': glossary.conditionalFlow,
  'Start event': glossary.startEvent,
  'End event': glossary.endEvent,
  'Intermediate throw event': glossary.intermediateThrowEvent,
  'Boundary event': glossary.boundaryEvent,

  // Modeling hints (bpmn-js features/modeling-feedback), search (diagram-js features/search-pad), drill-down
  'flow elements must be children of pools/participants': 'Phần tử của luồng phải nằm trong một bên tham gia',
  'Data object must be placed within a pool/participant.': 'Đối tượng dữ liệu phải đặt bên trong một bên tham gia.',
  'Search in diagram': 'Tìm trong sơ đồ',
  'Open {element}': 'Mở {element}',

  // The minimap (diagram-js-minimap): its own button's title
  'Open minimap': 'Mở bản đồ thu nhỏ',
  'Close minimap': 'Đóng bản đồ thu nhỏ',

  // The BPMN properties panel (bpmn-js-properties-panel: BpmnPropertiesProvider and its render/)
  'Select an element to edit its properties.': 'Chọn một phần tử để sửa thuộc tính.',
  'Multiple elements are selected. Select a single element to edit its properties.': 'Đang chọn nhiều phần tử. Hãy chọn một phần tử để sửa thuộc tính.',
  General: 'Thông tin chung',
  Name: 'Tên',
  ID: 'Mã định danh',
  'Participant ID': 'Mã định danh bên tham gia',
  'Participant Name': 'Tên bên tham gia',
  'Process ID': 'Mã định danh quy trình',
  'Process name': 'Tên quy trình',
  Executable: 'Thực thi được',
  Documentation: 'Mô tả',
  'Element documentation': 'Mô tả phần tử',
  'Process documentation': 'Mô tả quy trình',
  'ID must not be empty.': 'Mã định danh không được để trống.',
  'ID must be unique.': 'Mã định danh đã có phần tử khác dùng.',
  'ID must not contain spaces.': 'Mã định danh không được chứa dấu cách.',
  'ID must not contain prefix.': 'Mã định danh không được có tiền tố (dạng "tiền_tố:").',
  'ID must be a valid QName.': 'Mã định danh phải là một QName hợp lệ (bắt đầu bằng chữ cái hoặc dấu gạch dưới).',
  'Multi-instance': 'Nhiều phiên bản',
  'Loop cardinality': 'Số phiên bản',
  'Completion condition': 'Điều kiện hoàn thành',
  Completion: 'Hoàn thành',
  'Cancel remaining instances': 'Hủy các phiên bản còn lại',
  Compensation: 'Bù trừ',
  'Wait for completion': 'Chờ hoàn thành',
  'Activity reference': 'Hoạt động được bù trừ',
  '<none>': '<không có>',
  // The list groups of @bpmn-io/properties-panel (the dossier's documents, engine-properties.ts)
  Create: 'Thêm',
  'Create new list item': 'Thêm một mục',
  'List contains {numOfItems} item': 'Danh sách có {numOfItems} mục',
  'List contains {numOfItems} items': 'Danh sách có {numOfItems} mục',
  'Toggle section': 'Mở/đóng phần này',
  'Toggle list item': 'Mở/đóng mục',
  'Delete item': 'Xóa mục',
  '<empty>': '<trống>',
  'Create new ...': 'Tạo mới…',
  Error: 'Lỗi',
  'Global error reference': 'Lỗi (định nghĩa chung)',
  Code: 'Mã',
  Escalation: 'Chuyển cấp',
  'Global escalation reference': 'Chuyển cấp (định nghĩa chung)',
  Message: 'Thông điệp',
  'Global message reference': 'Thông điệp (định nghĩa chung)',
  Signal: 'Tín hiệu',
  'Global signal reference': 'Tín hiệu (định nghĩa chung)',
  Link: 'Nối',
  Timer: 'Hẹn giờ',
  Type: 'Loại',
  Value: 'Giá trị',
  Date: 'Thời điểm',
  Duration: 'Khoảng thời gian',
  Cycle: 'Chu kỳ',
  'Documentation: Timer events': 'Tài liệu: sự kiện hẹn giờ',
  'A specific point in time defined as ISO 8601 combined date and time representation.': 'Một thời điểm cụ thể, ghi theo ISO 8601 (ngày và giờ).',
  'A time duration defined as ISO 8601 durations format.': 'Một khoảng thời gian, ghi theo định dạng khoảng thời gian ISO 8601.',
  'A cycle defined as ISO 8601 repeating intervals format.': 'Một chu kỳ, ghi theo định dạng khoảng lặp ISO 8601.',
  'UTC time': 'giờ UTC',
  'UTC plus 2 hours zone offset': 'múi giờ UTC+2',
  '15 seconds': '15 giây',
  '1 hour and 30 minutes': '1 giờ 30 phút',
  '14 days': '14 ngày',
  'every 10 seconds, up to 5 times': 'mỗi 10 giây, tối đa 5 lần',
  'every day, infinitely': 'mỗi ngày, không giới hạn',

  // The properties panel's header: the element's type, from its BPMN type (PanelHeaderProvider), events aside
  'Business Rule Task': glossary.businessRuleTask,
  'Call Activity': glossary.callActivity,
  Collaboration: glossary.collaboration,
  'Conditional Flow': glossary.conditionalFlow,
  'Sequence Flow': glossary.sequenceFlow,
  'Data Input': glossary.dataInput,
  'Data Input Association': `${glossary.association} dữ liệu vào`,
  'Data Output': glossary.dataOutput,
  'Data Output Association': `${glossary.association} dữ liệu ra`,
  'Data Object Reference': glossary.dataObjectReference,
  'Data Store Reference': glossary.dataStoreReference,
  'Default Flow': glossary.defaultFlow,
  'Event Sub Process': glossary.eventSubProcess,
  'Complex Gateway': glossary.complexGateway,
  'Event Based Gateway': glossary.eventBasedGateway,
  'Exclusive Gateway': glossary.exclusiveGateway,
  Gateway: glossary.gateway,
  'Inclusive Gateway': glossary.inclusiveGateway,
  'Parallel Gateway': glossary.parallelGateway,
  Group: glossary.group,
  Lane: glossary.lane,
  'Manual Task': glossary.manualTask,
  'Message Flow': glossary.messageFlow,
  Participant: glossary.participant,
  Process: glossary.process,
  'Receive Task': glossary.receiveTask,
  'Script Task': glossary.scriptTask,
  'Send Task': glossary.sendTask,
  'Service Task': glossary.serviceTask,
  'User Task': glossary.userTask,
  'Collapsed Sub Process': `${glossary.subProcess} (thu gọn)`,
  'Expanded Sub Process': `${glossary.subProcess} (mở rộng)`,
  'Collapsed Ad Hoc Sub Process': `${glossary.adHocSubProcess} (thu gọn)`,
  'Expanded Ad Hoc Sub Process': `${glossary.adHocSubProcess} (mở rộng)`,
  'Text Annotation': glossary.textAnnotation,
  Association: glossary.association,
};

/**
 * The event names, composed so the terms never drift: position first, then the definition,
 * e.g. "Message boundary event (non-interrupting)" (replace menu) and "Message Boundary Event (Non
 * Interrupting)" (properties panel header) both become "Sự kiện biên thông điệp (không ngắt)".
 */
function composedEventName(template: string): string | undefined {
  const normalised = template
    .toLowerCase()
    .replace(/\s*\((non[ -]interrupting)\)$/, ' (non-interrupting)')
    .replace(/\s+/g, ' ')
    .trim();
  const match = /^(?:(.+?) )?(start event|end event|boundary event|intermediate catch event|intermediate throw event)( \(non-interrupting\))?$/.exec(normalised);
  if (!match) return undefined;
  const [, definitionText, position, nonInterrupting] = match;
  let definition = '';
  if (definitionText !== undefined) {
    const key = Object.keys(eventDefinitions).find((candidate) => candidate.toLowerCase() === definitionText);
    if (key === undefined) return undefined;
    definition = ` ${eventDefinitions[key]}`;
  }
  return `${eventPositions[position!]}${definition}${nonInterrupting ? ` (${glossary.nonInterrupting})` : ''}`;
}

/** The Vietnamese of one bpmn-js template, or undefined when the table has none. */
export function vietnameseFor(template: string): string | undefined {
  return vietnamese[template] ?? composedEventName(template);
}

/** diagram-js's own substitution: `{name}` placeholders from the replacements. */
function substitute(template: string, replacements: Record<string, string> | undefined): string {
  return template.replace(/{([^}]+)}/g, (placeholder, key: string) => replacements?.[key] ?? placeholder);
}

export type Translate = (template: string, replacements?: Record<string, string>) => string;

/** The designer's language as the modeler reads it: switched in place, so undo history and selection stay. */
export interface LanguageHolder {
  current: Language;
}

export function createTranslate(language: LanguageHolder): Translate {
  return (template, replacements) => substitute(language.current === 'vi' ? (vietnameseFor(template) ?? template) : template, replacements);
}

/**
 * The bpmn-js module replacing diagram-js's `translate`, plus `designerLanguage` for our own
 * properties (they carry both languages, like every message of the product). After a switch,
 * `refreshLanguage` tells the palette and the properties panel to draw themselves again.
 */
export function translateModule(language: LanguageHolder) {
  return {
    translate: ['value', createTranslate(language)],
    designerLanguage: ['value', language],
  };
}
