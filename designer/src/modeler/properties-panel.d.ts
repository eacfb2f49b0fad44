// The two properties-panel packages ship JavaScript only: the parts the designer uses, typed.
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: Record<string, unknown>;
  export const BpmnPropertiesProviderModule: Record<string, unknown>;
  /** A service of the modeler (modeling, translate, debounceInput…), inside a properties-panel component. */
  export function useService<T = unknown>(name: string, strict?: boolean): T;
}

declare module '@bpmn-io/properties-panel' {
  import type { ComponentType } from '@bpmn-io/properties-panel/preact';

  export interface SelectOption {
    value: string;
    label: string;
    disabled?: boolean;
  }

  interface EntryProps<Value> {
    element: unknown;
    id: string;
    label: string;
    description?: string;
    getValue: (element: unknown) => Value;
    setValue: (value: Value, error?: string | null) => void;
    validate?: (value: Value) => string | null | undefined;
    disabled?: boolean;
  }

  export const TextFieldEntry: ComponentType<EntryProps<string | undefined> & { debounce: (callback: unknown) => unknown; placeholder?: string }>;
  export const SelectEntry: ComponentType<EntryProps<string> & { getOptions: (element: unknown) => SelectOption[] }>;
  export const CheckboxEntry: ComponentType<EntryProps<boolean>>;
  /** A group of collapsible items, each with its entries and a remove button, and a button adding one. */
  export const ListGroup: ComponentType<never>;
  export function isTextFieldEntryEdited(node: HTMLElement | null): boolean;
  export function isCheckboxEntryEdited(node: HTMLElement | null): boolean;
  export function isSelectEntryEdited(node: HTMLElement | null): boolean;
}
