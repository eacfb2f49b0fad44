/**
 * The steps of a model that carry a form (docs/dossiers.md): start events (the application form,
 * tờ khai) and user tasks (the officials' decision forms, or the applicant's own steps), each with
 * its `qt:form` symbol and the procedure code of its process, which together make the form code
 * `<procedure code>.<symbol>` (Circular 01/2023/TT-VPCP Art. 22.3.b).
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { formSymbolSchema, makeFormCode, procedureCodeSchema } from '../../../engine/codes/form-code.ts';

interface BusinessObject {
  id: string;
  name?: string;
  $parent?: BusinessObject;
  get(name: string): unknown;
  $instanceOf(type: string): boolean;
}

export interface FormElement {
  id: string;
  type: string;
  businessObject: BusinessObject;
}

interface ElementRegistry {
  get(id: string): FormElement | undefined;
  filter(match: (element: FormElement) => boolean): FormElement[];
}

export interface FormStep {
  elementId: string;
  /** The element's name, else its id. */
  label: string;
  kind: 'start' | 'userTask';
  /** `qt:form`, or undefined when the step has none yet. */
  symbol: string | undefined;
  /** `qt:procedureCode` of the step's process, when set and well formed. */
  procedureCode: string | undefined;
}

export const carriesForm = (element: FormElement): boolean =>
  element.businessObject.$instanceOf('bpmn:StartEvent') || element.businessObject.$instanceOf('bpmn:UserTask');

/** The process a step belongs to, through sub-processes and lanes (a lane is not a flow node's parent). */
function processOf(bo: BusinessObject): BusinessObject | undefined {
  let parent = bo.$parent;
  while (parent && !parent.$instanceOf('bpmn:Process')) parent = parent.$parent;
  return parent;
}

function stepOf(element: FormElement): FormStep {
  const bo = element.businessObject;
  const symbol = bo.get('qt:form');
  const procedureCode = processOf(bo)?.get('qt:procedureCode');
  return {
    elementId: element.id,
    label: bo.name?.trim() || element.id,
    kind: bo.$instanceOf('bpmn:StartEvent') ? 'start' : 'userTask',
    symbol: typeof symbol === 'string' && symbol !== '' ? symbol : undefined,
    procedureCode: typeof procedureCode === 'string' && procedureCodeSchema.safeParse(procedureCode).success ? procedureCode : undefined,
  };
}

/** Every step of the open model that may carry a form, start events first. */
export function formSteps(modeler: Modeler): FormStep[] {
  const steps = modeler.get<ElementRegistry>('elementRegistry').filter((element) => element.type !== 'label' && carriesForm(element)).map(stepOf);
  return [...steps.filter((step) => step.kind === 'start'), ...steps.filter((step) => step.kind === 'userTask')];
}

/** The selected element when it is one step that may carry a form. */
export function selectedFormStep(modeler: Modeler): string | undefined {
  const selected = modeler.get<{ get(): FormElement[] }>('selection').get();
  return selected.length === 1 && carriesForm(selected[0]!) ? selected[0]!.id : undefined;
}

/** The form code of a step, when its procedure code and symbol are both there and well formed. */
export function formCodeOf(step: FormStep): string | undefined {
  if (!step.procedureCode || !step.symbol || !formSymbolSchema.safeParse(step.symbol).success) return undefined;
  return makeFormCode({ procedureCode: step.procedureCode, symbol: step.symbol });
}

/** Writes `qt:form` on the step through the command stack, so it undoes and saves with the model. */
export function setFormSymbol(modeler: Modeler, elementId: string, symbol: string): void {
  const element = modeler.get<ElementRegistry>('elementRegistry').get(elementId);
  if (!element) return;
  modeler.get<{ updateProperties(element: FormElement, properties: Record<string, unknown>): void }>('modeling').updateProperties(element, { 'qt:form': symbol });
}

export const isFormSymbol = (symbol: string): boolean => formSymbolSchema.safeParse(symbol).success;
