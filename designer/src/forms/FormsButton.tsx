import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import type Modeler from 'bpmn-js/lib/Modeler';
import type { Language } from '../i18n.ts';
import { carriesForm, formSteps, selectedFormStep, type FormElement } from './form-elements.ts';
import { formText } from './messages.ts';

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
 * The way into the form editor (docs/dossiers.md, issue 11): a toolbar button, which opens the
 * form of the selected start event or user task (or of the first step with a form), and an entry
 * in the context pad of those elements.
 */
export function FormsButton({ language, modeler, readOnly }: FormsButtonProps) {
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
    queueMicrotask(() => {
      const current = modelerOf();
      if (disposed || !current) return;
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
      <button type="button" title={formText(language, 'formsHint')} aria-haspopup="dialog" onClick={openForSelection}>
        {formText(language, 'forms')}
      </button>
      {open ? (
        <Suspense fallback={null}>
          <FormEditorDialog language={language} modeler={open.modeler} initialElementId={open.elementId} readOnly={readOnly} onClose={() => setOpenState(undefined)} />
        </Suspense>
      ) : null}
    </>
  );
}
