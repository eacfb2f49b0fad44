/**
 * What a BPMN file says, flattened for comparison: every property of every element that
 * bpmn-moddle reads (semantic elements, their extension elements and attributes, and the diagram
 * interchange: shapes, edges, bounds, waypoints), one entry per property, keyed by the nearest
 * element id and the property path below it (`#Task_1/loopCharacteristics/loopCardinality`); each
 * element with an id also records which container holds it (`#Task_1 $in` → `#Process_1/flowElements`),
 * so an element moved to another process or diagram plane shows, whatever the order of its siblings. Two files that say the same thing give the same
 * entries, however their XML is written (prefixes, order of attributes, defaults spelled out).
 *
 * Left out as notation, not content: namespace declarations (`xmlns`, `xmlns:*`) only bind
 * prefixes, and moddle resolves every name through them (an extension attribute keeps its prefix
 * in its key, so a changed binding still shows); `xsi:type` is what moddle reads into `$type`,
 * which is compared.
 */
import { BpmnModdle, type ModdleElement, type ParseWarning } from 'bpmn-moddle';
import { qtModdleDescriptor } from '../../engine/bpmn/qt-extension.ts';

interface PropertyDescriptor {
  name: string;
  ns: { name: string };
  isReference?: boolean;
  isMany?: boolean;
  isAttr?: boolean;
  isVirtual?: boolean;
}

interface DescribedElement extends ModdleElement {
  $descriptor: { properties: PropertyDescriptor[]; isGeneric?: boolean };
  $children?: DescribedElement[];
  $body?: string;
  get(name: string): unknown;
}

const isElement = (value: unknown): value is DescribedElement => typeof value === 'object' && value !== null && '$type' in value;

export interface BpmnSemantics {
  /** "key → value" for every property read; keys name the element by id where it has one. */
  entries: Map<string, string>;
  /** Each element id → the id of the nearest element with an id that contains it. */
  owners: Map<string, string>;
  warnings: ParseWarning[];
}

export async function bpmnSemantics(xml: string): Promise<BpmnSemantics> {
  const { rootElement, warnings } = await BpmnModdle({ qt: qtModdleDescriptor }).fromXML(xml);
  const entries = new Map<string, string>();
  const owners = new Map<string, string>();
  const visit = (element: DescribedElement, where: string, owner?: string) => {
    const hasId = typeof element.id === 'string' && element.id !== '';
    if (hasId && owner !== undefined) owners.set(element.id!, owner);
    const key = hasId ? `#${element.id}` : where;
    const childOwner = hasId ? element.id : owner;
    entries.set(`${key} $type`, element.$type);
    if (hasId && where !== '') entries.set(`${key} $in`, where.replace(/\[\d+\]$/, ''));
    for (const [name, value] of Object.entries(element.$attrs ?? {})) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:') && name !== 'xsi:type') entries.set(`${key} @${name}`, String(value));
    }
    if (element.$descriptor.isGeneric) {
      // An element of a namespace nobody registered: bpmn-moddle keeps its attributes, text and children as they were.
      if (element.$body !== undefined && element.$body.trim() !== '') entries.set(`${key} $body`, element.$body.trim());
      element.$children?.forEach((child, index) => visit(child, `${key}/$children[${index}]`, childOwner));
      return;
    }
    for (const property of element.$descriptor.properties) {
      if (property.isVirtual) continue;
      const value = element.get(property.name);
      const values = property.isMany ? (value as unknown[] | undefined) ?? [] : value === undefined ? [] : [value];
      values.forEach((item, index) => {
        const path = property.isMany ? `${key}/${property.name}[${index}]` : `${key}/${property.name}`;
        if (property.isReference) entries.set(path, isElement(item) ? `#${item.id ?? '?'}` : String(item));
        else if (isElement(item)) visit(item, path, childOwner);
        else entries.set(path, String(item));
      });
    }
  };
  visit(rootElement as DescribedElement, '');
  // A reference to an id the file does not define is no property for moddle, only a warning: kept here, so losing it shows.
  for (const warning of warnings) {
    if (warning.message.startsWith('unresolved reference') && warning.element?.id && warning.property) entries.set(`#${warning.element.id}/${warning.property} unresolved`, String(warning.value));
  }
  return { entries, owners, warnings };
}

export interface SemanticDifference {
  key: string;
  before: string | undefined;
  after: string | undefined;
}

/** Entries lost, added or changed from `before` to `after`. */
export function semanticDifferences(before: Map<string, string>, after: Map<string, string>): SemanticDifference[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).map((key) => ({ key, before: before.get(key), after: after.get(key) }));
}
