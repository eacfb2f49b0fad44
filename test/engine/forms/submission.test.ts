import { describe, expect, it } from 'vitest';
import { isQuyTrinhError, type ErrorDetail } from '../../../engine/errors.ts';
import { parseForm, provinceOptions, submissionSchema, validateSubmission } from '../../../engine/forms/index.ts';

const form = parseForm({
  type: 'default',
  id: '1.001193.to-khai',
  schemaVersion: 19,
  components: [
    { type: 'textfield', key: 'hoTen', validate: { required: true, minLength: 2, maxLength: 20 } },
    { type: 'textfield', key: 'soDinhDanh', validate: { required: true }, properties: { 'qt:format': 'cccd' } },
    { type: 'textfield', key: 'ngaySinh', properties: { 'qt:format': 'date' } },
    { type: 'datetime', subtype: 'date', key: 'ngayCap' },
    { type: 'textfield', key: 'dienThoai', validate: { validationType: 'phone' } },
    { type: 'textfield', key: 'maBuuGui', validate: { pattern: '^[A-Z]{2}[0-9]{9}[A-Z]{2}$', patternErrorMessage: 'Số hiệu bưu gửi / Postal item number' } },
    { type: 'group', components: [{ type: 'number', key: 'dienTich', decimalDigits: 1, validate: { min: 1, max: 1000 } }] },
    { type: 'select', key: 'tinh', values: provinceOptions(), properties: { 'qt:format': 'province' } },
    { type: 'radio', key: 'gioiTinh', values: [{ label: 'Nam', value: 'Nam' }, { label: 'Nữ', value: 'Nữ' }], validate: { required: true } },
    { type: 'checklist', key: 'giayTo', values: [{ label: 'A', value: 'a' }, { label: 'B', value: 'b' }] },
    { type: 'checkbox', key: 'canBanGiay' },
    { type: 'checkbox', key: 'camKet', validate: { required: true } },
    { type: 'text', text: 'Chỉ để đọc' },
  ],
});

function details(data: unknown): ErrorDetail[] {
  try {
    validateSubmission(form, data);
  } catch (error) {
    if (isQuyTrinhError(error) && error.code === 'form.invalid' && error.kind === 'unprocessable') return error.details;
    throw error;
  }
  throw new Error('the submission was accepted');
}

const valid = { hoTen: '  Nguyễn Văn A ', soDinhDanh: '001099054321', gioiTinh: 'Nam', camKet: true };

describe('a submission, checked on the server against its form alone', () => {
  it('gives the normalised variables: text trimmed, dates ISO, provinces by code, unticked boxes false, empty optional fields left out', () => {
    expect(validateSubmission(form, { ...valid, ngaySinh: '2/11/2026', ngayCap: '2026-11-20', dienThoai: '+84 912 345 678', maBuuGui: '', dienTich: 142.5, tinh: 'Hà Nội', giayTo: ['b', 'a'] })).toEqual({
      hoTen: 'Nguyễn Văn A',
      soDinhDanh: '001099054321',
      ngaySinh: '2026-11-02',
      ngayCap: '2026-11-20',
      dienThoai: '0912345678',
      dienTich: 142.5,
      tinh: '01',
      gioiTinh: 'Nam',
      giayTo: ['b', 'a'],
      canBanGiay: false,
      camKet: true,
    });
  });

  it('refuses each bad field with its own detail at body.data.<key>, in both languages', () => {
    const found = details({ hoTen: 'A', soDinhDanh: '12345', ngaySinh: '31/02/2026', ngayCap: '20/11/2026x', dienThoai: '12345', maBuuGui: 'EP12', dienTich: 0.25, tinh: 'Bình Dương', gioiTinh: 'Khác', giayTo: ['c'], canBanGiay: 'có', camKet: false });
    expect(found.map((detail) => detail.field)).toEqual([
      'body.data.hoTen', 'body.data.soDinhDanh', 'body.data.ngaySinh', 'body.data.ngayCap', 'body.data.dienThoai', 'body.data.maBuuGui',
      'body.data.dienTich', 'body.data.tinh', 'body.data.gioiTinh', 'body.data.giayTo', 'body.data.canBanGiay', 'body.data.camKet',
    ]);
    expect(found[0]).toEqual({ field: 'body.data.hoTen', message: 'At least 2 characters', messages: { vi: 'Ít nhất 2 ký tự', en: 'At least 2 characters' } });
    expect(found[5]!.messages).toEqual({ vi: 'Số hiệu bưu gửi / Postal item number', en: 'Số hiệu bưu gửi / Postal item number' });
    expect(found.every((detail) => detail.messages!.vi !== '' && detail.messages!.en !== '')).toBe(true);
  });

  it('enforces required fields, whatever the browser says', () => {
    expect(details({}).map((detail) => [detail.field, detail.message])).toEqual([
      ['body.data.hoTen', 'This field is required'],
      ['body.data.soDinhDanh', 'This field is required'],
      ['body.data.gioiTinh', 'This field is required'],
      ['body.data.camKet', 'This box must be ticked'],
    ]);
    expect(details({ ...valid, hoTen: '   ' }).map((detail) => detail.field)).toEqual(['body.data.hoTen']);
    expect(details({ ...valid, hoTen: null }).map((detail) => detail.field)).toEqual(['body.data.hoTen']);
  });

  it("refuses keys the form does not have: another procedure's form, a display-only text, a prototype key", () => {
    expect(details({ ...valid, loaiHoChieu: 'phổ thông', constructor: 'x' }).map((detail) => detail.field)).toEqual(['body.data.loaiHoChieu', 'body.data.constructor']);
    // as a JSON body arrives: __proto__ an own key
    const body = JSON.parse(`{"hoTen": "Nguyễn Văn A", "soDinhDanh": "001099054321", "gioiTinh": "Nam", "camKet": true, "__proto__": {"hoTen": "x"}}`) as unknown;
    expect(details(body).map((detail) => detail.field)).toEqual(['body.data.__proto__']);
    expect(details({ ...valid, Text_1: 'x' })).toEqual([{ field: 'body.data.Text_1', message: 'Not a field of this form', messages: { vi: 'Không phải là trường của biểu mẫu này', en: 'Not a field of this form' } }]);
  });

  it('refuses values of the wrong type rather than coercing them', () => {
    const found = details({ ...valid, hoTen: 42, dienTich: '142.5', giayTo: 'a', gioiTinh: ['Nam'] });
    expect(found.map((detail) => detail.field)).toEqual(['body.data.hoTen', 'body.data.dienTich', 'body.data.gioiTinh', 'body.data.giayTo']);
    expect(details({ ...valid, dienTich: Number.NaN }).map((detail) => detail.field)).toEqual(['body.data.dienTich']);
    expect(details({ ...valid, dienTich: 1.25 })[0]!.message).toBe('The value has at most 1 decimal digit(s)');
  });

  it('refuses data that is not an object', () => {
    for (const data of [null, 'x', ['a'], 3]) expect(details(data)).toEqual([expect.objectContaining({ field: 'body.data' })]);
  });

  it('is also a zod schema for whoever composes it into a request body', () => {
    expect(submissionSchema(form).safeParse(valid).success).toBe(true);
    expect(submissionSchema(form).safeParse({ ...valid, x: 1 }).success).toBe(false);
  });
});
