import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { Form } from '@bpmn-io/form-js';
import '@bpmn-io/form-js/dist/assets/form-js.css';

/** What the parent may ask of an editable form: its values, or its field errors when some are invalid. */
export interface FormHandle {
  submit(): { data: Record<string, unknown>; valid: boolean };
}

interface FormViewProps {
  schema: Record<string, unknown>;
  data?: Record<string, unknown>;
  readOnly?: boolean;
  ref?: Ref<FormHandle>;
  testId?: string;
}

/**
 * A form-js form (docs/dossiers.md: forms are form-js schemas): the applicant's data shown
 * read-only in the dossier view, or a step's decision form filled in by the official.
 */
export function FormView({ schema, data, readOnly = false, ref, testId }: FormViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<Form | null>(null);

  useEffect(() => {
    if (!containerRef.current) return;
    const form = new Form({ container: containerRef.current, properties: { readOnly } });
    formRef.current = form;
    let disposed = false;
    form.importSchema(schema, data ?? {}).catch((error: unknown) => {
      if (!disposed) console.warn('form-js could not show the form', error);
    });
    return () => {
      disposed = true;
      form.destroy();
      formRef.current = null;
    };
  }, [schema, data, readOnly]);

  useImperativeHandle(ref, () => ({
    submit: () => {
      const form = formRef.current;
      if (!form) return { data: {}, valid: false };
      const { data: values, errors } = form.submit();
      return { data: values, valid: Object.keys(errors).length === 0 };
    },
  }), []);

  return <div className="ws-form" ref={containerRef} data-testid={testId} />;
}
