import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface InspectorTab<Id extends string> {
  id: Id;
  label: ReactNode;
  content: ReactNode;
}

interface InspectorTabsProps<Id extends string> {
  label: string;
  tabs: readonly InspectorTab<Id>[];
  selected: Id;
  onSelect: (id: Id) => void;
}

/**
 * The side panels as tabs (WAI-ARIA tabs: Tab reaches the chosen tab, the arrow keys, Home and End
 * move between tabs), so each panel has the column's whole height at 1366×768. Every panel stays
 * mounted, hidden when not chosen: the properties panel is drawn by bpmn-js into its element.
 */
export function InspectorTabs<Id extends string>({ label, tabs, selected, onSelect }: InspectorTabsProps<Id>) {
  const buttons = useRef(new Map<Id, HTMLButtonElement>());
  const move = (event: KeyboardEvent, index: number) => {
    const to = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const tab = tabs[(to + tabs.length) % tabs.length]!;
    onSelect(tab.id);
    buttons.current.get(tab.id)?.focus();
  };
  return (
    <>
      <div className="inspector-tabs" role="tablist" aria-label={label}>
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(button) => {
              if (button) buttons.current.set(tab.id, button);
              else buttons.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-controls={`tabpanel-${tab.id}`}
            aria-selected={tab.id === selected}
            tabIndex={tab.id === selected ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(event) => move(event, index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div key={tab.id} className="inspector-tabpanel" role="tabpanel" id={`tabpanel-${tab.id}`} aria-labelledby={`tab-${tab.id}`} hidden={tab.id !== selected}>
          {tab.content}
        </div>
      ))}
    </>
  );
}
