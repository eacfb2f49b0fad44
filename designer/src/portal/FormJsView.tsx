import { Form } from '@bpmn-io/form-js';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import type { Language } from '../i18n.ts';
import { portalText } from './messages.ts';

export interface FormJsHandle {
  /** Validates every field (form-js shows what is wrong next to it) and gives the data when all are valid. */
  submit(): { data: Record<string, unknown>; valid: boolean };
}

interface FormJsViewProps {
  schema: Record<string, unknown>;
  /** What the form opens with: the prefill, or a dossier's current data when amending. */
  initialData: Record<string, unknown>;
  /** Keys filled from the account or the data store: each gets the "check it" note (Decree 45 Art. 16.4). */
  prefilledKeys: readonly string[];
  language: Language;
  /** The server's refusals by field key (`body.data.<key>`), shown under the field like form-js's own. */
  fieldErrors: Record<string, string>;
  handle: Ref<FormJsHandle>;
}

interface SchemaComponent {
  id?: string;
  key?: string;
  description?: string;
  components?: SchemaComponent[];
}

/** The schema with the prefill note added to the description of every prefilled field, nested ones included. */
function withPrefillNotes(schema: Record<string, unknown>, keys: ReadonlySet<string>, note: string): Record<string, unknown> {
  const mark = (component: SchemaComponent): SchemaComponent => ({
    ...component,
    ...(component.key && keys.has(component.key) ? { description: component.description ? `${component.description} — ${note}` : note } : {}),
    ...(component.components ? { components: component.components.map(mark) } : {}),
  });
  return mark(schema) as Record<string, unknown>;
}

/** The schema ids of the fields with these keys. */
function idsOfKeys(schema: Record<string, unknown>, keys: ReadonlySet<string>): string[] {
  const visit = (component: SchemaComponent): string[] => [...(component.key && component.id && keys.has(component.key) ? [component.id] : []), ...(component.components ?? []).flatMap(visit)];
  return visit(schema);
}

/**
 * form-js words its validation messages in English only; the portal shows them in the chosen
 * language. A pattern's own message (`patternErrorMessage`) is the form author's and kept.
 */
const VALIDATION_WORDS: Array<[RegExp, (language: Language, match: RegExpMatchArray) => string]> = [
  [/^Field is required\.$/, (l) => (l === 'vi' ? 'Trường này là bắt buộc.' : 'This field is required.')],
  [/^Field must have minimum length of (\d+)\.$/, (l, m) => (l === 'vi' ? `Cần ít nhất ${m[1]} ký tự.` : `At least ${m[1]} characters.`)],
  [/^Field must have maximum length of (\d+)\.$/, (l, m) => (l === 'vi' ? `Tối đa ${m[1]} ký tự.` : `At most ${m[1]} characters.`)],
  [/^Field must have minimum value of (.+)\.$/, (l, m) => (l === 'vi' ? `Giá trị nhỏ nhất là ${m[1]}.` : `The minimum is ${m[1]}.`)],
  [/^Field must have maximum value of (.+)\.$/, (l, m) => (l === 'vi' ? `Giá trị lớn nhất là ${m[1]}.` : `The maximum is ${m[1]}.`)],
  [/^Field must match pattern .+\.$/, (l) => (l === 'vi' ? 'Giá trị không đúng định dạng.' : 'The value is not in the expected format.')],
  [/^Field must be a valid email\.$/, (l) => (l === 'vi' ? 'Địa chỉ thư điện tử không hợp lệ.' : 'Not a valid e-mail address.')],
  [/^Value is not a number\.$/, (l) => (l === 'vi' ? 'Giá trị không phải là số.' : 'Not a number.')],
];

function reword(message: string, language: Language): string {
  for (const [pattern, words] of VALIDATION_WORDS) {
    const match = message.match(pattern);
    if (match) return words(language, match);
  }
  return message;
}

type FieldDefinition = { id: string; key?: string };
type Validator = { validateFieldInstance: (...args: unknown[]) => string[]; validateField: (...args: unknown[]) => string[] };

/** A form-js viewer (bpmn.io) in a React component: created once, the schema imported again when the language changes, what was typed kept. */
export function FormJsView({ schema, initialData, prefilledKeys, language, fieldErrors, handle }: FormJsViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<Form | null>(null);
  const dataRef = useRef<Record<string, unknown>>(initialData);
  const languageRef = useRef(language);
  languageRef.current = language;

  useEffect(() => {
    const form = new Form({ container: containerRef.current });
    const validator = form.get<Validator>('validator');
    for (const method of ['validateFieldInstance', 'validateField'] as const) {
      const original = validator[method].bind(validator);
      validator[method] = (...args) => original(...args).map((message) => reword(message, languageRef.current));
    }
    form.on('changed', (event: { data: Record<string, unknown> }) => {
      dataRef.current = event.data;
    });
    formRef.current = form;
    return () => {
      form.destroy();
      formRef.current = null;
    };
  }, []);

  useEffect(() => {
    const form = formRef.current;
    const container = containerRef.current;
    if (!form || !container) return;
    const keys = new Set(prefilledKeys);
    void form.importSchema(withPrefillNotes(schema, keys, portalText(language, 'prefilledNote')), dataRef.current);
    // The prefilled fields stand out too, not only by their note. form-js (preact) rewrites a field's
    // classes when its state changes (an error shown, then corrected): marked again whenever it does.
    const descriptions = idsOfKeys(schema, keys).map((id) => `#fjs-form-${form._id}-${CSS.escape(id)}-description`);
    const mark = () => {
      for (const selector of descriptions) {
        const field = container.querySelector(selector)?.closest('.fjs-form-field');
        if (field && !field.classList.contains('portal-prefilled')) field.classList.add('portal-prefilled');
      }
    };
    const observer = new MutationObserver(mark);
    observer.observe(container, { subtree: true, childList: true, attributeFilter: ['class'] });
    mark();
    return () => observer.disconnect();
  }, [schema, prefilledKeys, language]);

  useEffect(() => {
    const form = formRef.current;
    if (!form || Object.keys(fieldErrors).length === 0) return;
    const errors: Record<string, string[]> = {};
    for (const field of form.get<{ getAll(): FieldDefinition[] }>('formFieldRegistry').getAll()) {
      const message = field.key === undefined ? undefined : fieldErrors[field.key];
      if (message) errors[field.id] = [message];
    }
    // form-js has no public way to show an error it did not find itself: its state takes them by field id,
    // and its own validation of the field replaces it as soon as the person edits that field.
    form._setState({ errors });
  }, [fieldErrors]);

  useImperativeHandle(handle, () => ({
    submit: () => {
      const form = formRef.current;
      if (!form) return { data: {}, valid: false };
      const { data, errors } = form.submit();
      return { data, valid: Object.keys(errors).length === 0 };
    },
  }));

  return <div className="portal-form" ref={containerRef} />;
}
