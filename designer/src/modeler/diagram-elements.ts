/**
 * Finding and selecting the diagram element a server message names: a flow node, a flow, or a
 * process (which the diagram shows as its participant). The cost problems, the checks and the
 * deployment's refusals all lead the user to the element to fix this way.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Selection from 'diagram-js/lib/features/selection/Selection';
import type { ElementLike } from 'diagram-js/lib/model/Types';
import type { Language } from '../i18n.ts';
import { glossary } from './translate-vi.ts';

/** What is read of a diagram element's business object (a bpmn-moddle element). */
interface BusinessObject {
  $type?: string;
  name?: string;
  processRef?: { id?: string };
}

/** A diagram-js element as bpmn-js makes it. */
export type DiagramElement = ElementLike;

/** The element with this id, or the participant of the process with this id. */
export function findDiagramElement(registry: ElementRegistry, elementId: string): DiagramElement | undefined {
  return registry.get(elementId) ?? registry.filter((candidate) => (candidate.businessObject as BusinessObject | undefined)?.processRef?.id === elementId)[0];
}

/**
 * What a user calls the element: its name, else what it is ("Sự kiện bắt đầu (chưa đặt tên)"),
 * in the words of the designer's glossary (docs/designer-glossary.md); an id means nothing to
 * the person drawing. An element the diagram does not show keeps its id.
 */
export function elementLabel(modeler: Modeler, elementId: string, language: Language = 'vi'): string {
  const businessObject = findDiagramElement(modeler.get<ElementRegistry>('elementRegistry'), elementId)?.businessObject as BusinessObject | undefined;
  const name = businessObject?.name?.trim();
  if (name) return name;
  const type = businessObject?.$type?.replace(/^bpmn:/, '');
  if (!type) return elementId;
  const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}`;
  const kind = language === 'vi' ? ((glossary as Record<string, string>)[key] ?? type) : type.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase().replace(/^./, (first) => first.toUpperCase());
  return language === 'vi' ? `${kind} (chưa đặt tên)` : `${kind} (unnamed)`;
}

/** Selects the element and scrolls it into view (a process through its participant; the root itself by selecting nothing). */
export function selectDiagramElement(modeler: Modeler, elementId: string): void {
  const canvas = modeler.get<Canvas>('canvas');
  const selection = modeler.get<Selection>('selection');
  const element = findDiagramElement(modeler.get<ElementRegistry>('elementRegistry'), elementId);
  if (!element) return;
  if (element === canvas.getRootElement()) {
    selection.select([]); // the properties panel then shows the process itself
    return;
  }
  const root = canvas.findRoot(element);
  if (root && root !== canvas.getRootElement()) canvas.setRootElement(root);
  canvas.scrollToElement(element);
  selection.select([element]);
}
