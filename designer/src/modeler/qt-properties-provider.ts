/**
 * The properties-panel group "Chi phí & thực thi (qt)": the qt attributes of the selected element
 * (docs/cost-model.md), edited through bpmn-js's command stack so they undo, redo and save with the
 * model. The panel renders with its own preact (bundled in @bpmn-io/properties-panel), apart from
 * React; these components use that preact's hooks.
 */
import { isSelectEntryEdited, isTextFieldEntryEdited, SelectEntry, TextFieldEntry, type SelectOption } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useCallback, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import type { LanguageHolder } from './translate-vi.ts';
import { cutProceduresGroup, documentsGroup, engineEntriesOf, replacedGroups } from './engine-properties.ts';
import { timerDefinitionOf } from './engine-fields.ts';
import {
  applicantLaneField,
  dossierStepField,
  eventProbabilityField,
  expectedCountField,
  flowProbabilityField,
  formatQtNumber,
  formField,
  notSet,
  parseQtNumber,
  processFields,
  qtGroupLabel,
  stepFields,
  timerWorkingHoursField,
  yesNo,
  type QtField,
} from './qt-fields.ts';

/** The parts of a bpmn-moddle element the provider reads. */
export interface ModdleElement {
  $type: string;
  id?: string;
  get(name: string): unknown;
  $instanceOf(type: string): boolean;
}

/** The parts of a diagram element (shape, connection or root) the provider reads. */
export interface DiagramElement {
  id: string;
  type: string;
  businessObject: ModdleElement;
  source?: DiagramElement;
}

interface Modeling {
  updateModdleProperties(element: DiagramElement, moddleElement: ModdleElement, properties: Record<string, unknown>): void;
}

/** One entry of the group: a field, and the moddle element that carries it (the process, the flow node, its loop). */
interface QtEntry {
  id: string;
  element: DiagramElement;
  owner: ModdleElement;
  field: QtField;
  component: (props: QtEntryProps) => unknown;
  isEdited: (node: HTMLElement | null) => boolean;
}

type QtEntryProps = Pick<QtEntry, 'id' | 'element' | 'owner' | 'field'>;

const BRANCHING_GATEWAYS = ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:EventBasedGateway'];

/**
 * The process an element stands for: itself, a pool's process, or, with nothing selected in a
 * one-pool model, that pool's (the procedure's own figures, as for a bare process).
 */
export function processShownBy(element: DiagramElement): ModdleElement | undefined {
  const bo = element.businessObject;
  if (bo.$instanceOf('bpmn:Process')) return bo;
  if (bo.$instanceOf('bpmn:Participant')) return bo.get('processRef') as ModdleElement | undefined;
  if (!bo.$instanceOf('bpmn:Collaboration')) return undefined;
  const processes = (bo.get('participants') as ModdleElement[]).flatMap((participant) => (participant.get('processRef') as ModdleElement | undefined) ?? []);
  return processes.length === 1 ? processes[0] : undefined;
}

/** The qt attributes that apply to an element, each with the moddle element it is written on. */
export function qtFieldsOf(element: DiagramElement): Array<{ owner: ModdleElement; field: QtField }> {
  const bo = element.businessObject;
  const on = (owner: ModdleElement, fields: readonly QtField[]) => fields.map((field) => ({ owner, field }));
  const process = processShownBy(element);
  if (process) return on(process, processFields);
  if (bo.$instanceOf('bpmn:Process') || bo.$instanceOf('bpmn:Participant') || bo.$instanceOf('bpmn:Collaboration')) return [];
  if (bo.$instanceOf('bpmn:SequenceFlow')) {
    const source = bo.get('sourceRef') as ModdleElement | undefined;
    return source && BRANCHING_GATEWAYS.some((type) => source.$instanceOf(type)) ? on(bo, [flowProbabilityField]) : [];
  }
  if (bo.$instanceOf('bpmn:Lane')) return on(bo, [applicantLaneField]);
  if (!bo.$instanceOf('bpmn:FlowNode') || bo.$instanceOf('bpmn:Gateway')) return [];

  const fields = on(bo, stepFields);
  // docs/dossiers.md: a form is filled at a start event or a user task; the receipt check is a user task.
  if (bo.$instanceOf('bpmn:StartEvent') || bo.$instanceOf('bpmn:UserTask')) fields.push({ owner: bo, field: formField });
  if (bo.$instanceOf('bpmn:UserTask')) fields.push({ owner: bo, field: dossierStepField });
  // docs/cost-model.md: a boundary event or an event sub-process start happens with qt:probability.
  const parent = bo.get('$parent') as ModdleElement | undefined;
  const inEventSubProcess = bo.$instanceOf('bpmn:StartEvent') && parent?.$instanceOf('bpmn:SubProcess') === true && parent.get('triggeredByEvent') === true;
  if (bo.$instanceOf('bpmn:BoundaryEvent') || inEventSubProcess) fields.unshift({ owner: bo, field: eventProbabilityField });
  const loop = bo.get('loopCharacteristics') as ModdleElement | undefined;
  if (loop?.$instanceOf('bpmn:MultiInstanceLoopCharacteristics')) fields.push({ owner: loop, field: expectedCountField });
  const timer = timerDefinitionOf(bo);
  if (timer) fields.unshift({ owner: timer, field: timerWorkingHoursField });
  return fields;
}

/** What every entry of the group reads: the language shown, the command stack's modeling, the field's texts in that language. */
function useEntryBasics(field: QtField) {
  const language = useService<LanguageHolder>('designerLanguage').current;
  const modeling = useService<Modeling>('modeling');
  return { language, modeling, texts: { label: field.label[language], description: field.description[language] } };
}

/**
 * A number field (amounts, probabilities), read and shown in the designer's language
 * (localised-number.ts): checked as the user types; a wrong value shows its error and is not
 * written. While an entry is wrong the field shows that entry, not the stored value: the panel
 * only re-checks what differs from the value it shows, so a valid entry equal to the stored
 * value must still differ from the shown one for its error to go.
 */
function QtNumberEntry({ id, element, owner, field }: QtEntryProps) {
  const { language, modeling, texts } = useEntryBasics(field);
  const debounce = useService<(callback: unknown) => unknown>('debounceInput');
  const kind = field.kind === 'probability' ? 'probability' : 'amount';
  const [wrongEntry, setWrongEntry] = useState<{ owner: unknown; text: string } | undefined>(undefined);
  // Stable between renders: the panel re-checks the shown value whenever `validate` changes.
  const validate = useCallback((value: string | undefined) => {
    const parsed = parseQtNumber(value, kind, language);
    return parsed.ok ? null : parsed.error[language];
  }, [kind, language]);
  return h(TextFieldEntry, {
    id,
    element,
    ...texts,
    debounce,
    validate,
    getValue: () => (wrongEntry?.owner === owner ? wrongEntry.text : formatQtNumber(owner.get(`qt:${field.name}`), language)),
    setValue: (value, error) => {
      const parsed = parseQtNumber(value, kind, language);
      if (error || !parsed.ok) {
        setWrongEntry({ owner, text: value ?? '' });
        return;
      }
      setWrongEntry(undefined);
      if (parsed.value === owner.get(`qt:${field.name}`)) return;
      modeling.updateModdleProperties(element, owner, { [`qt:${field.name}`]: parsed.value });
    },
  });
}

function QtTextEntry({ id, element, owner, field }: QtEntryProps) {
  const { modeling, texts } = useEntryBasics(field);
  const debounce = useService<(callback: unknown) => unknown>('debounceInput');
  return h(TextFieldEntry, {
    id,
    element,
    ...texts,
    debounce,
    getValue: () => owner.get(`qt:${field.name}`) as string | undefined,
    setValue: (value) => modeling.updateModdleProperties(element, owner, { [`qt:${field.name}`]: value?.trim() || undefined }),
  });
}

/** Yes/no and enumerations: a select whose first option leaves the attribute out (its default applies). */
function QtSelectEntry({ id, element, owner, field }: QtEntryProps) {
  const { language, modeling, texts } = useEntryBasics(field);
  const choices = field.kind === 'flag' ? yesNo : (field.choices ?? []);
  return h(SelectEntry, {
    id,
    element,
    ...texts,
    getOptions: (): SelectOption[] => [{ value: '', label: notSet[language] }, ...choices.map((choice) => ({ value: choice.value, label: choice.label[language] }))],
    getValue: () => {
      const value = owner.get(`qt:${field.name}`);
      return typeof value === 'boolean' ? String(value) : typeof value === 'string' ? value : '';
    },
    setValue: (value) => {
      const stored = value === '' ? undefined : field.kind === 'flag' ? value === 'true' : value;
      modeling.updateModdleProperties(element, owner, { [`qt:${field.name}`]: stored });
    },
  });
}

function entryFor(element: DiagramElement, owner: ModdleElement, field: QtField): QtEntry {
  const id = `qt-${field.name}`;
  if (field.kind === 'amount' || field.kind === 'probability') return { id, element, owner, field, component: QtNumberEntry, isEdited: isTextFieldEntryEdited };
  if (field.kind === 'text') return { id, element, owner, field, component: QtTextEntry, isEdited: isTextFieldEntryEdited };
  return { id, element, owner, field, component: QtSelectEntry, isEdited: isSelectEntryEdited };
}

interface Group {
  id: string;
  label: string;
  entries?: unknown[];
}

interface PropertiesPanel {
  registerProvider(priority: number, provider: { getGroups(element: DiagramElement): (groups: Group[]) => Group[] }): void;
}

/** Below the BPMN provider (1000), so the BPMN groups are there to place ours after "General". */
const PRIORITY = 500;

export class QtPropertiesProvider {
  static $inject = ['propertiesPanel', 'designerLanguage', 'injector'];

  constructor(
    propertiesPanel: PropertiesPanel,
    private readonly language: LanguageHolder,
    private readonly injector: { get<T>(name: string): T },
  ) {
    propertiesPanel.registerProvider(PRIORITY, this);
  }

  getGroups(element: DiagramElement): (groups: Group[]) => Group[] {
    return (groups) => {
      const language = this.language.current;
      const entries: unknown[] = [...engineEntriesOf(element), ...qtFieldsOf(element).map(({ owner, field }) => entryFor(element, owner, field))];
      const services: Parameters<typeof documentsGroup>[2] = { modeling: this.injector.get('modeling'), bpmnFactory: this.injector.get('bpmnFactory'), translate: this.injector.get('translate') };
      const documents = documentsGroup(element, language, services);
      const process = processShownBy(element);
      const cuts = process ? cutProceduresGroup(element, process, language, services) : undefined;
      const kept = groups.filter((group) => !replacedGroups.includes(group.id));
      const ours: Group[] = [...(entries.length > 0 ? [{ id: 'qt', label: qtGroupLabel[language], entries }] : []), ...(documents ? [documents] : []), ...(cuts ? [cuts] : [])];
      const general = kept.findIndex((group) => group.id === 'general');
      kept.splice(general + 1, 0, ...ours);
      return kept;
    };
  }
}

export const qtPropertiesProviderModule = {
  __init__: ['qtPropertiesProvider'],
  qtPropertiesProvider: ['type', QtPropertiesProvider],
};
