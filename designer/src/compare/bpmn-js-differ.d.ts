// bpmn-js-differ ships JavaScript only: the part the compare view uses, typed (see its README).
declare module 'bpmn-js-differ' {
  /** A bpmn-moddle element as the differ hands it back. */
  export interface DiffedElement {
    $type: string;
    id: string;
    name?: string;
  }

  export interface DiffResult {
    _added: Record<string, DiffedElement>;
    _removed: Record<string, DiffedElement>;
    _changed: Record<string, { model: DiffedElement; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
    _layoutChanged: Record<string, DiffedElement>;
  }

  export function diff(oldDefinitions: object, newDefinitions: object): DiffResult;
}
