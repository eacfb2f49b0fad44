import type { Bilingual } from '../errors.ts';

/**
 * The element kinds bpmnlint names in its messages (`Process`, `Sub process`, `<bpmn:ComplexGateway>`),
 * in the designer's glossary (docs/designer-glossary.md), so that no English type name shows in
 * Vietnamese. A kind not listed stays as bpmnlint wrote it.
 */
const KINDS: Record<string, string> = {
  process: 'Quy trình',
  'sub process': 'Quy trình con',
  'bpmn:complexgateway': 'cổng phức hợp',
  'bpmn:inclusivegateway': 'cổng bao hàm',
};
const kind = (type: string) => KINDS[type.trim().toLowerCase()] ?? type;

/**
 * Vietnamese for bpmnlint's messages (none exists upstream). Matched on the English text, which
 * bpmnlint builds from fixed phrases and a few names.
 */
const TRANSLATIONS: Array<[RegExp, (...parts: string[]) => string]> = [
  [/^Element is missing bpmndi$/, () => 'Phần tử chưa có hình trên sơ đồ'],
  [/^Element is outside of parent boundary$/, () => 'Phần tử nằm ngoài khung của phần tử chứa nó'],
  [/^Element overlaps with other element$/, () => 'Phần tử chồng lên phần tử khác'],
  [/^Duplicate link catch event with link name <(.*)> in scope$/, (name) => `Trùng sự kiện liên kết nhận có tên <${name}> trong cùng phạm vi`],
  [/^Link (catch|throw) event with link name <(.*)> missing in scope$/, (kind, name) => `Thiếu sự kiện liên kết ${kind === 'catch' ? 'nhận' : 'gửi'} có tên <${name}> trong phạm vi`],
  [/^A <Sequence Flow> outgoing from an <Event-based Gateway> must not be conditional$/, () => 'Luồng ra khỏi cổng sự kiện không được có điều kiện'],
  [/^Sequence flow is missing condition$/, () => 'Luồng tuần tự thiếu điều kiện'],
  [/^A <Start Event> is not allowed in <Ad Hoc Sub Process>$/, () => 'Không được đặt sự kiện bắt đầu trong tiến trình con tùy biến (ad hoc)'],
  [/^An <End Event> is not allowed in <Ad Hoc Sub Process>$/, () => 'Không được đặt sự kiện kết thúc trong tiến trình con tùy biến (ad hoc)'],
  [/^Start event is missing event definition$/, () => 'Sự kiện bắt đầu thiếu định nghĩa sự kiện'],
  [/^Start event must be blank$/, () => 'Sự kiện bắt đầu phải là sự kiện trống'],
  [/^Link event is missing link name$/, () => 'Sự kiện liên kết thiếu tên liên kết'],
  [/^An <Event-based Gateway> must have at least 2 outgoing <Sequence Flows>$/, () => 'Cổng sự kiện phải có ít nhất 2 luồng ra'],
  [/^Conditional event is missing a condition$/, () => 'Sự kiện điều kiện thiếu điều kiện'],
  [/^Element is an implicit end$/, () => 'Phần tử kết thúc ngầm: hãy nối tới một sự kiện kết thúc'],
  [/^Element is an implicit start$/, () => 'Phần tử bắt đầu ngầm: hãy bắt đầu từ một sự kiện bắt đầu'],
  [/^Element is missing label\/name$/, () => 'Phần tử chưa có tên'],
  [/^Element is not connected$/, () => 'Phần tử chưa được nối với bước nào'],
  [/^Element type <(.*)> is discouraged$/, (type) => `Không nên dùng loại phần tử ${kind(type)}`],
  [/^Event has multiple event definitions$/, () => 'Sự kiện có nhiều định nghĩa sự kiện'],
  [/^Flow splits implicitly$/, () => 'Luồng tách ngầm: hãy dùng một cổng (gateway) để tách'],
  [/^Gateway forks and joins$/, () => 'Cổng vừa tách vừa gộp: hãy dùng hai cổng riêng'],
  [/^Gateway is superfluous\. It only has one source and target\.$/, () => 'Cổng thừa: chỉ có một luồng vào và một luồng ra'],
  [/^Incoming flows do not join$/, () => 'Các luồng vào không được gộp: hãy dùng cổng gộp'],
  [/^Sequence flow has superfluous label$/, () => 'Luồng tuần tự có nhãn thừa'],
  [/^SequenceFlow is a duplicate$/, () => 'Luồng tuần tự bị trùng'],
  [/^Termination is superfluous\.$/, () => 'Sự kiện kết thúc toàn bộ (terminate) là thừa'],
  [/^(.*) has multiple blank start events$/, (type) => `${kind(type)} có nhiều sự kiện bắt đầu trống`],
  [/^(.*) is missing end event$/, (type) => `${kind(type)} chưa có sự kiện kết thúc: hãy nối bước cuối tới một sự kiện kết thúc`],
  [/^(.*) is missing start event$/, (type) => `${kind(type)} chưa có sự kiện bắt đầu`],
  [/^Element is missing name$/, () => 'Phần tử chưa có tên'],
  [/^Element is unused$/, () => 'Phần tử không được dùng'],
  [/^Element name is not unique$/, () => 'Tên phần tử bị trùng'],
  [/^Duplicate outgoing sequence flows$/, () => 'Trùng luồng ra'],
  [/^Duplicate incoming sequence flows$/, () => 'Trùng luồng vào'],
];

export function translateBpmnlintMessage(en: string): Bilingual {
  for (const [pattern, vi] of TRANSLATIONS) {
    const match = pattern.exec(en);
    if (match) return { vi: vi(...match.slice(1)), en };
  }
  return { vi: en, en };
}
