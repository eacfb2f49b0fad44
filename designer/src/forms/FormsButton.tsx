import type EventBus from 'diagram-js/lib/core/EventBus';
import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import type Modeler from 'bpmn-js/lib/Modeler';
import type { Language } from '../i18n.ts';
import { carriesForm, formSteps, selectedFormStep, type FormElement, type FormStep } from './form-elements.ts';
import { formText } from './messages.ts';
import './forms-entry.css';

// The form-js editor and its CSS load when the dialog first opens.
const FormEditorDialog = lazy(() => import('./FormEditorDialog.tsx').then((module) => ({ default: module.FormEditorDialog })));

interface FormsButtonProps {
  language: Language;
  modeler: () => Modeler | null;
  /** An analyst: forms are shown, not saved. */
  readOnly: boolean;
}

interface ContextPad {
  registerProvider(priority: number, provider: { getContextPadEntries(element: FormElement): Record<string, unknown> }): void;
  close(): void;
}

// A sheet with lines: the form of the step (drawn like bpmn-js's own context-pad icons).
const FORM_ICON =
  '<svg viewBox="0 0 22 22" width="22" height="22" aria-hidden="true"><rect x="5" y="3" width="12" height="16" rx="1" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 8h6M8 11h6M8 14h4" stroke="currentColor" stroke-width="1.5"/></svg>';

/**
 * The way into the form editor (docs/dossiers.md, issue 11): a bar above the properties panel
 * naming the selected step's form, whose button opens the form of the selected start event or
 * user task (or of the first step with a form), and an entry in the context pad of those elements.
 * (Not in the toolbar: at 1366 px it holds one line with nothing to spare, designer-1366.test.ts.)
 */
export function FormsButton({ language, modeler, readOnly }: FormsButtonProps) {
  const [selected, setSelected] = useState<FormStep | undefined>();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const [open, setOpenState] = useState<{ modeler: Modeler; elementId: string | undefined } | undefined>();
  // The context pad floats above everything on the canvas: closed while the dialog is shown.
  const setOpen = (opened: { modeler: Modeler; elementId: string | undefined }) => {
    opened.modeler.get<ContextPad>('contextPad').close();
    setOpenState(opened);
  };
  const languageRef = useRef(language);
  languageRef.current = language;
  // The designer passes a new getter on every render: the one of the first render is kept.
  const modelerOf = useRef(modeler).current;

  // The modeler is made in the designer's own effect, which runs after this one: looked for once that has run.
  useEffect(() => {
    let disposed = false;
    let stopWatching = () => {};
    queueMicrotask(() => {
      const current = modelerOf();
      if (disposed || !current) return;
      // The selected step and its form, named in the bar; read again after every change (qt:form may change).
      const showSelected = () => {
        const id = selectedFormStep(current);
        setSelected(id === undefined ? undefined : formSteps(current).find((step) => step.elementId === id));
      };
      const eventBus = current.get<EventBus>('eventBus');
      eventBus.on('selection.changed', showSelected);
      eventBus.on('commandStack.changed', showSelected);
      stopWatching = () => {
        eventBus.off('selection.changed', showSelected);
        eventBus.off('commandStack.changed', showSelected);
      };
      current.get<ContextPad>('contextPad').registerProvider(500, {
        getContextPadEntries: (element) =>
          element.type === 'label' || !carriesForm(element)
            ? {}
            : {
                'qt-form': {
                  group: 'edit',
                  html: `<div class="entry qt-form-entry">${FORM_ICON}</div>`,
                  title: formText(languageRef.current, 'forms'),
                  action: { click: () => setOpen({ modeler: current, elementId: element.id }) },
                },
              },
      });
    });
    return () => {
      disposed = true;
      stopWatching();
    };
  }, [modelerOf]);

  const openForSelection = () => {
    const current = modeler();
    if (!current) return;
    const steps = formSteps(current);
    setOpen({ modeler: current, elementId: selectedFormStep(current) ?? steps.find((step) => step.symbol)?.elementId ?? steps[0]?.elementId });
  };

  return (
    <>
      <div className="forms-entry">
        <button type="button" ref={buttonRef} title={formText(language, 'formsHint')} aria-haspopup="dialog" onClick={openForSelection}>
          {formText(language, 'forms')}
        </button>
        {/* The symbol first: a long step name is cut at the inspector's edge (shown whole on hover). */}
        <span className="muted" title={selected?.label}>{selected ? `${selected.symbol ?? formText(language, 'noSymbol')} · ${selected.label}` : formText(language, 'formsSelectHint')}</span>
      </div>
      {open ? (
        <Suspense fallback={null}>
          <FormEditorDialog language={language} modeler={open.modeler} initialElementId={open.elementId} readOnly={readOnly} onClose={() => {
              setOpenState(undefined);
              buttonRef.current?.focus();
            }} />
        </Suspense>
      ) : null}
    </>
  );
}
