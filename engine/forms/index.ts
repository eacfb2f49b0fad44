/**
 * Electronic forms (Circular 01 Art. 22): form-js schemas of the subset the server can check,
 * the field formats of the national databases, filling from the holder's data, and the
 * validation of what is submitted. Pure: no HTTP, no SQL, no DOM.
 */
export { prefill, type Prefill } from './autofill.ts';
export {
  FIELD_KEY,
  formFields,
  formSchema,
  parseForm,
  SUPPORTED_COMPONENT_TYPES,
  type CheckboxComponent,
  type ChecklistComponent,
  type DatetimeComponent,
  type DisplayComponent,
  type Form,
  type FormComponent,
  type FormField,
  type GroupComponent,
  type NumberComponent,
  type RadioComponent,
  type SelectComponent,
  type TextareaComponent,
  type TextfieldComponent,
} from './form-schema.ts';
export { FIELD_FORMATS, FORMAT_READERS, isCalendarDate, readCommune, readDate, readEmail, readIdNumber, readPhone, readProvince, readTaxId, vietnameseDate, type FieldFormat, type FormatResult } from './formats.ts';
export { AUTOFILL_PATHS, holderSchema, holderValue, type AutofillPath, type Holder } from './holder.ts';
export { findProvince, PROVINCES, provinceOptions, type Province } from './provinces.ts';
export { submissionSchema, validateSubmission, type FieldValue, type Submission } from './submission.ts';
