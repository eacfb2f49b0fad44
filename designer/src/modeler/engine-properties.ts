/**
 * The properties-panel entries for what the engine runs on (docs/bpmn-coverage.md): a flow's FEEL
 * condition and its gateway's default flow, a multi-instance activity's collection, a timer's
 * ISO 8601 expression, a message's correlation key, the documents of the dossier a step takes
 * (Circular 01/2023/TT-VPCP Art. 17.1.c), and the administrative procedures a restructured
 * process cuts (Art. 17.1.a). Every edit goes through bpmn-js's command stack, so it
 * undoes, redoes and saves with the model; each field is checked as typed with the engine's own
 * reading (engine-fields.ts), and a wrong value shows its error and is not written.
 */
import { CheckboxEntry, isCheckboxEntryEdited, isSelectEntryEdited, isTextFieldEntryEdited, ListGroup, SelectEntry, TextFieldEntry, type SelectOption } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useCallback } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import type { Language } from '../i18n.ts';
import { PROCEDURE_CUTS } from '../../../engine/bpmn/process-graph.ts';
import {
  cutProcedureNameProblem,
  documentNameProblem,
  extensionValuesOf,
  engineTexts,
  expressionBody,
  feelProblem,
  isConditionalFlow,
  messageDefinitionOf,
  timerDefinitionOf,
  timerExpressionOf,
  timerExpressionProblem,
  timerKinds,
  variableNameProblem,
  type Checked,
  type ModdleNode,
} from './engine-fields.ts';
import type { Bilingual } from './qt-fields.ts';
import type { LanguageHolder } from './translate-vi.ts';

/** A diagram element (shape or connection) as the entries read it. */
export interface PanelElement {
  id: string;
  businessObject: ModdleNode;
}

interface Modeling {
  updateModdleProperties(element: PanelElement, moddleElement: ModdleNode, properties: Record<string, unknown>): void;
  updateProperties(element: PanelElement, properties: Record<string, unknown>): void;
}

interface BpmnFactory {
  create(type: string, attributes?: Record<string, unknown>): ModdleNode;
}

type Texts = { label: Bilingual; description: Bilingual };

/** One entry as the panel's Group renders it: the component and the props it is called with. */
export interface PanelEntry {
  id: string;
  component: (props: never) => unknown;
  isEdited: (node: HTMLElement | null) => boolean;
  [prop: string]: unknown;
}

function useLanguage(): Language {
  return useService<LanguageHolder>('designerLanguage').current;
}

/** A checked text field writing one attribute of `owner` (empty removes it). */
function CheckedTextEntry(props: { id: string; element: PanelElement; owner: ModdleNode; property: string; texts: Texts; check?: (text: string | undefined) => Checked }) {
  const { id, element, owner, property, texts, check } = props;
  const language = useLanguage();
  const modeling = useService<Modeling>('modeling');
  const debounce = useService<(callback: unknown) => unknown>('debounceInput');
  // Stable between renders: the panel re-checks the stored value whenever `validate` changes.
  const validate = useCallback((value: string | undefined) => check?.(value)?.[language] ?? null, [check, language]);
  return h(TextFieldEntry, {
    id,
    element,
    label: texts.label[language],
    description: texts.description[language],
    debounce,
    validate,
    getValue: () => owner.get(property) as string | undefined,
    setValue: (value, error) => {
      if (error) return;
      const stored = value?.trim() || undefined;
      if (stored !== owner.get(property)) modeling.updateModdleProperties(element, owner, { [property]: stored });
    },
  });
}

/** A sequence flow's condition: the body of its bpmn:FormalExpression, FEEL as the engine reads it. */
function ConditionEntry({ id, element }: { id: string; element: PanelElement }) {
  const language = useLanguage();
  const modeling = useService<Modeling>('modeling');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const debounce = useService<(callback: unknown) => unknown>('debounceInput');
  const flow = element.businessObject;
  const validate = useCallback((value: string | undefined) => feelProblem(value)?.[language] ?? null, [language]);
  const gateway = flow.get('sourceRef') as ModdleNode | undefined;
  const isDefault = gateway?.get('default') === flow;
  const { description } = engineTexts.condition;
  return h(TextFieldEntry, {
    id,
    element,
    label: engineTexts.condition.label[language],
    description: isDefault ? `${engineTexts.defaultFlowHint[language]} ${description[language]}` : description[language],
    debounce,
    validate,
    getValue: () => expressionBody(flow.get('conditionExpression') as ModdleNode | undefined),
    setValue: (value, error) => {
      if (error) return;
      const body = value?.trim() ?? '';
      if (body === (expressionBody(flow.get('conditionExpression') as ModdleNode | undefined) ?? '')) return;
      const conditionExpression = body === '' ? undefined : bpmnFactory.create('bpmn:FormalExpression', { body });
      modeling.updateProperties(element, { conditionExpression });
    },
  });
}

/** The flow an exclusive or inclusive gateway takes when no condition holds (bpmn:default). */
function DefaultFlowEntry({ id, element }: { id: string; element: PanelElement }) {
  const language = useLanguage();
  const modeling = useService<Modeling>('modeling');
  const gateway = element.businessObject;
  const outgoing = (gateway.get('outgoing') as ModdleNode[] | undefined) ?? [];
  return h(SelectEntry, {
    id,
    element,
    label: engineTexts.defaultFlow.label[language],
    description: engineTexts.defaultFlow.description[language],
    getOptions: (): SelectOption[] => [{ value: '', label: engineTexts.none[language] }, ...outgoing.map((flow) => ({ value: flow.id ?? '', label: (flow.get('name') as string | undefined) || (flow.id ?? '') }))],
    getValue: () => (gateway.get('default') as ModdleNode | undefined)?.id ?? '',
    setValue: (value) => modeling.updateProperties(element, { default: outgoing.find((flow) => flow.id === value) }),
  });
}

/** Which expression the timer carries: switching moves the text typed so far to the new kind. */
function TimerKindEntry({ id, element, definition }: { id: string; element: PanelElement; definition: ModdleNode }) {
  const language = useLanguage();
  const modeling = useService<Modeling>('modeling');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  return h(SelectEntry, {
    id,
    element,
    label: engineTexts.timerKind.label[language],
    description: engineTexts.timerKind.description[language],
    getOptions: (): SelectOption[] => timerKinds.map((kind) => ({ value: kind.value, label: kind.label[language] })),
    getValue: () => timerExpressionOf(definition).kind,
    setValue: (value) => {
      const { kind, expression } = timerExpressionOf(definition);
      if (value === kind) return;
      // An empty expression holds the kind chosen until the value is typed (the engine reads it as no timer yet).
      modeling.updateModdleProperties(element, definition, { [kind]: undefined, [value]: expression ?? bpmnFactory.create('bpmn:FormalExpression', { body: '' }) });
    },
  });
}

function TimerValueEntry({ id, element, definition }: { id: string; element: PanelElement; definition: ModdleNode }) {
  const language = useLanguage();
  const modeling = useService<Modeling>('modeling');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const debounce = useService<(callback: unknown) => unknown>('debounceInput');
  const { kind } = timerExpressionOf(definition);
  const validate = useCallback((value: string | undefined) => timerExpressionProblem(kind, value)?.[language] ?? null, [kind, language]);
  return h(TextFieldEntry, {
    id,
    element,
    label: engineTexts.timerValue.label[language],
    description: engineTexts.timerValue.description[language],
    debounce,
    validate,
    getValue: () => expressionBody(timerExpressionOf(definition).expression),
    setValue: (value, error) => {
      if (error) return;
      const body = value?.trim() ?? '';
      const current = timerExpressionOf(definition);
      if (body === (expressionBody(current.expression) ?? '')) return;
      modeling.updateModdleProperties(element, definition, { [current.kind]: bpmnFactory.create('bpmn:FormalExpression', { body }) });
    },
  });
}

function DocumentPaperEntry({ id, element, document }: { id: string; element: PanelElement; document: ModdleNode }) {
  const language = useLanguage();
  const modeling = useService<Modeling>('modeling');
  const { paper } = engineTexts.documents;
  return h(CheckboxEntry, {
    id,
    element,
    label: paper.label[language],
    description: paper.description[language],
    getValue: () => document.get('paper') === true,
    setValue: (value: boolean) => modeling.updateModdleProperties(element, document, { paper: value }),
  });
}

/** The entries this module adds to the qt group for an element (none when nothing applies). */
export function engineEntriesOf(element: PanelElement): PanelEntry[] {
  const bo = element.businessObject;
  const entries: PanelEntry[] = [];
  if (isConditionalFlow(bo)) entries.push({ id: 'qt-condition', element, component: ConditionEntry, isEdited: isTextFieldEntryEdited });
  const choosing = bo.$instanceOf('bpmn:ExclusiveGateway') || bo.$instanceOf('bpmn:InclusiveGateway');
  if (choosing && ((bo.get('outgoing') as unknown[] | undefined)?.length ?? 0) > 1) {
    entries.push({ id: 'qt-default-flow', element, component: DefaultFlowEntry, isEdited: isSelectEntryEdited });
  }
  const loop = bo.$instanceOf('bpmn:Activity') ? (bo.get('loopCharacteristics') as ModdleNode | undefined) : undefined;
  if (loop?.$instanceOf('bpmn:MultiInstanceLoopCharacteristics')) {
    entries.push(
      { id: 'qt-collection', element, owner: loop, property: 'qt:collection', texts: engineTexts.collection, check: feelProblem, component: CheckedTextEntry, isEdited: isTextFieldEntryEdited },
      { id: 'qt-elementVariable', element, owner: loop, property: 'qt:elementVariable', texts: engineTexts.elementVariable, check: variableNameProblem, component: CheckedTextEntry, isEdited: isTextFieldEntryEdited },
    );
  }
  const timer = timerDefinitionOf(bo);
  if (timer) {
    entries.push(
      { id: 'qt-timer-kind', element, definition: timer, component: TimerKindEntry, isEdited: isSelectEntryEdited },
      { id: 'qt-timer-value', element, definition: timer, component: TimerValueEntry, isEdited: isTextFieldEntryEdited },
    );
  }
  const message = messageDefinitionOf(bo);
  if (message) {
    entries.push({ id: 'qt-correlationKey', element, owner: message, property: 'qt:correlationKey', texts: engineTexts.correlationKey, component: CheckedTextEntry, isEdited: isTextFieldEntryEdited });
  }
  return entries;
}

/** The timer group of the BPMN provider edits the same expressions unchecked: ours replaces it. */
export const replacedGroups = ['timer'];

interface Translate {
  (template: string, replacements?: Record<string, unknown>): string;
}

export type Services = { modeling: Modeling; bpmnFactory: BpmnFactory; translate: Translate };

/**
 * A list group over the `type` children of `owner`'s extensionElements: each child an item with its
 * entries and a remove button, and a button adding one (created with its extensionElements when
 * there are none). Every change goes through the command stack on `element`, the diagram element shown.
 */
function extensionListGroup(
  element: PanelElement,
  owner: ModdleNode,
  list: { id: string; label: string; type: string; created: Record<string, unknown>; item: (value: ModdleNode, id: string) => { label: string; entries: PanelEntry[] } },
  { modeling, bpmnFactory, translate }: Services,
) {
  const items = extensionValuesOf(owner, list.type).map((value, index) => {
    const id = `${element.id}-${list.id}-${index}`;
    const { label, entries } = list.item(value, id);
    return {
      id,
      label,
      autoFocusEntry: entries[0]?.id,
      entries,
      remove: (event: Event) => {
        event.stopPropagation();
        const extension = owner.get('extensionElements') as ModdleNode;
        modeling.updateModdleProperties(element, extension, { values: (extension.get('values') as ModdleNode[]).filter((each) => each !== value) });
      },
    };
  });
  const add = (event: Event) => {
    event.stopPropagation();
    const value = bpmnFactory.create(list.type, list.created);
    const extension = owner.get('extensionElements') as ModdleNode | undefined;
    if (extension) {
      Object.assign(value, { $parent: extension });
      modeling.updateModdleProperties(element, extension, { values: [...((extension.get('values') as ModdleNode[] | undefined) ?? []), value] });
    } else {
      const created = bpmnFactory.create('bpmn:ExtensionElements', { values: [value] });
      Object.assign(created, { $parent: owner });
      Object.assign(value, { $parent: created });
      modeling.updateModdleProperties(element, owner, { extensionElements: created });
    }
  };
  return { id: list.id, label: list.label, component: ListGroup, items, add, translate };
}

/** The list of the dossier's documents of a flow node (not a gateway): add, rename, toggle paper, remove. */
export function documentsGroup(element: PanelElement, language: Language, services: Services) {
  const node = element.businessObject;
  if (!node.$instanceOf('bpmn:FlowNode') || node.$instanceOf('bpmn:Gateway')) return undefined;
  const texts = engineTexts.documents;
  return extensionListGroup(element, node, {
    id: 'qt-documents',
    label: texts.label[language],
    type: 'qt:Document',
    created: { name: texts.newName[language], paper: true },
    item: (document, id) => ({
      label: (document.get('name') as string | undefined) || texts.unnamed[language],
      entries: [
        { id: `${id}-name`, element, owner: document, property: 'name', texts: texts.name, check: documentNameProblem, component: CheckedTextEntry, isEdited: isTextFieldEntryEdited },
        { id: `${id}-paper`, element, document, component: DocumentPaperEntry, isEdited: isCheckboxEntryEdited },
      ],
    }),
  }, services);
}

/** How a procedure is cut: one of the engine's PROCEDURE_CUTS. */
function CutHowEntry({ id, element, cut }: { id: string; element: PanelElement; cut: ModdleNode }) {
  const language = useLanguage();
  const modeling = useService<Modeling>('modeling');
  const { how, hows } = engineTexts.cutProcedures;
  return h(SelectEntry, {
    id,
    element,
    label: how.label[language],
    description: how.description[language],
    getOptions: (): SelectOption[] => PROCEDURE_CUTS.map((value) => ({ value, label: hows[value][language] })),
    getValue: () => (cut.get('how') as string | undefined) ?? '',
    setValue: (value) => modeling.updateModdleProperties(element, cut, { how: value }),
  });
}

/**
 * The administrative procedures the restructuring cuts (Circular 01 Art. 17.1.a), on the process
 * (selected, or shown through its pool): `<qt:cutProcedure code name how>`, which the engine reads
 * into the report's aim (a) (engine/cost/restructuring.ts).
 */
export function cutProceduresGroup(element: PanelElement, process: ModdleNode, language: Language, services: Services) {
  const texts = engineTexts.cutProcedures;
  return extensionListGroup(element, process, {
    id: 'qt-cut-procedures',
    label: texts.label[language],
    type: 'qt:CutProcedure',
    created: { name: texts.newName[language], how: PROCEDURE_CUTS[0] },
    item: (cut, id) => ({
      label: (cut.get('name') as string | undefined) || texts.unnamed[language],
      entries: [
        { id: `${id}-name`, element, owner: cut, property: 'name', texts: texts.name, check: cutProcedureNameProblem, component: CheckedTextEntry, isEdited: isTextFieldEntryEdited },
        { id: `${id}-code`, element, owner: cut, property: 'code', texts: texts.code, component: CheckedTextEntry, isEdited: isTextFieldEntryEdited },
        { id: `${id}-how`, element, cut, component: CutHowEntry, isEdited: isSelectEntryEdited },
      ],
    }),
  }, services);
}
