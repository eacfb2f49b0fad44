/**
 * Filling a form from the holder's data (Decree 45 Art. 16.4; Circular 01 Art. 22.2–22.3): every
 * field whose `properties['qt:autofill']` names a holder path gets the holder's value, written
 * as the field shows it, and is listed so the portal can ask the applicant to confirm it.
 */
import { FORMAT_READERS, vietnameseDate, type FieldFormat } from './formats.ts';
import { formFields, type Form, type FormField } from './form-schema.ts';
import { holderValue, type AutofillPath, type Holder } from './holder.ts';

export interface Prefill {
  /** Field key -> value, as the form-js viewer takes it as its data. */
  values: Record<string, string>;
  /** The keys filled, in the form's order. */
  fields: string[];
}

export function prefill(form: Form, holder: Holder): Prefill {
  const values: Record<string, string> = {};
  for (const { component } of formFields(form)) {
    const path = component.properties?.['qt:autofill'] as AutofillPath | undefined;
    const raw = path === undefined ? undefined : holderValue(holder, path);
    const value = raw === undefined ? undefined : shown(component, raw);
    if (value !== undefined) values[component.key] = value;
  }
  return { values, fields: Object.keys(values) };
}

/**
 * The holder's value as the field holds it: through the field's format (a province's name becomes
 * its code, a date YYYY-MM-DD), a date typed into a text field as dd/mm/yyyy; a value the format
 * refuses is left out rather than filled in wrong.
 */
function shown(component: FormField, raw: string): string | undefined {
  const format = component.properties?.['qt:format'] as FieldFormat | undefined;
  if (component.type === 'datetime' || format === 'date') {
    const date = FORMAT_READERS.date(raw);
    if (!date.ok) return undefined;
    return component.type === 'datetime' ? date.value : vietnameseDate(date.value);
  }
  const read = format === undefined ? raw : FORMAT_READERS[format](raw);
  const value = typeof read === 'string' ? read : read.ok ? read.value : undefined;
  if ('values' in component && !component.values.some((option) => option.value === value)) return undefined;
  return value;
}
