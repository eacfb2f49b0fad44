/**
 * The forms the product runs: bpmn.io form-js schemas (schemaVersion 19 of
 * @bpmn-io/form-js-viewer), limited to the components the server can validate again without the
 * browser (Decree 45 Art. 16.4: the portal's electronic form is the application; what it says is
 * checked where it is received). Anything else, a file picker, a dynamic list, an expression,
 * a FEEL condition, is refused with the component named, never accepted and then ignored.
 *
 * Two custom properties (form-js `properties`, string to string) tie a field to the national
 * databases: `qt:format` (engine/forms/formats.ts) and `qt:autofill` (engine/forms/autofill.ts).
 */
import { z } from 'zod';
import { QuyTrinhError, type Bilingual, type ErrorDetail } from '../errors.ts';
import { AUTOFILL_PATHS } from './holder.ts';
import { FIELD_FORMATS, type FieldFormat } from './formats.ts';
import { PROVINCES } from './provinces.ts';

/** A field's key is the process variable it sets, so it is a plain identifier (FEEL reads it in conditions). */
export const FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

const text = z.string().max(2000);
const properties = z.record(z.string().max(100), z.string().max(500));
const layout = z.object({ row: z.string().max(100).optional(), columns: z.number().int().min(1).max(16).nullable().optional() }).strict();

const presentation = {
  id: z.string().max(200).optional(),
  label: text.optional(),
  description: text.optional(),
  layout: layout.optional(),
  properties: properties.optional(),
};

// The names every JavaScript object inherits would read as set on any variables object.
const INHERITED_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

const fieldKey = z
  .string()
  .max(100)
  .regex(FIELD_KEY, 'a key of letters, digits and _ (the process variable it sets)')
  .refine((key) => !INHERITED_NAMES.has(key), 'a key that is not a name every object has (__proto__, constructor…)');

const field = { ...presentation, key: fieldKey, readonly: z.boolean().optional() };

const count = z.number().int().min(0);
const required = z.boolean().optional();

/** A pattern the server must be able to run: a valid regular expression. */
const pattern = z
  .string()
  .max(500)
  .refine((source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');

const textValidate = z
  .object({ required, minLength: count.optional(), maxLength: count.optional(), pattern: pattern.optional(), patternErrorMessage: text.optional(), validationType: z.enum(['email', 'phone']).optional() })
  .strict();

const option = z.object({ label: text, value: z.string().min(1).max(500) }).strict();
const options = z.array(option).min(1).max(500);

const textfield = z.object({ type: z.literal('textfield'), ...field, defaultValue: z.string().optional(), validate: textValidate.optional() }).strict();
const textarea = z.object({ type: z.literal('textarea'), ...field, defaultValue: z.string().optional(), validate: textValidate.omit({ validationType: true }).optional() }).strict();
const number = z
  .object({
    type: z.literal('number'),
    ...field,
    defaultValue: z.number().optional(),
    decimalDigits: count.max(10).optional(),
    increment: z.union([z.number(), z.string()]).optional(),
    validate: z.object({ required, min: z.number().optional(), max: z.number().optional() }).strict().optional(),
  })
  .strict();
const checkbox = z.object({ type: z.literal('checkbox'), ...field, defaultValue: z.boolean().optional(), validate: z.object({ required }).strict().optional() }).strict();
const radio = z.object({ type: z.literal('radio'), ...field, values: options, defaultValue: z.string().optional(), validate: z.object({ required }).strict().optional() }).strict();
const select = z
  .object({ type: z.literal('select'), ...field, values: options, searchable: z.boolean().optional(), defaultValue: z.string().optional(), validate: z.object({ required }).strict().optional() })
  .strict();
const checklist = z.object({ type: z.literal('checklist'), ...field, values: options, defaultValue: z.array(z.string()).optional(), validate: z.object({ required }).strict().optional() }).strict();
const datetime = z
  .object({
    type: z.literal('datetime'),
    ...field,
    // Only dates: a time of day has no meaning in the applications of the catalogue.
    subtype: z.literal('date'),
    dateLabel: text.optional(),
    disallowPassedDates: z.boolean().optional(),
    defaultValue: z.string().optional(),
    validate: z.object({ required }).strict().optional(),
  })
  .strict();
const textView = z.object({ type: z.literal('text'), ...presentation, text: text.max(20_000) }).strict();
const spacer = z.object({ type: z.literal('spacer'), ...presentation, height: z.number().min(0).max(1000).optional() }).strict();
const separator = z.object({ type: z.literal('separator'), ...presentation }).strict();

export type TextfieldComponent = z.output<typeof textfield>;
export type TextareaComponent = z.output<typeof textarea>;
export type NumberComponent = z.output<typeof number>;
export type CheckboxComponent = z.output<typeof checkbox>;
export type RadioComponent = z.output<typeof radio>;
export type SelectComponent = z.output<typeof select>;
export type ChecklistComponent = z.output<typeof checklist>;
export type DatetimeComponent = z.output<typeof datetime>;
export type DisplayComponent = z.output<typeof textView> | z.output<typeof spacer> | z.output<typeof separator>;
export interface GroupComponent {
  type: 'group';
  id?: string | undefined;
  label?: string | undefined;
  description?: string | undefined;
  layout?: z.output<typeof layout> | undefined;
  properties?: Record<string, string> | undefined;
  showOutline?: boolean | undefined;
  components: FormComponent[];
}

/** A component that sets a variable. */
export type FormField = TextfieldComponent | TextareaComponent | NumberComponent | CheckboxComponent | RadioComponent | SelectComponent | ChecklistComponent | DatetimeComponent;
export type FormComponent = FormField | DisplayComponent | GroupComponent;

// A group nests components for layout only: its fields keep flat keys (a group `path` would nest
// the data, which the process variables do not do), so `path` is not accepted.
const group: z.ZodType<GroupComponent> = z.lazy(() =>
  z.object({ type: z.literal('group'), ...presentation, showOutline: z.boolean().optional(), components: z.array(component).max(500) }).strict(),
);

export const SUPPORTED_COMPONENT_TYPES = ['textfield', 'textarea', 'number', 'checkbox', 'radio', 'select', 'checklist', 'datetime', 'text', 'spacer', 'separator', 'group'] as const;

const BY_TYPE: Record<(typeof SUPPORTED_COMPONENT_TYPES)[number], z.ZodType<FormComponent>> = {
  textfield, textarea, number, checkbox, radio, select, checklist, datetime, text: textView, spacer, separator, group,
};

/**
 * One component, chosen by its `type`; an unsupported type is one issue at `type` naming it (a
 * plain union would answer with every member's complaint).
 */
const component: z.ZodType<FormComponent> = z.unknown().transform((value, context) => {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  const schema = typeof type === 'string' && Object.hasOwn(BY_TYPE, type) ? BY_TYPE[type as keyof typeof BY_TYPE] : undefined;
  if (!schema) {
    context.addIssue({ code: 'custom', path: ['type'], message: `component type ${JSON.stringify(type)} is not supported; supported: ${SUPPORTED_COMPONENT_TYPES.join(', ')}`, params: { vi: `loại thành phần ${JSON.stringify(type)} không được hỗ trợ; các loại được hỗ trợ: ${SUPPORTED_COMPONENT_TYPES.join(', ')}` } });
    return z.NEVER;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) context.addIssue({ ...issue, path: issue.path });
    return z.NEVER;
  }
  return parsed.data;
});

export interface Form {
  type: 'default';
  id: string;
  components: FormComponent[];
  schemaVersion: number;
  exporter?: { name: string; version: string } | undefined;
}

/** The components that set a variable, groups opened, in the order they are drawn, each with its path in the schema. */
export function formFields(form: Pick<Form, 'components'>): Array<{ component: FormField; path: Array<string | number> }> {
  const found: Array<{ component: FormField; path: Array<string | number> }> = [];
  const walk = (components: FormComponent[], path: Array<string | number>): void => {
    components.forEach((each, index) => {
      if (each.type === 'group') walk(each.components, [...path, index, 'components']);
      else if ('key' in each) found.push({ component: each, path: [...path, index] });
    });
  };
  walk(form.components, ['components']);
  return found;
}

/** The components each format can be written in. */
const FORMAT_COMPONENTS: Record<FieldFormat, ReadonlyArray<FormField['type']>> = {
  cccd: ['textfield'],
  date: ['textfield', 'datetime'],
  phone: ['textfield'],
  taxId: ['textfield'],
  email: ['textfield'],
  province: ['select'],
  commune: ['textfield'],
};

/** The holder's data are text: they fill text, dates and single choices. */
const AUTOFILLED_TYPES: ReadonlyArray<FormField['type']> = ['textfield', 'textarea', 'datetime', 'select', 'radio'];

function issue(context: z.RefinementCtx, path: Array<string | number>, en: string, vi: string): void {
  context.addIssue({ code: 'custom', path, message: en, params: { vi } });
}

/** What no single component shows: keys used twice, and the qt properties, which depend on the component they sit on. */
function checkFields(form: Pick<Form, 'components'>, context: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const { component: each, path } of formFields(form)) {
    if (seen.has(each.key)) issue(context, [...path, 'key'], `the key ${each.key} is used by another field of the form`, `khóa ${each.key} đã được một trường khác của biểu mẫu dùng`);
    seen.add(each.key);
    for (const [name, value] of Object.entries(each.properties ?? {})) {
      if (!name.startsWith('qt:')) continue;
      const where = [...path, 'properties', name];
      if (name === 'qt:format') {
        if (!(FIELD_FORMATS as readonly string[]).includes(value)) {
          issue(context, where, `qt:format "${value}" is not known; formats: ${FIELD_FORMATS.join(', ')}`, `qt:format "${value}" không có; các định dạng: ${FIELD_FORMATS.join(', ')}`);
        } else if (!FORMAT_COMPONENTS[value as FieldFormat].includes(each.type)) {
          issue(context, where, `qt:format "${value}" is for a ${FORMAT_COMPONENTS[value as FieldFormat].join(' or ')}, not a ${each.type}`, `qt:format "${value}" dùng cho ${FORMAT_COMPONENTS[value as FieldFormat].join(' hoặc ')}, không dùng cho ${each.type}`);
        } else if (value === 'province' && each.type === 'select' && !sameProvinces(each.values)) {
          issue(context, [...path, 'values'], 'a province field offers the 34 provinces of engine/forms/provinces.ts (value the code, label the name)', 'trường tỉnh, thành phố phải liệt kê đúng 34 tỉnh, thành phố của engine/forms/provinces.ts (giá trị là mã, nhãn là tên)');
        }
      } else if (name === 'qt:autofill') {
        if (!(AUTOFILL_PATHS as readonly string[]).includes(value)) issue(context, where, `qt:autofill "${value}" is not known; paths: ${AUTOFILL_PATHS.join(', ')}`, `qt:autofill "${value}" không có; các đường dẫn: ${AUTOFILL_PATHS.join(', ')}`);
        else if (!AUTOFILLED_TYPES.includes(each.type)) issue(context, where, `qt:autofill fills text, a date or a choice, not a ${each.type}`, `qt:autofill chỉ điền chữ, ngày hoặc lựa chọn, không điền ${each.type}`);
      } else {
        issue(context, where, `the property ${name} is not known; qt properties: qt:format, qt:autofill`, `thuộc tính ${name} không có; các thuộc tính qt: qt:format, qt:autofill`);
      }
    }
  }
}

function sameProvinces(values: ReadonlyArray<{ label: string; value: string }>): boolean {
  return values.length === PROVINCES.length && values.every((option, index) => option.value === PROVINCES[index]!.code && option.label === PROVINCES[index]!.name);
}

export const formSchema: z.ZodType<Form> = z
  .object({
    type: z.literal('default'),
    id: z.string().min(1).max(200),
    components: z.array(component).max(500),
    schemaVersion: z.number().int().min(1),
    exporter: z.object({ name: z.string(), version: z.string() }).strict().optional(),
  })
  .strict()
  .superRefine(checkFields);

/** How a component is named in a message: its key, else its id, else its type. */
function componentName(form: unknown, path: ReadonlyArray<PropertyKey>): { name: string; depth: number } | undefined {
  let node: unknown = form;
  let named: { name: string; depth: number } | undefined;
  path.forEach((step, depth) => {
    node = typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[step] : undefined;
    if (typeof step === 'number' && path[depth - 1] === 'components' && typeof node === 'object' && node !== null) {
      const { key, id, type } = node as { key?: unknown; id?: unknown; type?: unknown };
      named = { name: `${[key, id, type].find((each) => typeof each === 'string') ?? `#${step}`}`, depth };
    }
  });
  return named;
}

/** zod's own messages, for the checks written as plain schema above, said in Vietnamese. */
function inVietnamese(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `cần giá trị kiểu ${issue.expected}`;
    case 'unrecognized_keys':
      return `thuộc tính không được hỗ trợ: ${issue.keys.join(', ')}`;
    case 'invalid_value':
      return `giá trị phải là: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return `giá trị hoặc độ dài tối thiểu là ${String(issue.minimum)}`;
    case 'too_big':
      return `giá trị hoặc độ dài tối đa là ${String(issue.maximum)}`;
    case 'invalid_format':
      return `không đúng định dạng (${issue.message})`;
    default:
      return `không hợp lệ (${issue.message})`;
  }
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : `${text}.${String(step)}`), 'form');
}

/**
 * Reads a form-js schema, or refuses it (`form.unsupported`) with one detail per problem, each
 * naming the component (by key, else id, else type) and the place in the schema.
 */
export function parseForm(value: unknown, where = 'form'): Form {
  const parsed = formSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details: ErrorDetail[] = parsed.error.issues.map((each) => {
    const named = componentName(value, each.path);
    const vi = (each as { params?: { vi?: string } }).params?.vi ?? inVietnamese(each);
    const messages: Bilingual = named ? { vi: `thành phần "${named.name}": ${vi}`, en: `component "${named.name}": ${each.message}` } : { vi, en: each.message };
    return { field: pathText(each.path).replace(/^form/, where), message: messages.en, messages };
  });
  throw new QuyTrinhError('invalid-input', 'form.unsupported', {
    vi: `Biểu mẫu có ${details.length} điểm không dùng được`,
    en: `The form has ${details.length} problem(s)`,
  }, details);
}
