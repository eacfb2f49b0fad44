import { describe, expect, it } from 'vitest';
import { isQuyTrinhError, type QuyTrinhError } from '../../../engine/errors.ts';
import { formFields, parseForm, provinceOptions } from '../../../engine/forms/index.ts';

const form = (components: unknown[]) => ({ type: 'default', id: '1.001193.to-khai', schemaVersion: 19, components });

function refusal(value: unknown): QuyTrinhError {
  try {
    parseForm(value);
  } catch (error) {
    if (isQuyTrinhError(error)) return error;
    throw error;
  }
  throw new Error('the form was accepted');
}

describe('the form-js schemas the product runs', () => {
  it('accepts the supported components, groups opened in drawing order', () => {
    const parsed = parseForm(form([
      { type: 'text', text: '## Tờ khai' },
      { type: 'textfield', key: 'hoTen', label: 'Họ và tên', validate: { required: true, maxLength: 100 }, properties: { 'qt:autofill': 'holder.fullName' } },
      { type: 'group', label: 'Trẻ', components: [
        { type: 'datetime', subtype: 'date', key: 'ngaySinh', dateLabel: 'Ngày sinh' },
        { type: 'radio', key: 'gioiTinh', values: [{ label: 'Nam', value: 'Nam' }, { label: 'Nữ', value: 'Nữ' }] },
        { type: 'group', components: [{ type: 'number', key: 'canNang', decimalDigits: 1, validate: { min: 0.5 } }] },
      ] },
      { type: 'select', key: 'tinh', values: provinceOptions(), properties: { 'qt:format': 'province' } },
      { type: 'checklist', key: 'giayTo', values: [{ label: 'Giấy chứng sinh', value: 'chung-sinh' }] },
      { type: 'textarea', key: 'ghiChu' },
      { type: 'spacer', height: 20 },
      { type: 'separator' },
      { type: 'checkbox', key: 'camKet', validate: { required: true } },
    ]));
    expect(formFields(parsed).map(({ component }) => component.key)).toEqual(['hoTen', 'ngaySinh', 'gioiTinh', 'canNang', 'tinh', 'giayTo', 'ghiChu', 'camKet']);
    expect(formFields(parsed)[3]!.path).toEqual(['components', 2, 'components', 2, 'components', 0]);
  });

  it('refuses an unsupported component, naming it and where it is, in both languages', () => {
    const error = refusal(form([{ type: 'textfield', key: 'hoTen' }, { type: 'group', components: [{ type: 'filepicker', key: 'banSao', id: 'Field_1' }] }]));
    expect(error).toMatchObject({ kind: 'invalid-input', code: 'form.unsupported' });
    expect(error.details).toEqual([
      {
        field: 'form.components[1].components[0].type',
        message: expect.stringMatching(/^component "banSao": component type "filepicker" is not supported; supported: textfield, /) as string,
        messages: { vi: expect.stringMatching(/^thành phần "banSao": loại thành phần "filepicker" không được hỗ trợ/) as string, en: expect.any(String) as string },
      },
    ]);
  });

  it('refuses what the server could not check again: FEEL conditions, time pickers, nested data paths, keys that are no variable name', () => {
    const error = refusal(form([
      { type: 'textfield', key: 'hoTen', conditional: { hide: '=x' } },
      { type: 'datetime', key: 'gio', subtype: 'time' },
      { type: 'group', path: 'nguoi', components: [] },
      { type: 'textfield', key: 'nguoi.hoTen' },
      { type: 'textfield', key: 'x', validate: { pattern: '([' } },
      { type: 'textfield', key: '__proto__' },
    ]));
    expect(error.details.map((detail) => detail.field)).toEqual([
      'form.components[0]',
      'form.components[1].subtype',
      'form.components[2]',
      'form.components[3].key',
      'form.components[4].validate.pattern',
      'form.components[5].key',
    ]);
    expect(error.details[0]!.message).toMatch(/^component "hoTen": .*conditional/);
  });

  it('refuses a key used twice, an unknown qt property, and a format on a component it does not fit', () => {
    const error = refusal(form([
      { type: 'textfield', key: 'hoTen' },
      { type: 'group', components: [{ type: 'textfield', key: 'hoTen' }] },
      { type: 'textfield', key: 'a', properties: { 'qt:format': 'passport' } },
      { type: 'number', key: 'b', properties: { 'qt:format': 'cccd' } },
      { type: 'textfield', key: 'c', properties: { 'qt:autofill': 'holder.salary' } },
      { type: 'checkbox', key: 'd', properties: { 'qt:autofill': 'holder.fullName' } },
      { type: 'textfield', key: 'e', properties: { 'qt:hint': 'x', 'other:thing': 'kept' } },
      { type: 'select', key: 'f', values: [{ label: 'Hà Nội', value: '01' }], properties: { 'qt:format': 'province' } },
    ]));
    expect(error.details.map((detail) => [detail.field, detail.messages?.en])).toEqual([
      ['form.components[1].components[0].key', 'component "hoTen": the key hoTen is used by another field of the form'],
      ['form.components[2].properties.qt:format', expect.stringContaining('qt:format "passport" is not known')],
      ['form.components[3].properties.qt:format', 'component "b": qt:format "cccd" is for a textfield, not a number'],
      ['form.components[4].properties.qt:autofill', expect.stringContaining('qt:autofill "holder.salary" is not known')],
      ['form.components[5].properties.qt:autofill', 'component "d": qt:autofill fills text, a date or a choice, not a checkbox'],
      ['form.components[6].properties.qt:hint', expect.stringContaining('the property qt:hint is not known')],
      ['form.components[7].values', expect.stringContaining('the 34 provinces')],
    ]);
  });

  it('refuses what is not a form at all', () => {
    expect(refusal({ type: 'default', schemaVersion: 19, components: [] }).details).toEqual([{ field: 'form.id', message: 'Invalid input: expected string, received undefined', messages: { vi: 'cần giá trị kiểu string', en: 'Invalid input: expected string, received undefined' } }]);
    expect(refusal([]).details).toHaveLength(1);
  });
});
