import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import type { Language } from '../i18n.ts';
import { ComponentUploads, type ChosenFile } from './ComponentUploads.tsx';
import type { FormJsHandle } from './FormJsView.tsx';
import { portalText } from './messages.ts';
import type { Bilingual, ComponentSpec, SentComponent } from './portal-api.ts';
import { refusalOf, type Refusal } from './refusal.ts';

// form-js and its styles load with the first form, in a chunk of their own: the designer's pages never need them.
const FormJsView = lazy(() => import('./FormJsView.tsx').then((module) => ({ default: module.FormJsView })));

interface DossierFillerProps {
  language: Language;
  schema: Record<string, unknown>;
  initialData: Record<string, unknown>;
  prefilledKeys: readonly string[];
  specs: ComponentSpec[];
  /** An application must give every required component; an amendment gives only what was asked for. */
  requireAllComponents: boolean;
  submitLabel: string;
  busyLabel: string;
  /** A check of the page's own before anything is sent (the receiving agency): its message, or nothing. */
  precheck?: () => Bilingual | undefined;
  onSend: (data: Record<string, unknown>, components: SentComponent[]) => Promise<void>;
}

/**
 * The application form and its components, filled and sent: the same for a new application
 * (POST /api/dossiers) and an amendment (POST /api/dossiers/:id/amend). Nothing is sent while a
 * required field or component is missing; a refusal of the server is shown in its words, next to
 * the field or component it names.
 */
export function DossierFiller({ language, schema, initialData, prefilledKeys, specs, requireAllComponents, submitLabel, busyLabel, precheck, onSend }: DossierFillerProps) {
  const handle = useRef<FormJsHandle>(null);
  const [chosen, setChosen] = useState<Record<string, ChosenFile>>({});
  const [missing, setMissing] = useState<Record<string, Bilingual>>({});
  const [local, setLocal] = useState<Bilingual | undefined>();
  const [refusal, setRefusal] = useState<Refusal | undefined>();
  const [sent, setSent] = useState<SentComponent[]>([]);
  /** Components given a new file since the server refused the one sent. */
  const [replaced, setReplaced] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLDivElement>(null);

  const fieldErrors = useMemo(() => Object.fromEntries(Object.entries(refusal?.fields ?? {}).map(([key, words]) => [key, words[language]])), [refusal, language]);
  const componentErrors: Record<string, string> = {};
  for (const [name, words] of Object.entries(missing)) componentErrors[name] = words[language];
  for (const [index, words] of Object.entries(refusal?.components ?? {})) {
    const name = sent[Number(index)]?.name;
    if (name && !replaced.has(name)) componentErrors[name] = words[language];
  }

  /**
   * The keyboard (and the eye) goes to the first thing to correct, once shown: form-js renders its
   * errors some frames after React, later on a slow machine, so it is looked for frame by frame,
   * for up to 3 s.
   */
  const focusFirstProblem = () => {
    const until = Date.now() + 3000;
    const attempt = () => {
      const problem = formRef.current?.querySelector<HTMLElement>('.fjs-has-errors input, .fjs-has-errors textarea, .fjs-has-errors select, [aria-invalid="true"]');
      if (problem) problem.focus();
      else if (Date.now() < until) window.requestAnimationFrame(attempt);
    };
    window.requestAnimationFrame(attempt);
  };

  const submit = async () => {
    setRefusal(undefined);
    const { data, valid } = handle.current?.submit() ?? { data: {}, valid: false };
    const absent = requireAllComponents ? specs.filter((spec) => spec.required && !chosen[spec.name]) : [];
    setMissing(Object.fromEntries(absent.map((spec) => [spec.name, { vi: portalText('vi', 'componentMissing', { name: spec.name }), en: portalText('en', 'componentMissing', { name: spec.name }) }])));
    const own = precheck?.();
    if (!valid || absent.length > 0 || own) {
      setLocal(!valid || absent.length > 0 ? { vi: portalText('vi', 'formInvalid'), en: portalText('en', 'formInvalid') } : own);
      focusFirstProblem();
      return;
    }
    setLocal(undefined);
    const components = Object.values(chosen).map(({ name, fileName, mediaType, contentBase64, storedDocumentId }): SentComponent => (storedDocumentId ? { name, storedDocumentId } : { name, fileName, mediaType, contentBase64 }));
    setSent(components);
    setReplaced(new Set());
    setBusy(true);
    try {
      await onSend(data, components);
    } catch (error) {
      setRefusal(refusalOf(error));
      focusFirstProblem();
    } finally {
      setBusy(false);
    }
  };

  const message = refusal?.messages ?? local;
  return (
    // A <div>, not a <form>: form-js renders a form of its own inside.
    <div className="portal-filler" ref={formRef}>
      <Suspense fallback={<p className="muted">{portalText(language, 'loading')}</p>}>
        <FormJsView schema={schema} initialData={initialData} prefilledKeys={prefilledKeys} language={language} fieldErrors={fieldErrors} handle={handle} />
      </Suspense>
      <ComponentUploads
        language={language}
        specs={specs}
        chosen={chosen}
        errors={componentErrors}
        requireAll={requireAllComponents}
        onChange={(name, file) => {
          // A new file answers the server's word on the old one.
          setReplaced((current) => new Set(current).add(name));
          setChosen((current) => {
            const next = { ...current };
            if (file) next[name] = file;
            else delete next[name];
            return next;
          });
        }}
      />
      {message ? (
        <div className="error portal-refusal" role="alert" data-testid="portal-refusal">
          <p>{message[language]}</p>
          {refusal?.others.some((words) => words[language]) ? (
            <ul>
              {refusal.others
                .filter((words) => words[language])
                .map((words, index) => (
                  <li key={index}>{words[language]}</li>
                ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <button type="button" className="primary portal-submit" disabled={busy} onClick={() => void submit()}>
        {busy ? busyLabel : submitLabel}
      </button>
    </div>
  );
}
