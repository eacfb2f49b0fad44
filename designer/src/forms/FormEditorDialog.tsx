import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type Modeler from 'bpmn-js/lib/Modeler';
import { AUTOFILL_PATHS } from '../../../engine/forms/holder.ts';
import { ProblemError } from '../api-client.ts';
import { useConfirm } from '../dialogs/ConfirmDialog.tsx';
import type { Language } from '../i18n.ts';
import { formCodeOf, formSteps, isFormSymbol, setFormSymbol, type FormStep } from './form-elements.ts';
import { createFormEditor, type DesignerFormEditor } from './form-js-editor.ts';
import { loadForm, saveForm } from './forms-api.ts';
import { formText, type FormMessageKey } from './messages.ts';
import { newFormSchema } from './new-form.ts';
import './forms.css';

interface FormEditorDialogProps {
  language: Language;
  modeler: Modeler;
  initialElementId: string | undefined;
  readOnly: boolean;
  onClose: () => void;
}

/** What the dialog knows of the form shown: loading, shown (`version` undefined: new, never saved), or not loaded. */
type Loaded = { status: 'none' } | { status: 'loading' } | { status: 'shown'; code: string; version: number | undefined } | { status: 'failed'; text: string };

interface Outcome {
  text: string;
  error: boolean;
  /** The server's problems, one per component (engine/forms/form-schema.ts parseForm). */
  problems: Array<{ field: string | undefined; text: string }>;
}

/**
 * The form of one step in bpmn.io's form-js editor (docs/dossiers.md): the step is chosen among
 * the model's start events and user tasks, its `qt:form` symbol given or changed (written on the
 * element through the modeler's command stack), the form loaded by its code
 * `<procedure code>.<symbol>` (Circular 01/2023/TT-VPCP Art. 22.3.b) or started anew, and saved as
 * the code's next version with PUT /api/forms/:code. Analysts see the form; they cannot save it.
 */
export function FormEditorDialog({ language, modeler, initialElementId, readOnly, onClose }: FormEditorDialogProps) {
  const t = (key: FormMessageKey) => formText(language, key);
  const { ask, dialog } = useConfirm();
  const hostRef = useRef<HTMLDivElement>(null);
  const stepSelectRef = useRef<HTMLSelectElement>(null);
  const [editor, setEditor] = useState<DesignerFormEditor | undefined>();
  const [steps, setSteps] = useState<FormStep[]>(() => formSteps(modeler));
  const [elementId, setElementId] = useState(initialElementId);
  const step = steps.find((candidate) => candidate.elementId === elementId);
  const code = step ? formCodeOf(step) : undefined;
  const [symbolDraft, setSymbolDraft] = useState(step?.symbol ?? '');
  const [loaded, setLoaded] = useState<Loaded>({ status: 'none' });
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [helpShown, setHelpShown] = useState(false);
  const languageRef = useRef(language);
  languageRef.current = language;

  useEffect(() => {
    const created = createFormEditor(hostRef.current!);
    setEditor(created);
    stepSelectRef.current?.focus();
    return () => created.destroy();
  }, []);

  // The form of the code shown: the latest version saved, or a new one.
  useEffect(() => {
    if (!editor || !code || !step) {
      setLoaded({ status: 'none' });
      return;
    }
    let cancelled = false;
    setLoaded({ status: 'loading' });
    loadForm(code, languageRef.current)
      .then(async (stored) => {
        if (cancelled) return;
        await editor.show(stored?.schema ?? newFormSchema(code, step));
        if (!cancelled) setLoaded({ status: 'shown', code, version: stored?.version });
      })
      .catch((error: unknown) => {
        if (!cancelled) setLoaded({ status: 'failed', text: error instanceof ProblemError ? error.text(languageRef.current) : String(error) });
      });
    return () => {
      cancelled = true;
    };
    // `step` changes identity with every read of the model; the code says which form is shown.
  }, [editor, code]);

  /** Unsaved edits are let go only when the user says so. */
  const mayLeaveForm = async () =>
    !editor?.changed() || readOnly || (await ask({ title: t('discardTitle'), text: t('discardText'), confirm: t('discard'), cancel: t('keepEditing') }));

  const chooseStep = async (id: string) => {
    if (!(await mayLeaveForm())) return;
    setOutcome(undefined);
    setElementId(id);
    setSymbolDraft(steps.find((candidate) => candidate.elementId === id)?.symbol ?? '');
  };

  const symbolValid = isFormSymbol(symbolDraft);
  const applySymbol = async () => {
    if (!elementId || !symbolValid || symbolDraft === step?.symbol || !(await mayLeaveForm())) return;
    setFormSymbol(modeler, elementId, symbolDraft);
    setOutcome({ text: `${t('symbolWritten')} qt:form="${symbolDraft}"`, error: false, problems: [] });
    setSteps(formSteps(modeler));
  };

  const save = async () => {
    if (!editor || loaded.status !== 'shown' || readOnly) return;
    setSaving(true);
    try {
      const saved = await saveForm(loaded.code, editor.schema(loaded.code), language);
      editor.markSaved();
      setLoaded({ ...loaded, version: saved.version });
      setOutcome({ text: `${t(saved.created ? 'savedVersion' : 'unchanged')} ${saved.version}`, error: false, problems: [] });
    } catch (error) {
      if (error instanceof ProblemError) {
        const problems = error.problem.errors.map((each) => ({ field: each.field, text: each.messages?.[language] ?? each.message }));
        setOutcome({ text: `${t('refused')}: ${error.text(language)}`, error: true, problems });
      } else {
        setOutcome({ text: String(error), error: true, problems: [] });
      }
    } finally {
      setSaving(false);
    }
  };

  const close = async () => {
    if (await mayLeaveForm()) onClose();
  };

  // Escape inside the form-js editor is the editor's own (a dropdown, a popup); elsewhere it closes.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !hostRef.current?.contains(event.target as Node)) void close();
  };

  const notice = !step
    ? t('noSteps')
    : !step.procedureCode
      ? t('noProcedureCode')
      : !step.symbol
        ? t('symbolNeeded')
        : loaded.status === 'loading'
          ? t('loading')
          : loaded.status === 'failed'
            ? loaded.text
            : undefined;

  return (
    <div className="form-editor-backdrop" onKeyDown={onKeyDown}>
      <section className="form-editor-dialog" role="dialog" aria-modal="true" aria-labelledby="form-editor-title">
        <header className="form-editor-head">
          <h2 id="form-editor-title">{t('title')}</h2>
          <label>
            {t('step')}{' '}
            <select ref={stepSelectRef} value={elementId ?? ''} onChange={(event) => void chooseStep(event.target.value)} disabled={steps.length === 0}>
              {steps.map((each) => (
                <option key={each.elementId} value={each.elementId}>
                  {`${each.label} (${t(each.kind === 'start' ? 'startEvent' : 'userTask')}) — ${each.symbol ?? t('noSymbol')}`}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('symbol')}{' '}
            <input
              className="form-symbol"
              value={symbolDraft}
              disabled={readOnly || !step}
              aria-invalid={symbolDraft !== '' && !symbolValid}
              placeholder={step?.kind === 'start' ? 'to-khai' : 'ket-qua-tham-dinh'}
              onChange={(event) => setSymbolDraft(event.target.value.trim())}
              onKeyDown={(event) => event.key === 'Enter' && void applySymbol()}
            />
          </label>
          <button type="button" disabled={readOnly || !step || !symbolValid || symbolDraft === step.symbol} onClick={() => void applySymbol()}>
            {t('applySymbol')}
          </button>
          <span className="form-code">
            {t('code')}: <code>{code ?? '—'}</code>
            {loaded.status === 'shown' ? ` · ${loaded.version === undefined ? t('newForm') : `${t('version')} ${loaded.version}`}` : ''}
          </span>
          <span className="spacer" />
          <button type="button" aria-expanded={helpShown} aria-controls="form-editor-help" onClick={() => setHelpShown(!helpShown)}>
            {t('help')}
          </button>
          <span title={readOnly ? t('readOnly') : undefined}>
            <button type="button" className="primary" disabled={readOnly || saving || loaded.status !== 'shown'} onClick={() => void save()}>
              {saving ? t('saving') : t('save')}
            </button>
          </span>
          <button type="button" onClick={() => void close()}>
            {t('close')}
          </button>
        </header>
        {readOnly ? <p className="form-editor-note">{t('readOnly')}</p> : null}
        {symbolDraft !== '' && !symbolValid ? <p className="form-editor-note error">{t('symbolInvalid')}</p> : null}
        {notice ? <p className="form-editor-note" role="status">{notice}</p> : null}
        <div role="status" className={outcome?.error ? 'form-editor-outcome error' : 'form-editor-outcome'}>
          {outcome ? <p>{outcome.text}</p> : null}
          {outcome && outcome.problems.length > 0 ? (
            <ul className="form-problems">
              {outcome.problems.map((problem, index) => (
                <li key={index}>
                  {/* A problem naming a component selects it, its properties beside it. */}
                  {problem.field && /\.components\[\d+\]/.test(problem.field) ? (
                    <button type="button" className="link" onClick={() => editor?.selectAt(problem.field!)}>
                      {problem.text}
                    </button>
                  ) : (
                    problem.text
                  )}
                  {problem.field ? <span className="muted"> ({problem.field})</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {helpShown ? (
          <aside id="form-editor-help" className="form-editor-help">
            <p>{t('helpComponents')}</p>
            <p>{t('helpProperties')}</p>
            <ul>
              <li>
                <code>qt:format</code>: {t('helpFormat')}
              </li>
              <li>
                <code>qt:autofill</code>: {t('helpAutofill')} {AUTOFILL_PATHS.map((path) => <code key={path}>{path} </code>)}
              </li>
            </ul>
            <p className="muted">{t('editorEnglish')}</p>
          </aside>
        ) : null}
        <div className="form-editor-host" ref={hostRef} hidden={loaded.status !== 'shown'} data-testid="form-editor" />
      </section>
      {dialog}
    </div>
  );
}
