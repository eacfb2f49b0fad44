/**
 * What an applicant (or an official, on a decision form) submits, checked on the server against
 * the form alone: the browser's checks are a convenience, never trusted (Decree 45 Art. 16.4: the
 * electronic form is the application). The result is the process variables the step sets.
 */
import { z } from 'zod';
import { QuyTrinhError, type Bilingual, type ErrorDetail } from '../errors.ts';
import { FORMAT_READERS, readDate, readEmail, readPhone, type FieldFormat, type FormatResult } from './formats.ts';
import { formFields, type Form, type FormField } from './form-schema.ts';

/** A submitted value, normalised: text trimmed, dates YYYY-MM-DD, numbers, booleans, lists of choices. */
export type FieldValue = string | number | boolean | string[];
export type Submission = Record<string, FieldValue>;

type Checked = { ok: true; value: FieldValue | undefined } | { ok: false; message: Bilingual };

const fail = (vi: string, en: string): Checked => ({ ok: false, message: { vi, en } });
const MISSING = fail('Trường này là bắt buộc', 'This field is required');
const MAX_TEXT = 10_000;

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function fromFormat(result: FormatResult): Checked {
  return result.ok ? { ok: true, value: result.value } : result;
}

/** One field's value, or why it cannot be taken. */
function checkField(field: FormField, value: unknown): Checked {
  const required = field.validate?.required === true;
  // An unticked checkbox is false, not absent: gateways read it (`duDieuKien = false`).
  if (field.type === 'checkbox') {
    if (value === undefined || value === null) return required ? fail('Cần đánh dấu ô này', 'This box must be ticked') : { ok: true, value: false };
    if (typeof value !== 'boolean') return fail('Giá trị phải là đúng hoặc sai', 'The value must be true or false');
    return required && !value ? fail('Cần đánh dấu ô này', 'This box must be ticked') : { ok: true, value };
  }
  if (field.type === 'checklist') {
    if (value === undefined || value === null) return required ? MISSING : { ok: true, value: undefined };
    if (!Array.isArray(value) || !value.every((each) => typeof each === 'string')) return fail('Giá trị phải là danh sách các lựa chọn', 'The value must be a list of choices');
    const unknown = value.filter((each) => !field.values.some((option) => option.value === each));
    if (unknown.length > 0) return fail(`Lựa chọn không có trong biểu mẫu: ${unknown.join(', ')}`, `Not a choice of the form: ${unknown.join(', ')}`);
    if (new Set(value).size !== value.length) return fail('Một lựa chọn được chọn hai lần', 'A choice is given twice');
    if (required && value.length === 0) return MISSING;
    return { ok: true, value: value.length === 0 ? undefined : value };
  }
  if (isBlank(value)) return required ? MISSING : { ok: true, value: undefined };
  switch (field.type) {
    case 'number':
      return checkNumber(field, value);
    case 'radio':
    case 'select':
      if (typeof value !== 'string') return fail('Giá trị phải là một lựa chọn của biểu mẫu', 'The value must be one of the choices of the form');
      return checkChoice(field, value);
    case 'datetime':
      if (typeof value !== 'string') return fail('Ngày phải là chuỗi dạng dd/mm/yyyy', 'A date is a string, dd/mm/yyyy');
      return fromFormat(readDate(value));
    case 'textfield':
    case 'textarea':
      if (typeof value !== 'string') return fail('Giá trị phải là chữ', 'The value must be text');
      return checkText(field, value);
  }
}

function checkNumber(field: Extract<FormField, { type: 'number' }>, value: unknown): Checked {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail('Giá trị phải là một số', 'The value must be a number');
  const { min, max } = field.validate ?? {};
  if (min !== undefined && value < min) return fail(`Giá trị không được nhỏ hơn ${min}`, `The value must be at least ${min}`);
  if (max !== undefined && value > max) return fail(`Giá trị không được lớn hơn ${max}`, `The value must be at most ${max}`);
  if (field.decimalDigits !== undefined && Math.abs(Math.round(value * 10 ** field.decimalDigits) - value * 10 ** field.decimalDigits) > 1e-6) {
    return fail(`Giá trị có nhiều nhất ${field.decimalDigits} chữ số thập phân`, `The value has at most ${field.decimalDigits} decimal digit(s)`);
  }
  return { ok: true, value };
}

function checkChoice(field: Extract<FormField, { type: 'radio' | 'select' }>, value: string): Checked {
  // A province may be sent by name: its format turns it into the code the options carry.
  const format = field.properties?.['qt:format'] as FieldFormat | undefined;
  const read = format === undefined ? { ok: true as const, value } : FORMAT_READERS[format](value);
  if (!read.ok) return read;
  if (!field.values.some((option) => option.value === read.value)) return fail(`"${value}" không phải là một lựa chọn của biểu mẫu`, `"${value}" is not one of the choices of the form`);
  return { ok: true, value: read.value };
}

function checkText(field: Extract<FormField, { type: 'textfield' | 'textarea' }>, raw: string): Checked {
  const value = raw.trim();
  const { minLength, maxLength, pattern, patternErrorMessage } = field.validate ?? {};
  if (value.length > Math.min(maxLength ?? MAX_TEXT, MAX_TEXT)) return fail(`Nhiều nhất ${Math.min(maxLength ?? MAX_TEXT, MAX_TEXT)} ký tự`, `At most ${Math.min(maxLength ?? MAX_TEXT, MAX_TEXT)} characters`);
  if (minLength !== undefined && value.length < minLength) return fail(`Ít nhất ${minLength} ký tự`, `At least ${minLength} characters`);
  if (pattern !== undefined && !new RegExp(pattern).test(value)) {
    return fail(patternErrorMessage ?? `Giá trị không khớp mẫu ${pattern}`, patternErrorMessage ?? `The value does not match the pattern ${pattern}`);
  }
  const format = field.properties?.['qt:format'] as FieldFormat | undefined;
  if (format !== undefined) return fromFormat(FORMAT_READERS[format](value));
  // form-js's own validation types, read the Vietnamese way (a phone number of Vietnam).
  if (field.type === 'textfield' && field.validate?.validationType === 'email') return fromFormat(readEmail(value));
  if (field.type === 'textfield' && field.validate?.validationType === 'phone') return fromFormat(readPhone(value));
  return { ok: true, value };
}

/**
 * A zod schema of a form's submission: an object with exactly the form's field keys (a form of
 * another procedure, or a key the form does not have, is refused), each value checked and
 * normalised; fields left empty and not required are left out. A failure carries, per issue, the
 * message in both languages in `params.vi` beside the English `message`.
 */
export function submissionSchema(form: Form): z.ZodType<Submission> {
  const shape = Object.fromEntries(
    formFields(form).map(({ component }) => [
      component.key,
      z.unknown().optional().transform((value, context) => {
        const checked = checkField(component, value);
        if (checked.ok) return checked.value;
        context.addIssue({ code: 'custom', message: checked.message.en, params: { vi: checked.message.vi } });
        return z.NEVER;
      }),
    ]),
  );
  return z.strictObject(shape).transform((values) => Object.fromEntries(Object.entries(values).filter((entry): entry is [string, FieldValue] => entry[1] !== undefined)));
}

/**
 * The variables a submission sets, or `form.invalid` (400) with one detail per bad field, each at
 * `body.data.<key>` with its message in both languages.
 */
export function validateSubmission(form: Form, data: unknown): Submission {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid([{ field: 'body.data', message: 'The form data must be an object of field values', messages: { vi: 'Dữ liệu tờ khai phải là một đối tượng gồm các trường', en: 'The form data must be an object of field values' } }]);
  }
  const parsed = submissionSchema(form).safeParse(data);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `body.data.${key}`, message: 'Not a field of this form', messages: { vi: 'Không phải là trường của biểu mẫu này', en: 'Not a field of this form' } }));
    }
    const vi = (issue as { params?: { vi?: string } }).params?.vi ?? issue.message;
    return [{ field: `body.data.${issue.path.map(String).join('.')}`, message: issue.message, messages: { vi, en: issue.message } }];
  });
  throw invalid(details);
}

function invalid(details: ErrorDetail[]): QuyTrinhError {
  return new QuyTrinhError('unprocessable', 'form.invalid', {
    vi: `Tờ khai có ${details.length} trường không hợp lệ`,
    en: `The form has ${details.length} invalid field(s)`,
  }, details);
}
