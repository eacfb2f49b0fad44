/**
 * Vietnamese for bpmn-js-token-simulation. Unlike bpmn-js, it does not pass its words through
 * `translate`: its palette, the play and choice buttons on the diagram, its log and its
 * notifications are English written straight into the page. So this module watches the part of
 * the canvas the simulation writes (elements with a `bts-` class) and puts each of its texts and
 * titles into the designer's language, keeping the English to switch back. The words follow
 * docs/designer-glossary.md; element types come from the bpmn-js table (translate-vi.ts).
 */
import type EventBus from 'diagram-js/lib/core/EventBus';
import type Canvas from 'diagram-js/lib/core/Canvas';
import { vietnameseFor, type LanguageHolder } from './translate-vi.ts';

/** Every fixed text of bpmn-js-token-simulation 0.39 (test/designer/designer-cost.test.ts finds them in its sources). */
const simulationWords: Record<string, string> = {
  'Token Simulation': 'Mô phỏng token',
  'Simulation Log': 'Nhật ký mô phỏng',
  'No Entries': 'Chưa có mục nào',
  Close: 'Đóng',
  'Toggle Simulation Log': 'Bật/tắt nhật ký mô phỏng',
  'Play/Pause Simulation': 'Chạy/tạm dừng mô phỏng',
  'Play Simulation': 'Chạy mô phỏng',
  'Pause Simulation': 'Tạm dừng mô phỏng',
  'Reset Simulation': 'Đặt lại mô phỏng',
  'Trigger Event': 'Kích hoạt sự kiện',
  'Set Sequence Flow': 'Chọn luồng đi tiếp',
  'Add pause point': 'Thêm điểm dừng',
  'Remove pause point': 'Bỏ điểm dừng',
  Finished: 'Đã kết thúc',
  'Found unsupported elements': 'Có phần tử mô phỏng chưa hỗ trợ',
  'Not supported': 'Chưa hỗ trợ',
  'Intermediate Event': 'Sự kiện trung gian',
  SubProcess: 'Quy trình con',
  Slow: 'chậm',
  Normal: 'bình thường',
  Fast: 'nhanh',
};

const scopeStates: Record<string, string> = { started: 'bắt đầu', finished: 'kết thúc', canceled: 'bị hủy' };

/** The simulation's texts built around a name or a value. */
const simulationPatterns: Array<[RegExp, (part: string, extra: string) => string | undefined]> = [
  // The log: "Process started", "<sub-process name> finished".
  [/^(.+) (started|finished|canceled)$/, (scope, state) => `${vietnameseForSimulation(scope) ?? scope} ${scopeStates[state]}`],
  [/^Set animation speed = (.+)$/, (speed) => `Tốc độ mô phỏng: ${simulationWords[speed] ?? speed}`],
  [/^Focus process instance (.+)$/, (scope) => `Chỉ xem phiên chạy ${scope}`],
];

/** The Vietnamese of one text of the simulation, or undefined when it is not one of its words (a user's name). */
export function vietnameseForSimulation(text: string): string | undefined {
  const fixed = simulationWords[text] ?? vietnameseFor(text);
  if (fixed !== undefined) return fixed;
  for (const [pattern, render] of simulationPatterns) {
    const match = pattern.exec(text);
    if (match) return render(match[1]!, match[2] ?? '');
  }
  return undefined;
}

const ATTRIBUTES = ['title', 'aria-label'];
const inSimulation = (node: Node | null): boolean => {
  const element = node instanceof Element ? node : node?.parentElement;
  return !!element?.closest('[class*="bts-"]');
};

function SimulationVietnamese(eventBus: EventBus, canvas: Canvas, designerLanguage: LanguageHolder) {
  const englishText = new WeakMap<Text, string>();
  const englishAttributes = new WeakMap<Element, Record<string, { english: string; written: string }>>();
  const say = (english: string) => (designerLanguage.current === 'vi' ? (vietnameseForSimulation(english.trim()) ?? english.trim()) : english.trim());

  const localiseText = (node: Text) => {
    const english = englishText.get(node) ?? node.data;
    if (!english.trim()) return;
    englishText.set(node, english);
    const said = english.replace(english.trim(), say(english));
    if (node.data !== said) node.data = said;
  };
  const localiseAttributes = (element: Element) => {
    const known = englishAttributes.get(element) ?? {};
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      // A value other than the one last written here is the simulation's own, English, text.
      const attribute = known[name] && value === known[name].written ? known[name] : { english: value, written: value };
      attribute.written = say(attribute.english);
      known[name] = attribute;
      if (value !== attribute.written) element.setAttribute(name, attribute.written);
    }
    englishAttributes.set(element, known);
  };
  const localise = (root: Node) => {
    if (!inSimulation(root) && !(root instanceof Element && root.querySelector('[class*="bts-"]'))) return;
    if (root instanceof Text) return localiseText(root);
    if (!(root instanceof Element)) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node: Node | null = root; node; node = walker.nextNode()) {
      if (!inSimulation(node)) continue;
      if (node instanceof Text) localiseText(node);
      else if (node instanceof Element && !(node instanceof SVGElement)) localiseAttributes(node);
    }
  };

  eventBus.on('diagram.init', () => {
    const container = canvas.getContainer();
    localise(container);
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') localise(record.target);
        else record.addedNodes.forEach(localise);
      }
    }).observe(container, { subtree: true, childList: true, attributes: true, attributeFilter: ATTRIBUTES });
  });
  // The language switched (create-modeler.ts refreshModelerLanguage): every text again, from its English.
  eventBus.on('i18n.changed', () => localise(canvas.getContainer()));
}
SimulationVietnamese.$inject = ['eventBus', 'canvas', 'designerLanguage'];

export const simulationVietnameseModule = { __init__: ['simulationVietnamese'], simulationVietnamese: ['type', SimulationVietnamese] };
